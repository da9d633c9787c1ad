"""`leaderboard rules catalogue`: regenerate the README's rule catalogue, or check it is fresh."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..catalogue import update_readme
from ._common import DEFAULT_RULES, EXIT_FAILED, fail_cleanly

__all__ = ["command"]


@click.command(name="catalogue")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=DEFAULT_RULES, show_default=True, help="Folder of rule files.")
@click.option("--readme", type=click.Path(path_type=Path, dir_okay=False), default=Path("README.md"), show_default=True, help="File with the catalogue markers.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the catalogue is stale.")
@fail_cleanly
def command(rules_dir: Path, readme: Path, check: bool) -> None:
    """Write the table of rules between <!-- catalogue:start --> and <!-- catalogue:end -->."""
    stale = update_readme(readme, rules_dir, check=check)
    if check and stale:
        click.echo(f"Error: {readme}: the rule catalogue is stale; run: leaderboard rules catalogue", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"{readme}: rule catalogue {'updated' if stale and not check else 'up to date'}")
