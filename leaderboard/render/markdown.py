"""A benchmark's Markdown page: header, one ranked table per board, then deltas.

Tables are tabulate ``github`` tables; every cell is escaped (``|`` too), the
evidence column quotes at most about 120 characters around the number, which
is set in bold, and papers link to arXiv when their id is known. A page is
meant to be read and pasted: with ``max_rows``, each table shows its first
rows and says how many more the benchmark's CSV holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from tabulate import tabulate

from ..board import Board
from ..ruleinfo import RuleInfo
from ._cells import GENERATED, evidence, md_escape, paper_link, plural, shown_rows, text_or, unit_label

__all__ = ["render_page", "UNNAMED"]

UNNAMED = "(unnamed)"
_RANKED_HEADERS = ("rank", "model", "value", "dataset", "paper", "evidence", "notes")
_DELTA_HEADERS = ("metric", "dataset", "model", "value", "unit", "baseline model", "context", "paper", "evidence")


def _evidence(row: Mapping[str, Any]) -> str:
    return evidence(str(row["quote"]), str(row["reported"]), int(row["span_start"]) - int(row["quote_start"]))


def _notes(row: Mapping[str, Any]) -> str:
    notes = []
    if row["bound"]:
        notes.append("bound")
    if row["conflict"]:
        notes.append(f"conflict: also {row['conflict_with']}")
    return md_escape("; ".join(notes))


def _cell(value: Any, missing: str = "—") -> str:
    text = text_or(value, "")
    return md_escape(text) if text else missing


def _ranked_row(row: Mapping[str, Any]) -> list[str]:
    return [
        str(row["rank"]),
        _cell(row["model"], UNNAMED),
        md_escape(str(row["display"])),
        _cell(row["dataset"]),
        paper_link(row),
        _evidence(row),
        _notes(row),
    ]


def _delta_row(row: Mapping[str, Any]) -> list[str]:
    return [
        md_escape(str(row["metric"])),
        _cell(row["dataset"]),
        _cell(row["model"], UNNAMED),
        md_escape(str(row["display"])),
        md_escape(str(row["unit"])),
        _cell(row["baseline_model"]),
        _cell(row["context"]),
        paper_link(row),
        _evidence(row),
    ]


def _table(frame: pd.DataFrame, headers: Sequence[str], make_row: Any) -> str:
    rows = [make_row(row) for row in frame.to_dict(orient="records")]
    return tabulate(rows, headers=list(headers), tablefmt="github", disable_numparse=True)


def _header(rule: RuleInfo, boards: Sequence[Board]) -> list[str]:
    metrics = list(dict.fromkeys(board.metric for board in boards))
    arrow = "↓" if rule.lower_is_better else "↑"
    ranked = sum(board.entries for board in boards)
    changes = sum(len(board.deltas) for board in boards)
    return [
        f"# {md_escape(rule.name)}",
        "",
        f"<!-- {GENERATED} -->",
        "",
        f"- **Metric{'s' if len(metrics) > 1 else ''}:** {md_escape(', '.join(metrics))}",
        f"- **Unit:** {unit_label(rule.unit)}",
        f"- **Better:** {rule.better} {arrow}",
        f"- **Entries:** {ranked} ranked, {plural(changes, 'delta')}",
        f"- **Files:** [CSV]({rule.id}.csv) (every column, with provenance), [LaTeX]({rule.id}.tex)",
    ]


def _capped(rule: RuleInfo, frame: pd.DataFrame, headers: Sequence[str], make_row: Any, max_rows: int | None) -> list[str]:
    """The table of ``frame``'s first ``max_rows`` rows, and a line saying where the rest are."""
    shown = shown_rows(len(frame), max_rows)
    lines = [_table(frame.head(shown), headers, make_row)]
    if shown < len(frame):
        lines += ["", f"*First {shown:,} of {len(frame):,} rows; every row is in [{rule.id}.csv]({rule.id}.csv).*"]
    return lines


def render_page(rule: RuleInfo, boards: Sequence[Board], max_rows: int | None = None) -> str:
    """The Markdown page of one benchmark (its boards, in board order).

    With ``max_rows``, each ranked table and the deltas show at most that many rows.
    """
    lines = _header(rule, boards)
    for board in boards:
        if board.entries:
            lines += ["", f"## {md_escape(board.title)}", ""]
            lines += _capped(rule, board.table, _RANKED_HEADERS, _ranked_row, max_rows)
    changes = [board.deltas for board in boards if len(board.deltas)]
    if changes:
        lines += [
            "",
            "## Deltas",
            "",
            "Changes against a baseline, in the unit shown; positive is an improvement. Not ranked.",
            "",
        ]
        lines += _capped(rule, pd.concat(changes, ignore_index=True), _DELTA_HEADERS, _delta_row, max_rows)
    return "\n".join(lines) + "\n"
