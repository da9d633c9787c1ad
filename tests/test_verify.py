"""Verify: intact records pass; edited values, changed sources and moved spans are named.

Quotes are decoded text, spans are offsets into the raw file: the sources with
escapes (JSON lines, Atom entities) are built for real and must verify, and an
edit inside a span must still be caught.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from recordkit import SOURCE_A, TEXT_A, sample_records, write_sources

from leaderboard.build import build
from leaderboard.cli import main
from leaderboard.errors import LocatedError, VerifyError
from leaderboard.records_io import dump_records, read_records
from leaderboard.verify import verify

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_sources(tmp_path)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "records.jsonl").write_text(dump_records(sample_records()), encoding="utf-8")
    return tmp_path


RECORDS = Path("reports/records.jsonl")


def edit_line(path: Path, record_id: str, change) -> int:
    """Apply ``change`` to the JSON of one record; return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        data = json.loads(line)
        if data["id"] == record_id:
            change(data)
            lines[number - 1] = json.dumps(data, ensure_ascii=False)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return number
    raise AssertionError(record_id)


def find(reported: str):
    return next(record for record in sample_records() if record.reported == reported and record.provenance.source == SOURCE_A)


def test_intact_records_verify(workdir: Path) -> None:
    assert verify(RECORDS) == []


def test_an_edited_value_is_caught_and_names_the_record(workdir: Path) -> None:
    target = find("78.4%")
    line = edit_line(RECORDS, target.id, lambda data: data.update(value=800.0))
    [mismatch] = verify(RECORDS)
    assert (mismatch.line, mismatch.record_id, mismatch.paper, mismatch.source) == (
        line, target.id, "Reading Documents at Scale", SOURCE_A
    )
    assert "fields no longer match the id" in mismatch.problem
    assert str(mismatch).startswith(f"record {target.id} ('Reading Documents at Scale', {SOURCE_A}): ")


def test_a_changed_source_byte_is_caught_for_every_record_of_that_source(workdir: Path) -> None:
    position = TEXT_A.index("78.4%") + 1  # "8" -> "9" inside a reported number
    data = bytearray((workdir / SOURCE_A).read_bytes())
    data[position] = ord("9")
    (workdir / SOURCE_A).write_bytes(bytes(data))
    mismatches = verify(RECORDS)
    from_a = {record.id for record in sample_records() if record.provenance.source == SOURCE_A}
    assert {m.record_id for m in mismatches if m.problem.startswith("source changed")} == from_a
    target = find("78.4%").id
    problems = [m.problem for m in mismatches if m.record_id == target]
    assert any(p.startswith("quote no longer at") for p in problems)
    assert any(p.startswith("reported '78.4%' no longer at") and "'79.4%'" in p for p in problems)


def test_a_moved_span_is_caught(workdir: Path) -> None:
    target = find("1.62")

    def move(data: dict) -> None:
        start, end = data["provenance"]["span"]
        data["provenance"]["span"] = [start - 9, end - 9]

    edit_line(RECORDS, target.id, move)
    [mismatch] = verify(RECORDS)
    assert mismatch.record_id == target.id
    assert mismatch.problem.startswith("reported '1.62' no longer at") and "'1.46'" in mismatch.problem


def test_a_moved_quote_span_is_caught(workdir: Path) -> None:
    target = find("2.91x")
    edit_line(RECORDS, target.id, lambda data: data["provenance"].update(quote_span=[0, 10]))
    problems = [m.problem for m in verify(RECORDS)]
    assert any(p.startswith("quote no longer at 0-10") for p in problems)
    assert any("outside the quote span" in p for p in problems)


def test_a_missing_source_is_named(workdir: Path) -> None:
    (workdir / SOURCE_A).unlink()
    mismatches = verify(RECORDS)
    assert mismatches and all(m.problem == "source file not found" and m.source == SOURCE_A for m in mismatches)


def test_a_malformed_line_is_an_error_with_its_line(workdir: Path) -> None:
    with RECORDS.open("a", encoding="utf-8") as handle:
        handle.write('{"benchmark": "fid"}\n')
    with pytest.raises(VerifyError, match=r"^reports/records.jsonl:13: not a record: ") as caught:
        verify(RECORDS)
    assert isinstance(caught.value, LocatedError) and caught.value.line == 13


def test_a_records_file_that_is_not_utf8_is_an_error_with_its_line(workdir: Path) -> None:
    with RECORDS.open("ab") as handle:
        handle.write(b'{"benchmark": "caf\xe9"}\n')
    with pytest.raises(VerifyError, match=r"^reports/records.jsonl:13: not UTF-8 "):
        verify(RECORDS)


def test_a_missing_records_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(VerifyError, match=r"nope.jsonl: no such records file \(run `leaderboard build` first\)$"):
        verify(tmp_path / "nope.jsonl")


def test_cli_verify_turns_a_broken_records_file_into_one_line(workdir: Path) -> None:
    RECORDS.write_text("[1, 2]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["verify"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: reports/records.jsonl:1: not a ")
    assert len(result.output.splitlines()) == 1


def test_cli_verify_passes(workdir: Path) -> None:
    result = CliRunner().invoke(main, ["verify"])
    assert result.exit_code == 0, result.output
    assert result.output == "12 records verified\n"


def test_cli_verify_prints_each_mismatch_and_exits_1(workdir: Path) -> None:
    target = find("0.896")
    line = edit_line(RECORDS, target.id, lambda data: data.update(model="SomethingElse"))
    result = CliRunner().invoke(main, ["verify", str(RECORDS)])
    assert result.exit_code == 1
    assert f"reports/records.jsonl:{line}: record {target.id} ('Reading Documents at Scale'" in result.output
    assert "1 mismatch in 1 record" in result.output


# Sources whose quotes hold escapes: the build decodes them, verify must too.

ARXIV = "corpus/papers.jsonl"
FEED = "corpus/feed.xml"
ARXIV_LINE = (
    r'{"id": "2501.00001v2", "title": "Caf\u00e9 Tokens for Generation", "abstract": "We study tokenizers.\n'
    r'Our \"Caf\u00e9Tok\" tokenizer with a DiT generator achieves an FID of 1.46 on ImageNet-256. '
    r'Caf\u00e9Tok also scores 78.4\u0025 on OCRBench.", "authors": "A. One and B. Two", "categories": "cs.CV", '
    r'"update_date": "2025-01-02"}'
    "\n"
)
FEED_TEXT = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/abs/2501.00002v1</id>
    <published>2025-01-03T00:00:00Z</published>
    <title>Reading &amp; Writing Documents</title>
    <summary>We read documents. DocReader scores 0.896 ANLS on DocVQA &amp; 78.4% on OCRBench.</summary>
    <author><name>C. Three</name></author>
  </entry>
</feed>
"""
Q_CAFE = 'Our "CaféTok" tokenizer with a DiT generator achieves an FID of 1.46 on ImageNet-256.'
Q_PERCENT = "CaféTok also scores 78.4% on OCRBench."
Q_AMP = "DocReader scores 0.896 ANLS on DocVQA & 78.4% on OCRBench."


@pytest.fixture
def escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real build of one arXiv JSON-lines file and one Atom feed, with the repository's rules."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    (tmp_path / ARXIV).write_bytes(ARXIV_LINE.encode("utf-8"))
    (tmp_path / FEED).write_bytes(FEED_TEXT.encode("utf-8"))
    build(["corpus"], rules_dir=ROOT / "rules", out="reports", progress=False)
    return tmp_path


def escaped_records() -> dict[tuple[str, str], str]:
    """(quote, reported) -> record id, for the records of the `escaped` build."""
    return {(r.provenance.quote, r.reported): stored for _, stored, r in read_records(RECORDS)}


def test_records_quoted_through_escapes_verify(escaped: Path) -> None:
    assert {(Q_CAFE, "1.46"), (Q_PERCENT, "78.4%"), (Q_AMP, "0.896"), (Q_AMP, "78.4%")} <= set(escaped_records())
    [percent] = [record for _, _, record in read_records(RECORDS) if record.provenance.quote == Q_PERCENT]
    start, end = percent.provenance.span
    assert (escaped / ARXIV).read_text(encoding="utf-8")[start:end] == r"78.4\u0025"  # the span covers an escape
    assert verify(RECORDS) == []


def test_cli_verify_passes_on_escaped_sources(escaped: Path) -> None:
    result = CliRunner().invoke(main, ["verify"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{len(escaped_records())} records verified\n"


@pytest.mark.parametrize(
    ("source", "old", "new", "quote", "reported", "expected"),
    [
        pytest.param(ARXIV, "1.46", "1.47", Q_CAFE, "1.46",
                     ["quote no longer at", "reported '1.46' no longer at", "'1.47'"], id="json-number"),
        pytest.param(ARXIV, r"Caf\u00e9Tok\"", r"Caf\u00e8Tok\"", Q_CAFE, "1.46",
                     ["quote no longer at", "CafèTok"], id="json-unicode-escape"),
        pytest.param(ARXIV, r"Our \"", r"Our \/", Q_CAFE, "1.46", ["quote no longer at", "Our /Caf"],
                     id="json-quote-escape"),
        pytest.param(ARXIV, r"78.4\u0025", r"78.4\u0026", Q_PERCENT, "78.4%",
                     ["quote no longer at", "reported '78.4%' no longer at", "'78.4&'"], id="json-escape-in-number"),
        pytest.param(FEED, "0.896", "0.897", Q_AMP, "0.896",
                     ["quote no longer at", "reported '0.896' no longer at", "'0.897'"], id="atom-number"),
        pytest.param(FEED, "DocVQA &amp;", "DocVQA &#60;", Q_AMP, "0.896",
                     ["quote no longer at", "DocVQA < 78.4%"], id="atom-entity"),
        pytest.param(FEED, "DocVQA &amp;", "DocVQA &amp:", Q_AMP, "0.896",
                     ["quote no longer at", "&amp:"], id="atom-no-longer-parses"),
    ],
)  # fmt: skip
def test_an_edit_inside_an_escaped_span_is_caught(
    escaped: Path, source: str, old: str, new: str, quote: str, reported: str, expected: list[str]
) -> None:
    assert len(old) == len(new)  # offsets after the edit stay put: only the edited record's text changes
    text = (escaped / source).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (escaped / source).write_bytes(text.replace(old, new).encode("utf-8"))
    target = escaped_records()[(quote, reported)]
    mismatches = verify(RECORDS)
    problems = " | ".join(m.problem for m in mismatches if m.record_id == target)
    assert problems.startswith("source changed: sha256 is ")
    for fragment in expected:
        assert fragment in problems
    assert {m.source for m in mismatches} == {source}


def test_an_edit_that_decodes_to_the_same_text_only_changes_the_hash(escaped: Path) -> None:
    text = (escaped / FEED).read_text(encoding="utf-8")
    (escaped / FEED).write_bytes(text.replace("DocVQA &amp;", "DocVQA &#38;").encode("utf-8"))
    mismatches = verify(RECORDS)
    assert mismatches and all(m.problem.startswith("source changed: ") and m.source == FEED for m in mismatches)


def test_a_span_moved_into_an_escape_is_caught(escaped: Path) -> None:
    target = escaped_records()[(Q_CAFE, "1.46")]

    def into_the_escape(data: dict) -> None:
        start, end = data["provenance"]["quote_span"]
        data["provenance"]["quote_span"] = [start + len("Our \\"), end]  # just past the backslash of \"

    line = edit_line(RECORDS, target, into_the_escape)
    [mismatch] = verify(RECORDS)
    assert mismatch.line == line and mismatch.problem.startswith("quote no longer at ")
    # no abstract character starts inside an escape: the raw characters are shown
    assert r"""found '"Caf\\u00e9Tok""" in mismatch.problem
