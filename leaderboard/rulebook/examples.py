"""Run a rule's examples: each sentence must yield exactly its listed records.

Strict semantics (as Duckling's corpus tests): a positive example passes only
with exactly the listed records, no more and no fewer, each with the listed
fields; a negative example passes only when it yields no record of its rule.
Examples run with every rule of the folder loaded, so one rule stealing
another's numbers shows up here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..extract import Extractor
from ..model import Paper, Record
from .loader import LoadedRule
from .schema import Example, ExpectedRecord, Negative

__all__ = ["ExampleResult", "run_example", "example_id"]

_ALWAYS = ("kind", "metric", "model", "dataset", "value", "value_max", "reported", "qualifier")
_WHEN_SET = ("unit", "baseline", "baseline_model", "context")


@dataclass(frozen=True)
class ExampleResult:
    """An example's outcome: what went wrong, if anything."""

    id: str
    problems: tuple[str, ...]
    xfail: str | None

    @property
    def passed(self) -> bool:
        return not self.problems


def example_id(rule: LoadedRule, example: Example | Negative) -> str:
    """The readable test id, e.g. ``fid/respectively-two-datasets``."""
    return f"{rule.id}/{example.name}"


def run_example(extractor: Extractor, rule: LoadedRule, example: Example | Negative) -> ExampleResult:
    """Extract the example's sentence and compare with what it must yield."""
    paper = Paper(title=example.title or "Example", abstract=example.text)
    records, _ = extractor.extract(paper)
    if isinstance(example, Negative):
        own = [r for r in records if r.benchmark == rule.id]
        problems = tuple(f"unexpected {_describe(r)}" for r in own)
    else:
        problems = tuple(_compare(rule, example, records))
    return ExampleResult(example_id(rule, example), problems, example.xfail)


def _compare(rule: LoadedRule, example: Example, records: list[Record]) -> list[str]:
    problems: list[str] = []
    left = list(records)
    for expected in example.records:
        want = _expected_fields(rule, expected)
        match = next((r for r in left if _agrees(r, want)), None)
        if match is None:
            near = [r for r in left if r.benchmark == want["benchmark"]]
            found = "; ".join(_describe(r) for r in near) or "nothing"
            problems.append(f"missing {_describe_fields(want)} (found {found})")
            continue
        left.remove(match)
        if expected.reported not in match.provenance.quote:
            problems.append(f"reported {expected.reported!r} is not in the quote")
    problems.extend(f"unexpected {_describe(r)}" for r in left)
    return problems


def _expected_fields(rule: LoadedRule, expected: ExpectedRecord) -> dict[str, object]:
    fields = expected.model_dump(exclude_unset=True)
    want = {name: fields.get(name) for name in _ALWAYS}
    want["benchmark"] = expected.benchmark or rule.id
    want["metric"] = expected.metric or rule.rule.metrics[0].name
    want["kind"] = expected.kind
    for name in _WHEN_SET:
        if name in fields:
            want[name] = fields[name]
    return want


def _agrees(record: Record, want: dict[str, object]) -> bool:
    for name, value in want.items():
        actual = getattr(record, name)
        if name in ("value", "value_max", "baseline"):
            if (actual is None) != (value is None):
                return False
            if value is not None and abs(float(actual) - float(value)) > max(0.01, 0.005 * abs(float(value))):
                return False
        elif name in ("model", "dataset", "baseline_model") and isinstance(value, str) and isinstance(actual, str):
            if value.lower() != actual.lower():
                return False
        elif actual != value:
            return False
    return True


def _describe(record: Record) -> str:
    return _describe_fields(record.model_dump())


def _describe_fields(fields: dict[str, object]) -> str:
    keys = ("benchmark", "kind", "metric", "value", "value_max", "unit", "qualifier", "reported", "model", "dataset", "baseline", "baseline_model", "context")
    return "{" + ", ".join(f"{k}={fields[k]!r}" for k in keys if k in fields and fields[k] is not None) + "}"
