"""The offset contract of every reader: each abstract character maps to its file characters.

For a character copied verbatim, ``file_text[ref.file_offset(i)] == abstract[i]``.
For one written as an escape (JSON ``\\u00e9``, XML ``&#233;``), the offset
points at the escape and the escape decodes to the character. The whole span
``file_offset(0)..file_offset(len(abstract))`` decodes to the abstract.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaderboard.model import Paper
from leaderboard.sources import ReadReport, read_papers

DATA = Path(__file__).parent / "data" / "sources"
CORPUS = Path(__file__).parents[1] / "corpus"
FILES = sorted(DATA.iterdir()) + sorted(CORPUS.iterdir())

_JSON_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{4}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\.")
_XML_ESCAPE = re.compile(r"&#?\w+;")


def file_text(path: str | Path) -> str:
    return Path(path).read_bytes().decode("utf-8", errors="replace")


def _escape_at(text: str, offset: int, fmt: str) -> str | None:
    """The character the escape starting at ``offset`` stands for, if any."""
    if fmt == "arxiv-json":
        match = _JSON_ESCAPE.match(text, offset)
        return json.loads(f'"{match.group(0)}"') if match else None
    if fmt == "atom":
        match = _XML_ESCAPE.match(text, offset)
        return html.unescape(match.group(0)) if match else None
    return None


def _decode_span(text: str, start: int, end: int, fmt: str) -> str:
    """Decode ``text[start:end]`` as the format writes character data."""
    span = text[start:end]
    if fmt == "arxiv-json":
        return json.loads(f'"{span}"')
    if fmt == "atom":
        inside = [text.rfind("<![CDATA[", 0, at) > text.rfind("]]>", 0, at) for at in (start, end)]
        span = ("<![CDATA[" if inside[0] else "") + span + ("]]>" if inside[1] else "")
        return "".join(ElementTree.fromstring(f"<a>{span}</a>").itertext())
    return span


def assert_offsets(paper: Paper, text: str) -> None:
    """Check the offset contract for one paper against its file's text."""
    (ref,) = paper.sources
    offsets = [ref.file_offset(i) for i in range(len(paper.abstract) + 1)]
    assert offsets == sorted(set(offsets)), "offsets must increase"
    for i, char in enumerate(paper.abstract):
        if text[offsets[i]] != char:
            assert _escape_at(text, offsets[i], ref.format) == char, (i, char, text[offsets[i]:offsets[i] + 12])
    assert _decode_span(text, offsets[0], offsets[-1], ref.format) == paper.abstract


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_abstract_maps_back_to_its_file(path: Path) -> None:
    papers = list(read_papers(path, report=ReadReport()))
    text = file_text(path)
    for paper in papers:
        assert paper.abstract == paper.abstract.strip()
        assert paper.title == " ".join(paper.title.split())
        assert_offsets(paper, text)


def test_fixtures_cover_every_escape() -> None:
    raw = "".join(file_text(path) for path in FILES)
    for escape in (r"\n", r"\"", r"\\", r"\u00e9", r"\ud83d\ude00", "&amp;", "&lt;", "&#233;", "<![CDATA["):
        assert escape in raw, escape


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_crlf_and_bom_keep_offsets_exact(tmp_path: Path, newline: str) -> None:
    body = (DATA / "dailypapers_blocks.txt").read_text(encoding="utf-8")
    path = tmp_path / "dump.txt"
    path.write_bytes(("\ufeff" + body.replace("\n", newline)).encode("utf-8"))
    papers = list(read_papers(path))
    assert len(papers) == 5
    for paper in papers:
        assert "\r" not in paper.abstract and "\r" not in paper.title
        assert_offsets(paper, file_text(path))


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t \"\\&<>é😀"), min_size=1)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(abstract=_TEXT.filter(str.strip), ascii_only=st.booleans())
def test_json_escapes_roundtrip(tmp_path: Path, abstract: str, ascii_only: bool) -> None:
    path = tmp_path / "one.jsonl"
    record = {"id": "2401.00001", "title": "T", "abstract": abstract}
    path.write_text(json.dumps(record, ensure_ascii=ascii_only) + "\n", encoding="utf-8")
    (paper,) = read_papers(path)
    assert paper.abstract == abstract.strip()
    assert_offsets(paper, file_text(path))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.tuples(_TEXT, st.sampled_from(["plain", "entity", "cdata"])), min_size=1, max_size=4))
def test_xml_entities_and_cdata_roundtrip(tmp_path: Path, pieces: list[tuple[str, str]]) -> None:
    written, expected = [], []
    for text, how in pieces:
        text = text.replace("\r", "")
        expected.append(text)
        if how == "cdata" and "]]>" not in text:
            written.append(f"<![CDATA[{text}]]>")
        elif how == "entity":
            written.append("".join(f"&#{ord(c)};" if c.isalpha() else html.escape(c) for c in text))
        else:
            written.append(html.escape(text, quote=False))
    if not "".join(expected).strip():
        return
    path = tmp_path / "feed.xml"
    summary = "".join(written)
    path.write_text(f"<feed><entry><id>x</id><title>T</title><summary>{summary}</summary></entry></feed>\n",
                    encoding="utf-8")
    (paper,) = read_papers(path)
    assert paper.abstract == "".join(expected).strip()
    assert_offsets(paper, file_text(path))
