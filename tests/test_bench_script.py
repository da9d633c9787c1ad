"""benchmarks/bench_extract.py cannot rot: its corpus, floor and table work on a tiny size.

No timing is asserted; quantulum3 and the CLI runs are not exercised here.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from leaderboard.sources import ReadReport, read_papers

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_extract", ROOT / "benchmarks" / "bench_extract.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(bench: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = bench.load_seeds(ROOT / "corpus")
    data = tmp_path_factory.mktemp("data")
    path = bench.ensure_corpus(data, 600, seeds)
    assert bench.ensure_corpus(data, 600, seeds) == path  # cached, not regenerated
    return path


def test_corpus_is_arxiv_json_lines_with_distinct_papers(corpus: Path) -> None:
    lines = corpus.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 600
    assert len({row["id"] for row in rows}) == 600
    assert {"id", "title", "abstract", "authors", "categories", "update_date"} <= set(rows[0])
    report = ReadReport()
    papers = list(read_papers(corpus, report=report))
    assert report.problems == []
    assert len(papers) == 600 and len({paper.key for paper in papers}) == 600  # copies get distinct titles
    assert papers[531].abstract == papers[0].abstract  # the sample corpus's 531 abstracts, repeated


def test_floor_finds_vocabulary(bench: ModuleType, corpus: Path) -> None:
    words = bench.vocabulary_words(ROOT / "rules")
    assert "OCRBench" in words and "FID" in words
    sample = list(bench.iter_abstracts(corpus, 50))
    engine, pattern, speeds = bench.pick_floor_engine(bench.floor_source(words), sample)
    assert engine in speeds
    floor = bench.run_floor(corpus, pattern)
    assert floor.papers == 600 and 0 < floor.papers_with_match < 600


def test_table_and_verdicts(bench: ModuleType) -> None:
    rows = [
        bench.Row(200, "floor: read+scan", 200, 0.3, 0.01, floor_seconds=0.01),
        bench.Row(200, "leaderboard extract --jobs 1", 200, 0.3, 0.05, 100.0, 101.0, 0.01),
        bench.Row(200, "leaderboard build", 200, 0.3, 0.1, 120.0, 250.0, 0.01),
        bench.Row(400, "leaderboard extract --jobs 1", 400, 0.6, 0.1, 100.0, 102.0, 0.02),
        bench.Row(400, "leaderboard build", 400, 0.6, None, note="failed, exit 1"),
    ]
    quantulum = bench.QuantulumResult(seconds=2.0, papers=200, megabytes=0.3)
    text = bench.table(rows, quantulum)
    lines = text.splitlines()
    assert len(lines) == 2 + len(rows)
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines[2:])
    assert "| 200 | leaderboard extract --jobs 1 | 0.3 | 0.05 | 4,000 | 6.0 | 100 | 101 | 5.00x | 40x |" in lines
    assert "n/a" in lines[-1] and "failed, exit 1" in lines[-1]
    verdicts = {verdict.target.split(" ")[0] + verdict.status for verdict in bench.verdicts(rows)}
    assert {"extractFAIL", "extractPASS", "buildSKIP", "peakPASS"} <= verdicts


def test_options(bench: ModuleType) -> None:
    assert bench.parse_args(["--quick"]).sizes == [10_000]
    assert bench.parse_args(["--sizes", "100_000,10000"]).sizes == [10_000, 100_000]
    assert bench.parse_entries("1 files, 600 entries, 600 papers, 3 records, 0 rejected candidates") == 600


def test_measure_reports_this_run_alone(bench: ModuleType) -> None:
    ballast = b"x" * 200_000_000  # make this process larger than the command
    run = bench.measure([sys.executable, "-c", "import sys; data = b'x' * 60_000_000; sys.exit(3)"])
    assert run.returncode == 3
    assert 60 <= run.peak_mb < 150 < len(ballast) / 1e6  # the command's own peak, not this process's
    assert run.seconds > 0
