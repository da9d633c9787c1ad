"""Sources in, records out: the one path every command takes.

`run` plans the sources into units of work (`leaderboard.workplan`: whole
files, and large JSON-lines files cut at line ends), runs the per-unit
function (`leaderboard.worker.extract_unit`) on an engine
(`leaderboard.engines`: this process, a process pool, or Dask), and merges
the results in unit order, so every engine gives the same run. The merge
keeps one record per claim (the same paper read from several files yields
the same record id, kept once with its first source; files are read in
sorted order) and one rejection per paper, number, quote and reason, in a
`Spill` on disk: memory stays flat however large the corpus.

`RunResult.records` and `.rejections` read back from that spill, sorted;
iterate them once to stream, or index them to load them all.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

from .engines import run_units
from .errors import LeaderboardError, SourceError
from .extract import Extractor
from .model import Paper, Record, Rejection
from .rulebook import LoadedRule, Rule, load_rules
from .sources import FORMATS, ReadReport, file_sha256
from .spill import Spill
from .worker import UnitResult, extract_unit
from .workplan import PART_BYTES, Unit, plan

__all__ = ["RunResult", "SpilledRecords", "SpilledRejections", "run", "extract_papers"]


class _Spilled(Sequence[Any]):
    """A sorted, read-only view of the spill: iterating streams from disk; indexing loads every item."""

    def __init__(self, spill: Spill, table: str) -> None:
        self._spill, self._count, self._loaded = spill, spill.count(table), None

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        if self._loaded is None:
            self._loaded = list(self)
        return self._loaded[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._loaded) if self._loaded is not None else map(self._parse, self.lines())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self._count}>"

    def lines(self, order: str = "pipeline") -> Iterator[str]:
        raise NotImplementedError

    @staticmethod
    def _parse(line: str) -> Any:
        raise NotImplementedError


class SpilledRecords(_Spilled):
    """The run's records, sorted by benchmark, source, span and id."""

    def __init__(self, spill: Spill) -> None:
        super().__init__(spill, "records")

    def lines(self, order: str = "pipeline") -> Iterator[str]:
        """Each record's ``model_dump_json()`` in ``order``: ``pipeline``, ``id`` or ``benchmark`` (then id)."""
        return self._spill.records(order)

    def by_benchmark(self) -> Iterator[tuple[str, Iterator[Record]]]:
        """Each benchmark with its records sorted by id, read as they are consumed (as `itertools.groupby`)."""
        records = (_record(line) for line in self._spill.records("benchmark"))
        return groupby(records, key=attrgetter("benchmark"))

    _parse = staticmethod(lambda line: _record(line))


class SpilledRejections(_Spilled):
    """The run's rejections, sorted by source, span and reason (ties in reading order)."""

    def __init__(self, spill: Spill) -> None:
        super().__init__(spill, "rejections")

    def lines(self, order: str = "pipeline") -> Iterator[str]:
        """Each rejection's JSON in ``order``: ``pipeline``, or ``report`` (the rejections.csv order)."""
        return self._spill.rejections(order)

    _parse = staticmethod(lambda line: Rejection.model_validate_json(line))


def _record(line: str) -> Record:
    data = json.loads(line)
    data.pop("id", None)
    return Record.model_validate(data)


@dataclass
class RunResult:
    """What a run read and found. ``report.problems`` holds every skipped input and failed paper."""

    records: Sequence[Record]
    rejections: Sequence[Rejection]
    report: ReadReport
    papers: int
    rules: dict[str, Rule] = field(default_factory=dict)
    loaded_rules: list[LoadedRule] = field(default_factory=list)
    failures: int = 0  # papers or rules whose extraction failed, among report.problems
    spill: Spill | None = field(default=None, repr=False)

    def close(self) -> None:
        """Remove the records kept on disk (also done when the result is garbage-collected)."""
        if self.spill is not None:
            self.spill.close()


def run(
    sources: Sequence[str | Path],
    *,
    rules_dir: str | Path = "rules",
    format: str | None = None,
    progress: bool = False,
    jobs: int | None = None,
    engine: str | None = None,
    scheduler: str | None = None,
) -> RunResult:
    """Read ``sources``, extract with the rules of ``rules_dir``, deduplicate.

    ``jobs`` processes extract (default: every core; 1 runs in this
    process); ``engine="dask"`` runs the same units on Dask, on the
    ``scheduler`` address when given. The result is the same on every engine.
    """
    if format is not None and format not in FORMATS:
        raise LeaderboardError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    engine = engine or ("dask" if scheduler else "local")
    loaded = load_rules(rules_dir)
    steps = plan(list(sources), format=format)
    units = [step for step in steps if isinstance(step, Unit)]
    if jobs is None and engine == "local" and sum(unit.size for unit in units) <= PART_BYTES:
        jobs = 1  # a small input is over before a pool would have started
    results = run_units(extract_unit, units, loaded, engine=engine, jobs=jobs, scheduler=scheduler)
    spill = Spill()
    try:
        report, failures = _merge(steps, results, spill, progress)
        papers = spill.papers
    except BaseException:
        spill.close()
        raise
    return RunResult(
        records=SpilledRecords(spill),
        rejections=SpilledRejections(spill),
        report=report,
        papers=papers,
        rules={item.id: item.rule for item in loaded},
        loaded_rules=loaded,
        failures=failures,
        spill=spill,
    )


def _merge(steps: list, results: Iterator[UnitResult], spill: Spill, progress: bool) -> tuple[ReadReport, int]:
    """Fold the steps' results, in order, into one report and the spill."""
    report = ReadReport()
    failures = 0
    file_start: tuple[int, int, int] = (0, 0, 0)  # entries, problems and no-abstract counts where a file began
    bar: _Progress | None = None  # started with the first result: after any worker process is forked
    try:
        for step in steps:
            if isinstance(step, ReadReport):
                _add_counts(report, step)
                report.problems.extend(step.problems)
                continue
            result = next(results)
            if result.index != step.index:
                raise RuntimeError(f"unit {result.index} came back for unit {step.index}")
            if step.first:
                file_start = (report.entries, len(report.problems), report.no_abstract)
            _add_counts(report, result.report)
            report.problems.extend(_with_duplicates(result, spill))
            failures += result.failures
            spill.add(result.records, result.rejections, result.keys)
            if step.part is not None and step.last:
                _no_papers(report, step, file_start)
            if progress:
                bar = bar or _Progress()
                bar.advance(result.report.entries)
    finally:
        if bar is not None:
            bar.stop()
    return report, failures


def _add_counts(report: ReadReport, other: ReadReport) -> None:
    """Add every count of ``other`` (files read and skipped, entries, ...) to ``report``."""
    for name in _COUNTS:
        setattr(report, name, getattr(report, name) + getattr(other, name))


_COUNTS = [item.name for item in dataclasses.fields(ReadReport) if item.type in (int, "int")]


def _with_duplicates(result: UnitResult, spill: Spill) -> list:
    """The unit's problems with, at each paper's place, an arXiv id read before with other text."""
    problems = result.report.problems
    if not result.arxiv_ids:
        return list(problems)
    firsts = spill.first_readings(result.arxiv_ids)
    if not any(firsts):
        return list(problems)  # no id read before with other text: the common case, without a walk over every id
    merged: list = []
    done = 0
    for (arxiv_id, _, path, line), before, first in zip(result.arxiv_ids, result.arxiv_places, firsts):
        if first is None:
            continue
        merged.extend(problems[done:before])
        done = before
        merged.append(SourceError(
            path, f"arXiv id {arxiv_id} was read at {first[0]}:{first[1]} with a different title or abstract; "
            "both readings are kept", line=line, hint="keep one version of each paper in the sources",
        ))
    merged.extend(problems[done:])
    return merged


def _no_papers(report: ReadReport, unit: Unit, start: tuple[int, int, int]) -> None:
    """A file cut in parts that gave nothing and no reason why: said once, as for a whole file."""
    entries, problems, no_abstract = start
    if report.entries == entries and len(report.problems) == problems and report.no_abstract == no_abstract:
        report.problems.append(SourceError(unit.shown, f"no papers found as {unit.format}",
                                           hint="check the file, or give --format"))


class _Progress:
    """A spinner with the number of papers read and extracted so far."""

    def __init__(self) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = (SpinnerColumn(), TextColumn("reading and extracting: {task.completed} papers"), TimeElapsedColumn())
        self._bar = Progress(*columns, transient=True)
        self._task = self._bar.add_task("extract", total=None)
        self._bar.start()

    def advance(self, papers: int) -> None:
        self._bar.advance(self._task, papers)

    def stop(self) -> None:
        self._bar.stop()


def extract_papers(papers: Iterable[Paper], extractor: Extractor) -> tuple[list[Record], list[Rejection], set[str]]:
    """Extract every paper in this process, in memory; one record per id and one rejection per place, sorted.

    For a few papers at hand; `run` is the way for files of any size.
    """
    records: dict[str, Record] = {}
    rejections: dict[tuple, Rejection] = {}
    keys: set[str] = set()
    hashes: dict[str, str] = {}  # one stat and hash per file, not per paper
    for paper in papers:
        keys.add(paper.key)
        path = paper.sources[0].path if paper.sources else ""
        if path not in hashes:
            hashes[path] = file_sha256(path) if path else ""
        found, rejected = extractor.extract(paper, hashes[path])
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
