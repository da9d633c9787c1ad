"""The second round of shortcuts in tokens, attribution and normalize never changes a result.

- ``tokenize`` splits ASCII text between spaces and takes a chunk of letters (with at most a closing mark)
  as its words without the pattern, and spells the pattern's classes out as ASCII ranges elsewhere;
- ``subject_model`` and ``method_name`` find the abstract's capitalised words only when they decide
  (``_is_name_in``), and ``_verb_before`` tests the cheapest condition first;
- ``base_models`` learns from one RE2 set which ways of its pattern can match (``_BASE_WAYS``);
- ``normalize`` builds its frozen result without the dataclass ``__init__`` (``_normalized``).

Each is compared with the plain form it stands for, on hand-picked pieces and random text built from them.
"""

from __future__ import annotations

import pickle
import random

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from leaderboard.extract import attribution, find_numbers, normalize, tokens
from leaderboard.extract.sentences import split_sentences
from leaderboard.extract.tokens import Token
from leaderboard.sources import read_papers

PROFILE = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_ASCII = [chr(code) for code in range(128)]
_PIECES = [
    "a", "B", "ab", "FID", "accuracy", " ", " ", "  ", "\n", "\t", "\x0b", "\x1c", "\x1f", "_", "-", "'", "^", "/", ".",
    ",", ":", ";", "!", "(", ")", "%", "\\%", "\\", "\\times", "\\sc", "$", "{", "}", "7", "42", "1.5", "x", "state-of-the-art",
]
ASCII_TEXT = st.lists(st.sampled_from(_PIECES + _ASCII), max_size=40).map("".join)


def _fields(token: Token) -> tuple:
    return token.kind, token.text, token.start, token.end, token.number, token.mentions, token.lower


def test_ascii_pattern_splits_as_the_pattern_on_every_ascii_pair() -> None:
    for first in _ASCII:
        for second in _ASCII:
            text = first + second
            assert tokens._SPLIT_ASCII_WORDS(text) == tokens._SPLIT_WORDS(text), repr(text)


@PROFILE
@given(ASCII_TEXT)
@example("an FID of $2.1$ {\\sc x}\\% \\, ab. cd; ef:gh, (ij) k-l")
def test_ascii_words_are_the_pattern_s(text: str) -> None:
    plain: list[Token] = []
    tokens._add_words(text, 3, True, tokens._SPLIT_WORDS, plain)
    fast: list[Token] = []
    tokens._add_ascii_words(text, 3, True, fast)
    assert [_fields(t) for t in fast] == [_fields(t) for t in plain]
    clean: list[Token] = []
    tokens._add_ascii_words(text, 0, False, clean)
    assert [t.text for t in clean] == tokens._SPLIT_WORDS(text)[1::2]


@PROFILE
@given(ASCII_TEXT)
def test_ascii_sentences_tokenize_as_the_pattern_does(text: str) -> None:
    """``_words`` on ASCII text against the plain pattern, field by field."""
    expected = [
        (m.group(0), m.start(), m.end()) for m in tokens._WORD.finditer(text)
        if m.group(0) not in tokens._LATEX_NOISE and not (m.group(0).startswith("\\") and m.group(0) != "\\%")
    ]
    assert [(t.text, t.start, t.end) for t in tokens._words(text, 0, len(text))] == expected
    assert all(t.lower == t.text.lower() and t.kind == "w" and t.mentions == [] and t.number is None
               for t in tokens._words(text, 0, len(text)))


@pytest.fixture(scope="module")
def abstracts() -> list[str]:
    found = [paper.abstract for paper in read_papers(["corpus"])]
    rng = random.Random(11)
    words = [word for abstract in found for word in abstract.split()]
    names = ["Imagen", "Zeta", "QuartzVL", "Monkey", "The", "We", "Our", "This", "Experiments", "OCR-free", "MLLMs", "İmagen"]
    for _ in range(300):
        parts = [rng.choice(names) if rng.random() < 0.3 else rng.choice(words) for _ in range(rng.randint(5, 60))]
        found.append("".join(rng.choice([" ", " ", ". ", ", ", " ("]) + part for part in parts))
    return found


def test_names_in_an_abstract_are_is_name_s(abstracts: list[str]) -> None:
    for abstract in abstracts:
        known = attribution._capitalised.__wrapped__(abstract)
        for word in {*abstract.split(), *known, "", "Zeta", "zeta", "ZETA", "İmagen", "We", "Our"}:
            assert attribution._is_name_in(word, abstract) == attribution.is_name(word, known), (word, abstract[:60])


def _plain_verb_before(sentence_tokens: list[Token], index: int) -> int | None:
    """What ``_verb_before`` stands for: its conditions in their first order."""
    for position in range(index - 1, 0, -1):
        token = sentence_tokens[position]
        if not token.text[:1].islower():
            continue
        previous = sentence_tokens[position - 1]
        if previous.kind == "w" and previous.lower == "to":
            continue
        if (token.kind == "w" and token.lower in attribution._VERBS) or attribution._named_subject_verb(sentence_tokens, position):
            return position
    return None


_SUBJECT_WORDS = ["TundraDiff", "raises", "to", "improve", "achieves", "EchoVL", "generates", "the", "our", "and", "of", ",",
                  "IS", "scores", "runs", "class", "bus", "this", "Zeta", "reaches", "78.4%", "3x", "faster", "surpasses"]


@PROFILE
@given(st.lists(st.sampled_from(_SUBJECT_WORDS), min_size=1, max_size=20).map(" ".join))
@example("TundraDiff raises the score to improve 78.4%")
def test_verb_before_is_the_plain_one(sentence: str) -> None:
    sentence_tokens = tokens.tokenize(sentence, find_numbers(sentence), [])
    for index in range(len(sentence_tokens) + 1):
        assert attribution._verb_before(sentence_tokens, index) == _plain_verb_before(sentence_tokens, index)
    mention = Token("m", "generates\n", 7, 17)  # "$" matches before a final newline: a mention may end with one
    assert attribution._named_subject_verb([Token("w", "EchoVL", 0, 6), mention], 1) is True
    assert attribution._verb_before([Token("w", "EchoVL", 0, 6), mention, Token("w", "x", 18, 19)], 2) == 1


_BASE_PIECES = [
    "applied to", "Applied To", "APPLYING IT TO", "integrated with", "integrated into", "plugged into", "On top of",
    "implementing", "implementing it in", "inference time of", "training time of", "running time of", "latency of",
    "FLOPs of", "FLOP of", "flops of", "GFLOPs of", "computation of", "compute of", "Compute of", "cost of", "costs of",
    "throughput of", "results with", "when used with", "equipped", "equipped with", "enhanced with", "augmented with",
    "accelerates", "accelerating", "Accelerates", "speeds up", "speeding up", "speed up", "speedup", "acceleration",
    "e.g.", "e.g.,", "such as", "including", "like", "replacing", "replaces", "replace", "in", "by", "the", "The",
    "models", "VLMs", "LLMs", "backbones", "evaluated on", "DiT", "LLaMA-2", "Stable Diffusion", "ViT-B/16",
    "Diffusion Transformer (DiT)", "and", "or", ",", ";", "2.3x", "45%", "3", "up", "of", "\n", "  ", "İ", "ı", "é",
    "\u212a", "ſ", "7B",
]


@PROFILE
@given(st.lists(st.sampled_from(_BASE_PIECES), min_size=1, max_size=25), st.sampled_from([" ", "", "  "]))
@example(["accelerates", "DiT", "by", "2.3x"], " ")
@example(["speeds up", "e.g.", "DiT"], " ")
def test_base_matches_are_the_plain_patterns_matches(pieces: list[str], separator: str) -> None:
    sentence = separator.join(pieces)
    plain = [m.span() for pattern in (attribution._BASE_BEFORE, attribution._BASE_AFTER) for m in pattern.finditer(sentence)]
    assert [m.span() for m in attribution._base_matches(sentence)] == plain


def test_base_cues_hold_on_long_text() -> None:
    """One RE2 set over a long text still finds every way (its DFA may not give up)."""
    rng = random.Random(3)
    text = " ".join(rng.choice([p for p in _BASE_PIECES if p.isascii()]) for _ in range(40000))
    plain = [m.span() for pattern in (attribution._BASE_BEFORE, attribution._BASE_AFTER) for m in pattern.finditer(text)]
    assert [m.span() for m in attribution._base_matches(text)] == plain
    assert sorted(attribution._BASE_CUES.Match(text.lower().encode("ascii"))) == list(range(attribution._LIST_CUE_INDEX + 1))


def test_subjects_on_the_corpus_are_unchanged(abstracts: list[str]) -> None:
    """``subject_model`` with a lazy look at the capitalised words, against the same with them found first."""
    for abstract in abstracts[:200]:
        for sentence in split_sentences(abstract):
            sentence_tokens = tokens.tokenize(sentence.text, find_numbers(sentence.text), [])
            for index, token in enumerate(sentence_tokens):
                if token.kind == "n":
                    attribution._capitalised.cache_clear()
                    lazy = attribution.subject_model(sentence_tokens, index, abstract, "Fallback", {""}, {0})
                    attribution._capitalised(abstract)
                    eager = attribution.subject_model(sentence_tokens, index, abstract, "Fallback", {""}, {0})
                    assert lazy == eager


@given(st.sampled_from(["score", "bound", "delta"]), st.floats(allow_nan=False), st.none() | st.floats(allow_nan=False),
       st.sampled_from(["x", "percent", "point"]), st.sampled_from([None, "<", ">=", "up to", "~"]))
def test_normalized_is_the_dataclass_s(kind: str, value: float, value_max: float | None, unit: str, qualifier: str | None) -> None:
    fast = normalize._normalized(kind, value, value_max, unit, qualifier)
    plain = normalize.Normalized(kind, value, value_max, unit, qualifier)
    assert type(fast) is normalize.Normalized
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert list(vars(fast).items()) == list(vars(plain).items())
    assert pickle.loads(pickle.dumps(fast)) == plain
    with pytest.raises(AttributeError):
        fast.value = 0.0  # still frozen
