"""`leaderboard verify` (placeholder until its issue lands)."""

import click


@click.command(name="verify")
def command() -> None:
    """Not built yet."""
    raise click.ClickException("not built yet")
