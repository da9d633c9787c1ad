"""Verify: intact records pass; edited values, changed sources and moved spans are named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from recordkit import SOURCE_A, TEXT_A, sample_records, write_sources

from leaderboard.cli import main
from leaderboard.errors import LeaderboardError, LocatedError
from leaderboard.records_io import dump_records
from leaderboard.verify import verify


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
    with pytest.raises(LocatedError, match=r"records.jsonl:13: not a record: "):
        verify(RECORDS)


def test_a_missing_records_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(LeaderboardError, match="run `leaderboard build` first"):
        verify(tmp_path / "nope.jsonl")


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
