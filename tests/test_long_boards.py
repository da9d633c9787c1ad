"""Long boards: pages show the first rows and say where the rest are; the CSV keeps every row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from recordkit import RULES, install_pipeline, sample_records, sample_result

from leaderboard.board import boards
from leaderboard.build import build
from leaderboard.render.csv import iter_csv, render_csv


def _build(folder: Path, monkeypatch: pytest.MonkeyPatch, max_rows: int) -> dict[str, str]:
    install_pipeline(monkeypatch, sample_result())
    build(["corpus"], out=str(folder), progress=False, max_rows=max_rows)
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def _table_rows(page: str) -> list[int]:
    """Data rows of each Markdown table on a page."""
    counts: list[int] = []
    inside = False
    for line in page.splitlines():
        if line.startswith("|--") or line.startswith("|:-"):
            counts.append(0)
            inside = True
        elif inside and line.startswith("| "):
            counts[-1] += 1
        else:
            inside = False
    return counts


def test_pages_show_the_first_rows_and_the_csv_keeps_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    everything = _build(tmp_path / "all", monkeypatch, max_rows=0)
    capped = _build(tmp_path / "capped", monkeypatch, max_rows=1)

    assert max(_table_rows(everything["fid.md"])) > 1  # the sample has a board to cut
    assert max(_table_rows(capped["fid.md"])) == 1
    for name in everything:
        if name.endswith(".csv") or name == "records.jsonl":
            assert capped[name] == everything[name], name
    notes = re.findall(r"\*First 1 of (\d+) rows; every row is in \[fid\.csv\]\(fid\.csv\)\.\*", capped["fid.md"])
    longest = max(_table_rows(everything["fid.md"]))
    assert notes and max(int(total) for total in notes) == longest
    assert f"First 1 of {longest} entries." in capped["fid.tex"]
    assert "First" not in everything["fid.md"] and "First" not in everything["fid.tex"]


def test_a_board_within_the_limit_is_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _build(tmp_path / "all", monkeypatch, max_rows=0) == _build(tmp_path / "roomy", monkeypatch, max_rows=1000)


def test_the_csv_is_the_same_whatever_the_chunk() -> None:
    found = boards(sample_records(), RULES)
    whole = render_csv(found)
    assert whole.count("\n") > 3
    for chunk_rows in (1, 2, 3, 7):
        assert "".join(iter_csv(found, chunk_rows=chunk_rows)) == whole


def test_boards_read_a_stream_of_records_once() -> None:
    records = sample_records()
    streamed = boards(iter(records), RULES)
    listed = boards(records, RULES)
    assert [(b.title, b.table.to_csv()) for b in streamed] == [(b.title, b.table.to_csv()) for b in listed]
