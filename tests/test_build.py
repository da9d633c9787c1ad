"""Build: files written, byte-identical rebuilds, atomic writes, stale files, the CLI."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from recordkit import FakeReport, install_pipeline, sample_records, sample_result

from leaderboard.build import MANIFEST, build
from leaderboard.cli import main
from leaderboard.errors import LeaderboardError, SourceError
from leaderboard.render import latex

EXPECTED = [
    "README.md", "docvqa.csv", "docvqa.md", "docvqa.tex", "fid.csv", "fid.md", "fid.tex",
    "flops.csv", "flops.md", "flops.tex", "ocrbench.csv", "ocrbench.md", "ocrbench.tex",
    "records.jsonl", "rejections.csv", "speedup.csv", "speedup.md", "speedup.tex",
]  # fmt: skip


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_build_writes_every_report_and_sums_up(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = install_pipeline(monkeypatch, sample_result())
    summary = build(["corpus"], rules_dir="myrules", out="reports", format="daily", progress=False)
    assert calls == [{"sources": ["corpus"], "rules_dir": "myrules", "format": "daily", "progress": False}]
    assert sorted(summary.written) == EXPECTED
    assert sorted(path.name for path in (workdir / "reports").iterdir()) == sorted([*EXPECTED, MANIFEST])
    assert (summary.files, summary.papers, summary.entries, summary.records, summary.rejections) == (2, 4, 5, 12, 2)
    assert summary.boards == 7 and summary.problems == () and summary.seconds >= 0


def test_a_rebuild_is_byte_identical_whatever_the_input_order(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_pipeline(monkeypatch, sample_result())
    build(out="first", progress=False)
    shuffled = sample_records()
    random.Random(7).shuffle(shuffled)
    install_pipeline(monkeypatch, sample_result(records=shuffled, rejections=sample_result().rejections[::-1]))
    build(out="second", progress=False)
    first, second = snapshot(workdir / "first"), snapshot(workdir / "second")
    assert first == second
    for content in first.values():
        assert str(workdir).encode() not in content


def test_a_failing_renderer_leaves_the_previous_reports_untouched(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_pipeline(monkeypatch, sample_result())
    build(progress=False)
    before = snapshot(workdir / "reports")

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("renderer broke")

    install_pipeline(monkeypatch, sample_result(records=sample_records()[:3]))
    monkeypatch.setattr(latex, "render_tex", broken)
    with pytest.raises(RuntimeError, match="renderer broke"):
        build(progress=False)
    assert snapshot(workdir / "reports") == before
    assert sorted(path.name for path in workdir.iterdir()) == ["reports"]  # no staging folder left behind


def test_a_failing_pipeline_leaves_the_previous_reports_untouched(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_pipeline(monkeypatch, sample_result())
    build(progress=False)
    before = snapshot(workdir / "reports")
    install_pipeline(monkeypatch, SourceError("corpus/x.txt", "broken", line=3))
    with pytest.raises(SourceError):
        build(progress=False)
    assert snapshot(workdir / "reports") == before


def test_files_of_a_benchmark_no_longer_present_are_deleted(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_pipeline(monkeypatch, sample_result())
    build(progress=False)
    (workdir / "reports" / "notes.txt").write_text("mine")
    install_pipeline(monkeypatch, sample_result(records=[r for r in sample_records() if r.benchmark == "fid"]))
    build(progress=False)
    names = sorted(path.name for path in (workdir / "reports").iterdir())
    assert names == sorted([MANIFEST, "README.md", "fid.csv", "fid.md", "fid.tex", "notes.txt", "records.jsonl",
                            "rejections.csv"])  # fmt: skip


def test_unwritable_output_is_a_clear_error(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_pipeline(monkeypatch, sample_result())
    (workdir / "reports").write_text("a file, not a folder")
    with pytest.raises(LeaderboardError, match="cannot write reports"):
        build(progress=False)


def test_cli_build_prints_a_summary(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = install_pipeline(monkeypatch, sample_result())
    result = CliRunner().invoke(main, ["build", "--rules", "r", "--out", "out", "--format", "bibtex"])
    assert result.exit_code == 0, result.output
    assert calls[0] == {"sources": [Path("corpus")], "rules_dir": Path("r"), "format": "bibtex", "progress": True}
    assert "Read 2 files, 4 papers (5 entries): 12 records, 2 rejections; 7 boards written to out/ in " in result.output
    assert (workdir / "out" / "fid.md").exists()


def test_cli_build_exits_3_when_input_was_skipped(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    problem = SourceError("corpus/bad.json", "not JSON", line=4)
    calls = install_pipeline(monkeypatch, sample_result(report=FakeReport(problems=[problem])))
    result = CliRunner().invoke(main, ["build", "--quiet", "corpus/a.txt", "corpus/bad.json"])
    assert result.exit_code == 3
    assert "Warning: corpus/bad.json:4: not JSON" in result.output
    assert "Read " not in result.output
    assert calls[0]["sources"] == [Path("corpus/a.txt"), Path("corpus/bad.json")] and calls[0]["progress"] is False


def test_cli_build_turns_errors_into_one_line(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_pipeline(monkeypatch, SourceError("corpus/x.txt", "cannot read", line=2))
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.output == "Error: corpus/x.txt:2: cannot read\n"
