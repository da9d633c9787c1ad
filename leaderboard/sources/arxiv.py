"""Reader for the arXiv metadata snapshot: one JSON object per line.

Each line holds ``id``, ``title``, ``abstract``, ``authors`` (``"A, B and
C"``) or ``authors_parsed`` (a list), ``categories`` and ``update_date``. The
file is streamed line by line. The abstract's offset map is computed from the
raw JSON string literal, so every escape (``\\n``, ``\\"``, ``\\u00e9``, a
surrogate pair) maps back to the exact characters of the line. A broken line
is reported with its number and the other lines are still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..model import Paper, SourceRef
from ._common import ReadReport, Segments, clean_title, display_path, iter_lines, problem, strip_mapped

__all__ = ["NAME", "read", "decode_json_string", "locate_value", "count_authors"]

NAME = "arxiv-json"

_DECODER = json.JSONDecoder()
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_VERSION = re.compile(r"v\d+$")
_AUTHOR_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def read(path: str | Path, *, report: ReadReport | None = None) -> Iterator[Paper]:
    """Yield the papers of one arXiv metadata JSON-lines file, streaming it."""
    shown = display_path(path)
    for line in iter_lines(path, report=report):
        text, offset = line.content, line.offset
        if line.number == 1 and text.startswith("\ufeff"):
            text, offset = text[1:], offset + 1
        if not text.strip() or line.bad:
            continue
        try:
            yield _paper(text, offset, shown, line.number)
        except SourceError as error:
            problem(report, error)


def _paper(text: str, offset: int, shown: str, number: int) -> Paper:
    """Build the paper of one JSON line, or raise a `SourceError` saying why not."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(shown, f"not valid JSON ({error.msg}, column {error.colno})", line=number,
                          hint="each line must be one JSON object") from None
    if not isinstance(record, dict):
        raise SourceError(shown, "not a JSON object", line=number, hint="each line must be one JSON object")
    for key in ("title", "abstract"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise SourceError(shown, f"no {key!r}", line=number, hint=f"add a non-empty string {key!r}")
    start, end = locate_value(text, "abstract")
    decoded, segments = decode_json_string(text, start)
    if decoded != record["abstract"]:  # a duplicate key or a decoder gap: never guess offsets
        raise SourceError(shown, "cannot map the abstract to its characters", line=number,
                          hint="report this line as a bug in the arxiv-json reader")
    abstract, pairs = strip_mapped(decoded, [(a, offset + f) for a, f in segments], end=offset + end - 1)
    ref = SourceRef(path=shown, line=number, format=NAME, segments=pairs)
    arxiv_id = record.get("id")
    return Paper(
        title=clean_title(record["title"]),
        abstract=abstract,
        arxiv_id=_VERSION.sub("", arxiv_id) if isinstance(arxiv_id, str) and arxiv_id else None,
        date=record.get("update_date") if isinstance(record.get("update_date"), str) else None,
        authors=count_authors(record),
        sources=(ref,),
    )


def locate_value(text: str, key: str) -> tuple[int, int]:
    """Span of the raw value of top-level ``key`` in a JSON object text (last one wins)."""
    found: tuple[int, int] | None = None
    index = _WHITESPACE.match(text, 0).end() + 1  # past "{"
    while True:
        index = _WHITESPACE.match(text, index).end()
        if text[index] == "}":
            break
        name, index = json.decoder.scanstring(text, index + 1)
        index = _WHITESPACE.match(text, index).end() + 1  # past ":"
        index = _WHITESPACE.match(text, index).end()
        _, end = _DECODER.raw_decode(text, index)
        if name == key:
            found = (index, end)
        index = _WHITESPACE.match(text, end).end()
        if text[index] == "}":
            break
        index += 1  # past ","
    if found is None:
        raise KeyError(key)
    return found


def decode_json_string(text: str, start: int) -> tuple[str, Segments]:
    """Decode the JSON string literal at ``text[start]`` and map it to raw offsets.

    Returns the decoded string and ``(decoded offset, raw offset)`` pairs, one
    where decoding starts and one after each escape.
    """
    chars: list[str] = []
    segments: Segments = [(0, start + 1)]
    index = start + 1
    while text[index] != '"':
        if text[index] != "\\":
            chars.append(text[index])
            index += 1
            continue
        code = text[index + 1]
        if code == "u":
            char, index = _unicode_escape(text, index)
        else:
            char, index = _SIMPLE_ESCAPES[code], index + 2
        chars.append(char)
        segments.append((len(chars), index))
    return "".join(chars), segments


def _unicode_escape(text: str, index: int) -> tuple[str, int]:
    """Decode ``\\uXXXX`` at ``index``, joining a surrogate pair as json does."""
    high = int(text[index + 2:index + 6], 16)
    if 0xD800 <= high <= 0xDBFF and text[index + 6:index + 8] == "\\u":
        low = int(text[index + 8:index + 12], 16)
        if 0xDC00 <= low <= 0xDFFF:
            return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)), index + 12
    return chr(high), index + 6


def count_authors(record: dict[str, Any]) -> int | None:
    """Number of authors from ``authors_parsed`` (a list) or ``authors`` (a string)."""
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        return len(parsed)
    authors = record.get("authors")
    if isinstance(authors, str) and authors.strip():
        return len([name for name in _AUTHOR_SPLIT.split(authors.strip()) if name.strip()])
    return None
