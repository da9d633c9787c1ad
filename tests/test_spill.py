"""The spill sorts as Python sorts, keeps the first of duplicates, counts papers, and cleans up."""

from __future__ import annotations

import random
from pathlib import Path

from leaderboard.spill import Spill, key_digest

WORDS = ["fid", "ocrbench", "a", "b", "é", "z", "Ω", "😀", "ab", ""]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(0, 3)))


def test_orders_duplicates_and_counts(tmp_path: Path) -> None:
    rng = random.Random(5)
    spill = Spill(tmp_path)
    records, rejections, keys = [], [], []
    for batch in range(5):
        batch_records, batch_rejections = [], []
        for _ in range(300):
            record_id = f"{rng.randrange(400):016x}"
            row = (record_id, _text(rng), _text(rng), rng.randrange(5), rng.randrange(5), f"record {batch} {record_id}")
            batch_records.append(row)
            digest = bytes([rng.randrange(256)]) * 16
            batch_rejections.append((digest, _text(rng), rng.randrange(3), rng.randrange(3), _text(rng), _text(rng),
                                     _text(rng), _text(rng), _text(rng), _text(rng), f"rejection {len(rejections)}"))  # fmt: skip
            rejections.append(batch_rejections[-1])
            keys.append(key_digest(f"paper {rng.randrange(700)}"))
        records += batch_records
        spill.add(batch_records, batch_rejections, b"".join(keys[-300:]))
    first: dict[str, tuple] = {}
    for row in records:
        first.setdefault(row[0], row)
    kept = list(first.values())
    assert list(spill.records("id")) == [row[5] for row in sorted(kept, key=lambda row: row[0])]
    assert list(spill.records("pipeline")) == [row[5] for row in sorted(kept, key=lambda row: (row[1], row[2], row[3], row[4], row[0]))]
    seen: dict[bytes, tuple] = {}
    for row in rejections:
        seen.setdefault(row[0], row)
    unique = list(seen.values())  # in reading order: Python's sort is stable, like the sequence number
    assert list(spill.rejections("pipeline")) == [row[10] for row in sorted(unique, key=lambda row: (row[1], row[2], row[3], row[4]))]
    report = sorted(unique, key=lambda row: (row[1], row[2], row[3], row[5], row[6], row[7], row[4], row[8], row[9]))
    assert list(spill.rejections("report")) == [row[10] for row in report]
    assert spill.papers == len(set(keys)) and spill.count("records") == len(kept)
    folder = next(tmp_path.iterdir())
    spill.close()
    assert not folder.exists()


def test_first_readings_of_arxiv_ids(tmp_path: Path) -> None:
    spill = Spill(tmp_path)
    assert spill.first_readings([("1", b"a", "f", 1), ("2", b"b", "f", 2), ("1", b"a", "f", 3)]) == [None, None, None]
    assert spill.first_readings([("1", b"c", "g", 1), ("2", b"b", "g", 2), ("3", b"d", "g", 3), ("3", b"e", "g", 4)]) == [
        ("f", 1), None, None, ("g", 3)]
    spill.close()
