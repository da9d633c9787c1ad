"""The keyword pass's shortcuts find the hits the plain forms they replace find.

`Vocabulary` asks RE2's binding for each hit's span instead of going through the `re2` module's
match objects (`_finder_spans`, `_group_spans`); it compiles its ASCII-only finder for Latin-1
where every spelling allows; and it scans a non-ASCII abstract as UTF-8 bytes once, turning byte
offsets into character offsets itself (`_character_spans`) instead of letting the module convert
the whole text at every search. Each test puts one shortcut next to its plain form: the finder
compiled for UTF-8 and its ``finditer``, and `vocabkit.matcher_spans` of the ``str`` matcher.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import re2
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vocabkit import matcher_spans
from leaderboard.extract import vocab
from leaderboard.rulebook import load_rules
from leaderboard.sources import read_papers

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
VOCABULARY = vocab.Vocabulary(load_rules(ROOT / "rules"))
PROFILE = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_SPELLINGS = sorted(VOCABULARY._entries, key=lambda word: (-len(word), word))
_ALTERNATION = "|".join(vocab._literal(word) for word in _SPELLINGS)
#: The finder as it was compiled before: UTF-8, searched with the module's ``finditer``.
_UTF8_FINDER = re2.compile(rf"(?i)\b(?:{_ALTERNATION})\b".encode("utf-8"), vocab._OPTIONS)
_ASCII_PIECES = [
    " ", "  ", "-", "--", "MP-", "x-", "9-", "_", ".", ",", "(", ")", "\n", "\t", "\v", "\f", "\r", "/", "'", "+",
    " v2", "-V3", " Pro", "Plus", " II", " 2.0", "++", "a", "Z", "0", "s", "k", "K", "e.g.", "Fig.", "of 1.46",
]  # fmt: skip
_OTHER_PIECES = ["é", "É", "ſ", "\u212a", "\u212b", "×", "\xa0", "\u2009", "–", "−", "ß", "ﬁ", "日本", "🙂", "İ", "ı"]


@st.composite
def _texts(draw: st.DrawFn, pieces: list[str]) -> str:
    """Text made of the rules' spellings (case and separators varied) and the characters around them."""
    items = []
    for _ in range(draw(st.integers(0, 25))):
        if draw(st.booleans()):
            word = draw(st.sampled_from(_SPELLINGS))
            word = "".join(c.upper() if draw(st.booleans()) else c for c in word)
            items.append(word.replace(" ", draw(st.sampled_from([" ", "-", "", "  ", "\t", "\n", "\v", "_"]))))
        else:
            items.append(draw(st.sampled_from(pieces)))
    return draw(st.sampled_from(["", " ", "-"])).join(items)


#: The few non-ASCII letters of the rules' spellings, by the ASCII letters written in their place.
_ASCII_LOOKALIKES = str.maketrans({"é": "e", "É": "E", "×": "x"})
ASCII_TEXT = _texts(_ASCII_PIECES).map(lambda text: text.translate(_ASCII_LOOKALIKES))
ANY_TEXT = _texts(_ASCII_PIECES + _OTHER_PIECES)


def _corpus_abstracts() -> list[str]:
    """The abstracts of the sample corpus and of the seeds, as the package reads them."""
    papers = list(read_papers([ROOT / "corpus"]))
    if SEEDS.is_dir():
        papers += list(read_papers([SEEDS]))
    assert papers
    return [paper.abstract for paper in papers]


CORPUS = _corpus_abstracts()


def _plain_finder_spans(subject: bytes) -> list[tuple[int, int]]:
    return [match.span() for match in _UTF8_FINDER.finditer(subject)]


def _plain_spans(text: str) -> list[tuple[int, int]]:
    """The hits as the ``str`` matcher finds them, through the `re2` module (the plain form of every path)."""
    return list(matcher_spans(VOCABULARY._matcher, text))


def _scan_spans(vocabulary: vocab.Vocabulary, text: str) -> list[tuple[int, int]]:
    hits: list[int] = []
    kept: list = []
    vocabulary._scan_words(text, hits, kept)
    return [(start, end) for start, (end, _) in zip(hits, kept)]


def test_the_rules_get_the_latin1_finder() -> None:
    # the rules hold "fréchet" and "256×256": Latin-1, not ASCII
    assert not all(word.isascii() for word in _SPELLINGS)
    assert VOCABULARY._finder is not None
    assert VOCABULARY._finder.options.encoding == re2.Options.Encoding.LATIN1


@PROFILE
@given(ASCII_TEXT)
@example("DocVQA DocVQA,DocVQA-DocVQA FID\vscore")
@example("Frechet Inception Distance and FRECHET-inception distance; ImageNet 256x256, imagenet 256 x 256")
def test_the_finder_spans_are_those_of_the_utf8_finditer(text: str) -> None:
    subject = text.encode("ascii")
    spans = vocab._finder_spans(VOCABULARY._finder_search, subject)
    assert spans == _plain_finder_spans(subject)
    assert _scan_spans(VOCABULARY, text) == spans == _plain_spans(text)


def test_no_latin1_letter_matches_ascii_under_case_folding() -> None:
    """The argument of `_compile_finder`: in UTF-8 mode, (?i) joins ASCII to U+212A and U+017F only."""
    ascii_characters = [chr(code) for code in range(128)]
    latin1 = re2.compile(r"(?i)[\x{80}-\x{ff}]")
    assert [c for c in ascii_characters if latin1.search(c)] == []
    beyond = re2.compile(r"(?i)[\x{80}-\x{10ffff}]")
    assert [c for c in ascii_characters if beyond.search(c)] == ["K", "S", "k", "s"]


def test_a_spelling_outside_latin1_keeps_the_utf8_finder() -> None:
    cases = [("ſpeedup", b"a 4x SPEEDUP"), ("\u212aID", b"kid of 2"), ("fid \u2192 speed", b"FID -speed")]
    for spelling, text in cases:
        finder = vocab._compile_finder(vocab._literal(spelling))
        assert finder.options.encoding == re2.Options.Encoding.UTF8
        utf8 = re2.compile(rf"(?i)\b(?:{vocab._literal(spelling)})\b".encode("utf-8"), vocab._OPTIONS)
        found = vocab._finder_spans(vocab._binding_search(finder), text)
        assert found == [match.span() for match in utf8.finditer(text)]
    assert vocab._finder_spans(vocab._binding_search(vocab._compile_finder("ſpeedup")), b"SPEEDUP") == [(0, 7)]


def test_a_latin1_spelling_gets_the_latin1_finder() -> None:
    finder = vocab._compile_finder(vocab._literal("fréchet 256×256"))
    assert finder.options.encoding == re2.Options.Encoding.LATIN1
    assert vocab._finder_spans(vocab._binding_search(finder), b"frechet 256x256") == []


@PROFILE
@given(ANY_TEXT)
@example("é FID ſcore × ImageNet 256×256 \u212aID\xa0FID")
@example("speedupſ x ſpeedup fréchet inception distance FRÉCHET INCEPTION DISTANCE")
def test_a_non_ascii_text_gets_the_hits_of_the_str_matcher(text: str) -> None:
    encoded = text.encode("utf-8")
    found = vocab._character_spans(encoded, vocab._group_spans(VOCABULARY._bytes_search, encoded))
    assert found == _plain_spans(text)
    assert _scan_spans(VOCABULARY, text) == found


@PROFILE
@given(ASCII_TEXT)
def test_the_group_spans_are_those_of_the_module_search(text: str) -> None:
    subject = text.encode("ascii")
    assert vocab._group_spans(VOCABULARY._bytes_search, subject) == list(
        matcher_spans(VOCABULARY._bytes_matcher, subject)
    ) == _plain_spans(text)


@given(st.text(string.printable + "éſ\u212a×", max_size=40), st.integers(0, 45))
@settings(max_examples=300, deadline=None)
def test_character_spans_count_characters(text: str, cut: int) -> None:
    encoded = text.encode("utf-8")
    spans = [(m.start(), m.end()) for m in re2.finditer(r"\w+|[^\w\s]", text[cut:])]
    spans = [(a + cut, b + cut) for a, b in spans]
    as_bytes = [(len(text[:a].encode("utf-8")), len(text[:b].encode("utf-8"))) for a, b in spans]
    assert vocab._character_spans(encoded, as_bytes) == spans


def test_the_module_search_answers_as_the_binding() -> None:
    for regexp in (VOCABULARY._finder, VOCABULARY._bytes_matcher):
        binding, module = regexp._regexp.Match, vocab._module_search.__get__(regexp)
        for subject in (b"", b"no words here", b"an FID of 2.1 on ImageNet 256x256", b"MP-DocVQA, OCRBench v2"):
            for pos in range(0, len(subject) + 1, 3):
                assert module(vocab._UNANCHORED, subject, pos, len(subject)) == binding(
                    vocab._UNANCHORED, subject, pos, len(subject)
                )


def test_without_the_binding_the_module_gives_the_same_scans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocab, "_binding_search", lambda regexp: vocab.partial(vocab._module_search, regexp))
    plain = vocab.Vocabulary(load_rules(ROOT / "rules"))
    assert not isinstance(plain._finder_search, type(VOCABULARY._finder_search))
    for text in CORPUS:
        assert _scan_spans(plain, text) == _scan_spans(VOCABULARY, text)


def test_the_corpus_gets_the_hits_of_the_str_matcher() -> None:
    assert any(not text.isascii() for text in CORPUS)
    selected = 0
    for text in CORPUS:
        spans = _plain_spans(text)
        assert _scan_spans(VOCABULARY, text) == spans
        if text.isascii():
            assert _plain_finder_spans(text.encode("ascii")) == spans
        scan = VOCABULARY.scan(text)
        assert (scan is None) == (not spans)
        selected += scan is not None
    assert selected


def test_corpus_splices_get_the_hits_of_the_str_matcher() -> None:
    """Abstracts cut and glued at every 97th character, with non-ASCII characters at the seams."""
    for index, text in enumerate(CORPUS):
        other = CORPUS[(index + 1) % len(CORPUS)]
        for cut in range(0, len(text), 97):
            for glue in ("", "é", "\u212a", "-", " "):
                spliced = text[:cut] + glue + other[cut // 2 :]
                assert _scan_spans(VOCABULARY, spliced) == _plain_spans(spliced)
