"""`leaderboard verify`: check every record's quote against its source."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..records_io import read_records
from ..verify import verify
from ._common import DEFAULT_REPORTS, EXIT_FAILED, fail_cleanly

__all__ = ["command"]


def _count(number: int, noun: str, suffix: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}{suffix}"


@click.command(name="verify")
@click.argument("records", type=click.Path(path_type=Path), default=DEFAULT_REPORTS / "records.jsonl")
@fail_cleanly
def command(records: Path) -> None:
    """Re-read the sources of RECORDS (default: reports/records.jsonl) and check every record.

    Checks each source's sha256, that each quote and reported number is still
    at its span, and that each record's id still matches its fields. Exits 1
    on any mismatch.
    """
    mismatches = verify(records)
    for mismatch in mismatches:
        click.echo(f"{records}:{mismatch.line}: {mismatch}")
    if mismatches:
        affected = len({mismatch.line for mismatch in mismatches})
        click.echo(f"{_count(len(mismatches), 'mismatch', 'es')} in {_count(affected, 'record', 's')}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"{len(read_records(records))} records verified")
