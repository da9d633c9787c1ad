"""The committed reports/ are what `leaderboard build` makes from corpus/ and rules/ today.

This keeps the published reports in step with the code, byte for byte. The
reviewed expectation, file by file with readable diffs, is
tests/test_golden_corpus.py (regenerated with ``--force-regen``).
"""

from pathlib import Path

import pytest

from leaderboard.build import build

ROOT = Path(__file__).resolve().parent.parent
REFRESH = "leaderboard build   (from the repository root), then commit reports/"


def test_committed_reports_are_fresh(tmp_path, monkeypatch):
    committed = ROOT / "reports"
    if not (committed / "records.jsonl").exists():
        pytest.fail(f"reports/ is missing; run: {REFRESH}")
    monkeypatch.chdir(ROOT)
    build(["corpus"], rules_dir="rules", out=tmp_path / "reports", progress=False)
    fresh = {p.name: p.read_bytes() for p in (tmp_path / "reports").iterdir() if not p.name.startswith(".")}
    old = {p.name: p.read_bytes() for p in committed.iterdir() if not p.name.startswith(".")}
    stale = sorted(name for name in fresh.keys() | old.keys() if fresh.get(name) != old.get(name))
    assert not stale, f"reports/ is stale ({', '.join(stale)}); refresh with: {REFRESH}"
