"""`leaderboard papers` (placeholder until its issue lands)."""

import click


@click.command(name="papers")
def command() -> None:
    """Not built yet."""
    raise click.ClickException("not built yet")
