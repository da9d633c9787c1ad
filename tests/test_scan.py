"""The one-pass keyword scan of an abstract gives each sentence the mentions a scan of that sentence gives.

`Vocabulary.scan` finds every mention of a whole abstract at once and hands
them to sentences by offset; `Vocabulary.mentions` and `any_mention` on each
sentence are the reference it must equal, on the corpus and on text made to
test the edges (names at sentence ends, successors, compounds, patterns).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaderboard.extract.sentences import split_sentences
from leaderboard.extract.vocab import Vocabulary
from leaderboard.rulebook import load_rules
from leaderboard.sources import read_papers
from leaderboard.model import _normalize_ascii, _normalize_unicode
from leaderboard.model import normalize_title

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules(ROOT / "rules")
VOCABULARY = Vocabulary(RULES)
WITH_PATTERN = Vocabulary([
    dataclasses.replace(RULES[0], rule=RULES[0].rule.model_copy(update={"patterns": [r"Zeta-?Bench \d+", r"(?i)zz top"]})),
    *RULES[1:],
])


def per_sentence(vocabulary: Vocabulary, text: str) -> list:
    return [vocabulary.mentions(s.text) if vocabulary.any_mention(s.text) else None for s in split_sentences(text)]


def by_scan(vocabulary: Vocabulary, text: str) -> list:
    scan = vocabulary.scan(text)
    return [None if scan is None else scan.sentence(s.start, s.end) for s in split_sentences(text)]


@pytest.fixture(scope="module")
def abstracts() -> list[str]:
    return [paper.abstract for paper in read_papers([ROOT / "corpus"])]


def test_scan_equals_sentence_by_sentence_on_the_corpus(abstracts: list[str]) -> None:
    for text in abstracts:
        assert by_scan(VOCABULARY, text) == per_sentence(VOCABULARY, text)
        assert by_scan(WITH_PATTERN, text) == per_sentence(WITH_PATTERN, text)


PIECES = ["FID", "OCRBench", "OCRBench v2", "GenEval", "MP-DocVQA", "DocVQA", "ImageNet-256", "ImageNet 256×256",
          "ChartQA", "FLOPs", "speedup", "faster", "Zeta-Bench 3", "zz top", "Pro", "v2", "++", "-", "e.g.", "1.46",
          "78.4%", "(", ")", ",", ";", "é", "café", "\n\n", "\n", " ", "  ", ". ", "? ", "! ", ".\" ", "X"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_scan_equals_sentence_by_sentence_on_made_up_text(pieces: list[str]) -> None:
    text = " ".join(pieces)
    assert by_scan(VOCABULARY, text) == per_sentence(VOCABULARY, text)
    assert by_scan(WITH_PATTERN, text) == per_sentence(WITH_PATTERN, text)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_the_fast_key_is_normalize_title(text: str) -> None:
    assert _normalize_ascii(text) == _normalize_unicode(text) == normalize_title(text)


def test_the_fast_key_on_the_corpus(abstracts: list[str]) -> None:
    for paper in read_papers([ROOT / "corpus"]):
        for text in (paper.title, paper.abstract):
            if text.isascii():
                assert _normalize_ascii(text) == _normalize_unicode(text)
