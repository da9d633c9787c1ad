"""`leaderboard papers`: list the distinct papers the sources hold."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..model import Paper
from ..sources import FORMATS, ReadReport, merge_papers, read_papers
from ._common import DEFAULT_CORPUS, EXIT_OK, EXIT_SKIPPED, fail_cleanly


@click.command(name="papers")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "format_", type=click.Choice(sorted(FORMATS)),
              help="Read every file in this format (default: sniffed per file).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per paper on stdout.")
@click.option("--limit", type=click.IntRange(min=0), help="List at most N papers (counts cover all).")
@fail_cleanly
def command(sources: tuple[Path, ...], format_: str | None, as_json: bool, limit: int | None) -> None:
    """List the distinct papers in SOURCES (files or directories; default: corpus/)."""
    report = ReadReport()
    papers = merge_papers(read_papers(sources or (DEFAULT_CORPUS,), format=format_, report=report))
    shown = papers if limit is None else papers[:limit]
    if as_json:
        for paper in shown:
            click.echo(json.dumps(paper.model_dump(mode="json"), ensure_ascii=False))
    else:
        _table(shown)
    _summary(report, len(papers))
    sys.exit(EXIT_SKIPPED if report.skipped else EXIT_OK)


def _table(papers: list[Paper]) -> None:
    """Print the papers as a rich table on stdout (rich is imported here: the other commands never load it)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout, soft_wrap=False)
    table = Table()
    table.add_column("Title", max_width=max(console.width - 50, 20), no_wrap=True, overflow="ellipsis")
    table.add_column("arXiv", no_wrap=True, min_width=10)
    table.add_column("Date", no_wrap=True, min_width=12)
    table.add_column("Sources", justify="right", no_wrap=True, min_width=7)
    for paper in papers:
        table.add_row(paper.title, paper.arxiv_id or "", paper.date or "", str(len(paper.sources)))
    console.print(table)


def _summary(report: ReadReport, distinct: int) -> None:
    """Counts, then every skipped file or line, on stderr."""
    line = (f"{report.files_read} file(s) read, {report.entries} entries, {distinct} distinct papers"
            f", {report.files_skipped} file(s) skipped, {len(report.problems)} problem(s)")
    if report.no_abstract:
        line += f", {report.no_abstract} entries without an abstract"
    click.echo(line, err=True)
    for problem in report.problems:
        click.echo(f"Skipped: {problem}", err=True)
