"""The shortcuts of ``tokens`` and ``grammar`` never change a token or a binding.

``tokenize`` builds word tokens field by field and takes their offsets from the lengths of
the pieces ``_WORD`` splits the text into; ``bind`` skips the templates whose mention is not in
the sentence (``_PLANS``). Each test checks one shortcut against the plain way it stands
for, on text built from the pieces these functions care about.

The sentence and number shortcuts before them: ``split_sentences`` takes the white space after a
period in the boundary match (``_PERIOD_GAP``); ``_LATEX_BLANKS`` opens each branch with its
character; ``_find`` neither checks taken spans nor sorts when nothing was read before its loop,
reads a match's groups at once, and tries the qualifiers after a number only after an "or ".
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import re

from leaderboard.extract import Extractor, find_numbers, grammar, numbers, sentences, tokens
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


# --- sentences and numbers ---------------------------------------------------------------------

_SPLIT_PIECES = [
    "Zeta", "a", "B", "FID", "1.5", "7", ".", ". ", ".  ", ".\u2003", ".\x1c", ".\xa0", ".\u3000", ".\r", ".\x0b ", " ", "  ",
    "\t", '."', ".')", ".)]", '"', "'", "(", "[", "$", "\\", "e.g.", "i.e.", "et al.", "Fig.", "vs.", "a.k.a.", "U.S.", "x.",
    "Dr.", "approx.", "abcdefghijklm.", "..", "é.", "Σ", "ab.c.", "No.", "th.", "st.",
]
SPLIT_TEXT = st.lists(st.sampled_from(_SPLIT_PIECES), max_size=30).map("".join)


_PERIOD_END = re.compile(r"\.[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9$\\])")  # `_BOUNDARY`'s period branch


def _plain_period_split(text: str) -> list[tuple[str, int, int]]:
    """What ``_split_at_periods`` stands for: sentence ends found by `_BOUNDARY`'s period branch, each sentence
    starting after the last end, and stripped."""
    found: list[sentences.Sentence] = []
    start = 0
    for match in _PERIOD_END.finditer(text):
        if sentences._is_abbreviation(text, start, match.start()):
            continue
        sentences._add(found, text, start, match.end())
        start = match.end()
    sentences._add(found, text, start, len(text))
    return [(s.text, s.start, s.end) for s in found]


@PROFILE
@given(SPLIT_TEXT)
@example("  x. Zeta. a.  B et al. (1.5) e.g. U.S.\u2003Zeta.")
@example(".\x1cB")
def test_period_split_is_the_plain_split(text: str) -> None:
    assert [(s.text, s.start, s.end) for s in sentences._split_at_periods(text)] == _plain_period_split(text)
    if "!" not in text and "?" not in text and "\n" not in text:
        assert sentences.split_sentences(text) == sentences._split_at_periods(text)


_LATEX_PLAIN = re.compile(
    r"(?<!\\)(?<!\\times)\$(?!\\times\$)"
    r"|(?<=[^\W\d_])~(?=[-+−.\d])"
    r"|\\(?:textbf|textit|textsc|texttt|textrm|text|emph|mathbf|mathrm|mathit|underline|bm|boldsymbol)\{(?=\s*[-+−.\d])"
    r"|\{\\(?:bf|it|em|sc|rm|tt)\s+(?=[-+−.\d])"
    r"|(?<=[\d%])\}"
)
_NUMBER_PIECES = [
    "0", "5", "12", "78.4", "1,000", ".", ",", " ", "\u2003", "%", "\\%", "\\", "$", "$\\times$", "\\times", "times", "×", "x",
    "~", "-", "−", "+", "/", " of ", " to ", "from ", "{", "}", "\\textbf{", "\\text{", "{\\bf ", "{\\it", "\\emph{", "a", "é",
    "_", "²", "٣", " or more", " OR fewer", " or", "or ", "Or ", " o r ", "ór ", "\u00a0or ", "up to ", "less than ", "256x256",
    "10^{4}", "1/4 of", "3/", " and ", "-512", "fold", "-fold",
]
NUMBER_TEXT = st.lists(st.sampled_from(_NUMBER_PIECES), max_size=30).map("".join)


@PROFILE
@given(NUMBER_TEXT)
@example("a~5 \\$5$ \\times$ $\\times$ 5} %} \\textbf{ 5}")
def test_latex_blanks_are_the_lookbehind_first_pattern_s(text: str) -> None:
    assert [m.span() for m in numbers._LATEX_BLANKS.finditer(text)] == [m.span() for m in _LATEX_PLAIN.finditer(text)]


def _plain_form(match: re.Match[str], prefix: str = "") -> str | None:
    for group, form in (("pct", "percent"), ("pm", "permille"), ("fac", "factor")):
        if match[prefix + group]:
            return form
    return None


def _plain_find(view: str) -> list[numbers.Number]:
    """What ``_find`` stands for: every match checked against the taken spans, the numbers sorted at the end."""
    taken = numbers._not_numbers(view)
    found: list[numbers.Number] = []
    if "/" in view:
        found.extend(numbers._fractions(view, taken))
    if "times" in view or "×" in view:
        found.extend(numbers._prefix_factors(view, taken))
    for match in numbers._NUMBER.finditer(view):
        if numbers._is_taken(taken, match.start(), match.end()):
            continue
        number = numbers._from_match(view, match)
        if number is not None:
            found.append(numbers._qualified(view, number))
            taken.append((number.start, number.end))
            if number.end < match.end():
                found.extend(numbers._rest(view, number.end, match.end(), taken))
    found.sort(key=lambda number: number.start)
    return found


@PROFILE
@given(NUMBER_TEXT)
@example("256x256 5 and 1/4 of times 3, 2-1 from 5% to 6x")
def test_numbers_are_found_as_by_the_plain_loop(text: str) -> None:
    view = numbers.number_view(text)
    assert numbers._find(view) == _plain_find(view)
    for match in numbers._NUMBER.finditer(view):
        assert numbers._form(match) == _plain_form(match) and numbers._form(match, "b_") == _plain_form(match, "b_")


def _plain_qualified(view: str, number: numbers.Number) -> numbers.Number:
    """What ``_qualified`` stands for: the qualifiers after a number tried wherever ``_OR_AFTER`` matches."""
    after = view[number.end : number.end + 16]
    if numbers._OR_AFTER.match(after):
        for pattern, qualifier in numbers._QUALIFIER_AFTER:
            if pattern.search(after):
                return numbers._with(number, qualifier)
    before = view[max(0, number.start - 24) : number.start]
    if numbers._may_qualify_before(before):
        for pattern, qualifier in numbers._QUALIFIER_BEFORE:
            if pattern.search(before):
                return numbers._with(number, qualifier)
    return number


@PROFILE
@given(NUMBER_TEXT)
@example("5 Or more")
@example("5\u2003or less")
def test_qualifiers_are_the_plain_ones(text: str) -> None:
    view = numbers.number_view(text)
    for match in numbers._NUMBER.finditer(view):
        number = numbers._from_match(view, match)
        if number is not None:
            assert numbers._qualified(view, number) == _plain_qualified(view, number)
