"""Sources in, records out: the one path every command takes.

Read papers lazily, extract each entry with every rule, and keep one record
per claim: the same paper read from several files yields the same record id,
kept once with its first source (files are read in sorted order).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .extract import Extractor
from .model import Paper, Record, Rejection
from .rulebook import LoadedRule, Rule, load_rules
from .sources import ReadReport, file_sha256, read_papers

__all__ = ["RunResult", "run", "extract_papers"]


@dataclass
class RunResult:
    """What a run read and found."""

    records: list[Record]
    rejections: list[Rejection]
    report: ReadReport
    papers: int
    paper_keys: frozenset[str]
    rules: dict[str, Rule] = field(default_factory=dict)
    loaded_rules: list[LoadedRule] = field(default_factory=list)


def run(
    sources: Sequence[str | Path],
    *,
    rules_dir: str | Path = "rules",
    format: str | None = None,
    progress: bool = False,
) -> RunResult:
    """Read ``sources``, extract with the rules of ``rules_dir``, deduplicate."""
    loaded = load_rules(rules_dir)
    report = ReadReport()
    papers = read_papers(list(sources), format=format, report=report)
    if progress:
        papers = _with_progress(papers)
    records, rejections, keys = extract_papers(papers, Extractor(loaded))
    return RunResult(
        records=records,
        rejections=rejections,
        report=report,
        papers=len(keys),
        paper_keys=frozenset(keys),
        rules={item.id: item.rule for item in loaded},
        loaded_rules=loaded,
    )


def extract_papers(papers: Iterable[Paper], extractor: Extractor) -> tuple[list[Record], list[Rejection], set[str]]:
    """Extract every paper; one record per id and one rejection per place, sorted."""
    records: dict[str, Record] = {}
    rejections: dict[tuple, Rejection] = {}
    keys: set[str] = set()
    hashes: dict[str, str] = {}  # one stat and hash per file, not per paper
    for paper in papers:
        keys.add(paper.key)
        path = paper.sources[0].path if paper.sources else ""
        if path not in hashes:
            hashes[path] = file_sha256(path) if path else ""
        sha256 = hashes[path]
        found, rejected = extractor.extract(paper, sha256)
        for record in found:
            records.setdefault(record.id, record)
        for rejection in rejected:
            rejections.setdefault((paper.key, rejection.reported, rejection.quote, rejection.reason), rejection)
    ordered = sorted(records.values(), key=_record_order)
    return ordered, sorted(rejections.values(), key=_rejection_order), keys


def _record_order(record: Record) -> tuple:
    return (record.benchmark, record.provenance.source, record.provenance.span, record.id)


def _rejection_order(rejection: Rejection) -> tuple:
    return (rejection.source, rejection.span, rejection.reason)


def _with_progress(papers: Iterable[Paper]) -> Iterable[Paper]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("reading and extracting: {task.completed} papers"), TimeElapsedColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("extract", total=None)
        for paper in papers:
            yield paper
            bar.advance(task)
