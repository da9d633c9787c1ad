"""Reader for BibTeX files: the entries that carry an ``abstract`` field.

A small brace-aware parser, streamed entry by entry: values in ``{...}``
(nested braces) or ``"..."``, numbers and macro names, joined by ``#``.
``@comment``, ``@string`` and ``@preamble`` are skipped. The abstract is kept
raw, exactly as written inside its braces, so its offset map is linear.
Entries without an abstract are counted in `ReadReport.no_abstract`. An entry
with unbalanced braces is reported at the line where it starts, and reading
goes on at the next ``@`` at the start of a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import SourceError
from ..model import Paper, SourceRef
from ._common import Line, ReadReport, Segments, clean_title, display_path, iter_lines, problem, strip_mapped

__all__ = ["NAME", "read", "parse_entry", "Field"]

NAME = "bibtex"

_START = re.compile(r"[ \t]*@[ \t]*([A-Za-z]+)[ \t]*([{(])")
_NAME = re.compile(r"\s*([^\s=,{}()\"#]+)\s*")
_STRAY = re.compile(r"\s*(?:[A-Za-z][\w-]*\s*=\s*[{\"\w]|[})]\s*,?\s*$)")
_SKIPPED = {"comment", "string", "preamble"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ARXIV = re.compile(r"(?:arXiv[:.]\s*)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)

#: One field value: the text and its offset map relative to the entry text.
Field = tuple[str, Segments]


def read(path: str | Path, *, report: ReadReport | None = None) -> Iterator[Paper]:
    """Yield the papers of one BibTeX file: its entries with an abstract."""
    shown = display_path(path)
    for lines in _entries(iter_lines(path, report=report), shown, report):
        try:
            paper = _paper(lines, shown, report)
        except SourceError as error:
            problem(report, error)
            continue
        if paper is not None:
            yield paper


def _entries(lines: Iterator[Line], shown: str, report: ReadReport | None) -> Iterator[list[Line]]:
    """Group lines into entries, from an ``@`` at a line start to its closing brace.

    A finished entry is held until the next non-blank line: when that line
    looks like a field or a closing brace, an extra ``}`` closed the entry
    early, and it is reported instead of read.
    """
    current: list[Line] = []
    done: list[Line] = []
    scan = _Scan("{")
    for line in lines:
        match = _START.match(line.text)
        if current and match:
            _unbalanced(current, shown, report)
            current = []
        if not current:
            if not match:
                if done and _STRAY.match(line.text):
                    _unbalanced(done, shown, report)
                    done = []
                elif done and line.text.strip() and not line.text.lstrip().startswith("%"):
                    yield done
                    done = []
                continue  # text between entries is a comment in BibTeX
            if done:
                yield done
                done = []
            scan = _Scan(match.group(2))
            rest = scan.feed(line.text, match.end())
        else:
            rest = scan.feed(line.text, 0)
        current.append(line)
        if rest is not None:
            done, current = current, []
            if line.text[rest:].strip(" \t\r\n,").partition("%")[0]:
                _unbalanced(done, shown, report)
                done = []
    if done:
        yield done
    if current:
        _unbalanced(current, shown, report)


class _Scan:
    """Follows the nesting of one entry across lines until its delimiter closes."""

    def __init__(self, opener: str) -> None:
        self.closer = "}" if opener == "{" else ")"
        self.depth = 0  # braces inside the entry

    def feed(self, text: str, start: int) -> int | None:
        """Scan ``text`` from ``start``; the index after the entry's end, or None."""
        for index in range(start, len(text)):
            char = text[index]
            if char == self.closer and self.depth == 0:
                return index + 1
            if char == "{":
                self.depth += 1
            elif char == "}":
                self.depth -= 1
        return None


def _unbalanced(lines: list[Line], shown: str, report: ReadReport | None) -> None:
    problem(report, SourceError(shown, "entry with unbalanced braces", line=lines[0].number,
                                hint="close every { with a }; the entry was skipped"))


def _paper(lines: list[Line], shown: str, report: ReadReport | None) -> Paper | None:
    """The paper of one entry, None when it has no abstract or is not a paper."""
    text = "".join(line.text for line in lines)
    try:
        kind, fields = parse_entry(text)
    except (ValueError, IndexError) as error:
        message = str(error) if isinstance(error, ValueError) else "an entry that ends too early"
        raise SourceError(shown, f"cannot parse the entry: {message}", line=lines[0].number,
                          hint="write fields as name = {value}, separated by commas") from None
    if kind in _SKIPPED:
        return None
    if "abstract" not in fields:
        if report is not None:
            report.no_abstract += 1
        return None
    if "title" not in fields:
        raise SourceError(shown, "entry without a title", line=lines[0].number, hint="add a title field")
    if any(line.bad for line in lines):
        return None
    base = lines[0].offset
    raw, segments = fields["abstract"]
    end = segments[-1][1] + len(raw) - segments[-1][0]
    abstract, pairs = strip_mapped(raw, [(a, base + f) for a, f in segments], end=base + end)
    if not abstract:
        raise SourceError(shown, "entry with an empty abstract", line=lines[0].number, hint="fill in the abstract")
    title_at = fields["title"][1][0][1]
    title_line = lines[0].number + text.count("\n", 0, title_at)
    return Paper(
        title=clean_title(_unbrace(fields["title"][0])),
        abstract=abstract,
        arxiv_id=_arxiv_id(fields),
        date=_date(fields),
        authors=_count_authors(fields["author"][0]) if "author" in fields else None,
        sources=(SourceRef(path=shown, line=title_line, format=NAME, segments=pairs),),
    )


def parse_entry(text: str) -> tuple[str, dict[str, Field]]:
    """Parse one balanced entry into its type and fields (lower-cased names)."""
    match = _START.match(text)
    assert match, "entries start with @type{"
    kind = match.group(1).lower()
    fields: dict[str, Field] = {}
    if kind in _SKIPPED:
        return kind, fields
    index = text.find(",", match.end())  # past the citation key
    while index != -1 and index < len(text):
        name = _NAME.match(text, index + 1)
        if not name or text[name.end():name.end() + 1] != "=":
            break
        value, index = _value(text, name.end() + 1)
        fields[name.group(1).lower()] = value
        index = _skip_space(text, index)
        if text[index:index + 1] != ",":
            break
    return kind, fields


def _value(text: str, index: int) -> tuple[Field, int]:
    """Parse a value (pieces joined by ``#``) starting at ``index``."""
    chars: list[str] = []
    segments: Segments = []
    while True:
        index = _skip_space(text, index)
        opener = text[index]
        if opener in "{\"":
            close = _closing(text, index)
            segments.append((sum(map(len, chars)), index + 1))
            chars.append(text[index + 1:close])
            index = close + 1
        else:
            bare = _NAME.match(text, index)
            if not bare:
                raise ValueError("a value expected after =")
            segments.append((sum(map(len, chars)), bare.start(1)))
            chars.append(bare.group(1))
            index = bare.end()
        index = _skip_space(text, index)
        if text[index:index + 1] != "#":
            return ("".join(chars), segments), index
        index += 1


def _closing(text: str, index: int) -> int:
    """Index of the brace or quote that closes the one at ``index``."""
    depth = 0
    for position in range(index, len(text)):
        char = text[position]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and text[index] == "{":
                return position
        elif char == '"' and depth == 0 and position > index and text[index] == '"':
            return position
    raise ValueError("a value that is never closed")


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _unbrace(title: str) -> str:
    """Drop protective braces (``{BERT}``) but keep command arguments (``\\emph{x}``)."""
    out: list[str] = []
    kept: list[bool] = []
    for index, char in enumerate(title):
        if char == "{":
            keep = re.search(r"\\[A-Za-z]+\s*$|\\.$", title[:index]) is not None
            kept.append(keep)
            if keep:
                out.append(char)
        elif char == "}" and kept:
            if kept.pop():
                out.append(char)
        else:
            out.append(char)
    return "".join(out)


def _count_authors(authors: str) -> int:
    """Number of names in ``A and B and C``, ignoring ``and`` inside braces."""
    depth, count = 0, 1
    for index, char in enumerate(authors):
        depth += (char == "{") - (char == "}")
        if depth == 0 and re.match(r"\sand\s", authors[index:index + 5]):
            count += 1
    return count if authors.strip() else 0


def _date(fields: dict[str, Field]) -> str | None:
    """``year`` and ``month`` as ``YYYY`` or ``YYYY-MM``."""
    year = fields.get("year", ("", []))[0].strip()
    if not year:
        return None
    month = fields.get("month", ("", []))[0].strip().lower()
    if month[:3] in _MONTHS:
        return f"{year}-{_MONTHS.index(month[:3]) + 1:02d}"
    if month.isdigit() and 1 <= int(month) <= 12:
        return f"{year}-{int(month):02d}"
    return year


def _arxiv_id(fields: dict[str, Field]) -> str | None:
    """The arXiv id from ``eprint``, or from an arXiv DOI (``10.48550/arXiv.X``)."""
    for name in ("eprint", "doi"):
        value = fields.get(name, ("", []))[0].strip()
        if name == "doi" and "arxiv" not in value.lower():
            continue
        match = _ARXIV.search(value)
        if match:
            return match.group(1)
    return None
