"""The per-unit loop's shortcuts never change what a run finds or reports.

`worker.extract_paper` hands the extractor an arXiv entry that makes its
`Paper` (the offset map) only when something reads it, where it used to make
the Paper of every selected entry first; an entry whose Paper cannot be made
must still fail the same way, whether or not its extraction reads the map.
`pipeline._with_duplicates` skips its walk when no arXiv id was read before
with other text, and the spill keeps arXiv ids in a table without rowids.
Each is checked against the plain form it replaces, kept here: on the sample
corpus and seeds written as a JSON-lines file cut in many parts, with papers
whose offset map or extraction is made to fail, and on random JSON lines and
random readings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaderboard import pipeline, worker
from leaderboard.errors import SourceError
from leaderboard.extract import engine
from leaderboard.model import Paper, normalize_title
from leaderboard.rulebook import LoadedRule, load_rules
from leaderboard.sources import ReadReport, arxiv, read_papers
from leaderboard.spill import Spill, key_digest
from leaderboard.workplan import Unit, plan, read_unit, unit_sha256

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
SEEDS = ROOT.parent / "shared" / "seeds"
SMALL_PART = 24 << 10  # bytes: the JSON-lines file below becomes dozens of parts, read as `arxiv.Entry` items


# --------------------------------------------------------------------------- the plain per-unit loop


def _plain_extract_paper(
    paper: Paper | arxiv.Entry, extractor: engine.Extractor, sha256: str, key: str | None = None, *, shown: str | None = None
) -> tuple:
    """`worker.extract_paper` as it was: an entry's Paper is made before extracting."""
    failures: list[tuple[str, Exception]] = []
    try:
        scan = extractor.select(paper.abstract)
        if scan is None:
            return ([], []), []
        if isinstance(paper, arxiv.Entry):
            paper = paper.paper()
        if shown is not None:
            paper = worker._shown_as(paper, shown)
        records, rejections = extractor.extract(paper, sha256, failures=failures, scan=scan)
        key = normalize_title(paper.title) if key is None else key
        rows = [worker.record_row(record) for record in records], [worker.rejection_row(key, item) for item in rejections]
    except Exception as error:  # noqa: BLE001
        return None, [worker._failure(paper, None, error)]
    return rows, [worker._failure(paper, rule, error) for rule, error in failures]


def _plain_extract_unit(unit: Unit, rules: list[LoadedRule]) -> worker.UnitResult:
    """`worker.extract_unit` as it was, with the arXiv readings kept in the new shape."""
    extractor = worker.extractor_for(rules)
    report = ReadReport()
    result = worker.UnitResult(unit.index, report)
    keys: list[bytes] = []
    sha256: str | None = None
    for item in read_unit(unit, report):
        key = normalize_title(item.title)
        keys.append(key_digest(key))
        line = worker._where(item)[1]
        if item.arxiv_id is not None and line is not None:
            result.arxiv_ids.append((item.arxiv_id, worker.fingerprint(key, item.abstract), unit.shown, line))
            result.arxiv_places.append(len(report.problems))
        if sha256 is None:
            sha256 = unit_sha256(unit)
        found, problems = _plain_extract_paper(item, extractor, sha256, key, shown=unit.shown)
        if found is not None:
            result.records.extend(found[0])
            result.rejections.extend(found[1])
        report.problems.extend(problems)
        result.failures += len(problems)
    result.keys = b"".join(keys)
    worker._problems_shown_as(report, unit)
    return result


def _seen(result: worker.UnitResult) -> tuple:
    """Everything a unit's result carries, problems as what they say and where."""
    problems = [(type(p).__name__, str(p), getattr(p, "path", None), getattr(p, "line", None)) for p in result.report.problems]
    return (result.index, result.records, result.rejections, result.keys, result.arxiv_ids, result.arxiv_places,
            result.failures, problems, result.report.entries, result.report.no_abstract)  # fmt: skip


# --------------------------------------------------------------------------- inputs


@pytest.fixture(scope="module")
def rules() -> list[LoadedRule]:
    return load_rules(RULES)


def _abstracts() -> list[Paper]:
    papers = list(read_papers(ROOT / "corpus"))
    if SEEDS.is_dir():
        papers += list(read_papers(SEEDS))
    return papers


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus and seeds as one arXiv JSON-lines file: escapes, non-ASCII text, an id read twice, a broken line."""
    lines = []
    for number, paper in enumerate(_abstracts()):
        record = {
            "id": f"2401.{number:05d}v1",
            "title": paper.title,
            "abstract": ("  " + paper.abstract.replace(". ", ".\n", 2) + "\n") if number % 3 == 0 else paper.abstract,
            "authors": "A. One and B. Two",
        }
        lines.append(json.dumps(record, ensure_ascii=number % 2 == 0))
    lines.append(json.dumps(dict(json.loads(lines[7]), abstract="Other text, with FID of 3.1 on COCO.")))
    lines.append('{"id": "2401.99999", "title": "Broken", "abstract": ')
    path = tmp_path_factory.mktemp("snapshot") / "snapshot.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _units(snapshot: Path) -> list[Unit]:
    units = [step for step in plan([snapshot, ROOT / "corpus"], part_bytes=SMALL_PART) if isinstance(step, Unit)]
    assert sum(unit.part is not None for unit in units) > 10 and any(unit.part is None for unit in units)
    return units


def _compare(units: list[Unit], rules: list[LoadedRule]) -> list[tuple]:
    """Every unit read by the plain loop and by `worker.extract_unit`, and each entry on its own, named elsewhere."""
    fast = [_seen(worker.extract_unit(unit, rules)) for unit in units]
    plain = [_seen(_plain_extract_unit(unit, rules)) for unit in units]
    assert fast == plain
    extractor = worker.extractor_for(rules)
    for unit in units:
        for item in read_unit(unit, ReadReport()):
            key = normalize_title(item.title)
            found, failed = worker.extract_paper(item, extractor, "0" * 64, key, shown="elsewhere.jsonl")
            plain_found, plain_failed = _plain_extract_paper(item, extractor, "0" * 64, key, shown="elsewhere.jsonl")
            assert found == plain_found
            assert [(str(p), p.path, p.line) for p in failed] == [(str(p), p.path, p.line) for p in plain_failed]
    return fast


def _ids_of(snapshot: Path, rules: list[LoadedRule], wanted: Callable[[arxiv.Entry, engine.Extractor], bool]) -> set[str]:
    extractor = worker.extractor_for(rules)
    entries = arxiv.read_entries(snapshot, report=ReadReport())
    return {entry.arxiv_id for entry in entries if wanted(entry, extractor)}


def _gives_nothing(entry: arxiv.Entry, extractor: engine.Extractor) -> bool:
    """Selected by the keyword pass, yet without any record, rejection or failure."""
    scan = extractor.select(entry.abstract)
    return scan is not None and extractor.extract(entry.paper(), "", failures=[], scan=scan) == ([], [])


def _gives_something(entry: arxiv.Entry, extractor: engine.Extractor) -> bool:
    scan = extractor.select(entry.abstract)
    return scan is not None and extractor.extract(entry.paper(), "", failures=[], scan=scan) != ([], [])


def _break_offsets(monkeypatch: pytest.MonkeyPatch, ids: set[str]) -> None:
    """The abstract literal of these ids decodes to other text, so that `Entry.paper` fails for them."""
    literal = arxiv._abstract_literal

    def broken(text: str, abstract: str):  # noqa: ANN202
        decoded, segments, end = literal(text, abstract)
        if re.sub(r"v\d+$", "", json.loads(text).get("id", "")) in ids:
            return decoded + "?", segments, end
        return decoded, segments, end

    monkeypatch.setattr(arxiv, "_abstract_literal", broken)


def _fail_extraction(monkeypatch: pytest.MonkeyPatch, abstracts: set[str]) -> None:
    """Splitting these abstracts into sentences raises, so that their extraction fails outside any rule."""
    split = engine.split_sentences

    def failing(text: str):  # noqa: ANN202
        if text in abstracts:
            raise ValueError("no sentences today")
        return split(text)

    monkeypatch.setattr(engine, "split_sentences", failing)


# --------------------------------------------------------------------------- the whole loop


def test_every_unit_gives_what_the_plain_loop_gave(snapshot: Path, rules: list[LoadedRule]) -> None:
    found = _compare(_units(snapshot), rules)
    assert sum(len(unit[1]) for unit in found) > 100 and sum(len(unit[2]) for unit in found) > 20
    assert not any(unit[6] for unit in found)  # no failures: those are below


def test_an_entry_whose_paper_cannot_be_made_fails_as_before(
    snapshot: Path, rules: list[LoadedRule], monkeypatch: pytest.MonkeyPatch
) -> None:
    nothing = sorted(_ids_of(snapshot, rules, _gives_nothing))
    something = sorted(_ids_of(snapshot, rules, _gives_something))
    unselected = sorted(_ids_of(snapshot, rules, lambda entry, extractor: extractor.select(entry.abstract) is None))
    assert len(nothing) >= 6 and len(something) >= 6 and unselected
    broken = set(nothing[::2] + something[::2] + unselected[:3])
    _break_offsets(monkeypatch, broken)
    found = _compare(_units(snapshot), rules)
    problems = [problem for unit in found for problem in unit[7] if "cannot map the abstract" in problem[1]]
    # every selected entry with a broken map fails, the ones that would give nothing too; the others are not read
    assert len(problems) == len(nothing[::2]) + len(something[::2]) == sum(unit[6] for unit in found)
    assert all("extraction failed on" in problem[1] for problem in problems)


def test_a_failing_extraction_fails_as_before_with_or_without_a_paper(
    snapshot: Path, rules: list[LoadedRule], monkeypatch: pytest.MonkeyPatch
) -> None:
    nothing = sorted(_ids_of(snapshot, rules, _gives_nothing))
    something = sorted(_ids_of(snapshot, rules, _gives_something))
    failing = set(nothing[:4] + something[:4])
    entries = list(arxiv.read_entries(snapshot, report=ReadReport()))
    _fail_extraction(monkeypatch, {entry.abstract for entry in entries if entry.arxiv_id in failing})
    _break_offsets(monkeypatch, set(nothing[:2] + something[:2]))  # half of them cannot be made either: that error wins
    found = _compare(_units(snapshot), rules)
    problems = [problem[1] for unit in found for problem in unit[7] if "extraction failed" in problem[1]]
    assert sum("no sentences today" in problem for problem in problems) >= 4
    assert sum("cannot map the abstract" in problem for problem in problems) >= 4


def test_a_failing_rule_names_the_made_paper(snapshot: Path, rules: list[LoadedRule], monkeypatch: pytest.MonkeyPatch) -> None:
    record = engine.Extractor._record

    def failing(self, paper, sentence, tokens, binding, *args, **kwargs):  # noqa: ANN001, ANN202
        if len(paper.title) % 3 == 0:
            raise ZeroDivisionError("injected")
        return record(self, paper, sentence, tokens, binding, *args, **kwargs)

    monkeypatch.setattr(engine.Extractor, "_record", failing)
    found = _compare(_units(snapshot), rules)
    assert sum(unit[6] for unit in found) >= 10


def test_a_rule_failing_before_the_map_is_read_names_the_made_paper(
    snapshot: Path, rules: list[LoadedRule], monkeypatch: pytest.MonkeyPatch
) -> None:
    extract = engine.Extractor.extract

    def failing(self, paper, *args, failures=None, **kwargs):  # noqa: ANN001, ANN202
        if failures is not None and len(paper.title) % 2:
            failures.append(("a-rule", ValueError("injected before reading the map")))
        return extract(self, paper, *args, failures=failures, **kwargs)

    monkeypatch.setattr(engine.Extractor, "extract", failing)
    found = _compare(_units(snapshot), rules)
    assert sum(unit[6] for unit in found) >= 10


# --------------------------------------------------------------------------- the entry's own check


def _json_line(title: str, abstract: str, extra: list[tuple[str, str]], ascii_only: bool) -> str:
    """A JSON object line; ``extra`` (raw key, raw value) may repeat or escape the "abstract" key, or nest one."""
    fields = [('"title"', json.dumps(title, ensure_ascii=ascii_only)), ('"abstract"', json.dumps(abstract, ensure_ascii=ascii_only))]
    return "{" + ", ".join(f"{key}: {value}" for key, value in fields + extra) + "}"


_TEXT = st.text(st.sampled_from(list("ab 1.5%\n\t\"\\/é’😀") + ["\x00", "\u2028", "\ud800"]), min_size=1, max_size=30)
_EXTRA = st.lists(
    st.one_of(
        st.tuples(st.just('"abstract"'), _TEXT.map(json.dumps)),  # a repeated key: the last one wins
        st.tuples(st.just('"abs\\u0074ract"'), _TEXT.map(json.dumps)),  # the key spelled with an escape
        st.tuples(st.just('"meta"'), _TEXT.map(lambda text: json.dumps({"abstract": text}))),  # a nested key
        st.tuples(st.just('"id"'), st.just('"2401.00001v3"')),
    ),
    max_size=3,
)


def _outcome(call: Callable[[], object]) -> str | None:
    try:
        call()
    except Exception as error:  # noqa: BLE001
        return f"{type(error).__name__}: {error}"
    return None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, _TEXT, _EXTRA, st.booleans(), st.booleans())
def test_the_check_fails_exactly_when_the_paper_cannot_be_made(
    title: str, abstract: str, extra: list[tuple[str, str]], ascii_only: bool, broken: bool
) -> None:
    text = _json_line(title, abstract, extra, ascii_only)
    try:
        entry = arxiv._entry(text, 0, "f.jsonl", 1)
    except SourceError:
        return  # no entry: nothing to extract
    lazy = worker._EntryPaper(entry, None)
    literal = arxiv._abstract_literal

    def other_text(text: str, abstract: str) -> tuple:
        decoded, segments, end = literal(text, abstract)
        return decoded + "?", segments, end

    with pytest.MonkeyPatch.context() as patch:
        if broken:
            patch.setattr(arxiv, "_abstract_literal", other_text)
        expected = _outcome(entry.paper)
        assert _outcome(lazy.check) == expected
    assert (expected is not None) == broken
    if expected is None:  # a title, abstract and id as the made Paper has them
        paper = entry.paper()
        assert (lazy.title, lazy.abstract, lazy.arxiv_id) == (paper.title, paper.abstract, paper.arxiv_id)


def test_the_stand_in_reads_as_its_paper(snapshot: Path) -> None:
    entries = list(arxiv.read_entries(snapshot, report=ReadReport()))
    assert len(entries) > 500
    for entry in entries:
        paper = worker._shown_as(entry.paper(), "shown.jsonl")
        lazy = worker._EntryPaper(entry, "shown.jsonl")
        assert (lazy.title, lazy.abstract, lazy.arxiv_id) == (paper.title, paper.abstract, paper.arxiv_id)
        assert lazy.made is None and worker._where(lazy) == (entry.shown, entry.number)
        assert lazy.sources == paper.sources and lazy.date == paper.date and lazy.key == paper.key
        assert worker._where(lazy) == worker._where(paper) == ("shown.jsonl", entry.number)


# --------------------------------------------------------------------------- the merge's arXiv bookkeeping


def _plain_with_duplicates(result: worker.UnitResult, firsts: list) -> list:
    """`pipeline._with_duplicates` as it was, given what `Spill.first_readings` said."""
    problems = result.report.problems
    merged: list = []
    done = 0
    for (arxiv_id, _, path, line), before, first in zip(result.arxiv_ids, result.arxiv_places, firsts):
        if first is None:
            continue
        merged.extend(problems[done:before])
        done = before
        merged.append(SourceError(
            path, f"arXiv id {arxiv_id} was read at {first[0]}:{first[1]} with a different title or abstract; "
            "both readings are kept", line=line, hint="keep one version of each paper in the sources",
        ))  # fmt: skip
    merged.extend(problems[done:])
    return merged


_READINGS = st.lists(
    st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from([b"x", b"y"]), st.booleans()), max_size=8), max_size=5
)


@settings(max_examples=150, deadline=None)
@given(_READINGS)
def test_the_merge_reports_ids_read_before_as_the_plain_walk(units: list[list[tuple[str, bytes, bool]]]) -> None:
    spill, plain = Spill(), Spill()
    firsts_seen: dict[str, tuple[bytes, str, int]] = {}
    try:
        for number, readings in enumerate(units):
            report = ReadReport()
            result = worker.UnitResult(number, report)
            for line, (arxiv_id, digest, problem_before) in enumerate(readings, start=1):
                if problem_before:
                    report.problems.append(SourceError(f"u{number}", "a bad line", line=line))
                result.arxiv_ids.append((arxiv_id, digest, f"u{number}", line))
                result.arxiv_places.append(len(report.problems))
            # the spill answers as a dict of first readings would
            expected = []
            for arxiv_id, digest, path, line in result.arxiv_ids:
                first = firsts_seen.setdefault(arxiv_id, (digest, path, line))
                expected.append(None if first[1:] == (path, line) or first[0] == digest else first[1:])
            firsts = plain.first_readings(result.arxiv_ids)
            assert firsts == expected
            fast = pipeline._with_duplicates(result, spill)
            assert [str(p) for p in fast] == [str(p) for p in _plain_with_duplicates(result, firsts)]
    finally:
        spill.close()
        plain.close()
