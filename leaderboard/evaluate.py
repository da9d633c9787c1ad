"""Score predicted records against a gold file, as GOLD-FORMAT's "How evaluation matches" says.

A prediction matches a gold record when the paper (by `normalize_title`),
benchmark, kind and metric agree and the value agrees within 0.5% of the gold
value or 0.01, the larger; ``value_max`` likewise (both null, or both within
tolerance). Each gold record matches at most one prediction and each
prediction at most one gold record.

The assignment is an optimal one, not a greedy one: per paper it maximizes
first the number of non-optional gold records matched, then the optional
ones, then the pairs whose model and dataset also agree, then the closeness
of the values. Predictions are sorted first, so the result does not depend on
their order.

Counting: a matched non-optional gold record is a true positive; an unmatched
one a false negative; a prediction matched to nothing is a false positive,
including every prediction for a paper the gold file does not list (a gold
file covers its whole corpus). A prediction that matches an optional gold
record is ignored, and an unmatched optional gold record is no false negative.
Model and dataset are scored on the true-positive pairs, case-insensitively.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, computed_field

from .assignment import maximum_weight_matching
from .gold import GoldPaper, GoldRecord
from .model import Record, normalize_title

__all__ = [
    "Evaluation",
    "FalseNegative",
    "FalsePositive",
    "Match",
    "Score",
    "evaluate",
    "same_label",
    "within_tolerance",
]

RELATIVE_TOLERANCE = 0.005
ABSOLUTE_TOLERANCE = 0.01
_FROZEN = ConfigDict(frozen=True, extra="forbid")


def _tolerance(gold: float) -> float:
    return max(RELATIVE_TOLERANCE * abs(gold), ABSOLUTE_TOLERANCE)


def within_tolerance(predicted: float, gold: float) -> bool:
    """Whether a predicted value agrees with a gold one: within 0.5% or 0.01, the larger.

    >>> within_tolerance(1.47, 1.46), within_tolerance(1.4701, 1.46)   # 0.01 absolute
    (True, False)
    >>> within_tolerance(787.92, 784), within_tolerance(787.93, 784)   # 0.5% of 784 = 3.92
    (True, False)
    """
    slack = 1e-9 * max(1.0, abs(gold))  # float noise: 1.47 - 1.46 is 0.010000000000000009
    return abs(predicted - gold) <= _tolerance(gold) + slack


def same_label(predicted: str | None, gold: str | None) -> bool:
    """Model or dataset agreement: case-insensitive, and null only equals null.

    >>> same_label("TexTok", "textok"), same_label(None, None), same_label(None, "COCO")
    (True, True, False)
    """
    if predicted is None or gold is None:
        return predicted is gold
    return predicted.strip().casefold() == gold.strip().casefold()


class Match(BaseModel):
    """A prediction paired with the gold record it matches."""

    model_config = _FROZEN

    paper: str
    gold: GoldRecord
    prediction: Record
    model_ok: bool
    dataset_ok: bool


class FalsePositive(BaseModel):
    """A prediction that matches no gold record, and why."""

    model_config = _FROZEN

    record: Record
    reason: str


class FalseNegative(BaseModel):
    """A non-optional gold record that no prediction matches."""

    model_config = _FROZEN

    paper: str
    gold: GoldRecord


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


class Score(BaseModel):
    """Counts and scores for one benchmark, or for all (``benchmark="overall"``).

    Precision, recall and F1 are None when undefined (nothing to divide by);
    F1 is ``2TP / (2TP + FP + FN)``, which is 0 as soon as there is something
    to find or something found but no true positive.

    >>> s = Score(benchmark="fid", gold=4, predicted=3, tp=2, fp=1, fn=2, ignored=0, model_right=1, dataset_right=2)
    >>> round(s.precision, 3), s.recall, round(s.f1, 3), s.model_ok, s.dataset_ok
    (0.667, 0.5, 0.571, 0.5, 1.0)
    """

    model_config = _FROZEN

    benchmark: str
    gold: int
    predicted: int
    tp: int
    fp: int
    fn: int
    ignored: int
    model_right: int
    dataset_right: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        """TP / (TP + FP)."""
        return _ratio(self.tp, self.tp + self.fp)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        """TP / (TP + FN)."""
        return _ratio(self.tp, self.tp + self.fn)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall."""
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def model_ok(self) -> float | None:
        """Share of true positives whose model is right."""
        return _ratio(self.model_right, self.tp)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def dataset_ok(self) -> float | None:
        """Share of true positives whose dataset is right."""
        return _ratio(self.dataset_right, self.tp)


class Evaluation(BaseModel):
    """The outcome of `evaluate`: scores, and every pair, miss and extra behind them."""

    model_config = _FROZEN

    scores: tuple[Score, ...]
    overall: Score
    matches: tuple[Match, ...]
    ignored: tuple[Match, ...]
    false_positives: tuple[FalsePositive, ...]
    false_negatives: tuple[FalseNegative, ...]
    gold_papers: int
    optional_records: int
    missing_papers: tuple[str, ...] | None = None


def evaluate(
    records: Iterable[Record], gold: Sequence[GoldPaper], papers: Iterable[str] | None = None
) -> Evaluation:
    """Match ``records`` against ``gold`` and score them.

    ``papers``, when given, are the titles (or `normalize_title` keys) of the
    papers that were read; gold papers not among them are listed in
    ``missing_papers``. Their gold records still count as false negatives.
    """
    by_key = {paper.key: paper for paper in gold}
    position = {paper.key: index for index, paper in enumerate(gold)}
    grouped: dict[str, list[Record]] = defaultdict(list)
    false_positives: list[FalsePositive] = []
    for record in sorted(records, key=_prediction_order):
        key = normalize_title(record.provenance.paper)
        if key in by_key:
            grouped[key].append(record)
        else:
            false_positives.append(FalsePositive(record=record, reason="paper not in the gold file"))
    found: list[tuple[int, int, Match]] = []
    for key, predictions in grouped.items():
        pairs, extra = _match_paper(by_key[key], predictions)
        found.extend((position[key], column, match) for column, match in pairs)
        false_positives.extend(extra)
    found.sort(key=lambda item: item[:2])
    matched_gold = {(paper, column) for paper, column, _ in found}
    false_negatives = [
        FalseNegative(paper=paper.paper, gold=record)
        for index, paper in enumerate(gold)
        for column, record in enumerate(paper.records)
        if not record.optional and (index, column) not in matched_gold
    ]
    false_positives.sort(key=lambda fp: _prediction_order(fp.record))
    matches = [match for _, _, match in found if not match.gold.optional]
    ignored = [match for _, _, match in found if match.gold.optional]
    missing = None
    if papers is not None:
        read = {normalize_title(title) for title in papers}
        missing = tuple(paper.paper for paper in gold if paper.key not in read)
    scores, overall = _scores(gold, matches, ignored, false_positives, false_negatives)
    return Evaluation(
        scores=scores,
        overall=overall,
        matches=tuple(matches),
        ignored=tuple(ignored),
        false_positives=tuple(false_positives),
        false_negatives=tuple(false_negatives),
        gold_papers=len(gold),
        optional_records=sum(record.optional for paper in gold for record in paper.records),
        missing_papers=missing,
    )


def _prediction_order(record: Record) -> tuple[object, ...]:
    return (
        normalize_title(record.provenance.paper), record.benchmark, record.kind, record.metric, record.value,
        record.value_max is not None, record.value_max or 0.0, record.model or "", record.dataset or "", record.id,
    )


def _agrees(record: Record, gold: GoldRecord) -> bool:
    if (record.benchmark, record.kind, record.metric) != (gold.benchmark, gold.kind, gold.metric):
        return False
    if not within_tolerance(record.value, gold.value):
        return False
    if record.value_max is None or gold.value_max is None:
        return record.value_max is None and gold.value_max is None
    return within_tolerance(record.value_max, gold.value_max)


_SPAN = 3003  # _preference is below this


def _preference(record: Record, gold: GoldRecord) -> int:
    """0..3002: agreement of model and dataset first (1001 each), then closeness of the values."""
    distance = abs(record.value - gold.value) / _tolerance(gold.value)
    if record.value_max is not None and gold.value_max is not None:
        distance += abs(record.value_max - gold.value_max) / _tolerance(gold.value_max)
    agree = same_label(record.model, gold.model) + same_label(record.dataset, gold.dataset)
    return 1001 * agree + 1000 - round(500 * min(distance, 2.0))


def _weights(paper: GoldPaper, predictions: list[Record]) -> list[list[int]]:
    """Edge weights that rank matchings lexicographically, 0 where a pair does not agree.

    With at most ``n`` pairs, all preferences together stay below ``n * _SPAN``
    (one optional pair), and all optional pairs with their preferences below
    one required pair: so more required matches always win, then more
    optional ones, then better preferences.
    """
    pairs = min(len(predictions), len(paper.records))
    optional = pairs * _SPAN
    required = pairs * (optional + _SPAN)
    return [
        [
            (required if not gold.optional else optional) + _preference(record, gold) if _agrees(record, gold) else 0
            for gold in paper.records
        ]
        for record in predictions
    ]


def _match_paper(paper: GoldPaper, predictions: list[Record]) -> tuple[list[tuple[int, Match]], list[FalsePositive]]:
    """Pair one paper's predictions with its gold records; return the pairs and the leftovers."""
    weights = _weights(paper, predictions)
    pairs = maximum_weight_matching(weights)
    found = []
    for row, column in pairs:
        record, gold = predictions[row], paper.records[column]
        match = Match(paper=paper.paper, gold=gold, prediction=record, model_ok=same_label(record.model, gold.model),
                      dataset_ok=same_label(record.dataset, gold.dataset))
        found.append((column, match))
    paired = {row for row, _ in pairs}
    extra = [
        FalsePositive(record=record, reason=_why_unmatched(record, paper, any(weights[row])))
        for row, record in enumerate(predictions)
        if row not in paired
    ]
    return found, extra


def _why_unmatched(record: Record, paper: GoldPaper, had_candidate: bool) -> str:
    if had_candidate:
        return "its gold record is already matched by another prediction"
    same = [gold for gold in paper.records
            if (gold.benchmark, gold.kind, gold.metric) == (record.benchmark, record.kind, record.metric)]
    if not same:
        return "no gold record of this paper has this benchmark, kind and metric"
    values = ", ".join(_format_range(gold.value, gold.value_max) for gold in same)
    return f"no gold value within tolerance (gold: {values})"


def _format_range(value: float, value_max: float | None) -> str:
    return f"{value:g}" if value_max is None else f"{value:g}..{value_max:g}"


def _scores(
    gold: Sequence[GoldPaper],
    matches: list[Match],
    ignored: list[Match],
    false_positives: list[FalsePositive],
    false_negatives: list[FalseNegative],
) -> tuple[tuple[Score, ...], Score]:
    """One `Score` per benchmark seen in the gold file or the predictions, and the overall one."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_COUNTS, 0))
    for paper in gold:
        for record in paper.records:
            counts[record.benchmark]["gold"] += not record.optional
    for match in matches:
        tally = counts[match.gold.benchmark]
        tally["tp"] += 1
        tally["model_right"] += match.model_ok
        tally["dataset_right"] += match.dataset_ok
    for match in ignored:
        counts[match.gold.benchmark]["ignored"] += 1
    for fp in false_positives:
        counts[fp.record.benchmark]["fp"] += 1
    for fn in false_negatives:
        counts[fn.gold.benchmark]["fn"] += 1
    total = {name: sum(tally[name] for tally in counts.values()) for name in _COUNTS}
    scores = tuple(_score(name, tally) for name, tally in sorted(counts.items()))
    return scores, _score("overall", total)


_COUNTS = ("gold", "tp", "fp", "fn", "ignored", "model_right", "dataset_right")


def _score(benchmark: str, tally: dict[str, int]) -> Score:
    return Score(benchmark=benchmark, predicted=tally["tp"] + tally["fp"], **tally)
