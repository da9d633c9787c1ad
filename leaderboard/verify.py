"""``leaderboard verify``: check every record against the source it quotes.

For each line of ``records.jsonl``, `verify` checks that

- the stored id still recomputes from the record's fields (an edited value,
  model or dataset changes the id);
- the source file (``provenance.source``, relative to ``root``, the working
  directory by default) exists and its bytes still hash to
  ``provenance.source_sha256``;
- ``text[quote_span]`` is still ``provenance.quote`` and ``text[span]`` is
  still ``reported``, where ``text`` is the file decoded as UTF-8 with
  replacement characters for invalid bytes; and that the span lies inside the
  quote span.

Every failed check is one `Mismatch` naming the record, paper and source.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .model import Record
from .records_io import read_records

__all__ = ["Mismatch", "verify"]


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


def _excerpt(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _source_problems(record: Record, data: bytes) -> list[str]:
    source = record.provenance
    problems = []
    digest = hashlib.sha256(data).hexdigest()
    if digest != source.source_sha256:
        problems.append(f"source changed: sha256 is {digest[:12]}…, the record says {source.source_sha256[:12]}…")
    text = data.decode("utf-8", errors="replace")
    start, end = source.quote_span
    if text[start:end] != source.quote:
        problems.append(f"quote no longer at {start}-{end}: found {_excerpt(text[start:end])}")
    start, end = source.span
    if text[start:end] != record.reported:
        problems.append(f"reported {record.reported!r} no longer at {start}-{end}: found {_excerpt(text[start:end])}")
    if not (source.quote_span[0] <= start <= end <= source.quote_span[1]):
        problems.append(f"span {start}-{end} lies outside the quote span {source.quote_span[0]}-{source.quote_span[1]}")
    return problems


def _read(path: Path, cache: dict[Path, bytes | None]) -> bytes | None:
    if path not in cache:
        try:
            cache[path] = path.read_bytes()
        except OSError:
            cache[path] = None
    return cache[path]


def verify(records_path: str | Path, *, root: str | Path | None = None) -> list[Mismatch]:
    """Every mismatch between ``records_path`` and the sources, in file order."""
    base = Path.cwd() if root is None else Path(root)
    cache: dict[Path, bytes | None] = {}
    mismatches = []
    for line, stored, record in read_records(records_path):
        problems = []
        if record.id != stored:
            problems.append(f"fields no longer match the id: they hash to {record.id} (edited after the build?)")
        data = _read(base / record.provenance.source, cache)
        if data is None:
            problems.append("source file not found")
        else:
            problems += _source_problems(record, data)
        name = record.provenance
        mismatches += [Mismatch(line, stored, name.paper, name.source, problem) for problem in problems]
    return mismatches
