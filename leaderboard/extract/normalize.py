"""Turn a bound number into the rule's canonical unit, or say why not.

Score benchmarks convert through the rule's declared forms and pint (78.4%
on OCRBench is 784 points; 0.896 ANLS is 89.6 percent). Efficiency numbers
convert by their reading, once for every rule:

================  ===================  ======================
reading           speedup (x)          FLOPs removed (percent)
================  ===================  ======================
plain, N x        N                    —
plain, P %        1 + P/100            —
reduction, N x    N                    100 (1 - 1/N)
reduction, P %    1 / (1 - P/100)      P
share, P % of     100 / P              100 - P
================  ===================  ======================

>>> from leaderboard.extract.normalize import efficiency_value
>>> round(efficiency_value("reduction", "factor", 7, "percent"), 3)
85.714
>>> round(efficiency_value("reduction", "percent", 34.9, "x"), 3)
1.536
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rulebook import Rule
from ..units import convert
from .grammar import Binding

__all__ = ["Normalized", "Rejected", "normalize", "efficiency_value"]

_BOUNDS = {"<", "<=", ">", ">="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "up to": "up to", "~": "~", None: None}


class Rejected(Exception):
    """A bound number the rule turns down, with the reason."""


@dataclass(frozen=True)
class Normalized:
    """A value in the rule's canonical unit."""

    kind: str
    value: float
    value_max: float | None
    unit: str
    qualifier: str | None


def _normalized(kind: str, value: float, value_max: float | None, unit: str, qualifier: str | None) -> Normalized:
    """``Normalized(kind, value, value_max, unit, qualifier)``, the same object, without the frozen dataclass's
    ``__init__``: it sets each field through ``object.__setattr__``, a good part of what `normalize` cost."""
    result = _new(Normalized)
    fields = result.__dict__
    fields["kind"] = kind
    fields["value"] = value
    fields["value_max"] = value_max
    fields["unit"] = unit
    fields["qualifier"] = qualifier
    return result


_new = object.__new__


def normalize(binding: Binding, rule: Rule) -> Normalized:
    """Convert ``binding`` into ``rule``'s canonical unit and check the range."""
    number = binding.number.number
    assert number is not None
    if binding.role in ("speed", "time", "cost"):
        result = _efficiency(binding, rule)
    elif binding.kind == "delta":
        result = _delta(binding, rule)
    else:
        value = _score(number.value, number.form, number.points, rule)
        high = _score(number.value_max, number.form, number.points, rule) if number.value_max is not None else None
        result = _normalized("score", value, high, rule.unit, number.qualifier)
    if result.kind != "delta":
        _check_range(result, rule)
    if result.qualifier in _BOUNDS and result.kind == "score":
        result = _normalized("bound", result.value, result.value_max, result.unit, result.qualifier)
    return result


def _form_unit(value: float, form: str, points: bool, rule: Rule) -> str:
    form = "number" if form == "fraction" and not any(f.form == "fraction" for f in rule.forms) else form
    for candidate in rule.forms:
        if candidate.takes(form, value):
            return candidate.unit
    raise Rejected(f"form {form!r} ({value:g}) is not one the rule {rule.id} accepts")


def _score(value: float, form: str, points: bool, rule: Rule) -> float:
    unit = _form_unit(value, form, points, rule)
    if rule.unit == "point" and unit != "point":
        if rule.full_scale is None:
            raise Rejected(f"rule {rule.id} has no full_scale to turn {unit} into points")
        return round(convert(value, unit, "1") * rule.full_scale, 6)
    return convert(value, unit, rule.unit)


def _delta(binding: Binding, rule: Rule) -> Normalized:
    """A change, positive when it is an improvement in the rule's direction, negative when it is worse.

    "a 0.3 drop on GenEval" is -0.3 (higher is better); "FID increases by 2.1" is -2.1 (lower is better).
    """
    number = binding.number.number
    assert number is not None
    direction = binding.extra.get("direction")
    sign = -1 if (direction == "down" and rule.better == "higher") or (direction == "up" and rule.better == "lower") else 1
    if number.form == "percent" and "percent" in rule.delta_units and not number.points:
        unit = rule.delta_units["percent"]
        value, high = abs(number.value), _abs(number.value_max)
    else:
        unit = rule.delta_units.get("absolute", rule.unit)
        value = _score(abs(number.value), "number", number.points, rule)
        high = _score(abs(number.value_max), "number", number.points, rule) if number.value_max is not None else None
    return _normalized("delta", sign * value, None if high is None else sign * high, unit, number.qualifier)


def _abs(value: float | None) -> float | None:
    return None if value is None else abs(value)


def _efficiency(binding: Binding, rule: Rule) -> Normalized:
    number = binding.number.number
    assert number is not None
    if binding.reading == "increase":
        raise Rejected("describes more, not less, of what it measures (a baseline, not a result)")
    form = number.form
    _form_unit(number.value, form, number.points, rule)
    value = efficiency_value(binding.reading, form, number.value, rule.unit)
    high = efficiency_value(binding.reading, form, number.value_max, rule.unit) if number.value_max is not None else None
    qualifier = number.qualifier
    probe = efficiency_value(binding.reading, form, number.value * 1.01, rule.unit)
    if probe < value:  # a falling conversion turns "less than" into "more than"
        qualifier = _FLIP[qualifier]
        if high is not None:
            value, high = high, value
    return _normalized("score", value, high, rule.unit, qualifier)


def efficiency_value(reading: str, form: str, value: float, unit: str) -> float:
    """Convert an efficiency number by its reading into ``x`` or ``percent`` removed."""
    share = value / 100 if form == "percent" else value if form == "fraction" else None
    if unit == "x":
        if reading == "share" and share:
            return _round(1 / share)
        if form in ("factor", "number"):
            return _round(value)
        if reading == "reduction":
            if value >= 100:
                raise Rejected(f"a {value:g}% cut in time is not a speedup")
            return _round(1 / (1 - value / 100))
        return _round(1 + value / 100)
    if unit == "percent":
        if reading == "share" and share is not None:
            return _round(100 * (1 - share))
        if form in ("factor", "number"):
            if value <= 1:
                raise Rejected(f"a reduction by a factor of {value:g} removes nothing")
            return _round(100 * (1 - 1 / value))
        if reading == "reduction":
            return _round(convert(value, "percent", "percent"))
        raise Rejected(f"a {value:g}% cost without a reduction word is ambiguous")
    raise Rejected(f"no efficiency conversion into {unit!r}")


def _round(value: float) -> float:
    return round(value, 3)


def _check_range(result: Normalized, rule: Rule) -> None:
    for value in (result.value, result.value_max):
        if value is not None and not rule.range.min <= value <= rule.range.max:
            raise Rejected(f"{value:g} {result.unit} is outside {rule.id}'s range {rule.range.min:g}..{rule.range.max:g}")
