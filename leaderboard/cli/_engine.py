"""The options that choose where extraction runs, shared by `build` and `extract`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..engines import ENGINES

__all__ = ["engine_options", "engine_kwargs"]

F = TypeVar("F", bound=Callable[..., Any])


def engine_options(func: F) -> F:
    """Add ``--jobs``, ``--engine`` and ``--scheduler``."""
    func = click.option(
        "--scheduler", metavar="ADDRESS", default=None,
        help="With --engine dask: the address of a dask.distributed scheduler (e.g. tcp://host:8786) "
             "to run on instead of local processes.",
    )(func)
    func = click.option(
        "--engine", type=click.Choice(ENGINES), default=None,
        help="Where extraction runs: 'local' (processes of this machine) or 'dask' (a Dask bag over the "
             "inputs; needs leaderboard[dask]). Output is the same on both.  [default: local]",
    )(func)
    func = click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
        help="Processes that extract; 1 runs in this process. Output is the same for every N.  "
             "[default: every core]",
    )(func)
    return func


def engine_kwargs(jobs: int | None, engine: str | None, scheduler: str | None) -> dict[str, Any]:
    """The options given, as keyword arguments (the ones not given are left to the library's defaults)."""
    if scheduler is not None and engine not in (None, "dask"):
        raise click.UsageError("--scheduler needs --engine dask")
    if scheduler is not None:
        engine = "dask"
    given = {"jobs": jobs, "engine": engine, "scheduler": scheduler}
    return {name: value for name, value in given.items() if value is not None}
