"""A failure inside one paper or one rule never stops a build: it is reported, and the rest is built.

Failures are injected into the extractor for one chosen paper: once inside
one rule's work (the paper's other rules still give their records), once
outside any rule (the paper is skipped). Every engine reports the same
problem and writes the same files.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from leaderboard.build import build
from leaderboard.cli import main
from leaderboard.extract import Extractor, engine

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str, str]:
    """A build without failures, and a paper with records of two benchmarks: (out, title, failing, other)."""
    out = tmp_path_factory.mktemp("clean") / "reports"
    build([CORPUS], rules_dir=RULES, out=out, progress=False, jobs=1)
    benchmarks: dict[str, set[str]] = defaultdict(set)
    for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        benchmarks[record["provenance"]["paper"]].add(record["benchmark"])
    title = min(paper for paper, found in benchmarks.items() if len(found) >= 2)
    failing, other = sorted(benchmarks[title])[:2]
    return out, title, failing, other


def _papers_of(out: Path, benchmark: str) -> set[str]:
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["provenance"]["paper"] for line in lines if json.loads(line)["benchmark"] == benchmark}


def _fail_rule(monkeypatch: pytest.MonkeyPatch, title: str, rule: str) -> None:
    record = Extractor._record

    def failing(self, paper, sentence, tokens, binding, *args, **kwargs):
        if paper.title == title and binding.rule == rule:
            raise ZeroDivisionError("injected")
        return record(self, paper, sentence, tokens, binding, *args, **kwargs)

    monkeypatch.setattr(Extractor, "_record", failing)


@pytest.mark.parametrize("options", [{"jobs": 1}, {"jobs": 2}, {"jobs": 2, "engine": "dask"}], ids=["serial", "pool", "dask"])
def test_a_failing_rule_is_reported_and_the_rest_is_built(
    clean: tuple[Path, str, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: dict
) -> None:
    if options.get("engine") == "dask":
        pytest.importorskip("dask.bag")
    reference, title, failing, other = clean
    _fail_rule(monkeypatch, title, failing)
    summary = build([CORPUS], rules_dir=RULES, out=tmp_path / "out", progress=False, **options)
    assert summary.failures >= 1
    problems = [problem for problem in summary.problems if "injected" in problem]
    assert problems and len(problems) == summary.failures
    assert f"rule {failing!r} failed on {title!r}: ZeroDivisionError: injected; its other findings are kept" in problems[0]
    assert problems[0].startswith("corpus/") and "please report this as a bug" in problems[0]
    assert title not in _papers_of(tmp_path / "out", failing)  # the failing rule's findings on that paper are gone
    assert title in _papers_of(tmp_path / "out", other)  # the paper's other rule still gave its records
    assert _papers_of(tmp_path / "out", failing) == _papers_of(reference, failing) - {title}
    assert (tmp_path / "out" / f"{other}.md").exists() and (tmp_path / "out" / "README.md").exists()


def test_every_engine_reports_and_writes_the_same(
    clean: tuple[Path, str, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, title, failing, _ = clean
    _fail_rule(monkeypatch, title, failing)
    results = []
    for name, options in {"serial": {"jobs": 1}, "pool": {"jobs": 2}}.items():
        summary = build([CORPUS], rules_dir=RULES, out=tmp_path / name, progress=False, **options)
        files = {path.name: path.read_bytes() for path in sorted((tmp_path / name).iterdir())}
        results.append((summary.problems, summary.failures, files))
    assert results[0] == results[1]


def test_a_paper_that_fails_outside_any_rule_is_skipped(
    clean: tuple[Path, str, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference, title, failing, other = clean
    split = engine.split_sentences
    abstracts: set[str] = set()

    def failing_split(text: str):
        if text in abstracts:
            raise ValueError("no sentences today")
        return split(text)

    original = Extractor.extract

    def remember(self, paper, *args, **kwargs):
        if paper.title == title:
            abstracts.add(paper.abstract)
        return original(self, paper, *args, **kwargs)

    monkeypatch.setattr(engine, "split_sentences", failing_split)
    monkeypatch.setattr(Extractor, "extract", remember)
    summary = build([CORPUS], rules_dir=RULES, out=tmp_path / "out", progress=False, jobs=2)
    problems = [problem for problem in summary.problems if "no sentences today" in problem]
    assert problems and summary.failures == len(problems)
    assert f"extraction failed on {title!r}: ValueError: no sentences today; the paper is skipped" in problems[0]
    for benchmark in (failing, other):
        assert _papers_of(tmp_path / "out", benchmark) == _papers_of(reference, benchmark) - {title}


def test_the_cli_exits_3_and_says_why(clean: tuple[Path, str, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, title, failing, _ = clean
    _fail_rule(monkeypatch, title, failing)
    result = CliRunner().invoke(main, ["build", str(CORPUS), "--rules", str(RULES), "--out", str(tmp_path / "out"),
                                       "--jobs", "1"])  # fmt: skip
    assert result.exit_code == 3, result.output
    assert f"rule {failing!r} failed on {title!r}: ZeroDivisionError: injected" in result.stderr
    assert "extraction failures (see the warnings above)." in result.stderr
    assert "inputs skipped" not in result.stderr
    assert (tmp_path / "out" / "README.md").exists()
