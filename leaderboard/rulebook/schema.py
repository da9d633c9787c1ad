"""The rule schema: what a rule file in ``rules/`` may say, as pydantic models.

A rule holds one benchmark's knowledge and nothing else: names as papers
write them, metrics, the canonical unit and how reported forms convert into
it, the valid range, which direction is better, known datasets, the phrases
that carry its numbers, and its own examples. The grammar of how papers
report numbers lives in `leaderboard.extract`, once for every rule.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..units import UNIT_NAMES

__all__ = [
    "Rule",
    "Metric",
    "Dataset",
    "Form",
    "Phrase",
    "Example",
    "ExpectedRecord",
    "Negative",
    "Range",
    "ROLES",
]

_CLOSED = ConfigDict(extra="forbid", frozen=True)

#: What a phrase tells the grammar. ``name``: the benchmark itself;
#: ``speed``: a rate that rises when things get faster (speedup, faster);
#: ``time``: a duration that falls (latency, inference time); ``cost``: an
#: amount of compute that falls (FLOPs, compute).
ROLES = ("name", "speed", "time", "cost")

MAX_PHRASE = 120


def _check_unit(unit: str) -> str:
    """A canonical or form unit must be one of the package registry's names."""
    if unit not in UNIT_NAMES:
        raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(UNIT_NAMES)}")
    return unit


class Range(BaseModel):
    """The valid range of a canonical value, both ends included."""

    model_config = _CLOSED
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> "Range":
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}; swap them")
        return self


class Metric(BaseModel):
    """One metric of the benchmark and the words papers use for it."""

    model_config = _CLOSED
    name: str = Field(min_length=1, description="Canonical metric name, as in GOLD-FORMAT.md.")
    aliases: list[str] = Field(default_factory=list, description="Words that name this metric in a sentence.")
    when: list[str] = Field(
        default_factory=list,
        description="Words near the number that select this metric over the default (e.g. 'reconstruction' for rFID).",
    )


class Dataset(BaseModel):
    """A known dataset or setting, with the spellings papers use."""

    model_config = _CLOSED
    name: str = Field(min_length=1, description="Canonical name written into records.")
    aliases: list[str] = Field(default_factory=list)


class Form(BaseModel):
    """A reported form the rule accepts, and the unit the number is in.

    ``form`` is what the engine recognised: ``percent`` (78.4%), ``number``
    (0.69, 802), ``factor`` (2.91x, 7-fold, 3 times) or ``fraction`` (1/4).
    ``above``/``upto`` restrict a bare number by size (0.69 is a fraction,
    69 a percent). ``unit`` is a unit of the package registry.
    """

    model_config = _CLOSED
    form: Literal["percent", "number", "factor", "fraction"]
    unit: str
    above: float | None = Field(default=None, description="Only numbers strictly above this.")
    upto: float | None = Field(default=None, description="Only numbers up to and including this.")

    _known_unit = field_validator("unit")(lambda cls, unit: _check_unit(unit))


class Phrase(BaseModel):
    """Words that carry the benchmark's numbers, with the role they play."""

    model_config = _CLOSED
    role: Literal["name", "speed", "time", "cost"]
    words: list[str] = Field(min_length=1)
    context: str | None = Field(default=None, description="Context written into records bound to these words.")


class ExpectedRecord(BaseModel):
    """A record an example sentence must yield (fields as in GOLD-FORMAT.md)."""

    model_config = _CLOSED
    benchmark: str | None = Field(default=None, description="Defaults to the rule's id.")
    kind: Literal["score", "bound", "delta"] = "score"
    metric: str | None = Field(default=None, description="Defaults to the rule's first metric.")
    model: str | None = None
    dataset: str | None = None
    value: float
    value_max: float | None = None
    unit: str | None = Field(default=None, description="Defaults to the rule's canonical unit.")
    qualifier: Literal["up to", "~", "<", "<=", ">", ">="] | None = None
    reported: str
    baseline: float | None = None
    baseline_model: str | None = None
    context: str | None = None


class Example(BaseModel):
    """A sentence and exactly the records it must yield."""

    model_config = _CLOSED
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Short id, used in test ids.")
    text: str = Field(min_length=1)
    title: str | None = Field(default=None, description="Paper title, when attribution needs it.")
    records: list[ExpectedRecord] = Field(min_length=1)
    xfail: str | None = Field(default=None, description="Why the engine cannot handle it yet.")


class Negative(BaseModel):
    """A sentence that must yield no record of this rule."""

    model_config = _CLOSED
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    text: str = Field(min_length=1)
    title: str | None = None
    xfail: str | None = None


class Rule(BaseModel):
    """One benchmark: its vocabulary, units, range, direction and examples."""

    model_config = _CLOSED
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable id; equals the file stem.")
    version: int = Field(ge=1, description="Bump when the rule changes what it extracts.")
    name: str = Field(min_length=1, description="Display name.")
    description: str = ""
    better: Literal["lower", "higher"]
    unit: str = Field(description="Canonical unit of values.")
    full_scale: float | None = Field(
        default=None, description="The canonical value of a perfect score, when a fraction or percent must be scaled into points."
    )
    range: Range
    metrics: list[Metric] = Field(min_length=1)
    phrases: list[Phrase] = Field(min_length=1)
    forms: list[Form] = Field(min_length=1)
    delta_units: dict[Literal["percent", "absolute"], str] = Field(
        default_factory=lambda: {"percent": "percent"},
        description="Unit of a relative (percent) and of an absolute change.",
    )
    datasets: list[Dataset] = Field(default_factory=list)
    patterns: list[str] = Field(
        default_factory=list, description="Extra RE2 patterns that name the benchmark (linear-time; no backreferences)."
    )
    exclude: list[str] = Field(
        default_factory=list, description="Words that, next to a number, mean it is not this benchmark's (e.g. 'memory')."
    )
    examples: list[Example] = Field(default_factory=list)
    negatives: list[Negative] = Field(default_factory=list)

    _known_unit = field_validator("unit")(lambda cls, unit: _check_unit(unit))

    @field_validator("patterns")
    @classmethod
    def _short_patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            if len(pattern) > 500:
                raise ValueError(f"pattern of {len(pattern)} characters; keep patterns under 500")
        return patterns

    @model_validator(mode="after")
    def _phrases_short(self) -> "Rule":
        for phrase in self.phrases:
            for word in phrase.words:
                if not word.strip() or len(word) > MAX_PHRASE:
                    raise ValueError(f"phrase {word!r} is empty or longer than {MAX_PHRASE} characters")
        return self

    @property
    def metric_names(self) -> list[str]:
        """Canonical metric names, the default first."""
        return [metric.name for metric in self.metrics]

    @property
    def roles(self) -> set[str]:
        """The roles of this rule's phrases."""
        return {phrase.role for phrase in self.phrases}
