"""`leaderboard papers`: table, JSON lines, summary on stderr, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from leaderboard.cli import main

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "sources"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_default_corpus_counts(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(main, ["papers", "--limit", "3"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "5 file(s) read, 630 entries, 531 distinct papers, 0 file(s) skipped, 0 problem(s)"
    ]
    assert "Align your Latents" in result.stdout and "Title" in result.stdout
    assert "Stable Video Diffusion" not in result.stdout  # the 4th paper, past --limit


def test_json_lines_on_stdout_only(runner: CliRunner) -> None:
    result = runner.invoke(main, ["papers", "--json", str(DATA / "dailypapers_blocks.txt"), str(DATA / "feed.xml")])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["title"][:12] for row in rows] == [
        "$λ$-ECLIPSE:", "Café Über Al", "Ming-UniVisi", "A Paper With", "Café Models:", "$\\lambda$-Se",
    ]
    assert rows[0]["authors"] == 7 and len(rows[0]["sources"]) == 2
    assert rows[4]["arxiv_id"] == "2401.00001"
    assert set(rows[0]) >= {"title", "abstract", "arxiv_id", "date", "authors", "sources", "key"}
    assert result.stderr.splitlines()[0] == (
        "2 file(s) read, 7 entries, 6 distinct papers, 0 file(s) skipped, 1 problem(s)"
    )


def test_broken_file_exits_3_and_names_file_and_line(runner: CliRunner, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(DATA / "feed_broken.xml", tmp_path / "feed.xml")
    shutil.copy(DATA / "refs.bib", tmp_path / "refs.bib")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["papers", "--json", "."])
    assert result.exit_code == 3
    assert len(result.stdout.splitlines()) == 4
    assert result.stderr.splitlines() == [
        "2 file(s) read, 4 entries, 4 distinct papers, 1 file(s) skipped, 2 problem(s), 1 entries without an abstract",
        "Skipped: empty.txt: empty file (remove it or add papers to it)",
        "Skipped: feed.xml:11: not well-formed XML: mismatched tag (fix the XML there; the entries before it were read)",
    ]


def test_format_option(runner: CliRunner) -> None:
    result = runner.invoke(main, ["papers", "--format", "bibtex", str(DATA / "arxiv.jsonl")])
    assert result.exit_code == 3
    assert "no papers found as bibtex" in result.stderr
    result = runner.invoke(main, ["papers", "--format", "csv"])
    assert result.exit_code == 2


def test_missing_source(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["papers", str(tmp_path / "nope")])
    assert result.exit_code == 3
    assert "nope: cannot read the file: No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr
