"""The records the package reads and writes, as frozen pydantic models.

`Paper` is what a reader yields; `Record` is one reported number turned into a
validated claim, with its `Provenance` down to the character; `Rejection` is a
candidate number a rule turned down, with the reason. Field meanings follow
``shared/gold/GOLD-FORMAT.md``.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
import unicodedata
from json.encoder import encode_basestring
from typing import Literal

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
    checked = type(source) is type(source_sha256) is type(title) is type(quote) is type(rule) is type(rule_sha256) is str
    if not checked or not (paper_id is None or type(paper_id) is str):
        return Provenance(
            source=source, source_sha256=source_sha256, paper=title, paper_id=paper_id, span=span,
            quote_span=quote_span, quote=quote, rule=rule, rule_sha256=rule_sha256, version=__version__,
        )
    provenance = _new_model(Provenance)
    fields = {
        "source": source, "source_sha256": source_sha256, "paper": title, "paper_id": paper_id, "span": span,
        "quote_span": quote_span, "quote": quote, "rule": rule, "rule_sha256": rule_sha256, "version": __version__,
    }  # every field, in the model's order, as validation would leave them
    _set_attribute(provenance, "__dict__", fields)
    _set_attribute(provenance, "__pydantic_fields_set__", set(fields))  # all given, as the validated one says
    _set_attribute(provenance, "__pydantic_extra__", None)  # extra="forbid": none
    _set_attribute(provenance, "__pydantic_private__", None)  # no private attributes
    return provenance


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
        paper = normalize_title(self.provenance.paper)
        claim = [values[name] if name != "paper" else paper for name in _CLAIM_KEYS]
        # `_CLAIM_JSON.encode` of the claim as a dict, written value by value into its keys (see `_JSON_OF_TYPE`)
        blob = _CLAIM_TEMPLATE % tuple([_JSON_OF_TYPE.get(type(value), _CLAIM_JSON.encode)(value) for value in claim])
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


#: The fields of what a record says: every field but its provenance.
_CLAIM_FIELDS = tuple(name for name in Record.model_fields if name != "provenance")
#: ``json.dumps(claim, sort_keys=True, ensure_ascii=False)``, built once instead of once per record.
_CLAIM_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)
#: The keys of a claim, with the paper's normalized title, in the order `_CLAIM_JSON` sorts them.
_CLAIM_KEYS = tuple(sorted((*_CLAIM_FIELDS, "paper")))
#: `_CLAIM_JSON` of a claim, with a ``%s`` for each value's JSON: the keys and separators it writes, written once.
_CLAIM_TEMPLATE = "{" + ", ".join(f"{_CLAIM_JSON.encode(key)}: %s" for key in _CLAIM_KEYS) + "}"


def _json_float(value: float) -> str:
    """A float as `_CLAIM_JSON` writes it: its repr, but NaN and the infinities in JavaScript's spelling."""
    return float.__repr__(value) if math.isfinite(value) else _CLAIM_JSON.encode(value)


#: How `_CLAIM_JSON` writes a value of each type a claim holds (str, float or None), one value at a time, which
#: costs less than its pass over the whole claim; a value of any other type is written by `_CLAIM_JSON` itself.
_JSON_OF_TYPE = {type(None): lambda _: "null", str: encode_basestring, float: _json_float}


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
