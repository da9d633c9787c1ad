"""The arXiv Atom feed reader: fields, entities and CDATA, broken and hostile XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard.sources import ReadReport, atom

DATA = Path(__file__).parent / "data" / "sources"


def read(path: Path) -> tuple[list, ReadReport]:
    report = ReadReport()
    return list(atom.read(path, report=report)), report


def test_reads_entries_with_their_fields() -> None:
    papers, report = read(DATA / "feed.xml")
    assert [(p.arxiv_id, p.title, p.date, p.authors, p.sources[0].line) for p in papers] == [
        ("2401.00001", "Café Models: A Study of <SEG> Tokens", "2024-01-01", 2, 9),
        ("hep-th/9901001", "$\\lambda$-Second: On One Line", "1999-01-01", 1, 22),
    ]
    assert papers[0].abstract == (
        'We reach 78.4% & 89.6% on DocVQA <b>bold</b>.\n    Raw <tags> & stuff and café 😀 end "q"'
    )
    assert papers[1].abstract == "Short, ending in an entity &"
    assert [(error.line, error.message) for error in report.problems] == [(23, "entry without <summary>")]


def test_broken_xml_keeps_the_entries_before_the_break() -> None:
    papers, report = read(DATA / "feed_broken.xml")
    assert [paper.title for paper in papers] == ["Read Before The Break"]
    (error,) = report.problems
    assert (error.line, error.message) == (11, "not well-formed XML: mismatched tag")


def test_entity_declarations_are_refused() -> None:
    papers, report = read(DATA / "feed_entities.xml")
    assert papers == []
    assert [error.message for error in report.problems] == ["entity declarations are not allowed in a feed"]


def test_external_entities_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY x SYSTEM "file://{secret}">]>\n'
                    "<feed><entry><title>T</title><summary>&x;</summary></entry></feed>\n", encoding="utf-8")
    papers, report = read(path)
    assert papers == [] and len(report.problems) == 1
    assert "not allowed" in report.problems[0].message


def test_undefined_entity_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nbsp.xml"
    path.write_text("<feed>\n<entry><title>T</title>\n<summary>a&nbsp;b</summary></entry></feed>\n", encoding="utf-8")
    papers, report = read(path)
    assert papers == []
    assert [(error.line, error.message) for error in report.problems] == [(3, "not well-formed XML: undefined entity")]


def test_a_feed_on_one_line_and_prefixed_names(tmp_path: Path) -> None:
    path = tmp_path / "one.xml"
    entry = "<a:entry><a:id>http://arxiv.org/abs/2401.0{n}v1</a:id><a:title>T{n}</a:title><a:summary>S{n} x</a:summary></a:entry>"
    path.write_text('<a:feed xmlns:a="http://www.w3.org/2005/Atom">' + "".join(entry.format(n=n) for n in range(1000, 1003))
                    + "</a:feed>", encoding="utf-8")
    papers, _ = read(path)
    assert [(paper.title, paper.abstract, paper.arxiv_id) for paper in papers] == [
        ("T1000", "S1000 x", "2401.01000"), ("T1001", "S1001 x", "2401.01001"), ("T1002", "S1002 x", "2401.01002"),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("http://arxiv.org/abs/2401.00001v2", "2401.00001"), ("http://arxiv.org/abs/2401.12345", "2401.12345"),
     ("http://arxiv.org/abs/math.AG/0601001v1", "math.AG/0601001"), ("urn:uuid:1234", None)],
)
def test_arxiv_id(raw: str, expected: str | None) -> None:
    assert atom.arxiv_id(raw) == expected


def test_decode_xml_text() -> None:
    text, segments, end = atom.decode_xml_text("a&amp;b<![CDATA[<c>]]><!-- x -->&#233;")
    assert text == "a&b<c>é"
    assert end == len("a&amp;b<![CDATA[<c>]]><!-- x -->&#233;")
    assert segments == [(0, 0), (2, 6), (3, 16), (6, 32)]
