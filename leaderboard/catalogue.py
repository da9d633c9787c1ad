"""The rule catalogue: a Markdown table of every rule, generated into the README.

The table is made from ``rules/`` alone (one row per rule, sorted by id) and
lives in the README between two markers::

    <!-- catalogue:start -->
    ...generated...
    <!-- catalogue:end -->

`update_readme` rewrites only that block; with ``check=True`` it writes
nothing and says whether the block is stale, which is what the drift test and
CI use. Refresh it with ``python scripts/update_catalogue.py`` (or
``leaderboard rules catalogue`` once that command is wired in).
"""

from __future__ import annotations

from pathlib import Path

from .errors import LocatedError
from .rulebook import LoadedRule, load_rules

__all__ = ["START", "END", "REFRESH", "CatalogueError", "has_markers", "render_catalogue", "render_table", "update_readme"]

START = "<!-- catalogue:start -->"
END = "<!-- catalogue:end -->"
REFRESH = "python scripts/update_catalogue.py"

_COLUMNS = ("id", "name", "metrics", "unit", "better", "range", "examples", "xfail", "negatives", "datasets known")


class CatalogueError(LocatedError):
    """A README whose catalogue markers are missing or out of order."""


def render_table(rules: list[LoadedRule], link_prefix: str = "rules/") -> str:
    """The Markdown table of ``rules``, one row per rule, sorted by id.

    >>> render_table([]).splitlines()[0]
    '| id | name | metrics | unit | better | range | examples | xfail | negatives | datasets known |'
    """
    lines = ["| " + " | ".join(_COLUMNS) + " |", "|" + "---|" * len(_COLUMNS)]
    for item in sorted(rules, key=lambda loaded: loaded.id):
        lines.append("| " + " | ".join(_escape(cell) for cell in _row(item, link_prefix)) + " |")
    return "\n".join(lines)


def render_catalogue(rules_dir: str | Path) -> str:
    """The whole generated block, markers included, for the rules in ``rules_dir``."""
    rules = load_rules(rules_dir)
    note = f"<!-- Generated from rules/ by `{REFRESH}`; do not edit by hand. -->"
    return "\n".join([START, note, "", render_table(rules), "", END])


def update_readme(readme_path: str | Path, rules_dir: str | Path, check: bool = False) -> bool:
    """Put a fresh catalogue between the README's markers.

    Returns whether the block was stale (and, unless ``check``, rewritten).
    Raises `CatalogueError` when the file cannot be read or its markers are
    missing or out of order, and `RuleError` when a rule does not load.
    """
    path = Path(readme_path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogueError(path, f"cannot read: {error.strerror}", hint="pass the README that holds the catalogue markers") from None
    start, end = _markers(path, text)
    fresh = text[:start] + render_catalogue(rules_dir) + text[end + len(END) :]
    if fresh == text:
        return False
    if not check:
        path.write_text(fresh, encoding="utf-8")
    return True


def has_markers(text: str) -> bool:
    """Whether ``text`` holds both catalogue markers, start before end."""
    return START in text and END in text and text.index(START) < text.index(END)


def _markers(path: Path, text: str) -> tuple[int, int]:
    if not has_markers(text):
        missing = [marker for marker in (START, END) if marker not in text]
        problem = f"missing {' and '.join(missing)}" if missing else f"{END} comes before {START}"
        raise CatalogueError(path, f"no catalogue block: {problem}", hint=f"add a line {START} and, below it, a line {END}")
    return text.index(START), text.index(END)


def _row(item: LoadedRule, link_prefix: str) -> list[str]:
    rule = item.rule
    examples = rule.examples
    return [
        f"[{rule.id}]({link_prefix}{item.path.name})",
        rule.name,
        ", ".join(rule.metric_names),
        rule.unit,
        rule.better,
        f"{rule.range.min:g}–{rule.range.max:g}",
        str(len(examples)),
        str(sum(1 for example in examples if example.xfail) + sum(1 for negative in rule.negatives if negative.xfail)),
        str(len(rule.negatives)),
        ", ".join(dataset.name for dataset in rule.datasets) or "—",
    ]


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")
