"""The shortcuts of the keyword scan, the sentence splitter and the number finder never change a result.

`Vocabulary` finds the hits of an ASCII abstract with a groupless, word-bounded finder in one
pass instead of one search per hit, skips the version-marker pattern where it cannot match, and
builds its mentions presorted; `split_sentences` tells most plain words from abbreviations by
their last two letters; `find_numbers` looks for ASCII digits in ASCII text. The frozen records
(`Sentence`, `Mention`, `Number`) are made by filling their ``__dict__``. Each test checks one
shortcut against what it stands for.
"""

from __future__ import annotations

import dataclasses
import string
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vocabkit import matcher_spans
from leaderboard.extract import numbers, sentences, vocab
from leaderboard.rulebook import load_rules

ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = vocab.Vocabulary(load_rules(ROOT / "rules"))
PROFILE = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: For the tests on made-up abstracts, slower to draw.
TEXT_PROFILE = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_WORDS = sorted(VOCABULARY._entries)
_PIECES = [
    " ", "  ", "-", "MP-", "x-", "9-", "_", ".", ",", "(", ")", "\n", " v2", "-V3", " Pro", "Plus", " II", " 2.0", "++",
    "a", "Z", "0", "é", "ſ", "\u212a", "e.g.", "Fig.", "al.", "A.", "U.S.", "approx.", "etc.", "w.r.t.", "1st.", "data.",
]  # fmt: skip


@st.composite
def _texts(draw: st.DrawFn) -> str:
    """Text made of the rules' spellings (case and separators varied) and the characters around them."""
    items = []
    for _ in range(draw(st.integers(0, 25))):
        if draw(st.booleans()):
            word = draw(st.sampled_from(_WORDS))
            word = "".join(c.upper() if draw(st.booleans()) else c for c in word)
            items.append(word.replace(" ", draw(st.sampled_from([" ", "-", "", "  "]))))
        else:
            items.append(draw(st.sampled_from(_PIECES)))
    return draw(st.sampled_from(["", " "])).join(items)


TEXT = _texts()


@TEXT_PROFILE
@given(TEXT)
@example("DocVQA DocVQA,DocVQA-DocVQA")
@example("MP-DocVQA and OCRBench v2 and OCRBench")
def test_the_finder_gives_the_hits_of_the_search_loop(text: str) -> None:
    if VOCABULARY._finder is None or not text.isascii():
        return
    subject = text.encode("ascii")
    found = [match.span() for match in VOCABULARY._finder.finditer(subject)]
    assert found == list(matcher_spans(VOCABULARY._matcher, text))


@TEXT_PROFILE
@given(TEXT)
@example("OCRBench v2 OCRBench-Pro OCRBench II OCRBench++ OCRBench 2.0")
def test_a_successor_is_never_skipped(text: str) -> None:
    for end in range(len(text) + 1):
        if vocab._SUCCESSOR.match(text, end):
            assert vocab._may_succeed(text, end), (text, end)


def test_entries_are_sorted_as_mentions_are() -> None:
    for entries in VOCABULARY._entries.values():
        assert list(entries) == sorted(entries, key=vocab._entry_order)


def _walk_back(text: str, start: int, period: int) -> bool:
    """The plain test: the run of letters and periods before ``period``, stripped, is an abbreviation or initial."""
    begin = period
    while begin > start and text[begin - 1] in sentences._WORD_CHARS:
        begin -= 1
    word = text[begin : period + 1].strip(".").lower()
    return bool(word) and (word in sentences._ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


def test_plain_endings_are_no_abbreviation() -> None:
    for ending in sentences._PLAIN_ENDINGS:
        for before in ["", " ", "x", "e.", "..", "(", "appro", "et", "w.r."]:
            text = f"{before}{ending}. Next"
            period = len(before) + 2
            assert not _walk_back(text, 0, period), text
            assert not sentences._is_abbreviation(text, 0, period), text


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(string.ascii_letters + ". ,(")), max_size=12), st.integers(0, 16))
@example("e.g", 0)
@example("Fig", 4)
@example("..vs", 0)
def test_is_abbreviation_is_the_walk_back(word: str, start: int) -> None:
    text = f"Say {word}. Next"
    period = 4 + len(word)
    start = min(start, period)
    assert sentences._is_abbreviation(text, start, period) == _walk_back(text, start, period)


@PROFILE
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_patterns_are_the_unicode_ones_on_ascii_text(text: str) -> None:
    assert [m.span() for m in numbers._DIGIT_RUN_ASCII.finditer(text)] == [m.span() for m in numbers._DIGIT_RUN.finditer(text)]
    assert [m.span() for m in numbers._RESOLUTION_HINT_ASCII.finditer(text)] == [
        m.span() for m in numbers._RESOLUTION_HINT.finditer(text)
    ]


def _same(made: object, built: object) -> None:
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert type(made) is type(built) and list(vars(made).items()) == list(vars(built).items())
    assert dataclasses.astuple(made) == dataclasses.astuple(built)


def test_fast_records_are_the_dataclasses() -> None:
    _same(sentences._sentence("A b.", 3, 7), sentences.Sentence("A b.", 3, 7))
    entry = vocab._Entry("fid", "metric", "FID", "ctx")
    _same(vocab._mention(1, 4, "FID", entry), vocab.Mention(1, 4, "FID", "fid", "metric", "FID", "ctx"))
    _same(numbers._number(0, 3, "78%", 78.0, None, "percent"), numbers.Number(0, 3, "78%", 78.0, None, "percent"))
    _same(
        numbers._number(0, 3, "1-2", 1.0, 2.0, "number", "~", True, True),
        numbers.Number(0, 3, "1-2", 1.0, 2.0, "number", "~", True, True),
    )
