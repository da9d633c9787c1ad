"""`leaderboard rules` (placeholder until its issue lands)."""

import click


@click.command(name="rules")
def command() -> None:
    """Not built yet."""
    raise click.ClickException("not built yet")
