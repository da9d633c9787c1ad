"""The Daily Papers dump reader: both layouts, page chrome, meta lines, the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard.errors import SourceError
from leaderboard.sources import ReadReport, dailypapers, merge_papers, read_papers
from leaderboard.sources._common import display_path

DATA = Path(__file__).parent / "data" / "sources"
CORPUS = Path(__file__).parents[1] / "corpus"


def read(path: Path) -> tuple[list, ReadReport]:
    report = ReadReport()
    return list(dailypapers.read(path, report=report)), report


def test_blocks_layout_reads_titles_abstracts_and_meta() -> None:
    papers, report = read(DATA / "dailypapers_blocks.txt")
    assert report.problems == []
    assert [(p.title[:24], p.authors, p.date, p.sources[0].line) for p in papers] == [
        ("$λ$-ECLIPSE: Multi-Conce", 7, "Dec 7, 2024", 13),
        ("Café Über Alles: Ünïcode", 3, "Aug 28, 2024", 21),
        ("Ming-UniVision: Joint Im", None, "Oct 7", 29),
        ("A Paper Without Any Meta", None, None, 37),
        ("$λ$-ECLIPSE: Multi-Conce", None, None, 41),
    ]
    assert papers[0].abstract.startswith("Despite the recent advances")
    assert papers[0].abstract.endswith("ImageNet-256.")


def test_chrome_is_never_a_paper() -> None:
    papers, _ = read(DATA / "dailypapers_blocks.txt")
    titles = {paper.title for paper in papers}
    for chrome in ("new", "Subscribe", "Daily Papers", "Mar 14", "byAK and the research community",
                   "Get trending papers in your email inbox!", "inclusionAI inclusionAI"):
        assert chrome not in titles


def test_unicode_and_latex_left_overs_survive_in_titles() -> None:
    papers, _ = read(DATA / "dailypapers_blocks.txt")
    assert papers[0].title == "$λ$-ECLIPSE: Multi-Concept Personalized Text-to-Image Diffusion Models"
    assert papers[1].title == r"Café Über Alles: Ünïcode Títles and \textbf{LaTeX} Left-overs"


def test_dense_layout_cuts_the_chrome_glued_to_the_first_title() -> None:
    papers, report = read(DATA / "dailypapers_dense.txt")
    assert report.problems == []
    assert [paper.title for paper in papers] == [
        "Learning Visual Representations with Caption Annotations",
        "UNITER: UNiversal Image-TExt Representation Learning",
        "A Paper Without Any Metadata",
    ]
    assert [paper.sources[0].line for paper in papers] == [3, 5, 7]


def test_a_title_without_abstract_is_reported_with_its_line() -> None:
    papers, report = read(DATA / "dailypapers_orphan.txt")
    assert [paper.title for paper in papers] == ["Second Title With Its Abstract"]
    shown = display_path(DATA / "dailypapers_orphan.txt")
    assert [str(error) for error in report.problems] == [
        f"{shown}:3: a title without an abstract (put the abstract on the line after it)"
    ]


def test_without_a_report_the_reader_raises() -> None:
    with pytest.raises(SourceError, match="title without an abstract"):
        list(dailypapers.read(DATA / "dailypapers_orphan.txt"))


def test_a_title_wrapped_over_two_lines_in_blocks(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    abstract = "We wrap the title of this paper over two lines. The reader joins them with one space, " * 3
    path.write_text(f"A Title Wrapped\n  Over Two Lines\n\n{abstract}\n\nSecond\n\n{abstract}\n", encoding="utf-8")
    papers, report = read(path)
    assert report.problems == []
    assert [paper.title for paper in papers] == ["A Title Wrapped Over Two Lines", "Second"]


def test_an_abstract_without_title_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "orphan.txt"
    prose = "This is a long abstract. It has sentences and goes on for a while to look like prose, " * 3
    path.write_text(f"Subscribe\n\n{prose}\n\nTitle\n\n{prose}\n", encoding="utf-8")
    papers, report = read(path)
    assert [paper.title for paper in papers] == ["Title"]
    assert [(error.line, error.message) for error in report.problems] == [(3, "an abstract without a title")]


@pytest.mark.parametrize(
    ("name", "count", "dense"),
    [("000", 89, False), ("001", 221, True), ("002", 79, False), ("003", 199, True), ("004", 42, False)],
)
def test_real_corpus_files(name: str, count: int, dense: bool) -> None:
    (path,) = CORPUS.glob(f"{name}_*.txt")
    papers, report = read(path)
    assert report.problems == []
    assert len(papers) == count
    assert all(len(paper.abstract) > len(paper.title) for paper in papers)
    if dense:
        assert papers[0].sources[0].line == 3 and not papers[0].title.startswith("Subscribe")


def test_real_corpus_has_630_entries_and_531_distinct_papers() -> None:
    report = ReadReport()
    papers = list(read_papers(CORPUS, report=report))
    assert (len(papers), report.entries, report.files_read, report.problems) == (630, 630, 5, [])
    assert len(merge_papers(papers)) == 531
    assert len({paper.key for paper in papers}) == 531


def test_real_corpus_meta_lines() -> None:
    (path,) = CORPUS.glob("004_*.txt")
    papers, _ = read(path)
    by_title = {paper.title: paper for paper in papers}
    assert (papers[0].authors, papers[0].date) == (7, "Dec 7, 2024")
    assert by_title["CoRe: Context-Regularized Text Embedding Learning for Text-to-Image Personalization"].date \
        == "Aug 28, 2024"
    ming = next(paper for paper in papers if paper.title.startswith("Ming-UniVision"))
    assert (ming.authors, ming.date) == (None, "Oct 7")
    assert sum(paper.date is not None for paper in papers) == 41
    titles = {paper.title for paper in read(next(CORPUS.glob("000_*.txt")))[0]}
    assert any(title.startswith("$λ$-ECLIPSE: ") for title in titles)
