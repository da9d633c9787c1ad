"""The arXiv reader's shortcuts never change what it reads.

`iter_lines` reads blocks and cuts them at ``\\n`` itself, where it used to call
``readline`` per line; the plain version is kept here as `_plain_iter_lines`
and both are run on random files (bad bytes, ``\\r\\n``, long lines, parts) with
tiny blocks and a tiny `MAX_LINE_BYTES`. The JSON reader parses with the C
scanner of `json` and falls back to `json.loads` for anything else; `Entry` is
a named tuple; `Entry.paper` maps the abstract with fewer passes. Each is
checked against the plain form it replaces.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaderboard.errors import SourceError
from leaderboard.sources import _common as common
from leaderboard.sources import arxiv, read_papers
from leaderboard.sources._common import FilePart, Line, ReadReport, clean_title, display_path, problem

ROOT = Path(__file__).resolve().parents[1]
PROFILE = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                            HealthCheck.function_scoped_fixture])


# --------------------------------------------------------------------------- the plain line reader


def _plain_iter_lines(path: str | Path, *, report: ReadReport | None = None, part: FilePart | None = None) -> Iterator[Line]:
    """`iter_lines` as it was: one ``readline`` per line."""
    shown = display_path(path)
    offset = part.offset if part else 0
    position, stop = (part.start, part.end) if part else (0, None)
    with open(path, "rb") as handle:
        handle.seek(position)
        lines = iter(lambda: handle.readline(common.MAX_LINE_BYTES + 1), b"")
        for number, raw in enumerate(lines, start=part.line if part else 1):
            if stop is not None and position >= stop:
                break
            position += len(raw)
            if len(raw) > common.MAX_LINE_BYTES and not raw.endswith(b"\n"):
                length, ended = _plain_skip_line(handle, raw)
                position = handle.tell()
                problem(report, SourceError(
                    shown, f"a line longer than {common.MAX_LINE_BYTES >> 20} MiB (MAX_LINE_BYTES); skipped unread",
                    line=number, hint="an entry is a few KB; check how the file was made",
                ))
                yield Line(number, offset, "\n" if ended else "", True)
                offset += length
                continue
            text = raw.decode("utf-8", errors=common._ERROR_HANDLER)
            bad = common._SENTINEL in text
            if bad:
                text = text.replace(common._SENTINEL, "\ufffd")
                problem(report, SourceError(
                    shown, "bytes that are not UTF-8; an entry on this line is skipped",
                    line=number, hint="re-save the file as UTF-8",
                ))
            yield Line(number, offset, text, bad)
            offset += len(text)


def _plain_skip_line(handle: BinaryIO, head: bytes) -> tuple[int, bool]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors=common._ERROR_HANDLER)
    length, block = 0, head
    while block:
        length += len(decoder.decode(block))
        if block.endswith(b"\n"):
            break
        block = handle.readline(1 << 20)
    return length + len(decoder.decode(b"", final=True)), block.endswith(b"\n")


def _run(lines: Iterator[Line]) -> tuple[list[Line], str | None]:
    """The lines read, and the error that stopped the reading (with no report, a problem raises)."""
    seen: list[Line] = []
    try:
        for line in lines:
            seen.append(line)
    except SourceError as error:
        return seen, str(error)
    return seen, None


def _problems(report: ReadReport) -> list[str]:
    return [str(error) for error in report.problems]


PIECES = [b"a", b"b", b" ", b"\n", b"\n", b"\n", b"\r", b"\r\n", b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80",
          b"\xff", b"\xc3", b"\xe2\x82", b"\xf0\x9f", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\x80", b"{", b'"', b"\x00"]
FILES = st.lists(st.sampled_from(PIECES), max_size=60).map(b"".join)


def _parts(data: bytes, draw_start: int, draw_end: int) -> FilePart:
    """A part starting at a line start, ending anywhere: the shape `workplan` cuts (lines that start before the end)."""
    starts = [0] + [index + 1 for index, byte in enumerate(data) if byte == 0x0A]
    index = draw_start % len(starts)
    start = starts[index]
    end = start + draw_end % (len(data) - start + 2)
    return FilePart(start, end, index + 1, len(data[:start].decode("utf-8", errors="replace")))


@PROFILE
@given(data=FILES, block=st.sampled_from([1, 2, 3, 5, 8, 64, 1 << 15]), limit=st.sampled_from([1, 2, 3, 4, 7, 16, 4 << 20]),
       use_part=st.booleans(), draw_start=st.integers(0, 100), draw_end=st.integers(0, 200), with_report=st.booleans())
def test_iter_lines_is_the_plain_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, block: int, limit: int,
                                     use_part: bool, draw_start: int, draw_end: int, with_report: bool) -> None:
    monkeypatch.setattr(common, "_BLOCK", block)
    monkeypatch.setattr(common, "MAX_LINE_BYTES", limit)
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    part = _parts(data, draw_start, draw_end) if use_part else None
    reports = [ReadReport(), ReadReport(), ReadReport()] if with_report else [None, None, None]
    plain = _run(_plain_iter_lines(path, report=reports[0], part=part))
    assert _run(common.iter_lines(path, report=reports[1], part=part)) == plain
    lines, error = _run(common.iter_lines(path, report=reports[2], part=part, ends=False))
    assert (lines, error) == ([line._replace(text=line.content) for line in plain[0]], plain[1])
    if with_report:
        assert _problems(reports[1]) == _problems(reports[2]) == _problems(reports[0])


def test_iter_lines_on_the_sources_and_a_long_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted((ROOT / "tests" / "data" / "sources").iterdir()) + sorted((ROOT / "corpus").glob("*.txt"))
    files += sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    long = tmp_path / "long.jsonl"
    long.write_bytes(b"first\n" + ("\u00e9" * 70_000).encode() + b"\xff\n" + b"x" * 200_000 + b"\r\nlast")
    files.append(long)
    monkeypatch.setattr(common, "MAX_LINE_BYTES", 100_000)
    for path in files:
        plain_report, report = ReadReport(), ReadReport()
        plain = list(_plain_iter_lines(path, report=plain_report))
        assert list(common.iter_lines(path, report=report)) == plain, path
        assert _problems(report) == _problems(plain_report)
    assert len(files) > 10


# --------------------------------------------------------------------------- the plain JSON-lines reader


def _plain_read_entries(path: Path, report: ReadReport | None, part: FilePart | None = None) -> Iterator[tuple]:
    """`arxiv.read_entries` as it was, over the plain line reader: the fields of each entry."""
    shown = display_path(path)
    for line in _plain_iter_lines(path, report=report, part=part):
        text, offset = line.content, line.offset
        if line.number == 1 and text.startswith("\ufeff"):
            text, offset = text[1:], offset + 1
        if not text.strip() or line.bad:
            continue
        try:
            yield _plain_entry(text, offset, shown, line.number)
        except SourceError as error:
            problem(report, error)


def _plain_entry(text: str, offset: int, shown: str, number: int) -> tuple:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(shown, f"not valid JSON ({error.msg}, column {error.colno})", line=number,
                          hint="each line must be one JSON object") from None
    if not isinstance(record, dict):
        raise SourceError(shown, "not a JSON object", line=number, hint="each line must be one JSON object")
    for key in ("title", "abstract"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise SourceError(shown, f"no {key!r}", line=number, hint=f"add a non-empty string {key!r}")
    arxiv_id = record.get("id")
    return (clean_title(record["title"]), record["abstract"].strip(),
            arxiv._VERSION.sub("", arxiv_id) if isinstance(arxiv_id, str) and arxiv_id else None,
            record, text, offset, shown, number)


def _outcome(call):
    """What a call gives: its value (typed, so that 1 and 1.0 differ) or its error."""
    try:
        value = call()
    except (ValueError, SourceError, RecursionError) as error:
        return type(error).__name__, str(error)
    return "value", repr(value), type(value).__name__


def _papers(entries: list) -> list:
    """Each entry's `Paper` as JSON, or the error it gives."""
    return [_outcome(lambda: arxiv.Entry(*entry).paper().model_dump_json()) for entry in entries]


def _compare_reads(path: Path, part: FilePart | None = None) -> None:
    plain_report, report = ReadReport(), ReadReport()
    plain = list(_plain_read_entries(path, plain_report, part))
    entries = list(arxiv.read_entries(path, report=report, part=part))
    assert all(isinstance(entry, arxiv.Entry) for entry in entries)
    assert [tuple(entry) for entry in entries] == plain
    assert _problems(report) == _problems(plain_report)
    assert _papers(entries) == _papers(plain)


JSON_PIECES = ['{', '}', '[', ']', ',', ':', ' ', '\t', '\r', '\ufeff', '"title"', '"abstract"', '"id"', '"authors"',
               '"authors_parsed"', '"update_date"', '"x y"', '" "', '"\\n"', '"\\u00e9"', '"\\ud83d\\ude00"', '"\\ud800"',
               '"\\"abstract\\""', '1', '-0', '1.5', '1e400', '123456789012345678901', 'NaN', '-Infinity', 'true',
               'null', '"v2"', '"2401.00001v3"', '"é"', '\u2028', '\x0c', '"\\x"', '"\x01"', '"\udcff"']  # \udcff: a bad byte
JSON_TEXTS = st.lists(st.sampled_from(JSON_PIECES), max_size=30).map("".join)
RECORDS = st.fixed_dictionaries({}, optional={
    "id": st.sampled_from(["2401.00001v2", "", "x\nv1", "v12", 7]),
    "title": st.text(st.sampled_from(list("ab \t\n\ufeff\u00a0\u2028é")), max_size=6) | st.integers(),
    "abstract": st.text(st.sampled_from(list('ab \n\t"\\/é😀\u2028\x85')), max_size=12),
    "authors": st.sampled_from(["A, B and C", " ", "Solo", ", and X,"]),
    "authors_parsed": st.sampled_from([[], [["A", "B", ""]], "x"]),
    "update_date": st.sampled_from(["2024-01-01", None, 3]),
    "n": st.sampled_from([1, 1.5, -0.0, 2**70, None, [[]]]),
})


@PROFILE
@given(JSON_TEXTS)
def test_loads_is_json_loads(text: str) -> None:
    assert _outcome(lambda: arxiv._loads(text)) == _outcome(lambda: json.loads(text))


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "{\"a\": " * 3000 + "1" + "}" * 3000, "[1] x", " [1]", "[1] "])
def test_loads_raises_as_json_loads(text: str) -> None:
    assert _outcome(lambda: arxiv._loads(text)) == _outcome(lambda: json.loads(text))


@PROFILE
@given(texts=st.lists(JSON_TEXTS | RECORDS.map(json.dumps) | RECORDS.map(lambda r: json.dumps(r, ensure_ascii=False)),
                      max_size=6),
       newline=st.sampled_from(["\n", "\r\n"]), bom=st.booleans())
def test_read_entries_is_the_plain_one(tmp_path: Path, texts: list[str], newline: str, bom: bool) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(("\ufeff" * bom + newline.join(texts)).encode("utf-8", errors="surrogateescape"))
    _compare_reads(path)


def test_read_entries_on_the_corpus_and_the_seeds(tmp_path: Path) -> None:
    """Every paper of the corpus and the seeds, as arXiv JSON lines (escaped and not), read both ways, whole and in parts."""
    papers = list(read_papers([ROOT / "corpus", ROOT.parent / "shared" / "seeds"]))
    assert len(papers) > 500
    path = tmp_path / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for index, paper in enumerate(papers):
            record = {"id": f"2401.{index:05d}v2", "title": paper.title, "abstract": f"  {paper.abstract}\n",
                      "authors": "A. One, B. Two and C. Three"}
            handle.write(json.dumps(record, ensure_ascii=index % 2 == 0) + "\n")
    _compare_reads(path)
    _compare_reads(ROOT / "tests" / "data" / "sources" / "arxiv.jsonl")
    data = path.read_bytes()
    middle = data.index(b"\n", len(data) // 2) + 1
    lines = data[:middle].count(b"\n")
    _compare_reads(path, FilePart(middle, len(data) - 1000, lines + 1, len(data[:middle].decode("utf-8"))))


def test_isspace_is_a_blank_strip() -> None:
    """``not text or text.isspace()`` stands for ``not text.strip()``: the same whitespace, code point by code point."""
    for code in range(0x110000):
        char = chr(code)
        assert char.isspace() == (not char.strip()), hex(code)
