"""``reports/README.md``: every board on one page, with relative links.

One row per board: benchmark (linked to its page), metric and dataset (linked
to the board's heading), better direction, ranked entries, deltas, and the
best entry (every model tied for first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tabulate import tabulate

from ..board import Board
from ._cells import GENERATED, github_anchor, md_escape, text_or

__all__ = ["IndexStats", "render_index"]

_HEADERS = ("benchmark", "metric", "dataset", "better", "entries", "deltas", "best")


@dataclass(frozen=True)
class IndexStats:
    """The counts the index page states (no times, no paths: output stays byte-identical)."""

    files: int
    papers: int
    records: int
    rejections: int


def _best(board: Board) -> str:
    best = board.best()
    if best.empty:
        return "—"
    return "; ".join(
        f"{md_escape(text_or(row['model'], '(unnamed)'))} ({md_escape(str(row['display']))})"
        for row in best.to_dict(orient="records")
    )


def _row(board: Board) -> list[str]:
    page = f"{board.benchmark}.md"
    anchor = f"{page}#{github_anchor(board.title)}" if board.entries else f"{page}#deltas"
    return [
        f"[{md_escape(board.rule.name)}]({page})",
        f"[{md_escape(board.metric)}]({anchor})",
        md_escape(board.dataset) if board.dataset else "—",
        f"{board.rule.better} {'↓' if board.rule.lower_is_better else '↑'}",
        str(board.entries),
        str(len(board.deltas)),
        _best(board),
    ]


def render_index(boards: Sequence[Board], stats: IndexStats, idle: Sequence[str] = ()) -> str:
    """The index page; ``idle`` names benchmarks whose rules found no records."""
    lines = [
        "# Leaderboards",
        "",
        f"<!-- {GENERATED} -->",
        "",
        f"{stats.records} records from {stats.papers} papers in {stats.files} source files. "
        f"Every record with its provenance: [records.jsonl](records.jsonl); "
        f"{stats.rejections} rejected candidates with the reason: [rejections.csv](rejections.csv).",
        "",
        tabulate([_row(board) for board in boards], headers=list(_HEADERS), tablefmt="github", disable_numparse=True),
    ]
    if idle:
        lines += ["", f"No records yet: {md_escape(', '.join(sorted(idle)))}."]
    return "\n".join(lines) + "\n"
