"""Reader for the arXiv metadata snapshot: one JSON object per line.

Each line holds ``id``, ``title``, ``abstract``, ``authors`` (``"A, B and
C"``) or ``authors_parsed`` (a list), ``categories`` and ``update_date``. The
file is streamed line by line. The abstract's offset map is computed from the
raw JSON string literal, so every escape (``\\n``, ``\\"``, ``\\u00e9``, a
surrogate pair) maps back to the exact characters of the line. A broken line
is reported with its number and the other lines are still read.

`read_entries` stops at what every paper needs (title, abstract, id) and
leaves the rest to `Entry.paper`: the offset map and the authors are worked
out only for the papers a caller keeps, which in a large snapshot are few.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import SourceError
from ..model import Paper, SourceRef
from ._common import FilePart, ReadReport, Segments, clean_title, display_path, iter_lines, problem, strip_mapped

__all__ = ["NAME", "Entry", "read", "read_entries", "decode_json_string", "locate_value", "count_authors"]

NAME = "arxiv-json"

_DECODER = json.JSONDecoder()
_SCAN = _DECODER.scan_once  # what json.loads runs once its wrappers have checked the text
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_VERSION = re.compile(r"v\d+$")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # one whole JSON string literal
_KEY_END = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_AUTHOR_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+")  # spaces before a comma stay on the name, which is stripped


class Entry(NamedTuple):
    """One JSON line read as far as a paper's title, abstract and arXiv id; `paper` reads the rest.

    A named tuple, as it is made for every line: it is built several times
    faster than a frozen dataclass.
    """

    title: str
    abstract: str  # decoded, outer whitespace stripped: the `Paper`'s abstract
    arxiv_id: str | None
    record: dict[str, Any]
    text: str
    offset: int
    shown: str
    number: int

    def paper(self) -> Paper:
        """The `Paper`, with the abstract's offset map; a `SourceError` when the abstract cannot be mapped."""
        record, shown, number = self.record, self.shown, self.number
        decoded, segments, end = _abstract_literal(self.text, record["abstract"])
        if decoded != record["abstract"]:  # a duplicate key or a decoder gap: never guess offsets
            raise SourceError(shown, "cannot map the abstract to its characters", line=number,
                              hint="report this line as a bug in the arxiv-json reader")
        abstract, pairs = strip_mapped(decoded, [(a, self.offset + f) for a, f in segments], end=self.offset + end - 1)
        return Paper(
            title=self.title,
            abstract=abstract,
            arxiv_id=self.arxiv_id,
            date=record.get("update_date") if isinstance(record.get("update_date"), str) else None,
            authors=count_authors(record),
            sources=(SourceRef(path=shown, line=number, format=NAME, segments=pairs),),
        )


def read(path: str | Path, *, report: ReadReport | None = None, part: FilePart | None = None) -> Iterator[Paper]:
    """Yield the papers of one arXiv metadata JSON-lines file, streaming it (only ``part`` of it, if given)."""
    for entry in read_entries(path, report=report, part=part):
        try:
            yield entry.paper()
        except SourceError as error:
            problem(report, error)


def read_entries(path: str | Path, *, report: ReadReport | None = None, part: FilePart | None = None) -> Iterator[Entry]:
    """`read`, an `Entry` per line: every check of a line but the offset map, which `Entry.paper` makes."""
    shown = display_path(path)
    for number, offset, text, bad in iter_lines(path, report=report, part=part, ends=False):
        if number == 1 and text.startswith("\ufeff"):
            text, offset = text[1:], offset + 1
        if bad or not text or text.isspace():  # `not text.strip()`, without copying the line
            continue
        try:
            yield _entry(text, offset, shown, number)
        except SourceError as error:
            problem(report, error)


def _entry(text: str, offset: int, shown: str, number: int) -> Entry:
    """The entry of one JSON line, or raise a `SourceError` saying why there is none."""
    try:
        record = _loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(shown, f"not valid JSON ({error.msg}, column {error.colno})", line=number,
                          hint="each line must be one JSON object") from None
    if not isinstance(record, dict):
        raise SourceError(shown, "not a JSON object", line=number, hint="each line must be one JSON object")
    title, abstract = record.get("title"), record.get("abstract")
    if not isinstance(title, str) or not title or title.isspace():
        raise SourceError(shown, "no 'title'", line=number, hint="add a non-empty string 'title'")
    if not isinstance(abstract, str) or not abstract or abstract.isspace():
        raise SourceError(shown, "no 'abstract'", line=number, hint="add a non-empty string 'abstract'")
    arxiv_id = record.get("id")
    if isinstance(arxiv_id, str) and arxiv_id:
        arxiv_id = _VERSION.sub("", arxiv_id) if "v" in arxiv_id else arxiv_id  # most ids hold no version
    else:
        arxiv_id = None
    return Entry(clean_title(title), abstract.strip(), arxiv_id, record, text, offset, shown, number)


def _loads(text: str) -> Any:
    """``json.loads(text)``, calling its scanner straight when the text is one bare value.

    ``json.loads`` skips whitespace, scans one value and checks that nothing
    but whitespace follows. A text that starts with its value and ends with it
    gets the same value from the scanner alone (the same C scanner, with the
    same settings); any other text, or a scan that fails, goes to
    ``json.loads``, which raises its error as ever.
    """
    try:
        value, end = _SCAN(text, 0)
    except (StopIteration, json.JSONDecodeError):
        end = -1
    return value if end == len(text) else json.loads(text)


def _abstract_literal(text: str, abstract: str) -> tuple[str, Segments, int]:
    """Decode the raw ``"abstract"`` value of a JSON line: its text, offset map and end.

    The fast way finds the key's only spelling in the line and checks that it
    is a key of the top level: its quote is not escaped (the line is valid
    JSON, so an unescaped quote before ``abstract"`` opens a string), a colon
    follows, and the brackets before it, outside strings, leave depth one.
    Anything else (an escaped or repeated key, a nested one) takes
    `locate_value`.
    """
    key = text.find('"abstract"')
    if key > 0 and text.find('"abstract"', key + 1) < 0 and _unescaped(text, key):
        colon = _KEY_END.match(text, key + 10)
        if colon is not None and text[colon.end()] == '"' and _top_level(text[:key]):
            decoded, segments, end = _decode_string(text, colon.end())
            if decoded == abstract:
                return decoded, segments, end
    start, end = locate_value(text, "abstract")
    decoded, segments = decode_json_string(text, start)
    return decoded, segments, end


def _unescaped(text: str, index: int) -> bool:
    """Whether the quote at ``index`` follows an even run of backslashes."""
    start = index
    while start and text[start - 1] == "\\":
        start -= 1
    return (index - start) % 2 == 0


def _top_level(before: str) -> bool:
    """Whether the JSON text ``before`` leaves the first object open and nothing else."""
    if before.count("{") == 1 and "}" not in before and "[" not in before and "]" not in before:
        return True
    bare = _STRING.sub("", before)
    return bare.count("{") + bare.count("[") - bare.count("}") - bare.count("]") == 1


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
    decoded, segments, _ = _decode_string(text, start)
    return decoded, segments


def _decode_string(text: str, start: int) -> tuple[str, Segments, int]:
    """`decode_json_string`, and the raw offset just past the closing quote.

    Runs without escapes are copied whole (found with `str.find`); only
    escapes are decoded one by one.
    """
    parts: list[str] = []
    segments: Segments = [(0, start + 1)]
    index, length = start + 1, 0
    while True:
        quote = text.index('"', index)
        escape = text.find("\\", index, quote)
        stop = quote if escape < 0 else escape
        if stop > index:
            parts.append(text[index:stop])
            length += stop - index
        if escape < 0:
            return "".join(parts), segments, quote + 1
        code = text[escape + 1]
        if code == "u":
            char, index = _unicode_escape(text, escape)
        else:
            char, index = _SIMPLE_ESCAPES[code], escape + 2
        parts.append(char)
        length += 1
        segments.append((length, index))


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
