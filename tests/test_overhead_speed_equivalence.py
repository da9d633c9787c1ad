"""The shortcuts in what every paper pays never change what a run finds or reports.

`engine.has_digit` writes its ten substring searches out; `clean_title` returns
a title that needs no cleaning as it is; the arXiv reader strips a version only
from an id that holds a ``v``, and `arxiv._top_level` tests brackets without a
generator; `worker.fingerprint` is an int (the CRC-32 and the length that were
its 8 bytes), which the spill keeps as given; ``leaderboard.cli`` no longer
imports rich. Each is checked against the plain form it replaces, kept here.
(`worker.extract_unit`'s loop is held to the plain loop by
``test_worker_speed_equivalence.py``.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaderboard import pipeline, worker
from leaderboard.errors import SourceError
from leaderboard.extract import engine
from leaderboard.model import normalize_title
from leaderboard.sources import ReadReport, arxiv
from leaderboard.sources._common import clean_title
from leaderboard.spill import Spill

PROFILE = settings(max_examples=500, deadline=None)

#: Characters that make the shortcuts' edge cases: every kind of whitespace, BOM, digits of other scripts.
_TRICKY = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2003\ufeff\x00\x7f0123456789٣２AbCvV-.{}[]\\\"é"
_TEXT = st.text(alphabet=st.sampled_from(_TRICKY) | st.characters(), max_size=40)
_ASCII_TEXT = st.text(alphabet=st.characters(max_codepoint=127), max_size=40)


# --------------------------------------------------------------------------- has_digit


def _plain_has_digit(text: str) -> bool:
    """`engine.has_digit` as it was."""
    if text.isascii():
        return any(digit in text for digit in "0123456789")
    return re.search(r"\d", text) is not None


@PROFILE
@given(_TEXT | _ASCII_TEXT)
def test_has_digit_is_the_plain_search(text: str) -> None:
    assert engine.has_digit(text) == _plain_has_digit(text)


@pytest.mark.parametrize("digit", "0123456789")
def test_has_digit_finds_every_ascii_digit(digit: str) -> None:
    assert engine.has_digit(f"no numbers but {digit} here") and not engine.has_digit("no numbers here")


# --------------------------------------------------------------------------- clean_title


def _plain_clean_title(title: str) -> str:
    """`clean_title` as it was."""
    return " ".join(title.replace("\ufeff", " ").split())


@PROFILE
@given(_TEXT | _ASCII_TEXT)
def test_clean_title_is_the_plain_split(title: str) -> None:
    assert clean_title(title) == _plain_clean_title(title)


@pytest.mark.parametrize(
    "title",
    ["", " ", "A  B", " A", "A ", "A\tB", "A\x1cB", "A\x1fB", "A\x0bB", "A\nB", "A\ufeffB", "A\x85B", "Plain Title"],
)
def test_clean_title_on_each_kind_of_space(title: str) -> None:
    assert clean_title(title) == _plain_clean_title(title)


# --------------------------------------------------------------------------- the arXiv reader


_IDS = st.one_of(
    st.text(alphabet=st.sampled_from("0123456789.v\n V٣x/"), max_size=14),
    st.sampled_from(["2401.00001", "2401.00001v2", "2401.00001v", "v1", "v", "2401.00001v2\n", "hep-th/9901001v1"]),
    st.integers(), st.none(), st.lists(st.integers(), max_size=2),
)


@PROFILE
@given(_IDS)
def test_version_is_stripped_as_by_the_plain_substitution(arxiv_id: object) -> None:
    line = json.dumps({"id": arxiv_id, "title": "A title", "abstract": "An abstract."})
    plain = re.sub(r"v\d+$", "", arxiv_id) if isinstance(arxiv_id, str) and arxiv_id else None
    assert arxiv._entry(line, 0, "f.jsonl", 1).arxiv_id == plain


def _plain_top_level(before: str) -> bool:
    """`arxiv._top_level` as it was."""
    if before.count("{") == 1 and not any(bracket in before for bracket in "}[]"):
        return True
    bare = arxiv._STRING.sub("", before)
    return bare.count("{") + bare.count("[") - bare.count("}") - bare.count("]") == 1


@PROFILE
@given(st.text(alphabet=st.sampled_from('{}[]"\\a: ,'), max_size=30))
def test_top_level_is_the_plain_test(before: str) -> None:
    assert arxiv._top_level(before) == _plain_top_level(before)


# --------------------------------------------------------------------------- fingerprint


_LOWER = bytes(range(256)).lower()
_NOT_ALNUM = bytes(code for code in range(128) if not chr(code).isalnum())


def _plain_fingerprint(key: str, abstract: str) -> bytes:
    """`worker.fingerprint` as it was: the CRC-32 and the length, as 8 bytes."""
    if abstract.isascii():
        letters = abstract.encode("ascii").translate(_LOWER, _NOT_ALNUM)
    else:
        letters = normalize_title(abstract).replace(" ", "").encode("utf-8", "surrogatepass")
    checksum = zlib.crc32(letters, zlib.crc32(key.encode("utf-8", "surrogatepass") + b"\0"))
    return checksum.to_bytes(4, "little") + (len(letters) & 0xFFFFFFFF).to_bytes(4, "little")


def _as_int(plain: bytes) -> int:
    return int.from_bytes(plain[:4], "little") | (int.from_bytes(plain[4:], "little") & 0x7FFFFFFF) << 32


@PROFILE
@given(st.text(max_size=12), _TEXT | _ASCII_TEXT, st.text(max_size=12), _TEXT | _ASCII_TEXT)
def test_fingerprint_holds_the_plain_checksum_and_length(key: str, abstract: str, other_key: str, other: str) -> None:
    found = worker.fingerprint(key, abstract)
    assert isinstance(found, int) and 0 <= found < 1 << 63
    assert found == _as_int(_plain_fingerprint(key, abstract))
    # so two readings differ exactly when they did (the length is far below 2**31)
    same = worker.fingerprint(key, abstract) == worker.fingerprint(other_key, other)
    assert same == (_plain_fingerprint(key, abstract) == _plain_fingerprint(other_key, other))


def test_fingerprint_keeps_the_length_beside_the_checksum() -> None:
    assert worker.fingerprint("k", "ab") >> 32 == 2 and worker.fingerprint("k", "a-b c") >> 32 == 3


_READINGS = st.lists(
    st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from(["x", "y", "X  y"]), st.booleans()), max_size=8),
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(_READINGS)
def test_the_merge_reports_as_with_the_plain_fingerprints(units: list[list[tuple[str, str, bool]]]) -> None:
    """Int fingerprints in the spill report the same ids, at the same places, as the 8-byte ones."""
    fast, plain = Spill(), Spill()
    try:
        for number, readings in enumerate(units):
            results = []
            for make in (worker.fingerprint, _plain_fingerprint):
                result = worker.UnitResult(number, ReadReport())
                for line, (arxiv_id, abstract, problem_before) in enumerate(readings, start=1):
                    if problem_before:
                        result.report.problems.append(SourceError(f"u{number}", "a bad line", line=line))
                    result.arxiv_ids.append((arxiv_id, make("key", abstract), f"u{number}", line))
                    result.arxiv_places.append(len(result.report.problems))
                results.append(result)
            said = [[str(p) for p in pipeline._with_duplicates(result, spill)]
                    for result, spill in zip(results, (fast, plain))]
            assert said[0] == said[1]
    finally:
        fast.close()
        plain.close()


def test_the_spill_gives_fingerprints_back_as_they_came() -> None:
    spill = Spill()
    try:
        spill.first_readings([("1", 5 << 32 | 7, "f", 1), ("2", b"bytes", "f", 2)])
        assert spill._db.execute("SELECT digest FROM arxiv ORDER BY id").fetchall() == [(5 << 32 | 7,), (b"bytes",)]
        assert spill.first_readings([("1", 5 << 32 | 7, "g", 1), ("1", 6, "g", 2)]) == [None, ("f", 1)]
    finally:
        spill.close()


# --------------------------------------------------------------------------- startup


def test_the_cli_imports_rich_only_for_the_papers_table() -> None:
    code = "import sys, leaderboard.cli; print('rich.console' in sys.modules, 'rich.table' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
