"""Load and validate rule files: YAML read safely, every error located.

A rule file is data from a stranger's pull request, so it stays inert data:
a regular file (not a symlink) under a size limit, read by PyYAML's safe
loader (no tags that build Python objects), with no aliases, no duplicate
keys and a bounded nesting depth, validated against the closed `Rule` schema
and its limits, and every extra pattern compiled by RE2 (linear time, no
backreferences or lookaround) under a program-size limit. No field is ever
used as a path, a unit outside the package registry, or code. Every problem
comes back as a `RuleError` with the file, the line, the field path and what
to do.
"""

from __future__ import annotations

import hashlib
import json
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2
import yaml
from pydantic import BaseModel, ValidationError

from ..errors import RuleError
from .schema import Rule

__all__ = [
    "LoadedRule",
    "load_rule",
    "load_rules",
    "check_rules",
    "rule_files",
    "MAX_RULE_BYTES",
    "MAX_DEPTH",
    "MAX_PROGRAM",
    "DOCS_HINT",
]

#: Bytes in one rule file.
MAX_RULE_BYTES = 256 * 1024
#: Nesting of mappings and lists in a rule file (a rule needs five).
MAX_DEPTH = 12
#: Instructions of one compiled RE2 pattern (``OCR[\s-]?Bench`` takes 17).
MAX_PROGRAM = 2000
DOCS_HINT = "see rules/_template.yaml and CONTRIBUTING.md 'Adding a benchmark'"


@dataclass(frozen=True)
class LoadedRule:
    """A validated rule with where it came from."""

    rule: Rule
    path: Path
    sha256: str

    @property
    def id(self) -> str:
        return self.rule.id


def rule_files(directory: str | Path) -> list[Path]:
    """The rule files of a folder: ``*.yaml`` sorted, files starting with ``_`` left out."""
    folder = Path(directory)
    if not folder.is_dir():
        raise RuleError(folder, "no such rules folder", hint="pass --rules DIR with the rule files")
    return sorted(path for path in folder.glob("*.yaml") if not path.name.startswith("_"))


def load_rules(directory: str | Path) -> list[LoadedRule]:
    """Load every rule of a folder, or raise the first `RuleError` found.

    Use `check_rules` to collect every problem instead of stopping at one.
    """
    loaded, errors = check_rules(directory)
    if errors:
        raise errors[0]
    return loaded


def check_rules(directory: str | Path) -> tuple[list[LoadedRule], list[RuleError]]:
    """Load every rule of a folder, collecting problems instead of raising."""
    loaded: list[LoadedRule] = []
    errors: list[RuleError] = []
    seen: dict[str, Path] = {}
    for path in rule_files(directory):
        try:
            item = load_rule(path)
        except RuleError as error:
            errors.append(error)
            continue
        if item.id in seen:
            errors.append(RuleError(path, f"rule id {item.id!r} is also used by {seen[item.id]}", line=1, hint="rule ids are unique"))
            continue
        seen[item.id] = path
        loaded.append(item)
    return loaded, errors


def load_rule(path: str | Path) -> LoadedRule:
    """Read, parse and validate one rule file."""
    path = Path(path)
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RuleError(path, "not valid UTF-8", line=line, hint="save the file as UTF-8") from None
    node, raw = _parse_yaml(path, text)
    if not isinstance(raw, dict):
        raise RuleError(path, "a rule file holds one mapping (id: ..., name: ...)", line=1, hint=DOCS_HINT)
    try:
        rule = Rule.model_validate(raw)
    except ValidationError as error:
        raise _located(path, node, error) from None
    if rule.id != path.stem:
        raise RuleError(path, f"id {rule.id!r} differs from the file name", line=_line_of(node, ("id",)), hint=f"rename the file to {rule.id}.yaml or set id: {path.stem}")
    _check_patterns(path, node, rule)
    return LoadedRule(rule=rule, path=path, sha256=behaviour_sha256(rule))


def behaviour_sha256(rule: Rule) -> str:
    """The hash records carry: of what the rule does, not of its examples, description or comments.

    Adding an example or fixing a comment leaves every record, and so every
    report, as it was; a changed alias, form or range changes the hash.
    """
    content = rule.model_dump(mode="json", exclude={"examples", "negatives", "description"})
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


#: libyaml's safe loader when PyYAML was built with it (the wheels are): the same documents, read in C.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(path: Path, text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the plain data of a rule file, read safely."""
    try:
        _check_events(path, text)
        raw = yaml.load(text, Loader=_SAFE_LOADER)
        node = yaml.compose(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        if problem == "exceeded maximum nesting depth":  # libyaml's own limit (PyYAML 6.0.4 on), met before ours
            raise _too_deep(path, line) from None
        raise RuleError(path, f"YAML syntax: {problem}", line=line, hint="fix the indentation or quoting there") from None
    if node is not None:
        _check_duplicate_keys(path, node)
    return node, raw


def _check_events(path: Path, text: str) -> None:
    """Refuse aliases and deep nesting before anything is built from the events."""
    depth = 0
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise RuleError(path, "YAML anchors and aliases (&name, *name, <<) are not allowed in rule files",
                            line=line, hint="write the value out where it is used")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(path, line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _too_deep(path: Path, line: int | None) -> RuleError:
    """The error of a rule file nested deeper than `MAX_DEPTH`, whichever parser noticed it first."""
    return RuleError(path, f"nested deeper than {MAX_DEPTH} levels (MAX_DEPTH)", line=line,
                     hint="a rule needs five levels at most; " + DOCS_HINT)


def _check_duplicate_keys(path: Path, root: yaml.Node) -> None:
    """A key given twice in one mapping: reviewers would read one value, the loader take the other."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                if name in seen:
                    raise RuleError(path, f"duplicate key {name!r}", line=key.start_mark.line + 1,
                                    hint="give each key once; remove or merge the other one")
                seen.add(name)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _read_bytes(path: Path) -> bytes:
    if path.is_symlink():
        raise RuleError(path, "a rule file must be a regular file, not a symbolic link",
                        hint="copy the rule into rules/ instead of linking it")
    try:
        size = path.stat().st_size
        if size > MAX_RULE_BYTES:
            raise RuleError(path, f"rule file of {size} bytes is over the {MAX_RULE_BYTES} byte limit", hint="split examples or trim the file")
        return path.read_bytes()
    except OSError as error:
        raise RuleError(path, f"cannot read: {error.strerror}") from None


def _check_patterns(path: Path, node: yaml.Node, rule: Rule) -> None:
    """Compile every pattern with RE2; refuse one that fails, matches nothing-at-all, or is huge."""
    for index, pattern in enumerate(rule.patterns):
        line = _line_of(node, ("patterns", index))
        try:
            regex = re2.compile(pattern, options=_RE2_OPTIONS)
        except re2.error as error:
            raise RuleError(
                path,
                f"patterns[{index}]: RE2 rejects {pattern!r}: {_reason(error)}",
                line=line,
                hint="rule patterns run on RE2 (no backreferences or lookaround)",
            ) from None
        if regex.programsize > MAX_PROGRAM:
            raise RuleError(path, f"patterns[{index}]: {pattern!r} compiles to {regex.programsize} RE2 instructions, "
                            f"over the limit of {MAX_PROGRAM} (MAX_PROGRAM)", line=line,
                            hint="use a shorter pattern, or phrase words and aliases")
        if regex.fullmatch("") is not None:
            raise RuleError(path, f"patterns[{index}]: {pattern!r} matches the empty string", line=line,
                            hint="a pattern must name the benchmark; make it match at least one character")


def _re2_options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # the RuleError says it; RE2 need not print to stderr too
    return options


_RE2_OPTIONS = _re2_options()


def _reason(error: re2.error) -> str:
    """RE2's reason as text (it comes as bytes)."""
    reason = error.args[0] if error.args else error
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def _located(path: Path, node: yaml.Node, error: ValidationError) -> RuleError:
    first = error.errors()[0]
    loc = tuple(first["loc"])
    field = ".".join(str(part) for part in loc) or "(top level)"
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        message = f"unknown field {loc[-1]!r}" + (f"; allowed here: {', '.join(allowed)}" if allowed else "")
    elif first["type"] == "missing":
        message = f"missing field {loc[-1]!r}"
    more = len(error.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return RuleError(path, f"{field}: {message}{suffix}", line=_line_of(node, loc), hint=DOCS_HINT)


def _allowed_fields(loc: tuple[Any, ...]) -> list[str]:
    """The fields the schema allows at ``loc`` ("metrics.0" is a Metric), for an unknown-field message."""
    model: Any = Rule
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        model = _model_in(field.annotation) if field is not None else None
        if model is None:
            return []
    return list(model.model_fields)


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside ``list[X]``, ``X | None`` or ``Annotated[...]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest node along ``loc`` that exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node | None, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def iter_examples(loaded: list[LoadedRule]) -> Iterator[tuple[LoadedRule, Any, bool]]:
    """Every example of every rule: (rule, example, is_positive)."""
    for item in loaded:
        for example in item.rule.examples:
            yield item, example, True
        for negative in item.rule.negatives:
            yield item, negative, False
