"""What every subcommand shares: exit codes, error printing, default paths."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import LeaderboardError

__all__ = ["EXIT_OK", "EXIT_FAILED", "EXIT_SKIPPED", "DEFAULT_CORPUS", "DEFAULT_RULES", "DEFAULT_REPORTS", "fail_cleanly", "warn"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_SKIPPED = 3

DEFAULT_CORPUS = Path("corpus")
DEFAULT_RULES = Path("rules")
DEFAULT_REPORTS = Path("reports")

F = TypeVar("F", bound=Callable[..., Any])


def warn(message: str) -> None:
    """Print one warning line on standard error."""
    click.echo(f"Warning: {message}", err=True)


def fail_cleanly(func: F) -> F:
    """Turn a `LeaderboardError` raised by ``func`` into ``Error: ...`` and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LeaderboardError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(EXIT_FAILED)

    return wrapper  # type: ignore[return-value]
