"""The rule schema: what a rule file in ``rules/`` may say, as pydantic models.

A rule holds one benchmark's knowledge and nothing else: names as papers
write them, metrics, the canonical unit and how reported forms convert into
it, the valid range, which direction is better, known datasets, the phrases
that carry its numbers, and its own examples. The grammar of how papers
report numbers lives in `leaderboard.extract`, once for every rule.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

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
    "MAX_WORD",
    "MAX_WORDS",
    "MAX_TEXT",
    "MAX_ITEMS",
    "MAX_EXAMPLES",
    "MAX_PATTERN",
    "MAX_PATTERNS",
    "MAX_VOCABULARY",
]

#: Rules come from strangers' pull requests, so a rule is small, inert data:
#: these limits bound what one file can make the engine hold or match.
#: Characters in one spelling: an alias, a phrase word, a name, a when/exclude word.
MAX_WORD = 120
#: Entries in one list of spellings (aliases, words, when, exclude).
MAX_WORDS = 100
#: Characters in a description, an example's text or title.
MAX_TEXT = 1000
#: Metrics, phrases, forms or datasets of one rule.
MAX_ITEMS = 50
#: Examples, and negatives, of one rule.
MAX_EXAMPLES = 200
#: Characters in one extra RE2 pattern.
MAX_PATTERN = 500
#: Extra RE2 patterns of one rule.
MAX_PATTERNS = 20
#: Characters of all the spellings of one rule together: every rule's words go
#: into one RE2 matcher, whose memory is bounded.
MAX_VOCABULARY = 10_000
#: Kept for compatibility: the limit on one phrase word.
MAX_PHRASE = MAX_WORD

_CLOSED = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _word(word: str) -> str:
    if not word.strip():
        raise ValueError("an empty spelling; remove it")
    if len(word) > MAX_WORD:
        raise ValueError(f"a spelling of {len(word)} characters is over the limit of {MAX_WORD} (MAX_WORD); "
                         "use the short name papers write")
    return word


def _words(words: list[str]) -> list[str]:
    if len(words) > MAX_WORDS:
        raise ValueError(f"{len(words)} entries are over the limit of {MAX_WORDS} (MAX_WORDS); "
                         "keep the spellings papers really use")
    return words


def _text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise ValueError(f"{len(text)} characters are over the limit of {MAX_TEXT} (MAX_TEXT); "
                         "use one sentence, not a whole abstract")
    return text


def _items(limit: int, name: str) -> AfterValidator:
    def check(items: list) -> list:
        if len(items) > limit:
            raise ValueError(f"{len(items)} entries are over the limit of {limit} ({name}); split the rule")
        return items
    return AfterValidator(check)


#: One spelling: non-empty, at most MAX_WORD characters.
Word = Annotated[str, AfterValidator(_word)]
#: A list of spellings: at most MAX_WORDS.
Words = Annotated[list[Word], AfterValidator(_words)]
#: Free text: at most MAX_TEXT characters.
Text = Annotated[str, AfterValidator(_text)]

#: What a phrase tells the grammar. ``name``: the benchmark itself;
#: ``speed``: a rate that rises when things get faster (speedup, faster);
#: ``time``: a duration that falls (latency, inference time); ``cost``: an
#: amount of compute that falls (FLOPs, compute).
ROLES = ("name", "speed", "time", "cost")


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
    name: Word = Field(min_length=1, description="Canonical metric name, as in GOLD-FORMAT.md.")
    aliases: Words = Field(default_factory=list, description="Words that name this metric in a sentence.")
    when: Words = Field(
        default_factory=list,
        description="Words near the number that select this metric over the default (e.g. 'reconstruction' for rFID).",
    )


class Dataset(BaseModel):
    """A known dataset or setting, with the spellings papers use."""

    model_config = _CLOSED
    name: Word = Field(min_length=1, description="Canonical name written into records.")
    aliases: Words = Field(default_factory=list)


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

    def takes(self, form: str, value: float) -> bool:
        """Whether a number recognised as ``form`` with this ``value`` is read with this form.

        >>> Form(form="number", unit="1", upto=1).takes("number", 0.69), Form(form="number", unit="1", upto=1).takes("number", 69)
        (True, False)
        """
        return (form == self.form and (self.above is None or value > self.above)
                and (self.upto is None or value <= self.upto))


class Phrase(BaseModel):
    """Words that carry the benchmark's numbers, with the role they play."""

    model_config = _CLOSED
    role: Literal["name", "speed", "time", "cost"]
    words: Words = Field(min_length=1)
    context: Word | None = Field(default=None, description="Context written into records bound to these words.")


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
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=MAX_WORD, description="Short id, used in test ids.")
    text: Text = Field(min_length=1)
    title: Text | None = Field(default=None, description="Paper title, when attribution needs it.")
    records: Annotated[list[ExpectedRecord], _items(MAX_ITEMS, "MAX_ITEMS")] = Field(min_length=1)
    xfail: str | None = Field(default=None, description="Why the engine cannot handle it yet.")


class Negative(BaseModel):
    """A sentence that must yield no record of this rule."""

    model_config = _CLOSED
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=MAX_WORD)
    text: Text = Field(min_length=1)
    title: Text | None = None
    xfail: str | None = None


class Rule(BaseModel):
    """One benchmark: its vocabulary, units, range, direction and examples."""

    model_config = _CLOSED
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64, description="Stable id; equals the file stem.")
    version: int = Field(ge=1, description="Bump when the rule changes what it extracts.")
    name: Word = Field(min_length=1, description="Display name.")
    description: Text = ""
    better: Literal["lower", "higher"]
    unit: str = Field(description="Canonical unit of values.")
    full_scale: float | None = Field(
        default=None, description="The canonical value of a perfect score, when a fraction or percent must be scaled into points."
    )
    range: Range
    metrics: Annotated[list[Metric], _items(MAX_ITEMS, "MAX_ITEMS")] = Field(min_length=1)
    phrases: Annotated[list[Phrase], _items(MAX_ITEMS, "MAX_ITEMS")] = Field(min_length=1)
    forms: Annotated[list[Form], _items(MAX_ITEMS, "MAX_ITEMS")] = Field(min_length=1)
    delta_units: dict[Literal["percent", "absolute"], str] = Field(
        default_factory=lambda: {"percent": "percent"},
        description="Unit of a relative (percent) and of an absolute change.",
    )
    datasets: Annotated[list[Dataset], _items(MAX_ITEMS, "MAX_ITEMS")] = Field(default_factory=list)
    patterns: list[str] = Field(
        default_factory=list, description="Extra RE2 patterns that name the benchmark (linear-time; no backreferences)."
    )
    exclude: Words = Field(
        default_factory=list, description="Words that, next to a number, mean it is not this benchmark's (e.g. 'memory')."
    )
    examples: Annotated[list[Example], _items(MAX_EXAMPLES, "MAX_EXAMPLES")] = Field(default_factory=list)
    negatives: Annotated[list[Negative], _items(MAX_EXAMPLES, "MAX_EXAMPLES")] = Field(default_factory=list)

    _known_unit = field_validator("unit")(lambda cls, unit: _check_unit(unit))

    @field_validator("delta_units")
    @classmethod
    def _known_delta_units(cls, units: dict[str, str]) -> dict[str, str]:
        for unit in units.values():
            _check_unit(unit)
        return units

    @field_validator("patterns")
    @classmethod
    def _short_patterns(cls, patterns: list[str]) -> list[str]:
        if len(patterns) > MAX_PATTERNS:
            raise ValueError(f"{len(patterns)} patterns are over the limit of {MAX_PATTERNS} (MAX_PATTERNS); "
                             "prefer phrase words and aliases")
        for pattern in patterns:
            if len(pattern) > MAX_PATTERN:
                raise ValueError(f"a pattern of {len(pattern)} characters is over the limit of {MAX_PATTERN} "
                                 "(MAX_PATTERN); split it or use phrase words")
        return patterns

    @model_validator(mode="after")
    def _small_vocabulary(self) -> "Rule":
        size = sum(len(word) for word in self.spellings())
        if size > MAX_VOCABULARY:
            raise ValueError(f"the rule's spellings add up to {size} characters, over the limit of {MAX_VOCABULARY} "
                             "(MAX_VOCABULARY); keep the spellings papers really use")
        return self

    def spellings(self) -> list[str]:
        """Every word the rule adds to the vocabulary matcher."""
        words = [word for phrase in self.phrases for word in phrase.words]
        words += [word for metric in self.metrics for word in metric.aliases]
        words += [word for dataset in self.datasets for word in [dataset.name, *dataset.aliases]]
        return words

    @property
    def metric_names(self) -> list[str]:
        """Canonical metric names, the default first."""
        return [metric.name for metric in self.metrics]

    @property
    def roles(self) -> set[str]:
        """The roles of this rule's phrases."""
        return {phrase.role for phrase in self.phrases}
