"""`leaderboard extract` (placeholder until its issue lands)."""

import click


@click.command(name="extract")
def command() -> None:
    """Not built yet."""
    raise click.ClickException("not built yet")
