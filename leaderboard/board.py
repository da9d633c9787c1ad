"""Records to ranked boards: one pandas table per benchmark, metric and dataset.

Board policy:

- Scores and bounds are ranked in the rule's direction (``better: lower``
  ranks the smallest value first). A bound (``<``, ``<=``, ``>``, ``>=``) is
  shown as ``< 2``, ranked by its value and flagged (``bound`` column). A
  range is ranked by its conservative end: the low end when higher is
  better, the high end when lower is better.
- Deltas (changes against a baseline) are never ranked among scores; each
  board keeps them apart in `Board.deltas`, in reading order (model, paper,
  position in the source).
- The same paper seen in several sources counts once: records are deduped by
  id, and records with the same paper (normalized title), model
  (case-insensitive), benchmark, metric, dataset (case-insensitive), kind,
  value and value_max are merged into one row, keeping the lowest record id
  and listing every source in ``sources``.
- One system (model, case-insensitive) with different values (value, range,
  kind or qualifier) for the same benchmark, metric and dataset in different
  papers keeps every row, each marked ``conflict`` with the other claims in
  ``conflict_with``. Nothing is dropped.
- Ties share a rank ("min" ranking: 1, 2, 2, 4).
- Values print with the precision the paper reported (`leaderboard.precision`).
- Order is fully deterministic: rank, value in the ranking direction, model
  (case-insensitive, unnamed last), paper, record id. Boards are ordered by
  benchmark, metric (in the rule's order) and dataset (none first).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .model import Record, normalize_title
from .precision import format_value
from .records_io import as_records, records_from_frame
from .ruleinfo import RuleInfo, rule_infos

__all__ = ["Board", "COLUMNS", "boards", "board", "deltas"]

#: Columns of every board table and deltas table, in order.
COLUMNS = (
    "benchmark", "metric", "dataset", "rank", "model", "value", "value_max", "display", "unit",
    "kind", "qualifier", "bound", "conflict", "conflict_with", "reported", "baseline",
    "baseline_model", "context", "paper", "paper_id", "sources", "source", "source_sha256",
    "span_start", "span_end", "quote_start", "quote_end", "quote", "rule", "rule_sha256",
    "version", "record_id",
)  # fmt: skip
_DTYPES = {
    "rank": "Int64", "value": "float64", "value_max": "float64", "baseline": "float64",
    "bound": "bool", "conflict": "bool", "span_start": "int64", "span_end": "int64",
    "quote_start": "int64", "quote_end": "int64",
}  # fmt: skip


@dataclass(frozen=True, eq=False)
class Board:
    """One ranked table: a benchmark's metric on one dataset, with its deltas apart."""

    rule: RuleInfo
    metric: str
    dataset: str | None
    title: str
    table: pd.DataFrame
    deltas: pd.DataFrame

    @property
    def benchmark(self) -> str:
        """The benchmark (rule) id."""
        return self.rule.id

    @property
    def entries(self) -> int:
        """Number of ranked rows (scores and bounds)."""
        return len(self.table)

    def best(self) -> pd.DataFrame:
        """The rows ranked first (several when tied)."""
        return self.table[self.table["rank"] == 1]


def _row(record: Record) -> dict[str, Any]:
    source = record.provenance
    return {
        "benchmark": record.benchmark, "metric": record.metric, "dataset": record.dataset,
        "rank": None, "model": record.model, "value": record.value, "value_max": record.value_max,
        "display": format_value(
            record.value, record.reported, value_max=record.value_max, qualifier=record.qualifier
        ),
        "unit": record.unit, "kind": record.kind, "qualifier": record.qualifier,
        "bound": record.kind == "bound", "conflict": False, "conflict_with": None,
        "reported": record.reported, "baseline": record.baseline,
        "baseline_model": record.baseline_model, "context": record.context,
        "paper": source.paper, "paper_id": source.paper_id, "sources": source.source,
        "source": source.source, "source_sha256": source.source_sha256,
        "span_start": source.span[0], "span_end": source.span[1],
        "quote_start": source.quote_span[0], "quote_end": source.quote_span[1],
        "quote": source.quote, "rule": source.rule, "rule_sha256": source.rule_sha256,
        "version": source.version, "record_id": record.id,
        "_paper": normalize_title(source.paper),
        "_model": None if record.model is None else record.model.strip().casefold(),
        "_dataset": None if record.dataset is None else record.dataset.strip().casefold(),
    }  # fmt: skip


def _merge_same_paper(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (paper, model, benchmark, metric, dataset, kind, value, value_max)."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        key = (row["_paper"], row["_model"], row["benchmark"], row["metric"], row["_dataset"],
               row["kind"], row["value"], row["value_max"])  # fmt: skip
        groups[key].append(row)
    merged = []
    for group in groups.values():
        if len(group) == 1:
            merged.append(group[0])
            continue
        kept = dict(min(group, key=lambda row: row["record_id"]))
        kept["sources"] = "; ".join(sorted({row["source"] for row in group}))
        merged.append(kept)
    return sorted(merged, key=lambda row: row["record_id"])


def _paper_label(row: Mapping[str, Any]) -> str:
    return f"arXiv:{row['paper_id']}" if row["paper_id"] else str(row["paper"])


#: At most this many conflicting sources are named per row; the rest are counted ("and 12 more").
CONFLICT_NAMES = 5


def _mark_conflicts(rows: list[dict[str, Any]]) -> None:
    """Flag rows whose system has a different value in another paper, naming a few of them.

    Linear in the rows of a system times its distinct values: a model reported in
    thousands of papers does not make the board quadratic or its cells huge.
    """
    claim = lambda row: (row["kind"], row["qualifier"], row["value"], row["value_max"])  # noqa: E731
    by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["_model"] is not None:
            by_model[row["_model"]].append(row)
    for group in by_model.values():
        by_claim: dict[tuple, dict[tuple[str, str], None]] = defaultdict(dict)
        for row in group:
            by_claim[claim(row)][(f"{row['display']} in {_paper_label(row)}", row["_paper"])] = None
        listed = {key: sorted(entries) for key, entries in by_claim.items()}
        papers = {key: Counter(paper for _, paper in entries) for key, entries in listed.items()}
        for row in group:
            names: list[str] = []
            total = 0
            for key, entries in listed.items():
                if key == claim(row):
                    continue
                own = papers[key][row["_paper"]]
                total += len(entries) - own
                names += [label for label, paper in entries[: CONFLICT_NAMES + own] if paper != row["_paper"]]
            names = sorted(names)[:CONFLICT_NAMES]
            more = total - len(names)
            row["conflict"] = total > 0
            row["conflict_with"] = "; ".join(names) + (f"; and {more} more" if more else "") if names else None


def _ranking_value(row: Mapping[str, Any], lower_is_better: bool) -> float:
    """The value a row is ranked by, signed so that smaller is better."""
    value = row["value"]
    if row["value_max"] is not None and lower_is_better:
        value = row["value_max"]
    return value if lower_is_better else -value


def _order_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    model = row["_model"]
    return (row["rank"], row["_signed"], model is None, model or "", row["model"] or "",
            row["_paper"], row["record_id"])  # fmt: skip


def _rank(rows: list[dict[str, Any]], rule: RuleInfo) -> list[dict[str, Any]]:
    """Give each row its "min" rank in the rule's direction and sort."""
    for row in rows:
        row["_signed"] = _ranking_value(row, rule.lower_is_better)
    signed = sorted(row["_signed"] for row in rows)
    for row in rows:
        row["rank"] = bisect_left(signed, row["_signed"]) + 1
    return sorted(rows, key=_order_key)


def _delta_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """Deltas in reading order: model, paper, then where the number stands."""
    model = row["_model"]
    return (model is None, model or "", row["model"] or "", row["_paper"], row["source"], row["span_start"],
            row["record_id"])  # fmt: skip


def _frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    rows = list(rows)
    frame = pd.DataFrame({column: [row[column] for row in rows] for column in COLUMNS}, columns=list(COLUMNS))
    return frame.astype(_DTYPES)


def _dataset_name(rows: list[dict[str, Any]]) -> str | None:
    """The spelling most rows use (ties: the first in sort order)."""
    counts = Counter(row["dataset"] for row in rows if row["dataset"] is not None)
    if not counts:
        return None
    return min(counts, key=lambda name: (-counts[name], name))


def _title(metric: str, dataset: str | None, any_dataset: bool) -> str:
    if dataset is not None:
        return f"{metric} — {dataset}"
    return f"{metric} — no dataset stated" if any_dataset else metric


def _build_board(rule: RuleInfo, metric: str, rows: list[dict[str, Any]], any_dataset: bool) -> Board:
    ranked = [row for row in rows if row["kind"] != "delta"]
    _mark_conflicts(ranked)
    changes = sorted((row for row in rows if row["kind"] == "delta"), key=_delta_key)
    dataset = _dataset_name(rows)
    return Board(
        rule=rule,
        metric=metric,
        dataset=dataset,
        title=_title(metric, dataset, any_dataset),
        table=_frame(_rank(ranked, rule)),
        deltas=_frame(changes),
    )


def _board_order(rule: RuleInfo, metric: str, dataset: str | None) -> tuple[Any, ...]:
    position = rule.metrics.index(metric) if metric in rule.metrics else len(rule.metrics)
    return (rule.id, position, metric, dataset is not None, dataset or "")


def boards(records: Iterable[Record] | pd.DataFrame, rules: Mapping[str, Any] | str | Path | None) -> list[Board]:
    """One `Board` per (benchmark, metric, dataset) of ``records``, in a fixed order.

    ``rules`` maps a benchmark id to its rule object (``RunResult.rules``);
    a folder path (or None for ``rules/``) reads ``<id>.yaml`` files instead.
    """
    each = records_from_frame(records) if isinstance(records, pd.DataFrame) else records
    rows = _merge_same_paper([_row(record) for record in each])  # a stream of records is read once, never held
    infos = rule_infos(sorted({row["benchmark"] for row in rows}), rules)
    groups: dict[tuple[str, str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["benchmark"], row["metric"], row["_dataset"])].append(row)
    with_dataset = {(benchmark, metric) for benchmark, metric, dataset in groups if dataset is not None}
    result = [
        _build_board(infos[benchmark], metric, group, (benchmark, metric) in with_dataset)
        for (benchmark, metric, _), group in groups.items()
    ]
    return sorted(result, key=lambda b: _board_order(b.rule, b.metric, b.dataset))


def _select(
    records: Iterable[Record] | pd.DataFrame,
    benchmark: str,
    metric: str | None,
    dataset: str | None,
    rules: Mapping[str, Any] | str | Path | None,
) -> list[Board]:
    chosen = [record for record in as_records(records) if record.benchmark == benchmark]
    found = boards(chosen, rules)
    if metric is not None:
        found = [b for b in found if b.metric == metric]
    if dataset is not None:
        found = [b for b in found if b.dataset is not None and b.dataset.casefold() == dataset.casefold()]
    return found


def board(
    records: Iterable[Record] | pd.DataFrame,
    benchmark: str,
    metric: str | None = None,
    dataset: str | None = None,
    *,
    rules: Mapping[str, Any] | str | Path | None = None,
) -> pd.DataFrame:
    """The ranked table of one benchmark, as a DataFrame (columns: `COLUMNS`).

    ``metric`` and ``dataset`` narrow it to one board (dataset compared
    case-insensitively); left as None, every board of the benchmark is
    concatenated in board order, each ranked on its own. ``records`` may be a
    list of `Record` or a `load_records` DataFrame; ``rules`` as in `boards`.
    """
    tables = [b.table for b in _select(records, benchmark, metric, dataset, rules)]
    return pd.concat(tables, ignore_index=True) if tables else _frame([])


def deltas(
    records: Iterable[Record] | pd.DataFrame,
    benchmark: str,
    metric: str | None = None,
    dataset: str | None = None,
    *,
    rules: Mapping[str, Any] | str | Path | None = None,
) -> pd.DataFrame:
    """The deltas of one benchmark, unranked, as a DataFrame (same columns, no rank)."""
    tables = [b.deltas for b in _select(records, benchmark, metric, dataset, rules)]
    return pd.concat(tables, ignore_index=True) if tables else _frame([])
