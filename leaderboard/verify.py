"""``leaderboard verify``: check every record against the source it quotes.

For each line of ``records.jsonl``, `verify` checks that

- the stored id still recomputes from the record's fields (an edited value,
  model or dataset changes the id);
- the source file (``provenance.source``, relative to ``root``, the working
  directory by default) exists and its bytes still hash to
  ``provenance.source_sha256``;
- the text at ``quote_span`` is still ``provenance.quote`` and the text at
  ``span`` is still ``reported``; and that the span lies inside the quote
  span.

Spans are character offsets into the file decoded as UTF-8 (with replacement
characters for invalid bytes), but a quote is *decoded* text: a JSON-lines
source writes ``\\"`` or ``\\u00e9`` where the quote has ``"`` or ``é``, an
Atom feed writes ``&amp;`` where it has ``&``. So the text at a span is read
the way the build read it: the file is read again with its reader (format
sniffed, as `build` does without ``--format``) and the span is mapped back
through the offset map (`SourceRef.segments`) of the abstract it lies in.
Only a span that lies in no abstract the reader finds (the file no longer
parses, or the span was moved out of it) is compared with the raw characters.

Each source is read once, one at a time. Every failed check is one `Mismatch`
naming the record, paper and source; a records file that cannot be read is a
`VerifyError`.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import LocatedError, VerifyError
from .model import Paper, Record
from .records_io import read_records
from .sources import ReadReport, read_papers

__all__ = ["Mismatch", "verify"]

#: What the build decoded at a record's spans: (text at quote_span, text at span).
_Found = tuple[str, str]


@dataclass(frozen=True)
class Mismatch:
    """One record whose provenance no longer checks out, and what does not match."""

    line: int
    record_id: str
    paper: str
    source: str
    problem: str

    def __str__(self) -> str:
        return f"record {self.record_id} ({self.paper!r}, {self.source}): {self.problem}"


def verify(records_path: str | Path, *, root: str | Path | None = None) -> list[Mismatch]:
    """Every mismatch between ``records_path`` and the sources, in file order.

    Raises `VerifyError` when the records file is missing or a line of it is
    not a record.
    """
    base = Path.cwd() if root is None else Path(root)
    rows = _load(Path(records_path))
    by_source: dict[str, list[int]] = defaultdict(list)
    for index, (_, _, record) in enumerate(rows):
        by_source[record.provenance.source].append(index)
    problems: dict[int, list[str]] = {}
    for source, indexes in sorted(by_source.items()):
        checked = _check_source(base / source, [rows[index][2] for index in indexes])
        problems.update(zip(indexes, checked))
    mismatches = []
    for index, (line, stored, record) in enumerate(rows):
        found = problems[index]
        if record.id != stored:
            found = [f"fields no longer match the id: they hash to {record.id} (edited after the build?)", *found]
        paper, source = record.provenance.paper, record.provenance.source
        mismatches += [Mismatch(line, stored, paper, source, problem) for problem in found]
    return mismatches


def _load(path: Path) -> list[tuple[int, str, Record]]:
    """The rows of the records file, or a `VerifyError` that names it."""
    if not path.is_file():
        raise VerifyError(path, "no such records file", hint="run `leaderboard build` first")
    try:
        return read_records(path)
    except LocatedError as error:
        raise VerifyError(error.path, error.message, line=error.line, hint=error.hint) from None


def _check_source(path: Path, records: Sequence[Record]) -> list[list[str]]:
    """The problems of each record of one source file, in the order given."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [["source file not found"] for _ in records]
    except OSError as error:
        return [[f"source file cannot be read: {error.strerror or error}"] for _ in records]
    digest = hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8", errors="replace")
    decoded = _decoded_at_spans(path, records)
    return [_problems(record, digest, text, decoded.get(index)) for index, record in enumerate(records)]


def _problems(record: Record, digest: str, text: str, found: _Found | None) -> list[str]:
    """What no longer matches for one record, given the text at its spans."""
    source = record.provenance
    problems = []
    if digest != source.source_sha256:
        problems.append(f"source changed: sha256 is {digest[:12]}…, the record says {source.source_sha256[:12]}…")
    (quote_start, quote_end), (start, end) = source.quote_span, source.span
    quote, reported = found if found is not None else (text[quote_start:quote_end], text[start:end])
    if quote != source.quote:
        problems.append(f"quote no longer at {quote_start}-{quote_end}: found {_excerpt(quote)}")
    if reported != record.reported:
        problems.append(f"reported {record.reported!r} no longer at {start}-{end}: found {_excerpt(reported)}")
    if not (quote_start <= start <= end <= quote_end):
        problems.append(f"span {start}-{end} lies outside the quote span {quote_start}-{quote_end}")
    return problems


def _excerpt(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _decoded_at_spans(path: Path, records: Sequence[Record]) -> dict[int, _Found]:
    """Read ``path`` again with its reader; decode each record's spans in its abstract.

    Keys are indexes into ``records``; a record whose quote span lies in no
    abstract of the file is left out. Papers are streamed, so only the
    records are held in memory, not the file's abstracts.
    """
    order = sorted(range(len(records)), key=lambda index: records[index].provenance.quote_span)
    starts = [records[index].provenance.quote_span[0] for index in order]
    decoded: dict[int, _Found] = {}
    for paper in read_papers([path], report=ReadReport()):
        ref = paper.sources[0]
        low, high = ref.file_offset(0), ref.file_offset(len(paper.abstract))
        for index in order[bisect.bisect_left(starts, low):bisect.bisect_right(starts, high)]:
            quote = _abstract_text(paper, records[index].provenance.quote_span)
            reported = _abstract_text(paper, records[index].provenance.span)
            if quote is not None and reported is not None:
                decoded[index] = (quote, reported)
    return decoded


def _abstract_text(paper: Paper, span: tuple[int, int]) -> str | None:
    """The abstract characters the reader decoded from the file characters ``span``.

    None when either end is not where an abstract character starts (or where
    the abstract ends): the span reaches outside the abstract or into the
    middle of an escape.
    """
    start, end = (_abstract_offset(paper, offset) for offset in span)
    if start is None or end is None or start > end:
        return None
    return paper.abstract[start:end]


def _abstract_offset(paper: Paper, file_offset: int) -> int | None:
    """The abstract offset that `SourceRef.file_offset` maps to ``file_offset``, if any.

    Every abstract character comes from at least one file character, so the
    map is strictly increasing and a binary search inverts it.
    """
    ref, length = paper.sources[0], len(paper.abstract)
    offset = bisect.bisect_left(range(length + 1), file_offset, key=ref.file_offset)
    return offset if offset <= length and ref.file_offset(offset) == file_offset else None
