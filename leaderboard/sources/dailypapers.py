"""Reader for Daily Papers page dumps (the text of a Hugging Face papers page).

Two layouts occur, decided per file from its structure:

- **blocks**: title, abstract and an optional meta block (``• 7 authors`` or a
  submitter line, ``·``, and a date with an optional upvote count) are
  separated by blank lines;
- **dense**: titles and abstracts alternate line by line with no blank lines,
  and the first title may be glued to the page chrome word (``SubscribeX``).

Page chrome (``Subscribe``, ``Daily Papers``, a lone date at the top, ...) is
skipped. A title is a line (or, in blocks, a run of lines) followed by an
abstract: prose that is clearly longer and reads as sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceError
from ..model import Paper, SourceRef
from ._common import Line, ReadReport, clean_title, display_path, iter_lines, problem, strip_mapped

__all__ = ["NAME", "read"]

NAME = "dailypapers"

CHROME = frozenset({
    "new",
    "subscribe",
    "daily papers",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
    "byak and the research community",
})
_GLUED = ("Subscribe", "Daily Papers")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = re.compile(rf"^({_MONTH} \d{{1,2}}(?:, \d{{4}})?)(?: (\d+))?$")
_AUTHORS = re.compile(r"^•\s*(\d+)\s+authors?$")
_SENTENCE = re.compile(r"[.!?][\"')\]]?\s+[A-Z0-9(\"“]")
_LOOKAHEAD = 64  # non-blank lines looked at to decide the layout


@dataclass
class _Unit:
    """A title or abstract candidate: one line, or a run of lines in a block."""

    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines).rstrip("\n")


@dataclass
class _Entry:
    title: _Unit
    abstract: _Unit
    authors: int | None = None
    date: str | None = None


def _kind(text: str) -> str:
    """Classify one stripped line: blank, chrome, dot, authors, date or text."""
    if not text:
        return "blank"
    if text.casefold() in CHROME:
        return "chrome"
    if text == "·":
        return "dot"
    if _AUTHORS.match(text):
        return "authors"
    if _DATE.match(text):
        return "date"
    return "text"


def _looks_like_abstract(text: str) -> bool:
    """Prose: long, with at least one sentence boundary, or very long."""
    return len(text) >= 400 or (len(text) >= 150 and _SENTENCE.search(text) is not None)


def _is_abstract_for(title: str, text: str) -> bool:
    """Whether ``text`` reads as the abstract that follows ``title``."""
    if _looks_like_abstract(text):
        return True
    return len(text) > 2 * len(title) and _SENTENCE.search(text + " X") is not None


def _is_dense(window: list[tuple[str, bool]]) -> bool:
    """Dense when fewer blank-separated text blocks exist than abstracts."""
    blocks = prose = 0
    in_block = False
    for kind, is_prose in window:
        if kind == "blank":
            in_block = False
        elif kind == "text":
            blocks += not in_block
            in_block = True
            prose += is_prose
    return prose > 0 and blocks <= prose


def _stripped(line: Line) -> str:
    return line.content.lstrip("\ufeff").strip()


def read(path: str | Path, *, report: ReadReport | None = None) -> Iterator[Paper]:
    """Yield the papers of one Daily Papers dump, in file order."""
    shown = display_path(path)
    lines = iter_lines(path, report=report)
    window: list[Line] = []
    for line in lines:
        window.append(line)
        if sum(1 for item in window if _stripped(item)) >= _LOOKAHEAD:
            break
    kinds = [(_kind(_stripped(line)), _looks_like_abstract(_stripped(line))) for line in window]
    dense = _is_dense(kinds)
    parser = _Parser(shown, dense, report)
    previous: Line | None = None
    for line in _chain(window, lines):
        if previous is not None:
            yield from parser.feed(previous, following=line)
        previous = line
    if previous is not None:
        yield from parser.feed(previous, following=None)
    yield from parser.close()


def _chain(first: list[Line], rest: Iterator[Line]) -> Iterator[Line]:
    yield from first
    yield from rest


class _Parser:
    """A small state machine over classified lines: title, abstract, meta."""

    def __init__(self, shown: str, dense: bool, report: ReadReport | None) -> None:
        self.shown, self.dense, self.report = shown, dense, report
        self.unit: _Unit | None = None  # run of text lines being collected
        self.title: _Unit | None = None  # title waiting for its abstract
        self.entry: _Entry | None = None  # complete entry waiting for its meta
        self.after_dot = False
        self.seen_paper = False

    def feed(self, line: Line, following: Line | None) -> Iterator[Paper]:
        """Take one line; ``following`` is the next line, to spot a submitter line."""
        text = _stripped(line)
        kind = _kind(text)
        if kind == "text" and following is not None and _stripped(following) == "·" \
                and not _looks_like_abstract(text):
            kind = "submitter"
        after_dot, self.after_dot = self.after_dot, kind == "dot"
        if kind == "text":
            if self.unit is None or self.dense:
                yield from self._end_unit()
                self.unit = _Unit()
            self.unit.lines.append(line)
            return
        yield from self._end_unit()
        if kind in ("blank", "chrome", "dot", "submitter"):
            return
        if kind == "date" and not after_dot:
            return  # a lone date is the page's date, not a paper's
        self._orphan_title()
        if self.entry is not None:
            match = _AUTHORS.match(text) if kind == "authors" else _DATE.match(text)
            if kind == "authors" and match:
                self.entry.authors = int(match.group(1))
            elif match:
                self.entry.date = match.group(1)

    def close(self) -> Iterator[Paper]:
        """Finish the file: emit the last entry, report a title left alone."""
        yield from self._end_unit()
        self._orphan_title()
        yield from self._flush()

    def _end_unit(self) -> Iterator[Paper]:
        unit, self.unit = self.unit, None
        if unit is None:
            return
        text = clean_title(unit.text)
        if self.title is None:
            yield from self._flush()
            if not self.seen_paper:
                text = self._unglue(unit, text)
            if _looks_like_abstract(text):
                self._error(unit.lines[0], "an abstract without a title", "put the title on the line before it")
            else:
                self.title = unit
        elif _is_abstract_for(clean_title(self.title.text), text):
            self.entry, self.title = _Entry(self.title, unit), None
            self.seen_paper = True
        else:
            self._orphan_title()
            self.title = unit

    def _unglue(self, unit: _Unit, text: str) -> str:
        """Cut page chrome glued to the first title (``SubscribeLearning ...``)."""
        for word in _GLUED:
            rest = text[len(word):]
            if text.startswith(word) and rest and not rest[0].islower():
                first = unit.lines[0]
                cut = first.text.index(word) + len(word)
                unit.lines[0] = first._replace(offset=first.offset + cut, text=first.text[cut:])
                return clean_title(unit.text)
        return text

    def _orphan_title(self) -> None:
        if self.title is not None:
            self._error(self.title.lines[0], "a title without an abstract", "put the abstract on the line after it")
            self.title = None

    def _error(self, line: Line, message: str, hint: str) -> None:
        problem(self.report, SourceError(self.shown, message, line=line.number, hint=hint))

    def _flush(self) -> Iterator[Paper]:
        entry, self.entry = self.entry, None
        if entry is None or any(line.bad for line in entry.title.lines + entry.abstract.lines):
            return
        raw = entry.abstract.text
        start = entry.abstract.lines[0].offset
        abstract, segments = strip_mapped(raw, [(0, start)])
        ref = SourceRef(path=self.shown, line=entry.title.lines[0].number, format=NAME, segments=segments)
        yield Paper(
            title=clean_title(entry.title.text),
            abstract=abstract,
            date=entry.date,
            authors=entry.authors,
            sources=(ref,),
        )
