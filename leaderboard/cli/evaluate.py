"""`leaderboard evaluate` (placeholder until its issue lands)."""

import click


@click.command(name="eval")
def command() -> None:
    """Not built yet."""
    raise click.ClickException("not built yet")
