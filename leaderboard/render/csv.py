"""CSV through pandas: a benchmark's boards with every column, and the rejections.

A benchmark's CSV holds its ranked rows (board order, rank order) and then its
deltas (empty rank), with every column of `leaderboard.board.COLUMNS`,
provenance included: source and its sha256, span and quote span start/end,
quote, rule and its sha256, package version and record id. Floats are
written at full precision (shortest round-trip form), line endings are
``\\n``. `iter_csv` gives the same text a few thousand rows at a time, so a
board of any size is written without its whole CSV in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import pandas as pd

from ..board import COLUMNS, Board
from ..model import Rejection

__all__ = ["render_csv", "iter_csv", "render_rejections", "REJECTION_COLUMNS"]

#: Rows rendered at a time by `iter_csv`.
CHUNK_ROWS = 5_000

REJECTION_COLUMNS = (
    "source", "span_start", "span_end", "paper", "paper_id", "benchmark", "rule",
    "reported", "reason", "quote",
)  # fmt: skip


def _to_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def render_csv(boards: Sequence[Board]) -> str:
    """Every row of one benchmark's boards, ranked rows first, then deltas."""
    return "".join(iter_csv(boards))


def iter_csv(boards: Sequence[Board], chunk_rows: int = CHUNK_ROWS) -> Iterator[str]:
    """`render_csv`, a header and then ``chunk_rows`` rows at a time."""
    yield _to_csv(pd.DataFrame(columns=list(COLUMNS)))
    for frame in [board.table for board in boards] + [board.deltas for board in boards]:
        for start in range(0, len(frame), chunk_rows):
            yield frame.iloc[start : start + chunk_rows][list(COLUMNS)].to_csv(index=False, header=False, lineterminator="\n")


def _rejection_row(rejection: Rejection) -> dict[str, object]:
    row = rejection.model_dump(mode="python")
    row["span_start"], row["span_end"] = rejection.span
    return {column: row[column] for column in REJECTION_COLUMNS}


def _rejection_key(rejection: Rejection) -> tuple[object, ...]:
    return (rejection.source, rejection.span, rejection.benchmark or "", rejection.rule or "",
            rejection.reported, rejection.reason, rejection.paper, rejection.quote)  # fmt: skip


def render_rejections(rejections: Iterable[Rejection]) -> str:
    """Every rejection, sorted by source, span, benchmark, rule, reported, reason."""
    rows = [_rejection_row(rejection) for rejection in sorted(rejections, key=_rejection_key)]
    return _to_csv(pd.DataFrame(rows, columns=list(REJECTION_COLUMNS)))
