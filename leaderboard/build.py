"""``leaderboard build``: sources to the files under ``reports/``, atomically.

`build` runs the pipeline and renders one benchmark at a time into a staging
folder next to ``out``, streaming ``records.jsonl`` and ``rejections.csv``
from the run's spill, so memory holds one benchmark's boards, never the
whole corpus. Only when everything is written are the files moved into
``out`` one by one with `os.replace`. A build that fails while reading,
extracting or rendering leaves the previous reports untouched. Files that
the previous build wrote (listed in ``out/.leaderboard-files``) and this one
did not, such as the pages of a benchmark that has no records any more, are
deleted.

Outputs are byte-identical for the same inputs, whatever the engine or the
number of jobs: everything is sorted, and no time or absolute path reaches a
file (the elapsed seconds go only to the returned summary).
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

import pandas as pd

from .board import Board, boards
from .errors import LeaderboardError
from .model import Record, Rejection
from .render import csv, index, latex, markdown
from .ruleinfo import RuleInfo

__all__ = ["BuildSummary", "MANIFEST", "MAX_ROWS", "build", "render_reports", "write_reports"]

#: The list of files the last build wrote, kept in ``out`` to find stale ones.
MANIFEST = ".leaderboard-files"

#: Rows per table on the Markdown and LaTeX pages, unless told otherwise: a page is for reading and pasting,
#: and the benchmark's CSV keeps every row.
MAX_ROWS = 100

#: Rejections rendered to CSV at a time, and characters encoded at a time.
_CHUNK = 10_000
_SLICE = 1 << 20


@dataclass(frozen=True)
class BuildSummary:
    """What a build read and wrote, for the closing summary."""

    out: Path
    files: int
    papers: int
    entries: int
    records: int
    rejections: int
    boards: int
    written: tuple[str, ...]
    seconds: float
    problems: tuple[str, ...]
    failures: int = 0  # of the problems, papers or rules whose extraction failed


def _count(value: Any) -> int:
    return value if isinstance(value, int) else len(value)


def render_reports(result: Any, max_rows: int | None = MAX_ROWS) -> dict[str, str]:
    """Every output file's name and text, from a pipeline ``RunResult`` (all in memory)."""
    files: dict[str, str] = {}
    _render(result, lambda name, chunks: files.__setitem__(name, "".join(chunks)), max_rows)
    return dict(sorted(files.items()))


Write = Callable[[str, Iterable[str]], None]


@dataclass(frozen=True)
class _BoardSummary:
    """What the index shows of a board, without its rows (see `leaderboard.board.Board`)."""

    rule: RuleInfo
    metric: str
    dataset: str | None
    title: str
    entries: int
    deltas: range
    best_rows: pd.DataFrame

    @property
    def benchmark(self) -> str:
        return self.rule.id

    def best(self) -> pd.DataFrame:
        return self.best_rows


def _summary(board: Board) -> _BoardSummary:
    return _BoardSummary(board.rule, board.metric, board.dataset, board.title, board.entries,
                         range(len(board.deltas)), board.best().copy())  # fmt: skip


def _render(result: Any, write: Write, max_rows: int | None) -> list[_BoardSummary]:
    """Render every output of ``result`` through ``write``, one benchmark at a time; the index's boards.

    A benchmark's records are read as its boards are made and dropped once
    they are rows; its CSV is written a chunk at a time, and its Markdown and
    LaTeX tables hold at most ``max_rows`` rows each.
    """
    summaries: list[_BoardSummary] = []
    records = 0
    for benchmark, group in _by_benchmark(result.records):
        counted = _Counted(group)
        found = boards(counted, result.rules)
        rule = found[0].rule
        write(f"{benchmark}.md", [markdown.render_page(rule, found, max_rows)])
        write(f"{benchmark}.csv", csv.iter_csv(found))
        write(f"{benchmark}.tex", [latex.render_tex(rule, found, max_rows)])
        summaries.extend(_summary(board) for board in found)
        records += counted.count
    stats = index.IndexStats(
        files=_count(result.report.files_read),
        papers=_count(result.papers),
        records=records,
        rejections=len(result.rejections),
    )
    idle = sorted(set(result.rules) - {summary.benchmark for summary in summaries})
    write("README.md", [index.render_index(summaries, stats, idle)])  # type: ignore[arg-type]
    write("records.jsonl", _records_jsonl(result.records))
    write("rejections.csv", _rejections_csv(result.rejections))
    return summaries


class _Counted:
    """An iterable that counts what passes through it."""

    def __init__(self, items: Iterable[Any]) -> None:
        self._items, self.count = items, 0

    def __iter__(self) -> Iterator[Any]:
        for item in self._items:
            self.count += 1
            yield item


def _by_benchmark(records: Iterable[Record]) -> Iterator[tuple[str, Iterable[Record]]]:
    """Each benchmark (sorted) with its records sorted by id: streamed from a spill, or sorted here."""
    by_benchmark = getattr(records, "by_benchmark", None)
    if by_benchmark is not None:
        yield from by_benchmark()
        return
    ordered = sorted(records, key=lambda record: (record.benchmark, record.id))
    yield from groupby(ordered, key=lambda record: record.benchmark)


def _records_jsonl(records: Iterable[Record]) -> Iterator[str]:
    """``records.jsonl``: one JSON record per line, sorted by id."""
    lines = getattr(records, "lines", None)
    if lines is not None:
        for line in lines("id"):
            yield f"{line}\n"
        return
    for record in sorted(records, key=lambda record: record.id):
        yield f"{record.model_dump_json()}\n"


def _rejections_csv(rejections: Iterable[Rejection]) -> Iterator[str]:
    """``rejections.csv``, rendered a chunk at a time (the header once)."""
    lines = getattr(rejections, "lines", None)
    if lines is None:
        yield csv.render_rejections(rejections)
        return
    chunk: list[Rejection] = []
    header = True
    for line in lines("report"):
        chunk.append(Rejection.model_validate_json(line))
        if len(chunk) == _CHUNK:
            yield _csv_chunk(chunk, header)
            chunk, header = [], False
    if chunk or header:
        yield _csv_chunk(chunk, header)


def _csv_chunk(rejections: list[Rejection], header: bool) -> str:
    text = csv.render_rejections(rejections)  # already in its order: the sort keeps it
    return text if header else text.split("\n", 1)[1]


class _Staging:
    """A folder next to ``out`` that files are written into, then moved into ``out`` together."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.names: list[str] = []
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
        except OSError as error:
            raise LeaderboardError(f"{out}: cannot write reports: {error}") from None

    def write(self, name: str, chunks: Iterable[str]) -> None:
        try:
            with open(self.folder / name, "wb") as handle:
                for chunk in chunks:
                    for start in range(0, len(chunk), _SLICE):  # a large page is not encoded all at once
                        handle.write(chunk[start : start + _SLICE].encode("utf-8"))
        except OSError as error:
            raise LeaderboardError(f"{self.out}: cannot write reports: {error}") from None
        self.names.append(name)

    def commit(self) -> tuple[str, ...]:
        """Write the manifest, move every file into ``out``, delete stale files; the names written, sorted."""
        names = sorted(self.names)
        out = self.out
        try:
            (self.folder / MANIFEST).write_bytes("".join(f"{name}\n" for name in names).encode("utf-8"))
            out.mkdir(exist_ok=True)
            stale = _previous(out) - set(names)
            for name in [*names, MANIFEST]:
                os.replace(self.folder / name, out / name)
            for name in sorted(stale):
                (out / name).unlink(missing_ok=True)
        except OSError as error:
            raise LeaderboardError(f"{out}: cannot write reports: {error}") from None
        return tuple(names)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _previous(out: Path) -> set[str]:
    """Plain file names the last build listed in its manifest."""
    try:
        names = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return set()
    return {name for name in names if name and Path(name).name == name and not name.startswith(".")}


def write_reports(files: Mapping[str, str], out: str | Path) -> tuple[str, ...]:
    """Write ``files`` into ``out`` through a staging folder; delete stale files.

    Returns the names written, sorted.
    """
    staging = _Staging(Path(out))
    try:
        for name in sorted(files):
            staging.write(name, [files[name]])
        return staging.commit()
    finally:
        staging.remove()


def build(
    sources: Sequence[str | Path] = ("corpus",),
    *,
    rules_dir: str | Path = "rules",
    out: str | Path = "reports",
    format: str | None = None,
    progress: bool = True,
    jobs: int | None = None,
    engine: str | None = None,
    scheduler: str | None = None,
    max_rows: int | None = MAX_ROWS,
) -> BuildSummary:
    """Read ``sources``, extract records with the rules in ``rules_dir``, write ``out``.

    Writes ``<benchmark>.md``, ``.csv`` and ``.tex`` for every benchmark with
    records, ``README.md`` (the index), ``records.jsonl`` and
    ``rejections.csv``. Problems with single inputs (a malformed file) or
    single papers (an extraction that failed) do not stop the build; they are
    returned in the summary. ``jobs``, ``engine`` and ``scheduler`` choose
    where extraction runs (`leaderboard.pipeline.run`); the files are the
    same on all of them. Each Markdown and LaTeX table shows at most
    ``max_rows`` rows (None or 0: all); the CSVs hold every row.
    """
    started = time.perf_counter()
    pipeline = importlib.import_module("leaderboard.pipeline")
    options = {name: value for name, value in (("jobs", jobs), ("engine", engine), ("scheduler", scheduler))
               if value is not None}  # fmt: skip
    result = pipeline.run(list(sources), rules_dir=rules_dir, format=format, progress=progress, **options)
    try:
        staging = _Staging(Path(out))
        try:
            summaries = _render(result, staging.write, max_rows)
            written = staging.commit()
        finally:
            staging.remove()
        return BuildSummary(
            out=Path(out),
            files=_count(result.report.files_read),
            papers=_count(result.papers),
            entries=_count(result.report.entries),
            records=len(result.records),
            rejections=len(result.rejections),
            boards=sum(1 for summary in summaries if summary.entries),
            written=written,
            seconds=time.perf_counter() - started,
            problems=tuple(str(problem) for problem in result.report.problems),
            failures=getattr(result, "failures", 0),
        )
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
