"""`leaderboard build` (placeholder until its issue lands)."""

import click


@click.command(name="build")
def command() -> None:
    """Not built yet."""
    raise click.ClickException("not built yet")
