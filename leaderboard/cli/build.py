"""`leaderboard build`: read sources, extract records, write the reports."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..build import MAX_ROWS, build
from ._common import DEFAULT_CORPUS, DEFAULT_REPORTS, DEFAULT_RULES, EXIT_SKIPPED, fail_cleanly, warn
from ._engine import engine_kwargs, engine_options

__all__ = ["command"]


@click.command(name="build")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=DEFAULT_RULES, show_default=True,
              help="Folder of rule files.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_REPORTS, show_default=True,
              help="Folder the reports are written to (replaced atomically).")
@click.option("--format", "format_", metavar="NAME", default=None,
              help="Read every source with this reader instead of sniffing the format.")
@click.option("--rows", "max_rows", type=click.IntRange(min=0), default=MAX_ROWS, show_default=True, metavar="N",
              help="Rows per table on the Markdown and LaTeX pages; 0 shows every row. The CSVs hold every row.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary; warnings only.")
@engine_options
@fail_cleanly
def command(
    sources: tuple[Path, ...], rules_dir: Path, out: Path, format_: str | None, max_rows: int, quiet: bool,
    jobs: int | None, engine: str | None, scheduler: str | None,
) -> None:
    """Build the leaderboards from SOURCES (files or folders; default: corpus/).

    Writes a Markdown page, a CSV and a LaTeX file per benchmark, an index
    (README.md), records.jsonl and rejections.csv into --out. Exits 3 when
    some input was skipped or some paper failed to extract (the warnings say
    which; the rest is built).
    """
    options = engine_kwargs(jobs, engine, scheduler)
    summary = build(sources or (DEFAULT_CORPUS,), rules_dir=rules_dir, out=out, format=format_, progress=not quiet,
                    max_rows=max_rows, **options)
    for problem in summary.problems:
        warn(problem)
    if not quiet:
        click.echo(
            f"Read {summary.files} files, {summary.papers} papers ({summary.entries} entries): "
            f"{summary.records} records, {summary.rejections} rejections; "
            f"{summary.boards} boards written to {summary.out}/ in {summary.seconds:.1f}s."
        )
    if summary.problems:
        if not quiet:
            skipped = len(summary.problems) - summary.failures
            if skipped:
                click.echo(f"{skipped} inputs skipped (see the warnings above).", err=True)
            if summary.failures:
                click.echo(f"{summary.failures} extraction failures (see the warnings above).", err=True)
        sys.exit(EXIT_SKIPPED)
