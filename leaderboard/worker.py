"""The per-paper function, and the per-unit function that every engine runs.

`extract_unit` reads one unit of work (`leaderboard.workplan`), runs
`extract_paper` on each paper, and returns a `UnitResult` small enough to
send between processes: records and rejections already serialized with the
keys they are deduplicated and sorted by, 8-byte digests of the paper keys,
the arXiv ids read (for the duplicate check, which needs every unit), and
the unit's `ReadReport`.

A failure inside one paper never stops the run: an exception in one rule's
binding drops that binding, one anywhere else drops that paper's findings;
either becomes an `ExtractionError` in the report, at the paper's place,
with the paper, the rule when known, and the exception. Rules are compiled
once per process (`extractor_for`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import zlib
from dataclasses import dataclass, field

from .errors import LocatedError
from .extract import Extractor
from .extract.vocab import Scan
from .model import Paper, Record, Rejection, normalize_title
from .rulebook import LoadedRule
from .sources import ReadReport, arxiv, display_path
from .sources.arxiv import Entry
from .spill import key_digest
from .workplan import Unit, read_unit, unit_sha256

__all__ = [
    "ExtractionError", "UnitResult", "extract_paper", "extract_unit", "extractor_for", "fingerprint",
]


class ExtractionError(LocatedError):
    """A paper, or one rule on it, whose extraction failed; the rest of the run goes on."""


@dataclass
class UnitResult:
    """What one unit found, in reading order, ready to merge."""

    index: int
    report: ReadReport
    keys: bytes = b""  # key_digest of every paper, concatenated
    records: list[tuple] = field(default_factory=list)  # see `leaderboard.spill.Spill.add`
    rejections: list[tuple] = field(default_factory=list)
    arxiv_ids: list[tuple] = field(default_factory=list)  # (id, fingerprint, path, line), as `Spill.first_readings` takes them
    arxiv_places: list[int] = field(default_factory=list)  # for each of arxiv_ids, the number of problems before it
    failures: int = 0  # ExtractionErrors among report.problems

    def __getstate__(self) -> dict:
        """Problems travel as plain values: a `LocatedError` does not survive pickling on its own."""
        state = dict(self.__dict__)
        state["report"] = dataclasses.replace(self.report, problems=[])
        state["problems"] = [_portable(problem) for problem in self.report.problems]
        return state

    def __setstate__(self, state: dict) -> None:
        problems = state.pop("problems")
        self.__dict__.update(state)
        self.report.problems = [_restored(problem) for problem in problems]


def _portable(problem: Exception) -> tuple:
    if isinstance(problem, LocatedError):
        return (type(problem), problem.path, problem.message, problem.line, problem.hint)
    return (None, problem)


def _restored(portable: tuple) -> Exception:
    if portable[0] is None:
        return portable[1]
    kind, path, message, line, hint = portable
    return kind(path, message, line=line, hint=hint)


_EXTRACTORS: dict[tuple, Extractor] = {}


def extractor_for(rules: list[LoadedRule]) -> Extractor:
    """The compiled `Extractor` of ``rules``, built once per process."""
    key = tuple((item.id, item.sha256) for item in rules)
    extractor = _EXTRACTORS.get(key)
    if extractor is None:
        _EXTRACTORS.clear()
        extractor = _EXTRACTORS[key] = Extractor(rules)
    return extractor


def extract_unit(unit: Unit, rules: list[LoadedRule]) -> UnitResult:
    """Read ``unit`` and extract every paper with ``rules``."""
    extractor = extractor_for(rules)
    report = ReadReport()
    result = UnitResult(unit.index, report)
    keys: list[bytes] = []
    sha256: str | None = None
    shown, problems_read = unit.shown, report.problems
    for item in read_unit(unit, report):
        key = normalize_title(item.title)
        keys.append(key_digest(key))
        line = item.number if type(item) is Entry else _where(item)[1]  # `_where` of an entry, without its calls
        if item.arxiv_id is not None and line is not None:
            result.arxiv_ids.append((item.arxiv_id, fingerprint(key, item.abstract), shown, line))
            result.arxiv_places.append(len(problems_read))
        if sha256 is None:
            sha256 = unit_sha256(unit)
        found, problems = extract_paper(item, extractor, sha256, key, shown=shown)
        if found is not None and (found[0] or found[1]):  # most papers find nothing
            result.records.extend(found[0])
            result.rejections.extend(found[1])
        if problems:
            problems_read.extend(problems)
            result.failures += len(problems)
    result.keys = b"".join(keys)
    _problems_shown_as(report, unit)
    return result


def extract_paper(
    paper: Paper | Entry, extractor: Extractor, sha256: str, key: str | None = None, *, shown: str | None = None
) -> tuple[tuple[list[tuple], list[tuple]] | None, list[ExtractionError]]:
    """Records and rejections of one paper as spill rows, and the failures met.

    ``paper`` may be an arXiv `Entry`: it becomes a `Paper` (offset map and
    all) only when the extraction reads more than its title, abstract and id
    (see `_EntryPaper`); it fails as if it were made first. The rows are
    None when the paper failed outside any one rule. ``key`` is the paper's
    key, when already known; ``shown`` the source path to name (see `_shown_as`).
    """
    failures: list[tuple[str, Exception]] = []
    try:
        scan = extractor.select(paper.abstract)
        if scan is None:
            return ([], []), []
        if isinstance(paper, Entry):
            paper = _EntryPaper(paper, shown)
        elif shown is not None:
            paper = _shown_as(paper, shown)
        records, rejections = _extract(paper, extractor, sha256, failures, scan)
        key = normalize_title(paper.title) if key is None else key
        rows = [record_row(record) for record in records], [rejection_row(key, item) for item in rejections]
    except Exception as error:  # noqa: BLE001 - one paper must not stop the run
        return None, [_failure(paper, None, error)]
    return rows, [_failure(paper, rule, error) for rule, error in failures]


def _extract(
    paper: Paper | _EntryPaper, extractor: Extractor, sha256: str, failures: list[tuple[str, Exception]], scan: Scan
) -> tuple[list[Record], list[Rejection]]:
    """`Extractor.extract`, failing as it did when an entry's `Paper` was made before extracting.

    An entry whose `Paper` cannot be made fails with that error, whatever the
    extraction did; any other failure names the made paper.
    """
    if not isinstance(paper, _EntryPaper):
        return extractor.extract(paper, sha256, failures=failures, scan=scan)
    try:
        found = extractor.extract(paper, sha256, failures=failures, scan=scan)
    except Exception:
        paper.paper()  # raises the entry's own error, if it has one
        raise
    paper.check()
    if failures:
        paper.paper()  # a failed rule names the made paper's source
    return found


class _EntryPaper:
    """An arXiv entry in the place of its `Paper`, made only when something reads more than the title, abstract
    and id: most papers the keyword pass selects hold no number where a rule could bind one, and never read
    their offset map (``sources``)."""

    __slots__ = ("entry", "shown", "title", "abstract", "arxiv_id", "made")

    def __init__(self, entry: Entry, shown: str | None) -> None:
        # The entry's title, abstract and id are the Paper's, whenever `Entry.paper` gives one.
        self.entry, self.shown, self.made = entry, shown, None
        self.title, self.abstract, self.arxiv_id = entry.title, entry.abstract, entry.arxiv_id

    def __getattr__(self, name: str) -> object:
        return getattr(self.paper(), name)

    def paper(self) -> Paper:
        """The `Paper` as `extract_paper` passes it on; raises what `Entry.paper` raises."""
        if self.made is None:
            paper = self.entry.paper()
            self.made = paper if self.shown is None else _shown_as(paper, self.shown)
        return self.made

    def check(self) -> None:
        """Raise what `Entry.paper` would raise, so that a paper whose offset map fails is reported as before.

        `Entry.paper` fails only when the abstract's JSON literal does not decode to the abstract: the
        rest (stripping the offset map, counting authors, a Paper of these str and int values) cannot
        fail. So the decoding alone is redone here, and anything it does not pass makes the paper.
        """
        if self.made is not None:
            return
        record = self.entry.record
        try:
            holds = arxiv._abstract_literal(self.entry.text, record["abstract"])[0] == record["abstract"]
        except Exception:  # noqa: BLE001 - Entry.paper says what
            holds = False
        if not holds:
            self.paper()


def _where(paper: Paper | Entry | _EntryPaper) -> tuple[str | None, int | None]:
    """The source path and line of a paper, or of the entry it is read from."""
    if isinstance(paper, _EntryPaper):
        paper = paper.made if paper.made is not None else paper.entry
    if isinstance(paper, Entry):
        return paper.shown, paper.number
    ref = paper.sources[0] if paper.sources else None
    return (ref.path, ref.line) if ref else (None, None)


def _failure(paper: Paper | Entry | _EntryPaper, rule: str | None, error: Exception) -> ExtractionError:
    path, line = _where(paper)
    which = f"rule {rule!r} failed" if rule else "extraction failed"
    kept = "its other findings are kept" if rule else "the paper is skipped"
    return ExtractionError(
        path or "(no source)",
        f"{which} on {paper.title!r}: {type(error).__name__}: {error}; {kept}",
        line=line,
        hint="please report this as a bug, with the paper",
    )


def record_row(record: Record) -> tuple:
    """A record as the spill keeps it: id, benchmark, source, span, JSON line."""
    line = _dump_record_json(record).decode()  # `record.model_dump_json()`
    head, _, tail = line.rpartition('"id":"')  # the computed id comes last; no need to hash it twice
    record_id = tail[:-2] if head and tail.endswith('"}') and len(tail) == 18 else record.id
    source = record.provenance
    return (record_id, record.benchmark, source.source, source.span[0], source.span[1], line)


_dump_record_json = Record.__pydantic_serializer__.to_json  # `model_dump_json`, less its keyword handling


def rejection_row(key: str, rejection: Rejection) -> tuple:
    """A rejection as the spill keeps it, with the digest it is deduplicated by."""
    digest = hashlib.blake2b(
        "\0".join((key, rejection.reported, rejection.quote, rejection.reason)).encode("utf-8", "surrogatepass"),
        digest_size=16,
    ).digest()
    return (
        digest, rejection.source, rejection.span[0], rejection.span[1], rejection.reason, rejection.benchmark or "",
        rejection.rule or "", rejection.reported, rejection.paper, rejection.quote,
        _dump_rejection_json(rejection).decode(),
    )  # fmt: skip


_dump_rejection_json = Rejection.__pydantic_serializer__.to_json  # `model_dump_json`, less its keyword handling


#: For `fingerprint`: ASCII in lower case, and every byte that is not a letter or digit.
_LOWER = bytes(range(256)).lower()
_NOT_ALNUM = bytes(code for code in range(128) if not chr(code).isalnum())


def fingerprint(key: str, abstract: str) -> int:
    """A checksum of a paper's key and abstract, spacing, case and markup aside.

    Two readings of one arXiv id with different fingerprints are reported.
    Only letters and digits count (word breaks too are aside), which is one
    C-level pass over an ASCII abstract, and the checksum is a CRC-32 and the
    length: it runs on every paper, and it detects changes, not attacks.
    Both go in one int below 2**63 (the length's low 31 bits above the CRC),
    which SQLite binds and stores at about half the cost of the same 8 bytes.

    >>> fingerprint("k", "FID of  1.46 on {ImageNet}") == fingerprint("k", "fid of 1.46 on ImageNet")
    True
    >>> fingerprint("k", "FID of 1.46") == fingerprint("k", "FID of 1.47")
    False
    """
    if abstract.isascii():
        letters = abstract.encode("ascii").translate(_LOWER, _NOT_ALNUM)
    else:
        letters = normalize_title(abstract).replace(" ", "").encode("utf-8", "surrogatepass")
    checksum = zlib.crc32(letters, zlib.crc32(key.encode("utf-8", "surrogatepass") + b"\0"))
    return checksum | (len(letters) & 0x7FFFFFFF) << 32


def _shown_as(paper: Paper, shown: str) -> Paper:
    """The paper with its source path as the planning process shows it (a Dask worker may run elsewhere)."""
    if not paper.sources or paper.sources[0].path == shown:
        return paper
    ref = paper.sources[0]
    return paper.model_copy(update={"sources": (ref.model_copy(update={"path": shown}), *paper.sources[1:])})


def _problems_shown_as(report: ReadReport, unit: Unit) -> None:
    """Problems name the file as the planning process shows it, too."""
    here = display_path(unit.path)
    if here != unit.shown:
        for problem in report.problems:
            if isinstance(problem, LocatedError) and problem.path == here:
                problem.path = unit.shown
