"""Run one function over units of work: in this process, in a process pool, or on Dask.

Every engine calls the same ``task(unit, payload)`` on every unit and hands
the results back in unit order, whatever order they finish in, so the
caller's merge (and so every output) is the same on all of them. At most a
few results per worker wait in memory at any time.

- ``local`` with one job: a loop in this process.
- ``local`` with N jobs: a pool of N forked processes; ``payload`` (the
  rules) is sent to each process once, when it starts.
- ``dask``: a `dask.bag` of the units, computed with Dask's multiprocessing
  scheduler on N processes; or, given the address of a `dask.distributed`
  scheduler, on that cluster, with ``payload`` scattered to every worker
  once. Dask is imported only here, and only when asked for.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from .errors import LeaderboardError

__all__ = ["ENGINES", "default_jobs", "run_units"]

ENGINES = ("local", "dask")

Task = Callable[[Any, Any], Any]


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_units(
    task: Task,
    units: Sequence[Any],
    payload: Any,
    *,
    engine: str = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
) -> Iterator[Any]:
    """``task(unit, payload)`` for every unit, results in unit order."""
    if engine not in ENGINES:
        raise LeaderboardError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if jobs is not None and jobs < 1:
        raise LeaderboardError(f"--jobs must be at least 1, not {jobs}")
    if scheduler is not None and engine != "dask":
        raise LeaderboardError("--scheduler needs --engine dask")
    jobs = jobs or default_jobs()
    if engine == "dask":
        if scheduler is not None:
            return _distributed(task, units, payload, scheduler)
        return _dask_bag(task, units, payload, jobs)
    if jobs == 1 or len(units) <= 1:
        return (task(unit, payload) for unit in units)
    return _pool(task, units, payload, min(jobs, len(units)))


# --------------------------------------------------------------------------- a process pool

_PAYLOAD: dict[str, Any] = {}


def _start_worker(payload: Any) -> None:
    _PAYLOAD["payload"] = payload


def _in_worker(task: Task, unit: Any) -> Any:
    return task(unit, _PAYLOAD["payload"])


def _context() -> Any:
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def _pool(task: Task, units: Sequence[Any], payload: Any, workers: int) -> Iterator[Any]:
    """The pool starts, and its first units run, before this returns (before any thread of the caller's)."""
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker, initargs=(payload,))
    try:
        return _in_order(lambda unit: pool.submit(_in_worker, task, unit), units, 2 * workers, pool.shutdown)
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise


def _in_order(
    submit: Callable[[Any], Future], units: Sequence[Any], window: int, done: Callable[..., Any] | None = None
) -> Iterator[Any]:
    """Start ``window`` units now; then yield results in unit order, keeping ``window`` running."""
    pending = iter(units)
    running: deque[Future] = deque(submit(unit) for _, unit in zip(range(window), pending))

    def results() -> Iterator[Any]:
        try:
            while running:
                result = running.popleft().result()
                for unit in pending:
                    running.append(submit(unit))
                    break
                yield result
        finally:
            for future in running:
                future.cancel()
            if done is not None:
                done(cancel_futures=True)

    return results()


# --------------------------------------------------------------------------- Dask


def _import_dask() -> Any:
    try:
        import dask.bag
    except ImportError:
        raise LeaderboardError("--engine dask needs Dask: pip install 'leaderboard[dask]'") from None
    return dask.bag


def _dask_bag(task: Task, units: Sequence[Any], payload: Any, jobs: int) -> Iterator[Any]:
    """A bag of the units, one per partition, computed a window at a time on a process pool."""
    bag_module = _import_dask()
    import dask

    partitions = bag_module.from_sequence(units, npartitions=max(len(units), 1)).map(task, payload).to_delayed()
    window = 2 * jobs
    with ProcessPoolExecutor(jobs, mp_context=_context()) as pool:
        for start in range(0, len(partitions), window):
            computed = dask.compute(*partitions[start : start + window], scheduler="processes", pool=pool)
            for partition in computed:
                yield from partition


def _distributed(task: Task, units: Sequence[Any], payload: Any, address: str) -> Iterator[Any]:
    """The units as tasks on a `dask.distributed` cluster, the payload scattered once."""
    _import_dask()
    try:
        from distributed import Client
    except ImportError:
        raise LeaderboardError("--scheduler needs dask.distributed: pip install 'leaderboard[dask]'") from None
    try:
        client = Client(address, set_as_default=False)  # waits distributed.comm.timeouts.connect
    except (OSError, TimeoutError) as error:
        raise LeaderboardError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    with client:
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        shared = client.scatter(payload, broadcast=True)
        submit = lambda unit: client.submit(task, unit, shared, pure=False)  # noqa: E731
        yield from _in_order(submit, units, 2 * workers)
