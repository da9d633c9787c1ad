"""The records the package reads and writes, as frozen pydantic models.

`Paper` is what a reader yields; `Record` is one reported number turned into a
validated claim, with its `Provenance` down to the character; `Rejection` is a
candidate number a rule turned down, with the reason. Field meanings follow
``shared/gold/GOLD-FORMAT.md``.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import math
import operator
import re
import unicodedata
from json.encoder import encode_basestring
from types import NoneType
from typing import Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, computed_field

from ._version import __version__

__all__ = [
    "SourceRef",
    "Paper",
    "Provenance",
    "Record",
    "Rejection",
    "Kind",
    "Qualifier",
    "normalize_title",
]

Kind = Literal["score", "bound", "delta"]
Qualifier = Literal["up to", "~", "<", "<=", ">", ">="]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


def normalize_title(title: str) -> str:
    """The key under which one paper seen in several sources is merged.

    Case, accents, LaTeX markup, punctuation and spacing do not count.

    >>> normalize_title("$\\\\lambda$-ECLIPSE:  Multi-Concept")
    'lambda eclipse multi concept'
    >>> normalize_title("Café  Über") == normalize_title("cafe uber")
    True
    """
    return _normalize_ascii(title) if title.isascii() else _normalize_unicode(title)


def _normalize_unicode(title: str) -> str:
    """`normalize_title` of any text: accents dropped after NFKD, LaTeX commands kept as words, case folded."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _LATEX_COMMAND.sub(lambda m: m.group(0)[1:], text)
    text = _SEPARATORS.sub(" ", text.casefold())
    return " ".join(text.split())


_LATEX_COMMAND = re.compile(r"\\[a-zA-Z]+")
_SEPARATORS = re.compile(r"[^\w]+|_")
#: ASCII bytes as `normalize_title` sees them: letters in lower case, digits kept, anything else a separator.
_ASCII_WORDS = bytes(
    (code | 0x20) if chr(code).isalpha() else code if chr(code).isdigit() else 0x20 for code in range(256)
)
_SPACE_RUNS = re.compile(rb"  +")


def _normalize_ascii(title: str) -> str:
    """`normalize_title` of ASCII text, where NFKD and accents change nothing: one pass over bytes."""
    if "\\" in title:
        title = _LATEX_COMMAND.sub(lambda m: m.group(0)[1:], title)
    return _SPACE_RUNS.sub(b" ", title.encode("ascii").translate(_ASCII_WORDS)).strip().decode("ascii")


class SourceRef(BaseModel):
    """Where one reading of a paper sits in a source file.

    ``segments`` maps abstract offsets to file offsets: each pair
    ``(abstract_offset, file_offset)`` starts a run where both advance
    together. Plain text needs one pair; JSON or XML escapes add one per
    escape, so a span in the abstract maps back to the exact file characters.
    """

    model_config = _FROZEN

    path: str = Field(description="Source file path, relative to the working directory when inside it.")
    line: int = Field(ge=1, description="Line of the paper's title in the source file (1-based).")
    format: str = Field(description="Reader that produced this entry.")
    segments: tuple[tuple[int, int], ...] = Field(
        description="(abstract offset, file offset) pairs of the piecewise-linear offset map."
    )

    def file_offset(self, abstract_offset: int) -> int:
        """Map an offset in the abstract to an offset in the source file's text.

        >>> SourceRef(path="a", line=1, format="x", segments=((0, 10), (5, 20))).file_offset(7)
        22
        """
        segments = self.segments
        # (offset, inf) sorts after every segment starting at or before the offset and before every later one (a
        # file offset is an int): a bisect by segment start, without a key function to call at each step
        index = bisect.bisect_right(segments, (abstract_offset, math.inf)) - 1
        start, file_start = segments[index if index > 0 else 0]
        return file_start + abstract_offset - start


class Paper(BaseModel):
    """One paper: title and abstract, with every source it was read from."""

    model_config = _FROZEN

    title: str
    abstract: str
    arxiv_id: str | None = None
    date: str | None = Field(default=None, description="Date as the source gives it (ISO when known).")
    authors: int | None = Field(default=None, ge=0, description="Number of authors, when known.")
    sources: tuple[SourceRef, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def key(self) -> str:
        """The merge key: the normalized title."""
        return normalize_title(self.title)


class Provenance(BaseModel):
    """Where a record comes from, precisely enough to check it again."""

    model_config = _FROZEN

    source: str = Field(description="Source file path, as read.")
    source_sha256: str
    paper: str = Field(description="Paper title as in the source.")
    paper_id: str | None = Field(default=None, description="arXiv id when known.")
    span: tuple[int, int] = Field(description="Character span of the reported number in the source file.")
    quote_span: tuple[int, int] = Field(description="Character span of the quoted sentence in the source file.")
    quote: str = Field(description="The sentence that carries the number, exactly as in the source.")
    rule: str = Field(description="Rule id.")
    rule_sha256: str
    version: str = __version__


def engine_provenance(
    source: str, source_sha256: str, paper: Paper, span: tuple[int, int], quote_span: tuple[int, int], quote: str,
    rule: str, rule_sha256: str,
) -> Provenance:
    """The `Provenance` of a record the engine read from ``paper``, without validating it when validation would
    keep every value as it is, at half the cost.

    It would when every text is a str, the paper id a str or None, and the spans pairs of ints, as the engine
    makes them (offsets it counts in a paper's abstract and maps through its `SourceRef`); the texts are checked
    here, as some come from the caller. Any other provenance is validated as usual, and fails as usual.
    """
    title, paper_id = paper.title, paper.arxiv_id
    fields = {
        "source": source, "source_sha256": source_sha256, "paper": title, "paper_id": paper_id, "span": span,
        "quote_span": quote_span, "quote": quote, "rule": rule, "rule_sha256": rule_sha256, "version": __version__,
    }  # every field, in the model's order
    checked = type(source) is type(source_sha256) is type(title) is type(quote) is type(rule) is type(rule_sha256) is str
    if checked and type(paper_id) in _TEXT_OR_NONE:
        return _unvalidated(Provenance, fields)
    return Provenance(**fields)


def _unvalidated(cls: type[_Model], fields: dict[str, object]) -> _Model:
    """The instance of ``cls`` that validating ``fields`` gives, when validation would keep every value as it is.

    ``fields`` holds every field of the model, in its order, all given: the instance's attributes are then
    those the validated one has. The caller checks that validation keeps the values.
    """
    instance = _new_model(cls)
    _set_attribute(instance, "__dict__", fields)
    _set_attribute(instance, "__pydantic_fields_set__", set(fields))  # all given, as the validated one says
    _set_attribute(instance, "__pydantic_extra__", None)  # extra="forbid": none
    _set_attribute(instance, "__pydantic_private__", None)  # no private attributes
    return instance


_Model = TypeVar("_Model", bound=BaseModel)
_TEXT_OR_NONE = (str, NoneType)  # the types of an optional text that validation keeps as they are
_new_model = BaseModel.__new__
_set_attribute = object.__setattr__


class Record(BaseModel):
    """One reported number as a validated claim about one system."""

    model_config = _FROZEN

    benchmark: str
    kind: Kind
    metric: str
    model: str | None = None
    dataset: str | None = None
    value: float
    value_max: float | None = None
    unit: str
    qualifier: Qualifier | None = None
    reported: str
    baseline: float | None = None
    baseline_model: str | None = None
    context: str | None = None
    provenance: Provenance

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        """A stable hash of what the record says, not of where it was read.

        The same claim read from two copies of a paper gets the same id, and a
        rebuild gives the same ids.
        """
        values = self.__dict__  # the fields: str, float or None, as JSON mode dumps them
        claim = (*_CLAIM_BEFORE_PAPER(values), normalize_title(self.provenance.paper), *_CLAIM_AFTER_PAPER(values))
        # `_CLAIM_JSON.encode` of the claim as a dict, written value by value into its keys: None and str (most
        # values) as it writes them, any other value by `_json_value`
        blob = _CLAIM_TEMPLATE % tuple([
            "null" if value is None else encode_basestring(value) if type(value) is str else _json_value(value)
            for value in claim
        ])  # fmt: skip
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


#: The fields of what a record says: every field but its provenance.
_CLAIM_FIELDS = tuple(name for name in Record.model_fields if name != "provenance")
#: ``json.dumps(claim, sort_keys=True, ensure_ascii=False)``, built once instead of once per record.
_CLAIM_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)
#: The keys of a claim, with the paper's normalized title, in the order `_CLAIM_JSON` sorts them.
_CLAIM_KEYS = tuple(sorted((*_CLAIM_FIELDS, "paper")))
#: `_CLAIM_JSON` of a claim, with a ``%s`` for each value's JSON: the keys and separators it writes, written once.
_CLAIM_TEMPLATE = "{" + ", ".join(f"{_CLAIM_JSON.encode(key)}: %s" for key in _CLAIM_KEYS) + "}"
#: The record's values of the claim's keys before the paper, and after it, in one C-level lookup each (a
#: claim has more than one key on either side of "paper", so each gives a tuple).
_CLAIM_BEFORE_PAPER = operator.itemgetter(*_CLAIM_KEYS[: _CLAIM_KEYS.index("paper")])
_CLAIM_AFTER_PAPER = operator.itemgetter(*_CLAIM_KEYS[_CLAIM_KEYS.index("paper") + 1 :])


def _json_value(value: object) -> str:
    """A value as `_CLAIM_JSON` writes it: a float as its repr (but NaN and the infinities in JavaScript's
    spelling), which costs less than the encoder's own pass; any other value by the encoder itself."""
    return float.__repr__(value) if type(value) is float and math.isfinite(value) else _CLAIM_JSON.encode(value)


def engine_record(
    *, benchmark: str, kind: str, metric: str, model: str | None, dataset: str | None, value: float,
    value_max: float | None, unit: str, qualifier: str | None, reported: str, baseline: float | None,
    baseline_model: str | None, context: str | None, provenance: Provenance,
) -> Record:
    """The `Record` of the engine's fields, without validating them when validation would keep every value as
    it is, at two thirds of the cost.

    It would when each value has a type that validation keeps (`_RECORD_VALUE_TYPES`), and the kind and the
    qualifier are among the model's literals. Any other record is validated as usual, and fails as usual.
    """
    fields = {
        "benchmark": benchmark, "kind": kind, "metric": metric, "model": model, "dataset": dataset, "value": value,
        "value_max": value_max, "unit": unit, "qualifier": qualifier, "reported": reported, "baseline": baseline,
        "baseline_model": baseline_model, "context": context, "provenance": provenance,
    }  # every field, in the model's order
    if tuple(map(type, fields.values())) in _RECORD_TYPES and kind in _KINDS and qualifier in _QUALIFIERS:
        return _unvalidated(Record, fields)
    return Record(**fields)


#: The types of a record's values that validation keeps as they are: a str or a float itself (it turns a str
#: subclass or an int into one), None where the field allows it, a `Provenance` itself (kept, not copied).
_RECORD_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "benchmark": (str,), "kind": (str,), "metric": (str,), "model": (str, NoneType), "dataset": (str, NoneType),
    "value": (float,), "value_max": (float, NoneType), "unit": (str,), "qualifier": (str, NoneType),
    "reported": (str,), "baseline": (float, NoneType), "baseline_model": (str, NoneType),
    "context": (str, NoneType), "provenance": (Provenance,),
}
#: Every combination of `_RECORD_VALUE_TYPES`, field by field in the model's order: one set lookup checks them all.
_RECORD_TYPES = frozenset(itertools.product(*_RECORD_VALUE_TYPES.values()))
_KINDS = frozenset(get_args(Kind))
_QUALIFIERS = frozenset((*get_args(Qualifier), None))


class Rejection(BaseModel):
    """A candidate number that a rule turned down, and why."""

    model_config = _FROZEN

    source: str
    paper: str
    paper_id: str | None = None
    span: tuple[int, int]
    reported: str
    benchmark: str | None = None
    rule: str | None = None
    reason: str
    quote: str


def engine_rejection(
    source: str, paper: Paper, span: tuple[int, int], reported: str, benchmark: str | None, rule: str | None,
    reason: str, quote: str,
) -> Rejection:
    """The `Rejection` of a number the engine read from ``paper``, without validating it when validation would
    keep every value as it is, at half the cost.

    It would when every text is a str, and the paper id, benchmark and rule a str or None, checked here; the
    span is a pair of ints, as the engine makes it (`engine_provenance` says how). Any other rejection is
    validated as usual, and fails as usual.
    """
    title, paper_id = paper.title, paper.arxiv_id
    fields = {
        "source": source, "paper": title, "paper_id": paper_id, "span": span, "reported": reported,
        "benchmark": benchmark, "rule": rule, "reason": reason, "quote": quote,
    }  # every field, in the model's order
    if type(source) is type(title) is type(reported) is type(reason) is type(quote) is str and (
        type(paper_id) in _TEXT_OR_NONE and type(benchmark) in _TEXT_OR_NONE and type(rule) in _TEXT_OR_NONE
    ):
        return _unvalidated(Rejection, fields)
    return Rejection(**fields)

