"""The shortcuts of ``tokens`` and ``grammar`` never change a token or a binding.

``tokenize`` builds word tokens field by field and takes their offsets from the lengths of
the pieces ``_WORD`` splits the text into; ``bind`` skips the templates whose mention is not in
the sentence (``_PLANS``). Each test checks one shortcut against the plain way it stands
for, on text built from the pieces these functions care about.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from leaderboard.extract import Extractor, find_numbers, grammar, tokens
from leaderboard.extract.tokens import Token
from leaderboard.rulebook import load_rules

PROFILE = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_CHARACTERS = [
    "a", "B", "ab", "FID", " ", "  ", "\n", "\t", "\u2003", "_", "-", "'", "’", "^", "/", ".", ",", ";", "(", ")", "%", "\\%",
    "\\", "\\times", "$", "{", "}", "7", "42", "1.5", "٣", "²", "é", "ſ", "İ", "Σ", "ΑΣ", "\x00", "x",
]
TEXT = st.lists(st.sampled_from(_CHARACTERS), max_size=40).map("".join)

_WORDS = [
    "Zeta", "achieves", "an", "FID", "of", "on", "ImageNet", "GenEval", "DocVQA", "ChartQA", "OCRBench", "ANLS", "accuracy",
    "score", "improving", "by", "up", "to", "from", "and", ",", "/", ";", "while", "respectively", "vs.", "the", "baseline",
    "higher", "than", "points", "reduction", "in", "FLOPs", "latency", "faster", "speedup", "less", "memory", "only", "with",
    "tokens", "On", "In", "(", ")", "saving", "times", "inference", "training", "cost", "gains", "drop",
    "1.46", "78.4%", "3x", "2.1", "0.6", "45%", "7-fold", "4.1x", "+2.3", "834", "1/3", "5-10", "$2\\times$", "12",
]
SENTENCE = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=24).map(" ".join)


def _fields(token: Token) -> tuple:
    return token.kind, token.text, token.start, token.end, token.number, token.mentions, token.lower


def _plain_words(sentence: str, start: int, end: int) -> list[Token]:
    """What ``_words`` stands for: every ``_WORD`` match but LaTeX left-overs, built by ``Token``."""
    return [
        Token("w", m.group(0), m.start(), m.end())
        for m in tokens._WORD.finditer(sentence, start, end)
        if m.group(0) not in tokens._LATEX_NOISE and not (m.group(0).startswith("\\") and m.group(0) != "\\%")
    ]


@PROFILE
@given(TEXT, st.integers(0, 5), st.integers(0, 5))
@example("an FID of $2.1$ {\\sc x}\\% \\", 0, 0)
@example("ΑΣ.Β İ  _x_ ", 1, 0)
def test_words_are_the_pattern_s(text: str, cut_start: int, cut_end: int) -> None:
    start, end = min(cut_start, len(text)), max(0, len(text) - cut_end)
    expected = [_fields(t) for t in _plain_words(text, start, end)]
    assert [_fields(t) for t in tokens._words(text, start, end)] == expected


def _plain_tokenize(sentence: str, numbers, mentions) -> list[Token]:
    """What ``tokenize`` stands for: spans kept as the docstring says, words between them by ``_plain_words``."""
    spans = [Token("n", n.reported, n.start, n.end, number=n) for n in numbers]
    covered = [(n.start, n.end) for n in numbers]
    for mention in mentions:
        key = (mention.start, mention.end)
        twin = [t for t in spans if t.kind == "m" and (t.start, t.end) == key]
        if twin:
            twin[0].mentions.append(mention)
        elif not any(s < mention.end and mention.start < e for s, e in covered if (s, e) != key):
            spans.append(Token("m", mention.text, mention.start, mention.end, mentions=[mention]))
            covered.append(key)
    spans.sort(key=lambda t: t.start)
    found: list[Token] = []
    position = 0
    for span in spans:
        found += _plain_words(sentence, position, span.start)
        found.append(span)
        position = span.end
    return found + _plain_words(sentence, position, len(sentence))


@pytest.fixture(scope="module")
def extractor():
    return Extractor(load_rules("rules"))


def _binding_fields(found: list[grammar.Binding], sentence_tokens: list[Token]) -> list[tuple]:
    position = {id(t): i for i, t in reversed(list(enumerate(sentence_tokens)))}
    return [
        (position[id(b.number)], b.rule, position[id(b.mention)], b.kind, b.template, b.reading, b.role, b.metric, b.dataset,
         None if b.baseline is None else position[id(b.baseline)], dict(b.extra), b.group)
        for b in found
    ]


@PROFILE
@given(SENTENCE)
@example("Zeta needs $2\\times$ fewer FLOPs on {\\sc ImageNet}-256")
def test_tokens_are_the_plain_ones(extractor, sentence: str) -> None:
    numbers, mentions = find_numbers(sentence), extractor.vocabulary.mentions(sentence)
    expected = [_fields(t) for t in _plain_tokenize(sentence, numbers, mentions)]
    assert [_fields(t) for t in tokens.tokenize(sentence, numbers, mentions)] == expected


@PROFILE
@given(SENTENCE)
@example("On ChartQA and DocVQA , Zeta scores 81.2% and 90.4%")
@example("Zeta lowers FID from 2.1 to 1.46 and reduces latency by 45% while 3x faster")
def test_skipped_templates_would_find_nothing(extractor, sentence: str) -> None:
    def bound(plans) -> list[tuple]:
        sentence_tokens = tokens.tokenize(sentence, find_numbers(sentence), extractor.vocabulary.mentions(sentence))
        saved, grammar._PLANS = grammar._PLANS, plans
        try:
            return _binding_fields(grammar.bind(sentence_tokens, extractor._excludes), sentence_tokens)
        finally:
            grammar._PLANS = saved

    every_template = tuple(tuple(template for template, _ in grammar._TEMPLATES) for _ in grammar._PLANS)
    assert bound(grammar._PLANS) == bound(every_template)
