"""Every engine writes the same files: one process, a process pool, a Dask bag, a dask.distributed cluster.

The input mixes the sample corpus (Daily Papers pages, read whole) with a
JSON-lines file of its abstracts that planning cuts into many parts: JSON
escapes, non-ASCII text, the same paper twice, an arXiv id read twice with
other text, a broken line and a line that is not UTF-8.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from leaderboard import workplan
from leaderboard.build import build
from leaderboard.cli import main
from leaderboard.sources import ReadReport, arxiv, read_papers
from leaderboard.workplan import Unit, plan, read_unit

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
SMALL_PART = 16 << 10  # bytes: the JSON-lines file below becomes dozens of parts


def _lines() -> list[bytes]:
    papers = list(read_papers(ROOT / "corpus"))
    lines = []
    for number, paper in enumerate(papers[:400]):
        record = {
            "id": f"2401.{number:05d}v2",
            "title": f"{paper.title} (copy {number})" if number % 5 else paper.title,
            "abstract": ("  " + paper.abstract.replace(". ", ".\n", 2) + "\n") if number % 3 == 0 else paper.abstract,
            "authors": "A. One, B. Two and C. Three",
            "update_date": "2024-01-02",
        }
        lines.append(json.dumps(record, ensure_ascii=number % 2 == 0).encode("utf-8"))
    repeat = json.loads(lines[10])
    lines.append(json.dumps(repeat).encode("utf-8"))  # the same paper again: counted once
    other = dict(repeat, abstract="Another text entirely, with FID of 3.1 on COCO.")
    lines.append(json.dumps(other).encode("utf-8"))  # the same id, other text: reported
    lines.append(b'{"id": "2401.99999", "title": "Broken", "abstract": ')  # not JSON: reported
    lines.append('{"id": "2401.99998", "title": "Bytes", "abstract": "caf\xe9 FID of 2.0"}'.encode("latin-1"))
    return lines


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("inputs")
    jsonl = folder / "snapshot.jsonl"
    jsonl.write_bytes(b"\n".join(_lines()) + b"\n")
    return [ROOT / "corpus", jsonl]


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workplan, "PART_BYTES", SMALL_PART)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def serial(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The reference: one process, every file read whole."""
    out = tmp_path_factory.mktemp("serial") / "reports"
    summary = build(inputs, rules_dir=RULES, out=out, progress=False, jobs=1)
    assert summary.records > 100 and len(summary.problems) == 3, summary.problems
    return snapshot(out)


def test_parts_read_exactly_like_the_whole_file(inputs: list[Path]) -> None:
    jsonl = inputs[1]
    units = [step for step in plan([jsonl], part_bytes=SMALL_PART) if isinstance(step, Unit)]
    assert len(units) > 10 and units[0].part is not None and units[-1].last and not units[0].last
    parts_report, whole_report = ReadReport(), ReadReport()
    parts = [entry.paper().model_dump() for unit in units for entry in read_unit(unit, parts_report)]
    whole = [paper.model_dump() for paper in arxiv.read(jsonl, report=whole_report)]
    assert parts == whole
    assert [str(problem) for problem in parts_report.problems] == [str(problem) for problem in whole_report.problems]


def test_a_process_pool_writes_the_same_files(
    inputs: list[Path], serial: dict[str, bytes], tmp_path: Path, small_parts: None
) -> None:
    build(inputs, rules_dir=RULES, out=tmp_path / "one", progress=False, jobs=1)
    assert snapshot(tmp_path / "one") == serial  # cut in parts, read in one process
    build(inputs, rules_dir=RULES, out=tmp_path / "pool", progress=False, jobs=2)
    assert snapshot(tmp_path / "pool") == serial


def test_a_dask_bag_writes_the_same_files(
    inputs: list[Path], serial: dict[str, bytes], tmp_path: Path, small_parts: None
) -> None:
    pytest.importorskip("dask.bag")
    build(inputs, rules_dir=RULES, out=tmp_path / "bag", progress=False, jobs=2, engine="dask")
    assert snapshot(tmp_path / "bag") == serial


def test_a_dask_cluster_writes_the_same_files(
    inputs: list[Path], serial: dict[str, bytes], tmp_path: Path, small_parts: None
) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = build(inputs, rules_dir=RULES, out=tmp_path / "cluster", progress=False, engine="dask",
                        scheduler=cluster.scheduler_address)  # fmt: skip
    assert snapshot(tmp_path / "cluster") == serial
    assert len(summary.problems) == 3


def test_extract_prints_the_same_records_for_any_jobs(inputs: list[Path], tmp_path: Path, small_parts: None) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / jobs / "records.jsonl"
        out.parent.mkdir()
        args = ["extract", *map(str, inputs), "--rules", str(RULES), "-o", str(out), "--jobs", jobs]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 3, result.output  # the broken lines
        outputs.append((out.read_bytes(), (out.parent / "rejections.csv").read_bytes(), result.stderr))
    assert outputs[0] == outputs[1]
    assert outputs[0][0].count(b"\n") > 100


def test_the_engine_options_are_documented() -> None:
    for command in ("build", "extract"):
        text = CliRunner().invoke(main, [command, "--help"]).output
        assert "--jobs" in text and "--engine" in text and "--scheduler" in text


def test_scheduler_needs_the_dask_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--engine", "local", "--scheduler", "tcp://x:1", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--scheduler needs --engine dask" in result.output


def test_an_unknown_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(main, ["build", str(ROOT / "corpus" / "000_57035df174a31e4b.txt"), "--rules", str(RULES),
                                           "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9", "-q"])  # fmt: skip
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
