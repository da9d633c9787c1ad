"""The arXiv metadata JSON-lines reader: fields, escapes, broken lines, streaming."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from leaderboard.sources import ReadReport, arxiv

DATA = Path(__file__).parent / "data" / "sources"


def test_reads_fields_and_collapses_titles() -> None:
    report = ReadReport()
    papers = list(arxiv.read(DATA / "arxiv.jsonl", report=report))
    assert [(p.arxiv_id, p.title, p.date, p.authors, p.sources[0].line) for p in papers] == [
        ("2401.00001", "Café Models: A Study of Escapes", "2024-01-05", 3, 1),
        ("2401.00002", "$\\lambda$-ECLIPSE: Multi-Concept", "2024-02-01", 2, 2),
        ("2401.00005", "Escaped slash and unicode escapes", None, None, 6),
        ("2401.00006", "Last Key Title", None, 1, 8),
    ]
    assert papers[0].abstract == 'We reach 78.4% on "DocVQA" with a C:\\path and café 😀.\nSecond line\tend.'


def test_broken_lines_are_reported_and_the_rest_is_read() -> None:
    report = ReadReport()
    list(arxiv.read(DATA / "arxiv.jsonl", report=report))
    assert [(error.line, error.message) for error in report.problems] == [
        (3, "not valid JSON (Unterminated string starting at, column 58)"),
        (4, "no 'abstract'"),
        (7, "not a JSON object"),
    ]


def test_decode_json_string_maps_each_escape() -> None:
    raw = r'x"a\n\"\\\u00e9\ud83d\ude00b"'
    text, segments = arxiv.decode_json_string(raw, 1)
    assert text == 'a\n"\\é😀b'
    assert segments == [(0, 2), (2, 5), (3, 7), (4, 9), (5, 15), (6, 27)]


def test_locate_value_finds_the_raw_literal_of_the_last_duplicate_key() -> None:
    line = '{"abstract": "first", "t": {"abstract": "nested"}, "abstract" : "la\\"st" }'
    start, end = arxiv.locate_value(line, "abstract")
    assert line[start:end] == '"la\\"st"'


@pytest.mark.parametrize(
    ("record", "count"),
    [({"authors": "A, B and C"}, 3), ({"authors": "A, B, and C"}, 3), ({"authors": "Solo"}, 1),
     ({"authors_parsed": [["A"], ["B"]], "authors": "x"}, 2), ({}, None)],
)
def test_count_authors(record: dict, count: int | None) -> None:
    assert arxiv.count_authors(record) == count


def test_streams_a_large_file_with_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    line = json.dumps({"id": "2401.00001", "title": "T", "abstract": "word " * 200}) + "\n"
    path.write_text(line * 2000, encoding="utf-8")  # about 2 MB
    tracemalloc.start()
    try:
        papers = arxiv.read(path)
        next(papers)
        _, first_peak = tracemalloc.get_traced_memory()
        count = 1 + sum(1 for _ in papers)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 2000
    assert first_peak < 200_000 and peak < 200_000  # the file is ten times bigger


def test_yields_the_first_paper_before_reading_on(tmp_path: Path) -> None:
    path = tmp_path / "growing.jsonl"
    record = {"id": "1", "title": "First", "abstract": "Read before the rest of the file exists."}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    papers = arxiv.read(path)
    assert next(papers).title == "First"
    with path.open("a", encoding="utf-8") as handle:  # appended after the first paper was yielded
        handle.write(json.dumps(record | {"title": "Second"}) + "\n")
    assert [paper.title for paper in papers] == ["Second"]
