"""``leaderboard build``: sources to the files under ``reports/``, atomically.

`build` runs the pipeline, renders every output in memory, writes them into
a staging folder next to ``out`` and only then moves them into ``out`` one by
one with `os.replace`. A build that fails while reading, extracting or
rendering leaves the previous reports untouched. Files that the previous
build wrote (listed in ``out/.leaderboard-files``) and this one did not, such
as the pages of a benchmark that has no records any more, are deleted.

Outputs are byte-identical for the same inputs: everything is sorted, and no
time or absolute path reaches a file (the elapsed seconds go only to the
returned summary).
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .board import Board, boards
from .errors import LeaderboardError
from .records_io import dump_records
from .render import csv, index, latex, markdown

__all__ = ["BuildSummary", "MANIFEST", "build", "render_reports", "write_reports"]

#: The list of files the last build wrote, kept in ``out`` to find stale ones.
MANIFEST = ".leaderboard-files"


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


def _count(value: Any) -> int:
    return value if isinstance(value, int) else len(value)


def render_reports(result: Any) -> dict[str, str]:
    """Every output file's name and text, from a pipeline ``RunResult``."""
    return _render(result)[0]


def _render(result: Any) -> tuple[dict[str, str], list[Board]]:
    records = sorted(result.records, key=lambda record: record.id)
    found = boards(records, result.rules)
    by_benchmark: dict[str, list[Board]] = defaultdict(list)
    for board in found:
        by_benchmark[board.benchmark].append(board)
    files: dict[str, str] = {}
    for benchmark, group in sorted(by_benchmark.items()):
        rule = group[0].rule
        files[f"{benchmark}.md"] = markdown.render_page(rule, group)
        files[f"{benchmark}.csv"] = csv.render_csv(group)
        files[f"{benchmark}.tex"] = latex.render_tex(rule, group)
    stats = index.IndexStats(
        files=_count(result.report.files_read),
        papers=_count(result.papers),
        records=len(records),
        rejections=len(result.rejections),
    )
    idle = sorted(set(result.rules) - set(by_benchmark))
    files["README.md"] = index.render_index(found, stats, idle)
    files["records.jsonl"] = dump_records(records)
    files["rejections.csv"] = csv.render_rejections(result.rejections)
    return dict(sorted(files.items())), found


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
    out = Path(out)
    names = sorted(files)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
    except OSError as error:
        raise LeaderboardError(f"{out}: cannot write reports: {error}") from None
    try:
        for name in names:
            (staging / name).write_bytes(files[name].encode("utf-8"))
        (staging / MANIFEST).write_bytes("".join(f"{name}\n" for name in names).encode("utf-8"))
        out.mkdir(exist_ok=True)
        stale = _previous(out) - set(names)
        for name in [*names, MANIFEST]:
            os.replace(staging / name, out / name)
        for name in sorted(stale):
            (out / name).unlink(missing_ok=True)
    except OSError as error:
        raise LeaderboardError(f"{out}: cannot write reports: {error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return tuple(names)


def build(
    sources: Sequence[str | Path] = ("corpus",),
    *,
    rules_dir: str | Path = "rules",
    out: str | Path = "reports",
    format: str | None = None,
    progress: bool = True,
) -> BuildSummary:
    """Read ``sources``, extract records with the rules in ``rules_dir``, write ``out``.

    Writes ``<benchmark>.md``, ``.csv`` and ``.tex`` for every benchmark with
    records, ``README.md`` (the index), ``records.jsonl`` and
    ``rejections.csv``. Problems with single inputs (a malformed file) do not
    stop the build; they are returned in the summary.
    """
    started = time.perf_counter()
    pipeline = importlib.import_module("leaderboard.pipeline")
    result = pipeline.run(list(sources), rules_dir=rules_dir, format=format, progress=progress)
    files, found = _render(result)
    written = write_reports(files, out)
    return BuildSummary(
        out=Path(out),
        files=_count(result.report.files_read),
        papers=_count(result.papers),
        entries=_count(result.report.entries),
        records=len(result.records),
        rejections=len(result.rejections),
        boards=sum(1 for board in found if board.entries),
        written=written,
        seconds=time.perf_counter() - started,
        problems=tuple(str(problem) for problem in result.report.problems),
    )
