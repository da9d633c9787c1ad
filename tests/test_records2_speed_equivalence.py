"""The second round of shortcuts from a bound number to a record never changes a byte.

- ``Record.id`` writes the claim's JSON one value at a time into a template of its sorted keys, instead of
  one `json.JSONEncoder` pass over a dict;
- ``SourceRef.file_offset`` bisects the segments with an ``(offset, inf)`` probe instead of a key function;
- the engine builds a record's `Provenance` with `engine_provenance`, which does not validate again what
  validation would keep as it is (and validates as before otherwise);
- the engine reads the paper's method name (`method_name`) only when `subject_model` falls back to it;
- `subject_model`'s helpers find clause starts and words in a list with `_clause_start` and `_has_any`.

Each test checks one shortcut against the plain way it stands for, on generated values and on every paper of
the corpus and the seeds (also read back from arXiv JSON lines, whose escapes give many offset segments).
"""

from __future__ import annotations

import bisect
import json
import math
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from modelkit import plain_id, provenance, same_model
from leaderboard import __version__, model
from leaderboard.extract import Extractor, attribution, engine
from leaderboard.model import Paper, Provenance, Record, SourceRef, engine_provenance
from leaderboard.rulebook import load_rules
from leaderboard.sources import read_papers

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules(ROOT / "rules")
SOURCES = [ROOT / "corpus", ROOT.parent / "shared" / "seeds"]
PROFILE = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TEXT = st.text(st.sampled_from(list("aZ 0.-_\"\\/é€\u2028\x00\t'ſİ%s")), max_size=12)
FLOAT = st.one_of(st.floats(), st.sampled_from([1e-5, 1e16, 0.1 + 0.2, -0.0, math.inf, -math.inf, math.nan]))
#: What a claim may hold when a record is built without validation: any JSON-able scalar.
ANY_VALUE = st.one_of(st.none(), TEXT, FLOAT, st.integers(-(10**20), 10**20), st.booleans())


# --- Record.id ------------------------------------------------------------------------------------------------


@PROFILE
@given(TEXT, st.one_of(st.none(), TEXT), FLOAT, st.one_of(st.none(), FLOAT), TEXT,
       st.sampled_from(["score", "bound", "delta"]), st.sampled_from([None, "up to", "~", "<", ">="]))
def test_record_id_is_the_plain_one(text: str, name: str | None, value, value_max, title: str, kind: str, qualifier) -> None:
    record = Record(
        benchmark=text, kind=kind, metric=text, model=name, dataset=name, value=value, value_max=value_max, unit=text,
        qualifier=qualifier, reported=text, baseline=value_max, baseline_model=name, context=name,
        provenance=provenance(title or "t"),
    )
    assert record.id == plain_id(record)
    assert json.loads(record.model_dump_json())["id"] == record.id


@PROFILE
@given(st.lists(ANY_VALUE, min_size=13, max_size=13), TEXT)
def test_record_id_of_any_value_is_the_plain_one(values: list, title: str) -> None:
    """Values of other types (a record built without validation) go through the JSON encoder itself."""
    fields = [name for name in Record.model_fields if name != "provenance"]
    record = Record.model_construct(**dict(zip(fields, values)), provenance=provenance(title or "t"))
    assert record.id == plain_id(record)


class _Text(str):
    """A str subclass: written as a string, but not by the str fast path."""


def test_record_id_of_subclassed_values_is_the_plain_one() -> None:
    record = Record.model_construct(
        benchmark=_Text("b\u2028"), kind="score", metric="m", model=None, dataset=None, value=True, value_max=3,
        unit="u", qualifier=None, reported="1", baseline=None, baseline_model=None, context=None,
        provenance=provenance("T"),
    )
    assert record.id == plain_id(record)


def test_claim_template_keys_are_the_sorted_claim() -> None:
    claim = {name: None for name in Record.model_fields if name != "provenance"} | {"paper": None}
    assert model._CLAIM_TEMPLATE % (("null",) * len(claim)) == json.dumps(claim, sort_keys=True, ensure_ascii=False)


# --- SourceRef.file_offset -------------------------------------------------------------------------------------


def _plain_file_offset(ref: SourceRef, abstract_offset: int) -> int:
    """What ``file_offset`` stands for: a bisect over the segment starts."""
    index = max(bisect.bisect_right(ref.segments, abstract_offset, key=lambda segment: segment[0]) - 1, 0)
    start, file_start = ref.segments[index]
    return file_start + abstract_offset - start


@PROFILE
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 9)), min_size=1, max_size=30), st.integers(-3, 200),
       st.integers(-5, 5))
def test_file_offset_is_the_plain_one(steps: list[tuple[int, int]], offset: int, first: int) -> None:
    segments, at, file_at = [], first, first
    for step, gap in steps:  # starts ascending (ties too), file offsets ascending
        at, file_at = at + step, file_at + step + gap
        segments.append((at, file_at))
    ref = SourceRef(path="a", line=1, format="x", segments=tuple(segments))
    assert ref.file_offset(offset) == _plain_file_offset(ref, offset)


def test_file_offset_without_segments_fails_as_before() -> None:
    ref = SourceRef(path="a", line=1, format="x", segments=())
    with pytest.raises(IndexError):
        _plain_file_offset(ref, 0)
    with pytest.raises(IndexError):
        ref.file_offset(0)


# --- the corpus and the seeds, as read and as arXiv JSON lines --------------------------------------------------


def _papers(tmp_path: Path) -> list[Paper]:
    """Every paper of the corpus and the seeds as its reader gives it, and again from arXiv JSON lines."""
    papers = list(read_papers(SOURCES))
    assert len(papers) > 500
    path = tmp_path / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for index, paper in enumerate(papers):
            record = {"id": f"2401.{index:05d}", "title": paper.title, "abstract": f"  {paper.abstract}\n"}
            handle.write(json.dumps(record, ensure_ascii=index % 2 == 0) + "\n")
    again = list(read_papers([path]))
    assert len(again) == len(papers) and max(len(p.sources[0].segments) for p in again) > 5
    return papers + again


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> list[Paper]:
    return _papers(tmp_path_factory.mktemp("records2"))


def test_file_offset_on_the_corpus(papers: list[Paper]) -> None:
    checked = 0
    for paper in papers:
        for ref in paper.sources:
            for offset in range(-1, len(paper.abstract) + 2):
                assert ref.file_offset(offset) == _plain_file_offset(ref, offset)
                checked += 1
    assert checked > 100_000


# --- the engine's records, against the plain engine ------------------------------------------------------------


def _plain_provenance(paper, sentence, number, item, sha256, source) -> Provenance:
    """What `engine._provenance` stands for: a validated `Provenance`, read with the plain ``file_offset``."""
    start = sentence.start + number.start
    end = start + len(number.text)
    if source is None:
        path, span, quote_span = "", (start, end), (sentence.start, sentence.end)
    else:
        offset = lambda at: _plain_file_offset(source, at)  # noqa: E731
        path, span, quote_span = source.path, (offset(start), offset(end)), (offset(sentence.start), offset(sentence.end))
    return Provenance(
        source=path, source_sha256=sha256, paper=paper.title, paper_id=paper.arxiv_id, span=span,
        quote_span=quote_span, quote=sentence.text, rule=item.id, rule_sha256=item.sha256, version=__version__,
    )


def _eager_subject_model(tokens, index, abstract, fallback, skip, scored=frozenset()):
    """`subject_model` as the engine called it before: with the method name read first, whether used or not."""
    assert fallback is engine._UNNAMED
    return attribution.subject_model(tokens, index, abstract, _EAGER_NAME[0], skip, scored)


_EAGER_NAME: list = [None]


def _extract_plain(extractor: Extractor, paper: Paper, sha256: str, monkeypatch: pytest.MonkeyPatch):
    """The records of ``paper`` with every shortcut of this file undone."""
    _EAGER_NAME[0] = attribution.method_name(paper.title, paper.abstract)
    with monkeypatch.context() as patch:
        patch.setattr(engine, "_provenance", _plain_provenance)
        patch.setattr(engine, "subject_model", _eager_subject_model)
        patch.setattr(engine, "_UNNAMED", object())  # a marker the eager call never returns
        patch.setattr(attribution, "_clause_start", _plain_clause_start)
        patch.setattr(attribution, "_has_any", _plain_has_any)
        return extractor.extract(paper, sha256)


def test_records_are_the_plain_engine_s(papers: list[Paper], monkeypatch: pytest.MonkeyPatch) -> None:
    extractor = Extractor(RULES)
    count = efficiency = 0
    for paper in papers:
        records, rejections = extractor.extract(paper, "f" * 64)
        plain_records, plain_rejections = _extract_plain(extractor, paper, "f" * 64, monkeypatch)
        assert len(records) == len(plain_records) and rejections == plain_rejections
        for record, plain in zip(records, plain_records):
            same_model(record, plain)
            same_model(record.provenance, plain.provenance)
            same_model(record.provenance, Provenance.model_validate_json(record.provenance.model_dump_json()))
            assert record.id == plain_id(record)
            count += 1
            efficiency += record.context is not None
    assert count > 300 and efficiency > 20


def _outcome(build):
    """A built model, or the type of the error building it raised."""
    try:
        return build()
    except ValidationError as error:
        return type(error)


def test_provenance_of_other_values_is_validated_as_before() -> None:
    """A value of another type than validation keeps (bytes, int, None, a str subclass) goes through validation."""
    good = {"source": "a.jsonl", "sha": "s", "title": "T", "paper_id": "2401.00001", "quote": "FID 1.5", "rule": "fid",
            "rule_sha": "r"}
    for bad in ("s", None, b"s", 64, _Text("s"), ["s"]):
        for name in good:
            values = {**good, name: bad}
            paper = SimpleNamespace(title=values["title"], arxiv_id=values["paper_id"])
            fast = _outcome(lambda: engine_provenance(
                values["source"], values["sha"], paper, (4, 7), (0, 7), values["quote"], values["rule"], values["rule_sha"]
            ))
            plain = _outcome(lambda: Provenance(
                source=values["source"], source_sha256=values["sha"], paper=values["title"], paper_id=values["paper_id"],
                span=(4, 7), quote_span=(0, 7), quote=values["quote"], rule=values["rule"], rule_sha256=values["rule_sha"],
                version=__version__,
            ))
            if isinstance(plain, Provenance):
                same_model(fast, plain)
            else:
                assert fast is plain is ValidationError


@PROFILE
@given(TEXT, TEXT, st.one_of(st.none(), TEXT), st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)),
       st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)), TEXT, TEXT, TEXT)
def test_engine_provenance_is_the_validated_one(path, title, arxiv_id, span, quote_span, quote, rule, sha) -> None:
    paper = Paper(title=title, abstract="a", arxiv_id=arxiv_id)
    same_model(
        engine_provenance(path, sha, paper, span, quote_span, quote, rule, sha),
        Provenance(source=path, source_sha256=sha, paper=title, paper_id=arxiv_id, span=span, quote_span=quote_span,
                   quote=quote, rule=rule, rule_sha256=sha, version=__version__),
    )


def test_a_bad_sha256_fails_the_rule_as_before() -> None:
    paper = Paper(title="Zeta", abstract="Zeta achieves an FID of 1.46 on ImageNet 256x256.")
    failures: list = []
    records, _ = Extractor(RULES).extract(paper, None, failures=failures)  # type: ignore[arg-type]
    assert not records and failures and all(isinstance(error, ValidationError) for _, error in failures)


def test_the_method_name_is_read_only_when_used(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    method_name = attribution.method_name

    def counted(title: str, abstract: str) -> str | None:
        asked.append(title)
        return method_name(title, abstract)

    monkeypatch.setattr(engine, "method_name", counted)
    extractor = Extractor(RULES)
    named = Paper(title="Zeta", abstract="Zeta achieves an FID of 1.46 on ImageNet 256x256.")
    assert [r.model for r in extractor.extract(named)[0]] == ["Zeta"] and asked == []
    unnamed = Paper(title="Zeta: fast images", abstract="We achieve an FID of 1.46 on ImageNet 256x256.")
    assert [r.model for r in extractor.extract(unnamed)[0]] == ["Zeta"] and asked == ["Zeta: fast images"]


# --- subject_model's helpers -----------------------------------------------------------------------------------


def _plain_clause_start(tokens, end: int) -> int:
    """What `_clause_start` stands for: the walk back over `_is_any`."""
    start = end
    while start > 0 and not attribution._is_any(tokens[start - 1], attribution._BOUNDARIES):
        start -= 1
    return start


def _plain_has_any(tokens, words) -> bool:
    """What `_has_any` stands for."""
    return any(attribution._is_any(t, words) for t in tokens)


def _sentence_tokens(papers: list[Paper]) -> list[list]:
    extractor = Extractor(RULES)
    found = []
    for paper in papers:
        scan = extractor.select(paper.abstract)
        if scan is None:
            continue
        for sentence in engine.split_sentences(paper.abstract):
            mentions = scan.sentence(sentence.start, sentence.end) or []
            numbers = engine.find_numbers(sentence.text)
            found.append(engine.tokenize(sentence.text, numbers, mentions))
    return found


def test_subject_helpers_are_the_plain_ones(papers: list[Paper]) -> None:
    checked = 0
    word_sets = (attribution._FIRST_PERSON, attribution._EQUIPPED, attribution._BACK_REFERENCES, attribution._OUR)
    for tokens in _sentence_tokens(papers[: len(papers) // 2]):
        for end in range(len(tokens) + 1):
            assert attribution._clause_start(tokens, end) == _plain_clause_start(tokens, end)
            for words in word_sets:
                assert attribution._has_any(tokens[end - 4 : end], words) == _plain_has_any(tokens[end - 4 : end], words)
            checked += 1
    assert checked > 10_000
