"""A benchmark's LaTeX file: one complete ``table`` environment per ranked board.

Ready for ``\\input{reports/<id>.tex}`` in a document that loads
``booktabs``. Cells are escaped by tabulate's ``latex_booktabs`` format;
captions and labels are escaped here with the same rules. Deltas are not
typeset (they are in the Markdown page and the CSV). With ``max_rows``, a
table sets its first rows and its caption says how many there are in all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tabulate import tabulate

from ..board import Board
from ..ruleinfo import RuleInfo
from ._cells import GENERATED, UNIT_LABELS, shorten, shown_rows, slug, text_or

__all__ = ["render_tex", "latex_escape"]

_ESCAPES = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\^{}",
    "<": r"\ensuremath{<}", ">": r"\ensuremath{>}",
}  # fmt: skip


def latex_escape(text: str) -> str:
    r"""Escape LaTeX special characters, as tabulate does for cells.

    >>> print(latex_escape("FID_1 & 50% < 2"))
    FID\_1 \& 50\% \ensuremath{<} 2
    """
    return "".join(_ESCAPES.get(char, char) for char in text)


def _paper(row: Mapping[str, Any]) -> str:
    paper_id = text_or(row["paper_id"], "")
    return f"arXiv:{paper_id}" if paper_id else shorten(str(row["paper"]), 40)


def _note(row: Mapping[str, Any]) -> str:
    return ", ".join(name for name in ("bound", "conflict") if row[name])


def _caption(rule: RuleInfo, board: Board, shown: int) -> str:
    where = f" on {board.dataset}" if board.dataset else ""
    unit = UNIT_LABELS.get(rule.unit, rule.unit)
    first = f" First {shown:,} of {board.entries:,} entries." if shown < board.entries else ""
    return f"{rule.name} leaderboard: {board.metric}{where} ({unit}; {rule.better} is better).{first}"


def _environment(rule: RuleInfo, board: Board, max_rows: int | None) -> str:
    shown = shown_rows(board.entries, max_rows)
    rows = [
        [str(row["rank"]), text_or(row["model"], "(unnamed)"), str(row["display"]), _paper(row), _note(row)]
        for row in board.table.head(shown).to_dict(orient="records")
    ]
    body = tabulate(
        rows,
        headers=["Rank", "Model", board.metric, "Paper", "Note"],
        tablefmt="latex_booktabs",
        colalign=("right", "left", "right", "left", "left"),
        disable_numparse=True,
    )
    label = f"tab:leaderboard-{slug(rule.id)}-{slug(board.metric)}-{slug(board.dataset or 'all')}"
    return "\n".join(
        [
            r"\begin{table}[htbp]",
            r"  \centering",
            f"  \\caption{{{latex_escape(_caption(rule, board, shown))}}}",
            f"  \\label{{{label}}}",
            body,
            r"\end{table}",
        ]
    )


def render_tex(rule: RuleInfo, boards: Sequence[Board], max_rows: int | None = None) -> str:
    """The LaTeX tables of one benchmark (needs ``\\usepackage{booktabs}``), each of at most ``max_rows`` rows."""
    parts = [f"% {rule.name}: {GENERATED}.", r"% Needs \usepackage{booktabs}; \usepackage[T1]{fontenc} prints | as typed."]
    for board in boards:
        if board.entries:
            parts += ["", _environment(rule, board, max_rows)]
    return "\n".join(parts) + "\n"
