"""Readers: source files in, `Paper` objects out, lazily, file by file.

Each format has its own module with a ``read(path, *, report=None)``
generator; `read_papers` picks the format of each file (`sniff`, or the one
given), skips files that cannot be read with one `SourceError` each, and
records every skipped file, line or entry in a `ReadReport`. `merge_papers`
merges the readings of one paper seen in several places.

Every `Paper` carries one `SourceRef` whose ``segments`` map abstract offsets
to offsets in ``path.read_bytes().decode("utf-8", errors="replace")``.

Input is untrusted: empty, binary, compressed and UTF-16 files are skipped
with one `SourceError` each, and an arXiv id read twice with a different
title or abstract is reported at its second place (both readings are kept).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

from ..errors import LeaderboardError, SourceError
from ..model import Paper, normalize_title
from . import arxiv, atom, bibtex, dailypapers
from ._common import ReadReport, display_path

__all__ = [
    "FORMATS",
    "ReadReport",
    "display_path",
    "file_sha256",
    "iter_files",
    "merge_papers",
    "read_file",
    "read_papers",
    "sniff",
    "sniff_head",
]

#: Format name -> reader module (each has ``NAME`` and ``read``).
FORMATS: dict[str, ModuleType] = {
    dailypapers.NAME: dailypapers,
    arxiv.NAME: arxiv,
    atom.NAME: atom,
    bibtex.NAME: bibtex,
}

_HEAD = 8192
#: Leading bytes of files that are not text: what they are and how to make them readable.
_MAGIC = (
    (b"\x1f\x8b", "gzip-compressed", "decompress it first, e.g. with gunzip"),
    (b"BZh", "bzip2-compressed", "decompress it first, e.g. with bunzip2"),
    (b"\xfd7zXZ\x00", "xz-compressed", "decompress it first, e.g. with unxz"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed", "decompress it first, e.g. with unzstd"),
    (b"PK\x03\x04", "a zip archive", "extract it first, e.g. with unzip"),
    (b"%PDF-", "a PDF", "give the abstracts as text, not the paper"),
    (b"\xff\xfe\x00\x00", "UTF-32 text", "re-save the file as UTF-8"),
    (b"\x00\x00\xfe\xff", "UTF-32 text", "re-save the file as UTF-8"),
    (b"\xff\xfe", "UTF-16 text", "re-save the file as UTF-8"),
    (b"\xfe\xff", "UTF-16 text", "re-save the file as UTF-8"),
)
_BIBTEX_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.M)


def sniff(path: str | Path) -> str:
    """The format name of a file, judged from its first few KB."""
    with open(path, "rb") as handle:
        return sniff_head(handle.read(_HEAD))


def sniff_head(head: bytes) -> str:
    """The format name of a file whose first few KB are ``head`` (see `sniff`)."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return arxiv.NAME
    if text.startswith("<?xml") or text.startswith("<feed") or (text.startswith("<") and "<feed" in text):
        return atom.NAME
    first = text.split("\n", 1)[0]
    if _BIBTEX_ENTRY.search(text) and (first.startswith("@") or first.startswith("%")):
        return bibtex.NAME
    return dailypapers.NAME


def iter_files(paths: str | Path | Iterable[str | Path], *, report: ReadReport | None = None) -> Iterator[Path]:
    """Expand paths to files: a directory gives its files sorted by name, recursively.

    Hidden files and ``README*`` are skipped inside directories; a path given
    explicitly is always yielded (missing ones too, for the reader to report).
    A directory that cannot be listed goes to ``report`` (raised without one).
    """
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        path = Path(path)
        if path.is_dir():
            yield from _walk(path, report, {os.path.realpath(path)})
        else:
            yield path


def _walk(directory: Path, report: ReadReport | None, seen: set[str]) -> Iterator[Path]:
    """Files under ``directory``, listing each directory only when reached."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as error:
        _skip(report, SourceError(display_path(directory), f"cannot list the directory: {error.strerror}",
                                  hint="check that it exists and is readable"))
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name.startswith("README"):
            continue
        if entry.is_dir():
            real = os.path.realpath(entry.path)
            if real not in seen:
                yield from _walk(Path(entry.path), report, seen | {real})
        else:
            yield Path(entry.path)


def read_papers(
    paths: str | Path | Iterable[str | Path],
    *,
    format: str | None = None,
    report: ReadReport | None = None,
) -> Iterator[Paper]:
    """Yield the papers of every file under ``paths``, one file at a time.

    Problems never raise: each unreadable, empty, binary or malformed file,
    and each bad line or entry, becomes a `SourceError` in ``report``.
    """
    if format is not None and format not in FORMATS:
        raise LeaderboardError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    report = report if report is not None else ReadReport()
    seen: dict[str, tuple[int, str]] = {}
    for path in iter_files(paths, report=report):
        for paper in read_file(path, format, report):
            _check_duplicate(paper, seen, report)
            yield paper


def _check_duplicate(paper: Paper, seen: dict[str, tuple[int, str]], report: ReadReport) -> None:
    """Report an arXiv id read before with another title or abstract (spacing, case and markup aside)."""
    if paper.arxiv_id is None or not paper.sources:
        return
    ref = paper.sources[0]
    digest = hash((paper.key, normalize_title(paper.abstract)))
    first = seen.setdefault(paper.arxiv_id, (digest, f"{ref.path}:{ref.line}"))
    if first[0] != digest:
        report.problems.append(SourceError(
            ref.path, f"arXiv id {paper.arxiv_id} was read at {first[1]} with a different title or abstract; "
            "both readings are kept", line=ref.line, hint="keep one version of each paper in the sources",
        ))


def read_file(path: Path, format: str | None, report: ReadReport) -> Iterator[Paper]:
    """The papers of one file (format sniffed unless given); problems go to ``report``, nothing is raised."""
    shown = display_path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD)
    except OSError as error:
        _skip(report, SourceError(shown, f"cannot read the file: {error.strerror or error}",
                                  hint="check that it exists and is readable"))
        return
    if not head.strip():
        _skip(report, SourceError(shown, "empty file", hint="remove it or add papers to it"))
        return
    for magic, what, hint in _MAGIC:
        if head.startswith(magic):
            _skip(report, SourceError(shown, f"binary file ({what})", hint=hint))
            return
    if b"\0" in head:
        _skip(report, SourceError(shown, "binary file (NUL bytes)", hint="give a text file in one of the formats"))
        return
    if _mostly_undecodable(head):
        _skip(report, SourceError(shown, "not UTF-8: a binary file or text in another encoding",
                                  hint="re-save it as UTF-8, or give a text file in one of the formats"))
        return
    name = format or sniff_head(head)
    report.files_read += 1
    before, no_abstract = len(report.problems), report.no_abstract
    found = 0
    try:
        for paper in FORMATS[name].read(path, report=report):
            found += 1
            report.entries += 1
            yield paper
    except OSError as error:
        report.problems.append(SourceError(shown, f"reading stopped: {error.strerror or error}",
                                           hint="check the file and read it again"))
    except Exception as error:  # a reader bug must not stop the other files
        report.problems.append(SourceError(shown, f"the {name} reader failed: {error!r}",
                                           hint="please report this as a bug, with the file"))
    if not found and len(report.problems) == before and report.no_abstract == no_abstract:
        report.problems.append(SourceError(shown, f"no papers found as {name}",
                                           hint="check the file, or give --format"))


def _mostly_undecodable(head: bytes) -> bool:
    """More than a quarter of the characters are not UTF-8: random bytes, an image, a wrong encoding throughout."""
    text = head.decode("utf-8", errors="replace")
    return text.count("\ufffd") > len(text) // 4


def _skip(report: ReadReport | None, error: SourceError) -> None:
    if report is None:
        raise error
    report.files_skipped += 1
    report.problems.append(error)


def merge_papers(papers: Iterable[Paper]) -> list[Paper]:
    """Merge the readings of each paper by `Paper.key`, in first-seen order.

    Sources are concatenated in reading order; arXiv id, date and authors come
    from the first reading that has them.
    """
    merged: dict[str, Paper] = {}
    for paper in papers:
        first = merged.get(paper.key)
        if first is None:
            merged[paper.key] = paper
            continue
        merged[paper.key] = first.model_copy(update={
            "sources": first.sources + paper.sources,
            "arxiv_id": first.arxiv_id if first.arxiv_id is not None else paper.arxiv_id,
            "date": first.date if first.date is not None else paper.date,
            "authors": first.authors if first.authors is not None else paper.authors,
        })
    return list(merged.values())


def file_sha256(path: str | Path) -> str:
    """The sha256 of a file's bytes, streamed, cached per path and modification time."""
    stat = os.stat(path)
    return _sha256(os.path.abspath(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)
def _sha256(path: str, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
