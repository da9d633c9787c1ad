"""The BibTeX reader: braces, quotes, skipped entry types, unbalanced entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard.sources import ReadReport, bibtex

DATA = Path(__file__).parent / "data" / "sources"


def read(path: Path) -> tuple[list, ReadReport]:
    report = ReadReport()
    return list(bibtex.read(path, report=report)), report


def test_reads_entries_with_an_abstract() -> None:
    papers, report = read(DATA / "refs.bib")
    assert [(p.title, p.arxiv_id, p.date, p.authors, p.sources[0].line) for p in papers] == [
        ("BERT-style Pre-training of \\emph{Vision} Transformers", "2401.00001", "2024-05", 3, 7),
        ("$\\lambda$-ECLIPSE: Unicode λ and Café", "2312.04567", "2023-11", 1, 18),
        ("Parenthesised Entry", None, None, None, 32),
    ]
    assert (report.problems, report.no_abstract) == ([], 1)


def test_abstract_is_kept_raw_inside_its_braces() -> None:
    papers, _ = read(DATA / "refs.bib")
    assert papers[0].abstract == (
        "We reach 78.4% accuracy (a {new} state of the art) on\nImageNet-1k with {\\\"o} and caf\\'e kept raw."
    )
    assert papers[1].abstract == "Quoted abstract with {braces} inside."
    assert papers[2].abstract == "An entry in parentheses (with a (nested) aside)."
    assert all(len(paper.sources[0].segments) == 1 for paper in papers)


def test_unbalanced_entries_are_reported_and_reading_goes_on() -> None:
    papers, report = read(DATA / "refs_broken.bib")
    assert [paper.title for paper in papers] == ["Read After The Broken Entry"]
    assert [(error.line, error.message) for error in report.problems] == [
        (1, "entry with unbalanced braces"),
        (11, "entry with unbalanced braces"),
    ]


def test_an_entry_never_closed_at_the_end_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "open.bib"
    path.write_text("@article{a, title={Fine}, abstract={Read.}}\n\n@article{b,\n  title = {Open\n", encoding="utf-8")
    papers, report = read(path)
    assert [paper.title for paper in papers] == ["Fine"]
    assert [(error.line, error.message) for error in report.problems] == [(3, "entry with unbalanced braces")]


def test_parse_entry_concatenation_and_macros() -> None:
    kind, fields = bibtex.parse_entry('@Article{k, Title = "A " # {B}, month = jan, Year = 2020}')
    assert kind == "article"
    assert fields["title"] == ("A B", [(0, 21), (2, 28)])
    assert fields["month"][0] == "jan" and fields["year"][0] == "2020"


def test_a_garbled_field_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "garbled.bib"
    path.write_text("@article{k, title = {T}, abstract = }\n", encoding="utf-8")
    papers, report = read(path)
    assert papers == []
    assert [(error.line, error.message) for error in report.problems] == [
        (1, "cannot parse the entry: a value expected after =")
    ]


@pytest.mark.parametrize(
    ("authors", "count"),
    [("A and B", 2), ("{Barnes and Noble, Inc.}", 1), ("One, A. and Two, B. and {Three and Sons}", 3)],
)
def test_author_count(authors: str, count: int) -> None:
    assert bibtex._count_authors(authors) == count
