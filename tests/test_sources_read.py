"""Reading many files: sniffing, directory walks, bad files, laziness, merging, hashes."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

import leaderboard.sources as sources
from leaderboard.errors import LeaderboardError
from leaderboard.model import Paper, SourceRef
from leaderboard.sources import (
    FORMATS,
    ReadReport,
    display_path,
    file_sha256,
    iter_files,
    merge_papers,
    read_papers,
    sniff,
)

DATA = Path(__file__).parent / "data" / "sources"
PROSE = "This abstract is long enough to read as prose. It has two sentences and a number, 78.4%, in it."


def test_all_is_complete() -> None:
    defined = {
        name for name, value in vars(sources).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("leaderboard.sources")
    }
    assert all(hasattr(sources, name) for name in sources.__all__)
    assert set(sources.__all__) == defined | {"FORMATS"}
    assert sorted(FORMATS) == ["arxiv-json", "atom", "bibtex", "dailypapers"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("arxiv.jsonl", "arxiv-json"), ("feed.xml", "atom"), ("feed_entities.xml", "atom"), ("refs.bib", "bibtex"),
     ("refs_broken.bib", "bibtex"), ("dailypapers_blocks.txt", "dailypapers"), ("dailypapers_dense.txt", "dailypapers")],
)
def test_sniff(name: str, expected: str) -> None:
    assert sniff(DATA / name) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [("\ufeff  {\"id\": 1}", "arxiv-json"), ("<feed xmlns='x'>", "atom"), ("<!-- c -->\n<feed>", "atom"),
     ("% comment\n@article{k,", "bibtex"), ("@Misc (k,", "bibtex"), ("A title\n\nAn abstract @home{x}", "dailypapers")],
)
def test_sniff_heads(tmp_path: Path, head: str, expected: str) -> None:
    path = tmp_path / "file"
    path.write_text(head, encoding="utf-8")
    assert sniff(path) == expected


def test_iter_files_sorts_recurses_and_skips_hidden_and_readme(tmp_path: Path) -> None:
    for name in ("b/z.txt", "b/.hidden/x.txt", "a.txt", "README.md", ".dot.txt", "c/README", "c/d.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    files = [path.relative_to(tmp_path).as_posix() for path in iter_files(tmp_path)]
    assert files == ["a.txt", "b/z.txt", "c/d.txt"]
    assert list(iter_files([tmp_path / ".dot.txt"])) == [tmp_path / ".dot.txt"]


def test_bad_files_are_skipped_with_one_problem_each(tmp_path: Path) -> None:
    (tmp_path / "1-empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "2-binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    (tmp_path / "3-good.txt").write_text(f"A Title\n\n{PROSE}\n", encoding="utf-8")
    report = ReadReport()
    papers = list(read_papers([tmp_path, tmp_path / "4-missing.txt"], report=report))
    assert [paper.title for paper in papers] == ["A Title"]
    assert (report.files_read, report.files_skipped, report.entries) == (1, 3, 1)
    messages = [f"{Path(error.path).name}: {error.message}" for error in report.problems]
    assert messages == [
        "1-empty.txt: empty file",
        "2-binary.bin: binary file (NUL bytes)",
        "4-missing.txt: cannot read the file: No such file or directory",
    ]
    assert all(error.hint for error in report.problems)


def test_undecodable_lines_are_reported_and_only_their_entries_skipped(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(f"Good One\n\n{PROSE}\n\nBad Caf\xe9\n\n{PROSE}\n\nGood Two\n\n{PROSE} \xff\n".encode("latin-1"))
    report = ReadReport()
    papers = list(read_papers(path, report=report))
    assert [paper.title for paper in papers] == ["Good One"]
    assert [(error.line, error.message) for error in report.problems] == [
        (5, "bytes that are not UTF-8; an entry on this line is skipped"),
        (11, "bytes that are not UTF-8; an entry on this line is skipped"),
    ]


def test_a_genuine_replacement_character_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "fffd.txt"
    path.write_text(f"Title \ufffd\n\n{PROSE}\n", encoding="utf-8")
    report = ReadReport()
    assert [paper.title for paper in read_papers(path, report=report)] == ["Title \ufffd"]
    assert report.problems == []


def test_undecodable_json_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"title": "Ok", "abstract": "Fine."}\n{"title": "Bad \xff", "abstract": "x"}\n')
    report = ReadReport()
    assert [paper.title for paper in read_papers(path, report=report)] == ["Ok"]
    assert [error.line for error in report.problems] == [2]


def test_wrong_format_says_no_papers_found(tmp_path: Path) -> None:
    report = ReadReport()
    assert list(read_papers(DATA / "refs.bib", format="atom", report=report)) == []
    assert report.problems[0].message.startswith("not well-formed XML")
    path = tmp_path / "chrome.txt"
    path.write_text("Subscribe\n", encoding="utf-8")
    list(read_papers(path, report=report))
    assert report.problems[-1].message == "no papers found as dailypapers"


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(LeaderboardError, match="unknown format 'csv'"):
        next(read_papers(DATA, format="csv"))


def test_read_papers_goes_file_by_file_lazily(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(DATA / "dailypapers_dense.txt", tmp_path / "a" / "1.txt")
    shutil.copy(DATA / "arxiv.jsonl", tmp_path / "a" / "2.jsonl")
    report = ReadReport()
    papers = read_papers(tmp_path, report=report)
    first = next(papers)
    assert first.title.startswith("Learning Visual")
    assert report.files_read == 1
    os.remove(tmp_path / "a" / "2.jsonl")  # not opened yet: now it is missing
    shutil.copy(DATA / "feed.xml", tmp_path / "b" / "3.xml")  # b/ not listed yet: it is found
    rest = list(papers)
    assert [paper.sources[0].format for paper in rest] == ["dailypapers"] * 2 + ["atom"] * 2
    assert "cannot read the file" in report.problems[0].message


def _paper(title: str, path: str, **fields: object) -> Paper:
    ref = SourceRef(path=path, line=1, format="x", segments=((0, 0),))
    return Paper(title=title, abstract="a", sources=(ref,), **fields)


def test_merge_papers_by_key_in_first_seen_order() -> None:
    papers = [
        _paper("Café: One", "a", date="d1"),
        _paper("Two", "a"),
        _paper("cafe  ONE", "b", arxiv_id="2401.00001", date="d2", authors=3),
        _paper("Two", "c", authors=5),
    ]
    merged = merge_papers(papers)
    assert [(p.title, p.arxiv_id, p.date, p.authors) for p in merged] == [
        ("Café: One", "2401.00001", "d1", 3), ("Two", None, None, 5),
    ]
    assert [[ref.path for ref in paper.sources] for paper in merged] == [["a", "b"], ["a", "c"]]


def test_dedup_across_files() -> None:
    papers = list(read_papers([DATA / "dailypapers_blocks.txt", DATA / "dailypapers_dense.txt"]))
    merged = merge_papers(papers)
    assert (len(papers), len(merged)) == (8, 6)
    shared = next(paper for paper in merged if paper.title == "A Paper Without Any Metadata")
    assert [(Path(ref.path).name, ref.line) for ref in shared.sources] == [
        ("dailypapers_blocks.txt", 37), ("dailypapers_dense.txt", 7),
    ]
    eclipse = merged[0]
    assert (len(eclipse.sources), eclipse.authors, eclipse.date) == (2, 7, "Dec 7, 2024")


def test_file_sha256_streams_and_caches(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"abc" * 1000)
    assert file_sha256(path) == hashlib.sha256(b"abc" * 1000).hexdigest()
    assert file_sha256(str(path)) == file_sha256(path)
    path.write_bytes(b"changed")
    assert file_sha256(path) == hashlib.sha256(b"changed").hexdigest()


def test_display_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert display_path(tmp_path / "sub" / "x" / "y.txt") == "x/y.txt"
    assert display_path("y.txt") == "y.txt"
    assert display_path(tmp_path / "z.txt") == (tmp_path / "z.txt").as_posix()
    assert display_path("../sub/./y.txt") == "y.txt"
