"""CSV through pandas: a benchmark's boards with every column, and the rejections.

A benchmark's CSV holds its ranked rows (board order, rank order) and then its
deltas (empty rank), with every column of `leaderboard.board.COLUMNS`,
provenance included: source and its sha256, span and quote span start/end,
quote, rule and its sha256, package version and record id. Floats are
written at full precision (shortest round-trip form), line endings are
``\\n``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..board import COLUMNS, Board
from ..model import Rejection

__all__ = ["render_csv", "render_rejections", "REJECTION_COLUMNS"]

REJECTION_COLUMNS = (
    "source", "span_start", "span_end", "paper", "paper_id", "benchmark", "rule",
    "reported", "reason", "quote",
)  # fmt: skip


def _to_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def render_csv(boards: Sequence[Board]) -> str:
    """Every row of one benchmark's boards, ranked rows first, then deltas."""
    frames = [board.table for board in boards] + [board.deltas for board in boards]
    frames = [frame for frame in frames if len(frame)]
    if not frames:
        return _to_csv(pd.DataFrame(columns=list(COLUMNS)))
    return _to_csv(pd.concat(frames, ignore_index=True)[list(COLUMNS)])


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
