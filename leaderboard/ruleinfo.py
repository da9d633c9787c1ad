"""What a board needs to know about a benchmark's rule, and nothing more.

Boards need a rule's display name, which direction is better, its canonical
unit and the order of its metrics. `rule_info` reads those from any rule
object (attributes ``id``, ``name``, ``better``, ``unit``, ``metrics``) or
mapping, as the pipeline's ``RunResult.rules`` holds them; `load_rule_info`
reads them straight from ``rules/<id>.yaml`` for the Python API when no rule
objects are at hand. Full rule validation is the rule loader's job, not this
module's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import LeaderboardError, RuleError

__all__ = ["RuleInfo", "rule_info", "load_rule_info", "rule_infos"]


@dataclass(frozen=True)
class RuleInfo:
    """A benchmark's display name, better direction, canonical unit and metrics."""

    id: str
    name: str
    better: str
    unit: str
    metrics: tuple[str, ...] = ()

    @property
    def lower_is_better(self) -> bool:
        """True when a smaller value ranks first (FID)."""
        return self.better == "lower"


def _field(rule: Any, name: str, default: Any = None) -> Any:
    if isinstance(rule, Mapping):
        return rule.get(name, default)
    return getattr(rule, name, default)


def _metric_name(metric: Any) -> str:
    if isinstance(metric, str):
        return metric
    return str(_field(metric, "name", metric))


def rule_info(benchmark: str, rule: Any) -> RuleInfo:
    """Read a `RuleInfo` from a rule object or a mapping.

    >>> rule_info("fid", {"name": "FID", "better": "lower", "unit": "1", "metrics": ["FID", "rFID"]})
    RuleInfo(id='fid', name='FID', better='lower', unit='1', metrics=('FID', 'rFID'))
    """
    if isinstance(rule, RuleInfo):
        return rule
    better = str(_field(rule, "better", ""))
    if better not in ("lower", "higher"):
        raise LeaderboardError(f"rule {benchmark!r}: better must be 'lower' or 'higher', not {better!r}")
    metrics = _field(rule, "metrics", ()) or ()
    if isinstance(metrics, Mapping):
        metrics = list(metrics)
    return RuleInfo(
        id=str(_field(rule, "id", benchmark) or benchmark),
        name=str(_field(rule, "name", benchmark) or benchmark),
        better=better,
        unit=str(_field(rule, "unit", "1")),
        metrics=tuple(_metric_name(metric) for metric in metrics),
    )


def load_rule_info(benchmark: str, rules_dir: str | Path = "rules") -> RuleInfo:
    """Read ``<rules_dir>/<benchmark>.yaml`` (safely) for its `RuleInfo`."""
    path = Path(rules_dir) / f"{benchmark}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleError(path, f"no rule file for benchmark {benchmark!r}", hint="pass rules= or check --rules") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise RuleError(path, f"not valid YAML: {getattr(error, 'problem', error)}", line=line) from None
    if not isinstance(data, Mapping):
        raise RuleError(path, "a rule file must be a mapping")
    try:
        return rule_info(benchmark, data)
    except LeaderboardError as error:
        raise RuleError(path, str(error)) from None


def rule_infos(benchmarks: list[str], rules: Mapping[str, Any] | str | Path | None) -> dict[str, RuleInfo]:
    """`RuleInfo` for each benchmark, from rule objects or from a rules folder."""
    if rules is None or isinstance(rules, (str, Path)):
        folder = Path("rules") if rules is None else Path(rules)
        return {benchmark: load_rule_info(benchmark, folder) for benchmark in benchmarks}
    infos = {}
    for benchmark in benchmarks:
        if benchmark not in rules:
            raise LeaderboardError(f"no rule for benchmark {benchmark!r}: its records cannot be ranked")
        infos[benchmark] = rule_info(benchmark, rules[benchmark])
    return infos
