"""`leaderboard extract`: records as JSON lines, rejections beside them."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from ..model import Record
from ..pipeline import run
from ._common import DEFAULT_CORPUS, DEFAULT_RULES, EXIT_SKIPPED, fail_cleanly
from ._engine import engine_kwargs, engine_options

REJECTION_FIELDS = ("source", "paper", "paper_id", "span", "reported", "benchmark", "rule", "reason", "quote")


@click.command(name="extract")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=DEFAULT_RULES, show_default=True, help="Folder of rule files.")
@click.option("--format", "format_", default=None, help="Input format, instead of sniffing (dailypapers, arxiv-json, atom, bibtex).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write records here (JSON lines) instead of standard output.")
@click.option("--rejections", type=click.Path(path_type=Path), default=None, help="Rejected candidates as CSV [default: rejections.csv beside --output, else not written].")
@engine_options
@fail_cleanly
def command(
    sources: tuple[Path, ...], rules_dir: Path, format_: str | None, output: Path | None, rejections: Path | None,
    jobs: int | None, engine: str | None, scheduler: str | None,
) -> None:
    """Extract records from SOURCES (default: corpus/) as JSON lines, with full provenance."""
    options = engine_kwargs(jobs, engine, scheduler)
    result = run(list(sources) or [DEFAULT_CORPUS], rules_dir=rules_dir, format=format_, progress=sys.stderr.isatty(),
                 **options)
    try:
        if output is None:
            for chunk in _record_chunks(result.records):
                click.echo(chunk, nl=False)
        else:
            with output.open("w", encoding="utf-8") as handle:
                handle.writelines(_record_chunks(result.records))
            rejections = rejections or output.with_name("rejections.csv")
        if rejections is not None:
            write_rejections(result.rejections, rejections)
        for problem in result.report.problems:
            click.echo(f"Warning: {problem}", err=True)
        click.echo(
            f"{result.report.files_read} files, {result.report.entries} entries, {result.papers} papers, "
            f"{len(result.records)} records, {len(result.rejections)} rejected candidates",
            err=True,
        )
    finally:
        result.close()
    if result.report.skipped:
        sys.exit(EXIT_SKIPPED)


def _record_chunks(records: Iterable[Record], size: int = 1000) -> Iterator[str]:
    """The records' JSON lines (in the pipeline's order), joined a thousand at a time."""
    lines = records.lines() if hasattr(records, "lines") else (record.model_dump_json() for record in records)
    chunk: list[str] = []
    for line in lines:
        chunk.append(f"{line}\n")
        if len(chunk) == size:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def write_rejections(rejections, path: Path) -> None:
    """Every rejected candidate as one CSV row, with the reason."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(REJECTION_FIELDS)
        for rejection in rejections:
            row = rejection.model_dump()
            row["span"] = f"{rejection.span[0]}-{rejection.span[1]}"
            writer.writerow([row[name] if row[name] is not None else "" for name in REJECTION_FIELDS])
