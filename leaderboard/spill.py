"""What a run finds, kept on disk so that memory stays flat however many papers it reads.

Records and rejections go into a temporary SQLite file as they arrive, in
reading order, deduplicated as the pipeline defines it (the first record of
an id wins, and the first rejection of a paper, number, quote and reason);
they come back out sorted by any of the orders the outputs need, through
SQLite's own external sort. Paper keys are kept as 8-byte blake2b digests in
one growing buffer (8 MB for a million papers), sorted and counted at the end.

Sorting in SQLite gives the same order as Python's ``sorted`` on the same
keys: text compares as UTF-8 bytes, which is code point order, and ties keep
reading order through a sequence number.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path

import numpy as np

__all__ = ["Spill", "key_digest", "RECORD_ORDERS", "REJECTION_ORDERS"]

_SCHEMA = """
CREATE TABLE records (
    id TEXT PRIMARY KEY, benchmark TEXT, source TEXT, start INTEGER, end INTEGER, json TEXT
);
-- small rows found by id only: one B-tree keyed by id, not a rowid table and an index (the same rows, a cheaper insert);
-- the digest column has no type, so that it keeps a fingerprint as given (an int from the worker)
CREATE TABLE arxiv (id TEXT PRIMARY KEY, digest, path TEXT, line INTEGER) WITHOUT ROWID;
CREATE TABLE rejections (
    digest BLOB PRIMARY KEY, seq INTEGER, source TEXT, start INTEGER, end INTEGER, reason TEXT,
    benchmark TEXT, rule TEXT, reported TEXT, paper TEXT, quote TEXT, json TEXT
);
"""

#: ORDER BY of each records order: the pipeline's (benchmark, source, span, id), by id (records.jsonl),
#: and by benchmark then id (one board page after the other).
RECORD_ORDERS = {
    "pipeline": "benchmark, source, start, end, id",
    "id": "id",
    "benchmark": "benchmark, id",
}
#: ORDER BY of each rejections order: the pipeline's (source, span, reason) and the report's
#: (source, span, benchmark, rule, reported, reason, paper, quote), ties in reading order.
REJECTION_ORDERS = {
    "pipeline": "source, start, end, reason, seq",
    "report": "source, start, end, benchmark, rule, reported, reason, paper, quote, seq",
}


def key_digest(key: str) -> bytes:
    """The 8 bytes a paper key is counted by."""
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()


class Spill:
    """Records, rejections and paper keys of one run, in a temporary folder removed on `close`."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self._folder = tempfile.mkdtemp(prefix="leaderboard-spill-", dir=directory)
        self._db = sqlite3.connect(Path(self._folder) / "spill.sqlite", isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE", "cache_size=-8192"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.executescript(_SCHEMA)
        self._seq = 0
        self._keys = bytearray()  # 8-byte digests, one per paper read
        self._finalizer = weakref.finalize(self, _remove, self._db, self._folder)

    def add(self, records: list[tuple], rejections: list[tuple], keys: bytes) -> None:
        """Add one batch in reading order.

        ``records``: (id, benchmark, source, span start, span end, json);
        ``rejections``: (digest, source, span start, span end, reason, benchmark or "",
        rule or "", reported, paper, quote, json); ``keys``: concatenated `key_digest` values.
        """
        db = self._db
        db.execute("BEGIN")
        db.executemany("INSERT OR IGNORE INTO records VALUES (?, ?, ?, ?, ?, ?)", records)
        first = self._seq
        self._seq += len(rejections)
        db.executemany(
            "INSERT OR IGNORE INTO rejections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((row[0], first + n, *row[1:]) for n, row in enumerate(rejections)),
        )
        db.execute("COMMIT")
        self._keys += keys

    def first_readings(self, readings: list[tuple[str, int | bytes, str, int]]) -> list[tuple[str, int] | None]:
        """For each (arXiv id, fingerprint, path, line) in reading order: where the id was first read,
        when that was with another fingerprint, else None. Remembers first readings.

        A fingerprint is an int below 2**63 (`leaderboard.worker.fingerprint`; SQLite binds one at about
        half the cost of 8 bytes) or bytes, kept and given back as it came."""
        before = self._db.total_changes
        self._db.execute("BEGIN")
        self._db.executemany("INSERT OR IGNORE INTO arxiv VALUES (?, ?, ?, ?)", readings)
        self._db.execute("COMMIT")
        if self._db.total_changes - before == len(readings):
            return [None] * len(readings)  # every id is new: the common case, one statement
        firsts: dict[str, tuple[bytes, str, int]] = {}
        ids = sorted({reading[0] for reading in readings})
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = f"SELECT id, digest, path, line FROM arxiv WHERE id IN ({', '.join('?' * len(chunk))})"
            firsts.update((row[0], row[1:]) for row in self._db.execute(query, chunk))
        found: list[tuple[str, int] | None] = []
        for arxiv_id, digest, path, line in readings:
            first = firsts[arxiv_id]
            same = first[1:] == (path, line) or first[0] == digest
            found.append(None if same else (first[1], first[2]))
        return found

    @property
    def papers(self) -> int:
        """Distinct paper keys added (sorted in place, in 8 bytes each: no second copy)."""
        digests = np.frombuffer(self._keys, dtype="<u8")
        if not len(digests):
            return 0
        digests.sort()
        distinct = 1 + int(np.count_nonzero(digests[1:] != digests[:-1]))
        del digests  # releases the buffer, so that more keys can be added
        return distinct

    def count(self, table: str) -> int:
        """Rows of ``records`` or ``rejections``."""
        return self._db.execute(f"SELECT count(*) FROM {_table(table)}").fetchone()[0]

    def records(self, order: str = "pipeline") -> Iterator[str]:
        """Record JSON lines in ``order`` (`RECORD_ORDERS`)."""
        return self._rows(f"SELECT json FROM records ORDER BY {RECORD_ORDERS[order]}")

    def rejections(self, order: str = "pipeline") -> Iterator[str]:
        """Rejection JSON in ``order`` (`REJECTION_ORDERS`)."""
        return self._rows(f"SELECT json FROM rejections ORDER BY {REJECTION_ORDERS[order]}")

    def _rows(self, query: str) -> Iterator[str]:
        cursor = self._db.execute(query)
        try:
            while rows := cursor.fetchmany(1024):
                for (text,) in rows:
                    yield text
        finally:
            cursor.close()

    def close(self) -> None:
        """Remove the temporary folder."""
        self._finalizer()


def _table(name: str) -> str:
    if name not in ("records", "rejections"):
        raise ValueError(f"no table {name!r}")
    return name


def _remove(db: sqlite3.Connection, folder: str) -> None:
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
