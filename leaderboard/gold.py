"""Gold files: the answer key that ``leaderboard eval`` scores records against.

A gold file is a YAML list of papers, each with the records a careful reader
would extract from its abstract (layout: ``shared/gold/GOLD-FORMAT.md``).
`load_gold` reads one with ``yaml.safe_load`` semantics and validates it
against a closed schema; any problem raises `GoldError` with the file, the
line and what to do.

>>> record = GoldRecord(benchmark="fid", kind="score", metric="FID", value=1.46,
...                     unit="1", reported="1.46", quote="an FID of 1.46")
>>> record.optional, record.model
(False, None)
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, ValidationInfo, field_validator

from .errors import GoldError
from .model import Kind, Qualifier, normalize_title

__all__ = ["GoldRecord", "GoldPaper", "load_gold"]

_DOCS = "see GOLD-FORMAT.md"
_STRICT = ConfigDict(frozen=True, extra="forbid", strict=True)


class GoldRecord(BaseModel):
    """One record a correct extraction must yield; fields as in `Record`."""

    model_config = _STRICT

    benchmark: str = Field(min_length=1)
    kind: Kind
    metric: str = Field(min_length=1)
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
    optional: bool = Field(default=False, description="A reading that evaluation neither rewards nor punishes.")
    quote: str = Field(min_length=1, description="The sentence that carries the number, exactly as in the source.")

    @field_validator("value_max")
    @classmethod
    def _range_is_ordered(cls, value_max: float | None, info: ValidationInfo) -> float | None:
        value = info.data.get("value")
        if value_max is not None and value is not None and value_max < value:
            raise ValueError(f"value_max {value_max:g} is smaller than value {value:g}")
        return value_max


class GoldPaper(BaseModel):
    """One paper of a gold file and every record it should yield."""

    model_config = _STRICT

    paper: str = Field(min_length=1, description="Title exactly as in the source.")
    sources: list[str] = Field(min_length=1, description="File names the paper appears in.")
    records: list[GoldRecord]

    @property
    def key(self) -> str:
        """The paper's merge key, as `normalize_title` gives it."""
        return normalize_title(self.paper)


_ADAPTER = TypeAdapter(list[GoldPaper])
_REQUIRED = {
    GoldPaper: [name for name, field in GoldPaper.model_fields.items() if field.is_required()],
    GoldRecord: [name for name, field in GoldRecord.model_fields.items() if field.is_required()],
}


def load_gold(path: str | Path) -> list[GoldPaper]:
    """Read and validate a gold file; raise `GoldError` naming the line of any problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise GoldError(path, f"cannot read the gold file: {error}", hint="give a readable UTF-8 YAML file") from None
    root, data = _compose(path, text)
    if root is None:
        raise GoldError(path, "the gold file is empty", line=1, hint=f"list papers with their records; {_DOCS}")
    if not isinstance(data, list):
        raise GoldError(path, "a gold file is a list of papers", line=_line(root),
                        hint=f"start each paper with '- paper: <title>'; {_DOCS}")
    try:
        papers = _ADAPTER.validate_python(data)
    except ValidationError as error:
        raise _schema_error(path, root, data, error) from None
    _check_unique_papers(path, root, papers)
    return papers


def _compose(path: str | Path, text: str) -> tuple[yaml.Node | None, Any]:
    """Parse ``text`` once into a node tree (for line numbers) and its safe Python data."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _check_duplicate_keys(path, root)
        return root, None if root is None else loader.construct_document(root)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        problem = f"{context}: {problem}" if context else problem
        raise GoldError(path, f"invalid YAML: {problem}", line=None if mark is None else mark.line + 1,
                        hint="check the indentation and quote strings that contain ': ' or ' #'") from None
    finally:
        loader.dispose()


def _check_duplicate_keys(path: str | Path, root: yaml.Node) -> None:
    """safe_load keeps the last of two equal keys silently; refuse them instead."""
    pending, visited = [root], set()
    while pending:
        node = pending.pop()
        if id(node) in visited:  # an alias: already checked where its anchor is
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        raise GoldError(path, f"field '{key.value}' appears twice", line=_line(key),
                                        hint="keep one of them")
                    keys.add(key.value)
                pending.append(value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _node_at(root: yaml.Node, loc: tuple[int | str, ...]) -> yaml.Node:
    """The node a pydantic error location points at: the key for a field, the entry when it is missing."""
    node = root
    for depth, step in enumerate(loc):
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        elif isinstance(node, yaml.MappingNode):
            pairs = [pair for pair in node.value if isinstance(pair[0], yaml.ScalarNode) and pair[0].value == step]
            if not pairs:
                return node
            key, value = pairs[0]
            node = key if depth == len(loc) - 1 else value
        else:
            return node
    return node


def _describe(data: Any, loc: tuple[int | str, ...]) -> str:
    """Say where an error location is: ``paper 3 ("Title"), record 2, field 'value'``."""
    parts: list[str] = []
    if loc and isinstance(loc[0], int):
        entry = data[loc[0]] if loc[0] < len(data) else None
        title = entry.get("paper") if isinstance(entry, dict) else None
        shown = f' ("{title[:60]}{"..." if len(title) > 60 else ""}")' if isinstance(title, str) else ""
        parts.append(f"paper {loc[0] + 1}{shown}")
        loc = loc[1:]
    if len(loc) >= 2 and loc[0] == "records" and isinstance(loc[1], int):
        parts.append(f"record {loc[1] + 1}")
        loc = loc[2:]
    if loc:
        parts.append("field '" + ".".join(str(step) for step in loc) + "'")
    return ", ".join(parts) or "the file"


def _schema_error(path: str | Path, root: yaml.Node, data: Any, error: ValidationError) -> GoldError:
    """Turn the first (by line) pydantic error into a `GoldError` with a hint."""
    problems = sorted(error.errors(), key=lambda problem: _order(root, problem))
    first = problems[0]
    loc: tuple[int | str, ...] = tuple(first["loc"])
    model = GoldRecord if "records" in loc[:-1] else GoldPaper
    owner, name = loc[:-1], str(loc[-1]) if loc else ""
    if first["type"] == "missing":
        message = f"{_describe(data, owner)}: missing field '{name}'"
        hint = f"a gold {model.__name__[4:].lower()} needs {', '.join(_REQUIRED[model])}; {_DOCS}"
    elif first["type"] == "extra_forbidden":
        message = f"{_describe(data, owner)}: unknown field '{name}'"
        guess = difflib.get_close_matches(name, list(model.model_fields), n=1)
        allowed = f"allowed: {', '.join(model.model_fields)}"
        hint = f"did you mean '{guess[0]}'? {allowed}" if guess else allowed
    elif first["type"] == "value_error":
        message = f"{_describe(data, loc)}: {first['ctx']['error']}"
        hint = _DOCS
    elif first["type"] == "model_type":
        message = f"{_describe(data, loc)}: expected a mapping with fields {', '.join(model.model_fields)}"
        hint = _DOCS
    else:
        message = f"{_describe(data, loc)}: {first['msg']}"
        got = first.get("input")
        if not isinstance(got, (dict, list)):
            message += f", got {got!r}"
        hint = "put text values in quotes" if first["type"] == "string_type" else _DOCS
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return GoldError(path, message, line=_line(_node_at(root, loc)), hint=hint)


def _order(root: yaml.Node, problem: Any) -> tuple[int, int, int]:
    """Report errors entry by entry; within one, an unknown field (often a typo) before what it leaves missing."""
    loc = tuple(problem["loc"])
    rank = {"extra_forbidden": 0, "missing": 2}.get(problem["type"], 1)
    return _line(_node_at(root, loc[:-1])), rank, _line(_node_at(root, loc))


def _check_unique_papers(path: str | Path, root: yaml.Node, papers: list[GoldPaper]) -> None:
    """Two entries for one paper would split its records; refuse them."""
    first_seen: dict[str, int] = {}
    for index, paper in enumerate(papers):
        line = _line(root.value[index])  # type: ignore[index]
        if paper.key in first_seen:
            raise GoldError(path, f'paper "{paper.paper}" is listed twice (first at line {first_seen[paper.key]})',
                            line=line, hint="merge the two entries into one")
        first_seen[paper.key] = line
