"""What every reader shares: the read report, streamed lines, offset maps.

A reader sees its file as a stream of `Line` objects: the decoded text of one
line (terminator included), its 1-based number and the character offset where
it starts in ``path.read_bytes().decode("utf-8", errors="replace")``. Bytes
that are not UTF-8 become U+FFFD exactly as that decode would make them, and
the line is flagged ``bad`` so that the reader can skip the entry on it. A
line longer than `MAX_LINE_BYTES` is never held in memory whole (at most
that much of it and one block): it is reported, counted for offsets and
yielded empty and ``bad``.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ..errors import SourceError

__all__ = [
    "ReadReport",
    "FilePart",
    "Line",
    "Segments",
    "iter_lines",
    "display_path",
    "clean_title",
    "strip_mapped",
    "problem",
    "MAX_LINE_BYTES",
]

#: Bytes in one line of a source file. An abstract is a few KB and a JSON line
#: with thousands of authors a few hundred; a longer line is skipped unread.
MAX_LINE_BYTES = 4 * 1024 * 1024

#: Offset-map pairs ``(text offset, file offset)``, as in `SourceRef.segments`.
Segments = list[tuple[int, int]]

_SENTINEL = "\ud800"  # a lone surrogate: valid UTF-8 never decodes to one
_ERROR_HANDLER = "leaderboard-mark-bad-bytes"
_BLOCK = 1 << 15  # bytes read at a time: lines are cut from blocks, not read one by one


def _mark_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    """Replace one undecodable sequence like ``errors="replace"`` does, but marked."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return _SENTINEL, error.end


codecs.register_error(_ERROR_HANDLER, _mark_bad_bytes)


@dataclass
class ReadReport:
    """What a read did: counts, and every file or line skipped with the reason."""

    files_read: int = 0
    files_skipped: int = 0
    entries: int = 0
    no_abstract: int = 0
    problems: list[SourceError] = field(default_factory=list)

    @property
    def skipped(self) -> bool:
        """True when any file, line or entry was skipped."""
        return bool(self.problems)


class FilePart(NamedTuple):
    """A run of whole lines of a file: bytes ``start:end``, its first line's number and character offset."""

    start: int
    end: int
    line: int
    offset: int


class Line(NamedTuple):
    """One line of a source file, decoded, with where it sits."""

    number: int
    offset: int
    text: str
    bad: bool

    @property
    def content(self) -> str:
        """The line without its ``\\n`` terminator (a ``\\r`` before it stays)."""
        return self.text[:-1] if self.text.endswith("\n") else self.text


def problem(report: ReadReport | None, error: SourceError) -> None:
    """Record ``error`` in ``report``, or raise it when there is no report."""
    if report is None:
        raise error
    report.problems.append(error)


def iter_lines(
    path: str | Path, *, report: ReadReport | None = None, part: FilePart | None = None, ends: bool = True
) -> Iterator[Line]:
    """Stream the lines of ``path``, reporting each line that is not valid UTF-8.

    With ``part``, only the lines that start in its byte range, numbered and
    placed from its first line on. With ``ends=False`` a line's text leaves
    out its ``\\n`` (the text is already `Line.content`), which spares a copy.

    The file is read in blocks and cut at each ``\\n``, where ``readline``
    would cut it; each line's bytes are decoded on their own, so that a bad
    byte marks only its own line.
    """
    shown = display_path(path)
    number, offset = (part.line, part.offset) if part else (1, 0)
    base, stop = (part.start, part.end) if part else (0, sys.maxsize)  # base: where buffer starts in the file
    cut = 0 if ends else 1  # the "\n" left out of a line's text
    with open(path, "rb") as handle:
        handle.seek(base)
        buffer, at = b"", 0  # bytes read, and where the next line starts in them
        while True:
            end = buffer.find(b"\n", at) + 1  # 0: the next line is not all read
            if base + at >= stop:
                return
            last = end - cut  # where the line's text ends
            if not end or end - at > MAX_LINE_BYTES + 1:
                if end or len(buffer) - at > MAX_LINE_BYTES:  # more than MAX_LINE_BYTES before its "\n"
                    if end:  # all read already
                        length, ended, at = len(buffer[at:end].decode("utf-8", errors=_ERROR_HANDLER)), True, end
                    else:
                        length, ended, buffer = _skip_line(handle, buffer[at:])
                        base, at = handle.tell() - len(buffer), 0
                    problem(report, SourceError(
                        shown, f"a line longer than {MAX_LINE_BYTES >> 20} MiB (MAX_LINE_BYTES); skipped unread",
                        line=number, hint="an entry is a few KB; check how the file was made",
                    ))
                    yield Line(number, offset, "\n" if ended and ends else "", True)
                    number, offset = number + 1, offset + length
                    continue
                block = handle.read(_BLOCK)
                if block:
                    buffer, base, at = buffer[at:] + block, base + at, 0
                    continue
                if at == len(buffer):
                    return
                end = last = len(buffer)  # the last line, without "\n"
            text = buffer[at:last].decode("utf-8", errors=_ERROR_HANDLER)
            bad = _SENTINEL in text  # quick: a text of Latin-1 cannot hold a surrogate
            if bad:
                text = _bad_bytes(text, shown, number, report)
            yield Line(number, offset, text, bad)
            number, offset, at = number + 1, offset + len(text) + end - last, end


def _bad_bytes(text: str, shown: str, number: int, report: ReadReport | None) -> str:
    """Report a line decoded with bad bytes marked, and turn each mark into U+FFFD as ``errors="replace"`` would."""
    problem(report, SourceError(
        shown, "bytes that are not UTF-8; an entry on this line is skipped", line=number, hint="re-save the file as UTF-8",
    ))
    return text.replace(_SENTINEL, "\ufffd")


def _skip_line(handle: BinaryIO, head: bytes) -> tuple[int, bool, bytes]:
    """Read past the rest of a long line in blocks: its length in characters, whether a newline ends it, the bytes after it."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors=_ERROR_HANDLER)
    length, ended, rest = len(decoder.decode(head)), False, b""
    while not ended:
        block = handle.read(_BLOCK)
        if not block:
            break
        newline = block.find(b"\n") + 1
        ended = newline > 0
        length += len(decoder.decode(block[:newline] if ended else block))
        rest = block[newline:] if ended else b""
    return length + len(decoder.decode(b"", final=True)), ended, rest


def display_path(path: str | Path) -> str:
    """The path as records show it: relative to the working directory when inside it."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    try:
        inside = os.path.commonpath([absolute, cwd]) == cwd
    except ValueError:  # different drives
        inside = False
    shown = os.path.relpath(absolute, cwd) if inside else absolute
    return Path(shown).as_posix()


def clean_title(title: str) -> str:
    """Collapse runs of whitespace, newlines and byte-order marks in a title into single spaces.

    An ASCII title that is printable (no control character, so no whitespace but the space), and holds
    no space at an end or next to another, is its own result: the checks cost less than splitting and joining.

    >>> clean_title(" Fast\\n  Sampling\\ufeff ")
    'Fast Sampling'
    """
    if title.isascii() and title.isprintable() and "  " not in title and title[:1] != " " and title[-1:] != " ":
        return title
    return " ".join(title.replace("\ufeff", " ").split())


def strip_mapped(text: str, segments: Segments, end: int | None = None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Strip outer whitespace of ``text`` and shift its offset map to match.

    ``segments`` maps offsets of ``text`` to file offsets; ``end`` is the file
    offset just after ``text``'s last character. The result gets a closing
    pair ``(len(text), end)`` only when the last run does not already reach it
    (the last character came from an escape), so that ``file_offset(len)`` is
    always the end of the abstract in the file.
    """
    left = len(text) - len(text.lstrip())
    stripped = text.strip()
    right = left + len(stripped)
    if not stripped:
        return "", ((0, segments[0][1] if segments else 0),)
    starts = [start for start, _ in segments]
    shifted: Segments = []
    for index, (start, file_start) in enumerate(segments):
        stop = starts[index + 1] if index + 1 < len(starts) else len(text)
        if stop <= left or start >= right:
            continue
        if start < left:
            file_start, start = file_start + left - start, left
        shifted.append((start - left, file_start))
    if end is not None and right == len(text):
        last_start, last_file = shifted[-1]
        if last_file + len(stripped) - last_start != end:
            shifted.append((len(stripped), end))
    elif right < len(text):
        # the character after the kept text is whitespace; find where it sits
        after = _offset_in(segments, right)
        last_start, last_file = shifted[-1]
        if last_file + len(stripped) - last_start != after:
            shifted.append((len(stripped), after))
    return stripped, tuple(shifted)


def _offset_in(segments: Segments, offset: int) -> int:
    """Map ``offset`` through ``segments`` (the same rule as `SourceRef.file_offset`)."""
    best = segments[0]
    for pair in segments:
        if pair[0] <= offset:
            best = pair
    return best[1] + offset - best[0]
