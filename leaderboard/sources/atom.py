"""Reader for arXiv API Atom feeds (``<feed><entry>...</entry></feed>``).

The feed is streamed line by line through expat, which checks that it is
well-formed and rejects entity declarations and external entities (no
billion laughs, no file or network access). Expat's byte positions locate
each ``<summary>`` in the raw text; the summary's content is then decoded by
`decode_xml_text`, which maps every character back to the file, through
entities and CDATA sections. A broken feed gives one `SourceError` at the line
expat reports; the entries before it are still yielded, and reading starts
again, with a fresh parser, at the next line that opens an ``<entry``, so one
broken entry costs only itself. A feed with entity declarations is refused
whole.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..errors import SourceError
from ..model import Paper, SourceRef
from ._common import Line, ReadReport, Segments, clean_title, display_path, iter_lines, problem, strip_mapped

__all__ = ["NAME", "read", "decode_xml_text", "arxiv_id"]

NAME = "atom"

_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_MARKUP = re.compile(r"<!\[CDATA\[(.*?)\]\]>|<!--.*?-->|<\?.*?\?>|<[^>]*>|&([^;]*);", re.S)
_ID = re.compile(r"(?:arxiv\.org/abs/|^arXiv:)?([a-z-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?$")
_FIELDS = {"id", "title", "summary", "published", "updated"}


class _Refused(Exception):
    """A construct we do not parse (entity declarations, external entities)."""


@dataclass
class _Entry:
    start: int  # byte index of <entry
    text: dict[str, list[str]] = field(default_factory=dict)
    title_at: int | None = None
    summary: tuple[int, int] | None = None  # byte indexes of <summary and </summary>
    authors: int = 0


_RESTART = "<feed>"  # what a fresh parser reads before the entry it starts again at


def read(path: str | Path, *, report: ReadReport | None = None) -> Iterator[Paper]:
    """Yield the papers of one Atom feed, in file order."""
    feed = _Feed(display_path(path))
    parser, first, broken = _parser(feed), 1, False
    last = 0
    try:
        for line in iter_lines(path, report=report):
            if broken:
                if not line.text.lstrip().startswith("<entry"):
                    continue
                parser, first, broken = feed.restart(), line.number, False
            feed.add(line)
            last = line.number
            try:
                parser.Parse(line.text, False)
            except expat.ExpatError as error:
                yield from feed.take(report)
                _not_well_formed(feed, error, first, report)
                broken = True
                continue
            yield from feed.take(report)
        if not broken:
            parser.Parse("", True)
        yield from feed.take(report)
    except expat.ExpatError as error:
        yield from feed.take(report)
        _not_well_formed(feed, error, first, report)
    except _Refused as refused:
        yield from feed.take(report)
        line = parser.CurrentLineNumber + first - 1 if parser.CurrentLineNumber else last
        problem(report, SourceError(feed.shown, str(refused), line=line,
                                    hint="remove the DOCTYPE and entity declarations"))


def _not_well_formed(feed: _Feed, error: expat.ExpatError, first: int, report: ReadReport | None) -> None:
    """Report where expat stopped (``first`` is the file line the parser started at)."""
    problem(report, SourceError(feed.shown, f"not well-formed XML: {expat.ErrorString(error.code)}",
                                line=error.lineno + first - 1,
                                hint="fix the XML there; the entries before it were read"))


def _parser(feed: _Feed) -> Any:
    """An expat parser wired to ``feed``, refusing entity declarations."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(what: str) -> Any:
        def handler(*_: Any) -> Any:
            raise _Refused(f"{what} are not allowed in a feed")
        return handler

    parser.EntityDeclHandler = refuse("entity declarations")
    parser.UnparsedEntityDeclHandler = refuse("entity declarations")
    parser.ExternalEntityRefHandler = refuse("external entities")
    parser.SkippedEntityHandler = refuse("undefined entities")
    parser.StartElementHandler = lambda name, attrs: feed.start(name.rpartition(":")[2], parser.CurrentByteIndex + feed.shift)
    parser.EndElementHandler = lambda name: feed.end(name.rpartition(":")[2], parser.CurrentByteIndex + feed.shift)
    parser.CharacterDataHandler = feed.data
    return parser


class _Feed:
    """Collects entries from expat events and keeps the lines they sit on."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.lines: list[Line] = []
        self.byte_starts: list[int] = []
        self.next_byte = 0
        self.last_event = 0
        self.stack: list[str] = []
        self.entry: _Entry | None = None
        self.done: list[_Entry] = []
        self.shift = 0  # stream byte index minus the parser's byte index

    def restart(self) -> Any:
        """A fresh parser for what follows a broken part, positioned at the next line added."""
        self.stack, self.entry, self.done = [], None, []
        self.lines, self.byte_starts = [], []
        parser = _parser(self)
        self.shift = self.next_byte - len(_RESTART)
        parser.Parse(_RESTART, False)
        return parser

    def add(self, line: Line) -> None:
        self.lines.append(line)
        self.byte_starts.append(self.next_byte)
        self.next_byte += len(line.text.encode("utf-8"))

    def start(self, name: str, at: int) -> None:
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(name)
        self.last_event = at
        if name == "entry":
            self.entry = _Entry(at)
        elif self.entry is None:
            return
        elif name == "name" and parent == "author":
            self.entry.authors += 1
        elif name in _FIELDS and parent == "entry":
            self.entry.text[name] = []
            if name == "title":
                self.entry.title_at = at
            elif name == "summary":
                self.entry.summary = (at, at)

    def end(self, name: str, at: int) -> None:
        self.stack.pop()
        self.last_event = at
        if self.entry is None:
            return
        if name == "summary" and self.stack[-1:] == ["entry"] and self.entry.summary is not None:
            self.entry.summary = (self.entry.summary[0], at)
        elif name == "entry":
            self.done.append(self.entry)
            self.entry = None

    def data(self, text: str) -> None:
        if self.entry is not None and self.stack[-2:-1] == ["entry"] and self.stack[-1] in self.entry.text:
            self.entry.text[self.stack[-1]].append(text)

    def take(self, report: ReadReport | None) -> Iterator[Paper]:
        """Yield the papers of entries finished so far and forget their lines."""
        done, self.done = self.done, []
        for entry in done:
            try:
                paper = self._paper(entry)
            except SourceError as error:
                problem(report, error)
                continue
            if paper is not None:
                yield paper
        keep = self.entry.start if self.entry is not None else self.last_event
        drop = max(bisect.bisect_right(self.byte_starts, keep) - 1, 0)
        del self.lines[:drop], self.byte_starts[:drop]

    def _locate(self, byte: int) -> tuple[int, int]:
        """Map a byte index of the stream to (line index, character offset in the file)."""
        index = max(bisect.bisect_right(self.byte_starts, byte) - 1, 0)
        line = self.lines[index]
        head = line.text.encode("utf-8")[: byte - self.byte_starts[index]]
        return index, line.offset + len(head.decode("utf-8"))

    def _paper(self, entry: _Entry) -> Paper | None:
        first, _ = self._locate(entry.start)
        line = self.lines[first].number
        title = clean_title("".join(entry.text.get("title", [])))
        if not title or entry.summary is None:
            missing = "<title>" if not title else "<summary>"
            raise SourceError(self.shown, f"entry without {missing}", line=line, hint=f"add a {missing} to the entry")
        last, _ = self._locate(entry.summary[1])
        if any(item.bad for item in self.lines[first:last + 1]):
            return None
        raw, raw_start = self._summary_raw(*entry.summary)
        try:
            text, segments, end = decode_xml_text(raw)
        except ValueError as error:
            raise SourceError(self.shown, str(error), line=line, hint="use &amp; &lt; &gt; &quot; &apos; or &#...;") from None
        abstract, pairs = strip_mapped(text, [(a, raw_start + f) for a, f in segments], end=raw_start + end)
        if not abstract:
            raise SourceError(self.shown, "entry with an empty <summary>", line=line, hint="add the abstract")
        title_line = self.lines[self._locate(entry.title_at or entry.start)[0]].number
        published = "".join(entry.text.get("published", entry.text.get("updated", []))).strip()
        return Paper(
            title=title,
            abstract=abstract,
            arxiv_id=arxiv_id("".join(entry.text.get("id", []))),
            date=published[:10] or None,
            authors=entry.authors or None,
            sources=(SourceRef(path=self.shown, line=title_line, format=NAME, segments=pairs),),
        )

    def _summary_raw(self, start: int, end: int) -> tuple[str, int]:
        """The raw characters between ``<summary ...>`` and ``</summary>``, and where they start."""
        first, start_char = self._locate(start)
        _, end_char = self._locate(end)
        base = self.lines[first].offset
        text = "".join(line.text for line in self.lines[first:])[start_char - base:end_char - base]
        quote, index = "", 0
        while True:  # find the ">" that closes the start tag, outside attribute quotes
            char = text[index]
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == ">":
                break
            index += 1
        if text[index - 1] == "/":  # <summary/>
            return "", start_char + index + 1
        return text[index + 1:], start_char + index + 1


def decode_xml_text(raw: str) -> tuple[str, Segments, int]:
    """Decode XML character content (entities, CDATA, comments) and map it to raw offsets.

    Returns the text, its ``(text offset, raw offset)`` pairs, and the raw
    offset just after the last character's own markup (before a final ``]]>``).
    """
    chars: list[str] = []
    segments: Segments = [(0, 0)]
    index = end = produced = 0
    for match in _MARKUP.finditer(raw):
        if match.start() > index:
            chars.append(raw[index:match.start()])
            produced, end = produced + match.start() - index, match.start()
        index = match.end()
        if match.group(1):  # CDATA: verbatim, 9 characters in
            segments.append((produced, match.start() + 9))
            chars.append(match.group(1))
            produced, end = produced + len(match.group(1)), match.end() - 3
        elif match.group(2) is not None:
            segments.append((produced, match.start()))
            chars.append(_entity(match.group(2)))
            produced, end = produced + 1, match.end()
        segments.append((produced, index))
    if index < len(raw):
        chars.append(raw[index:])
        end = len(raw)
    text = "".join(chars)
    return text, [pair for pair in _tidy(segments) if pair[0] < len(text)] or [(0, 0)], end


def _entity(name: str) -> str:
    """The character an entity reference stands for."""
    if name.startswith("#x") or name.startswith("#X"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    if name in _ENTITIES:
        return _ENTITIES[name]
    raise ValueError(f"undefined entity &{name};")


def _tidy(segments: Segments) -> Segments:
    """Drop pairs that a later pair at the same text offset overrides, and no-op pairs."""
    tidy: Segments = []
    for start, file_start in segments:
        while tidy and tidy[-1][0] == start:
            tidy.pop()
        if tidy and tidy[-1][1] + start - tidy[-1][0] == file_start:
            continue
        tidy.append((start, file_start))
    return tidy


def arxiv_id(text: str) -> str | None:
    """The arXiv id of an Atom ``<id>`` (``http://arxiv.org/abs/2401.00001v2`` -> ``2401.00001``)."""
    match = _ID.search(text.strip())
    return match.group(1) if match else None
