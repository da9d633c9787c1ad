"""The third round of shortcuts from a bound number to a spill row never changes a byte.

- ``Record.id`` reads the claim's values with two `operator.itemgetter` calls and writes None and str values
  inline, instead of a lookup per key and a function per value;
- the engine builds a `Record` with `engine_record` and a `Rejection` with `engine_rejection`, which do not
  validate again what validation would keep as it is (and validate as before otherwise, failing the rule);
- `worker.record_row` and `worker.rejection_row` call the pydantic serializer without `model_dump_json`'s
  keyword handling.

Each test checks one shortcut against the plain form it replaces, on generated values and on every paper of
the corpus and the seeds (also read back from arXiv JSON lines).
"""

from __future__ import annotations

import hashlib
import json
import math
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from modelkit import plain_id, provenance, same_model
from leaderboard import model, worker
from leaderboard.extract import Extractor, engine
from leaderboard.extract.normalize import Normalized
from leaderboard.model import Paper, Provenance, Record, Rejection, engine_record, engine_rejection, normalize_title
from leaderboard.rulebook import load_rules
from leaderboard.sources import read_papers

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules(ROOT / "rules")
SOURCES = [ROOT / "corpus", ROOT.parent / "shared" / "seeds"]
PROFILE = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class _Text(str):
    """A str subclass: validation turns it into a str, so no shortcut may keep it."""


class _Float(float):
    """A float subclass: validation turns it into a float."""


TEXT = st.text(st.sampled_from(list("aZ 0.-_\"\\/é€\u2028\x00\t'ſİ%s")), max_size=12)
FLOAT = st.one_of(st.floats(), st.sampled_from([1e-5, 1e16, 0.1 + 0.2, -0.0, math.inf, -math.inf, math.nan]))
#: What a field may be given: the types validation keeps, and others it converts or turns down.
ANY_VALUE = st.one_of(
    st.none(), TEXT, FLOAT, st.integers(-(10**20), 10**20), st.booleans(), TEXT.map(_Text), FLOAT.map(_Float),
    st.sampled_from(["score", "bound", "delta", "up to", "~", "<", "<=", ">", ">=", "other", b"score", ("a",)]),
)
KIND = st.one_of(st.sampled_from(["score", "bound", "delta", "Score", _Text("score"), None, 1]), ANY_VALUE)
QUALIFIER = st.one_of(st.sampled_from([None, "up to", "~", "<", "<=", ">", ">=", "=", _Text("<"), 0]), ANY_VALUE)


def _outcome(build):
    """A built model, or the type of the error building it raised."""
    try:
        return build()
    except ValidationError as error:
        return type(error)


# --- Record.id ------------------------------------------------------------------------------------------------


def test_the_claim_getters_give_every_key_but_the_paper_in_order() -> None:
    values = {name: name for name in Record.model_fields}
    claim = (*model._CLAIM_BEFORE_PAPER(values), "paper", *model._CLAIM_AFTER_PAPER(values))
    assert claim == tuple(sorted([*(name for name in Record.model_fields if name != "provenance"), "paper"]))


@PROFILE
@given(st.lists(ANY_VALUE, min_size=13, max_size=13), TEXT)
def test_record_id_of_any_value_is_the_plain_one(values: list, title: str) -> None:
    fields = [name for name in Record.model_fields if name != "provenance"]
    record = Record.model_construct(**dict(zip(fields, values)), provenance=provenance(title or "t"))
    assert _id_or_error(lambda: record.id) == _id_or_error(lambda: plain_id(record))


def _id_or_error(make) -> str | tuple:
    """An id, or the error making it raised (a value JSON cannot write, as bytes)."""
    try:
        return make()
    except TypeError as error:
        return (type(error), str(error))


@PROFILE
@given(TEXT, st.one_of(st.none(), TEXT), FLOAT, st.one_of(st.none(), FLOAT), TEXT)
def test_record_id_of_validated_records_is_the_plain_one(text: str, name: str | None, value, high, title: str) -> None:
    record = Record(
        benchmark=text, kind="bound", metric=text, model=name, dataset=text, value=value, value_max=high, unit=text,
        qualifier="<=", reported=text, baseline=high, baseline_model=name, context=name, provenance=provenance(title or "t"),
    )
    assert record.id == plain_id(record)


# --- engine_record and engine_rejection -----------------------------------------------------------------------


def test_the_kept_types_name_every_record_field_in_order() -> None:
    assert list(model._RECORD_VALUE_TYPES) == list(Record.model_fields)
    assert model._KINDS == {"score", "bound", "delta"}
    assert model._QUALIFIERS == {None, "up to", "~", "<", "<=", ">", ">="}


#: A record's fields as the engine gives them.
ENGINE_FIELDS = st.fixed_dictionaries({
    "benchmark": TEXT, "kind": st.sampled_from(["score", "bound", "delta"]), "metric": TEXT,
    "model": st.one_of(st.none(), TEXT), "dataset": st.one_of(st.none(), TEXT), "value": FLOAT,
    "value_max": st.one_of(st.none(), FLOAT), "unit": TEXT,
    "qualifier": st.sampled_from([None, "up to", "~", "<", "<=", ">", ">="]), "reported": TEXT,
    "baseline": st.one_of(st.none(), FLOAT), "baseline_model": st.one_of(st.none(), TEXT),
    "context": st.one_of(st.none(), TEXT), "provenance": st.just(provenance()),
})  # fmt: skip
#: Other values for a field or two: of types validation keeps, converts or turns down.
CHANGES = st.dictionaries(
    st.sampled_from(list(Record.model_fields)),
    st.one_of(ANY_VALUE, KIND, QUALIFIER, st.sampled_from([b"FID", bytearray(b"1"), {"a": 1}, provenance().model_dump()])),
    max_size=2,
)


@PROFILE
@given(ENGINE_FIELDS, CHANGES)
def test_engine_record_is_the_validated_one(fields: dict, changes: dict) -> None:
    """Any values: those validation keeps as they are make the same record, the others go through validation."""
    _assert_engine_record_is_the_validated_one(fields | changes)


def _assert_engine_record_is_the_validated_one(fields: dict) -> None:
    """The same record as validation gives (the provenance kept or copied alike), or the same failure."""
    fast = _outcome(lambda: engine_record(**fields))
    plain = _outcome(lambda: Record(**fields))
    if isinstance(plain, Record):
        same_model(fast, plain)
        assert (fast.provenance is fields["provenance"]) == (plain.provenance is fields["provenance"])
    else:
        assert fast is plain is ValidationError, fields


@PROFILE
@given(TEXT, st.one_of(st.none(), TEXT), FLOAT, st.one_of(st.none(), FLOAT), st.sampled_from(["score", "bound", "delta"]),
       st.sampled_from([None, "up to", "~", "<", "<=", ">", ">="]))
def test_engine_record_of_engine_values_is_not_validated_again(text, name, value, high, kind, qualifier) -> None:
    """The values the engine gives take the shortcut (which is then checked against the validated record)."""
    fields = dict(
        benchmark=text, kind=kind, metric=text, model=name, dataset=name, value=value, value_max=high, unit=text,
        qualifier=qualifier, reported=text, baseline=high, baseline_model=name, context=text, provenance=provenance(),
    )
    built = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model, "_unvalidated", lambda cls, values: built.append(cls) or cls(**values))
        engine_record(**fields)
    assert built == [Record]
    same_model(engine_record(**fields), Record(**fields))


class _Provenance(Provenance):
    """A `Provenance` subclass: validation keeps the instance as it is; the shortcut leaves it to validation."""


#: Values to put in one field of a record or rejection: of types validation keeps, converts or turns down.
PROBES = [
    None, "", "x", "score", "bound", "<", "up to", "=", _Text("x"), _Text("score"), _Text("<"), 0, 1, 10**20, True,
    1.5, -0.0, math.nan, math.inf, _Float(1.5), Decimal("1.5"), "1.5", b"FID", bytearray(b"1"), ("a",), ["a"],
    {"a": 1}, (1, 2), [1, 2], (1.0, 2), ("1", 2), (True, 2), (1, 2, 3), provenance(), provenance().model_dump(),
    _Provenance(**provenance().model_dump()),
]


def _engine_fields() -> dict:
    return dict(
        benchmark="fid", kind="score", metric="FID", model="Zeta", dataset=None, value=1.46, value_max=None, unit="1",
        qualifier=None, reported="1.46", baseline=None, baseline_model=None, context=None, provenance=provenance(),
    )


@pytest.mark.parametrize("name", list(Record.model_fields))
def test_engine_record_with_any_value_in_one_field_is_the_validated_one(name: str) -> None:
    for probe in PROBES:
        _assert_engine_record_is_the_validated_one(_engine_fields() | {name: probe})


@pytest.mark.parametrize("name", ["source", "title", "paper_id", "span", "reported", "benchmark", "rule", "reason", "quote"])
def test_engine_rejection_with_any_value_in_one_field_is_the_validated_one(name: str) -> None:
    values = {"source": "a.jsonl", "title": "T", "paper_id": None, "span": (4, 7), "reported": "1.5", "benchmark": "fid",
              "rule": "fid", "reason": "r", "quote": "q 1.5"}  # fmt: skip
    for probe in PROBES:
        given = values | {name: probe}
        paper = SimpleNamespace(title=given.pop("title"), arxiv_id=given.pop("paper_id"))
        if name == "span" and not (type(probe) is tuple and len(probe) == 2 and {type(v) for v in probe} == {int}):
            continue  # the engine makes spans of two ints (`engine_provenance`)
        fast = _outcome(lambda: engine_rejection(**given, paper=paper))
        plain = _outcome(lambda: Rejection(**given, paper=paper.title, paper_id=paper.arxiv_id))
        if isinstance(plain, Rejection):
            same_model(fast, plain)
        else:
            assert fast is plain is ValidationError, probe


REJECTION_VALUES = st.one_of(TEXT, st.none(), st.sampled_from([b"s", 64, _Text("s"), ["s"], 1.5]))


@PROFILE
@given(st.lists(REJECTION_VALUES, min_size=8, max_size=8), st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)))
def test_engine_rejection_is_the_validated_one(values: list, span: tuple[int, int]) -> None:
    source, title, paper_id, reported, benchmark, rule, reason, quote = values
    paper = SimpleNamespace(title=title, arxiv_id=paper_id)
    fast = _outcome(lambda: engine_rejection(source, paper, span, reported, benchmark, rule, reason, quote))
    plain = _outcome(lambda: Rejection(
        source=source, paper=title, paper_id=paper_id, span=span, reported=reported, benchmark=benchmark, rule=rule,
        reason=reason, quote=quote,
    ))  # fmt: skip
    if isinstance(plain, Rejection):
        same_model(fast, plain)
    else:
        assert fast is plain is ValidationError


# --- the spill rows -------------------------------------------------------------------------------------------


def _plain_record_row(record: Record) -> tuple:
    """What `worker.record_row` stands for."""
    source = record.provenance
    return (record.id, record.benchmark, source.source, source.span[0], source.span[1], record.model_dump_json())


def _plain_rejection_row(key: str, rejection: Rejection) -> tuple:
    """What `worker.rejection_row` stands for."""
    digest = hashlib.blake2b(
        "\0".join((key, rejection.reported, rejection.quote, rejection.reason)).encode("utf-8", "surrogatepass"),
        digest_size=16,
    ).digest()
    return (
        digest, rejection.source, rejection.span[0], rejection.span[1], rejection.reason, rejection.benchmark or "",
        rejection.rule or "", rejection.reported, rejection.paper, rejection.quote, rejection.model_dump_json(),
    )  # fmt: skip


@PROFILE
@given(TEXT, st.one_of(st.none(), TEXT), FLOAT, st.one_of(st.none(), FLOAT), TEXT, TEXT)
def test_record_row_is_the_plain_one(text: str, name: str | None, value, high, title: str, path: str) -> None:
    provenance = Provenance(
        source=path, source_sha256=text, paper=title or "t", paper_id=name, span=(1, 2), quote_span=(0, 3), quote=text,
        rule=text, rule_sha256=text,
    )
    record = Record(
        benchmark=text, kind="score", metric=text, model=name, dataset=name, value=value, value_max=high, unit=text,
        qualifier="~", reported=text, baseline=high, baseline_model=text, context=name, provenance=provenance,
    )
    assert worker.record_row(record) == _plain_record_row(record)


@PROFILE
@given(TEXT, TEXT, st.one_of(st.none(), TEXT), TEXT)
def test_rejection_row_is_the_plain_one(key: str, text: str, name: str | None, title: str) -> None:
    rejection = Rejection(
        source=text, paper=title, paper_id=name, span=(3, 9), reported=text, benchmark=name, rule=name, reason=text,
        quote=title,
    )
    assert worker.rejection_row(key, rejection) == _plain_rejection_row(key, rejection)


# --- the corpus and the seeds, against the plain engine --------------------------------------------------------


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> list[Paper]:
    """Every paper of the corpus and the seeds as its reader gives it, and again from arXiv JSON lines."""
    papers = list(read_papers(SOURCES))
    assert len(papers) > 500
    path = tmp_path_factory.mktemp("records3") / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for index, paper in enumerate(papers):
            record = {"id": f"2401.{index:05d}", "title": paper.title, "abstract": f"  {paper.abstract}\n"}
            handle.write(json.dumps(record, ensure_ascii=index % 2 == 0) + "\n")
    return papers + list(read_papers([path]))


def _plain_rejection(self, paper, sentence, number, item, reason, source, benchmark=None) -> Rejection:
    """`Extractor._rejection` as it was: a validated `Rejection`."""
    start = sentence.start + number.start
    end = start + len(number.text)
    return Rejection(
        source=source.path if source else "",
        paper=paper.title,
        paper_id=paper.arxiv_id,
        span=(source.file_offset(start), source.file_offset(end)) if source else (start, end),
        reported=number.text,
        benchmark=item.id if item else benchmark,
        rule=item.id if item else None,
        reason=reason,
        quote=sentence.text,
    )


def _extract_plain(extractor: Extractor, paper: Paper, monkeypatch: pytest.MonkeyPatch, **kwargs):
    """What ``extractor.extract`` gives with every model validated."""
    with monkeypatch.context() as patch:
        patch.setattr(engine, "engine_record", Record)
        patch.setattr(engine.Extractor, "_rejection", _plain_rejection)
        return extractor.extract(paper, "f" * 64, **kwargs)


def test_the_engine_s_records_and_rows_are_the_plain_ones(papers: list[Paper], monkeypatch: pytest.MonkeyPatch) -> None:
    extractor = Extractor(RULES)
    counts = [0, 0]
    for paper in papers:
        records, rejections = extractor.extract(paper, "f" * 64)
        plain_records, plain_rejections = _extract_plain(extractor, paper, monkeypatch)
        assert len(records) == len(plain_records) and len(rejections) == len(plain_rejections)
        key = normalize_title(paper.title)
        for record, plain in zip(records, plain_records):
            same_model(record, plain)
            assert record.id == plain_id(record)
            assert worker.record_row(record) == _plain_record_row(plain)
        for rejection, plain in zip(rejections, plain_rejections):
            same_model(rejection, plain)
            assert worker.rejection_row(key, rejection) == _plain_rejection_row(key, plain)
        counts[0] += len(records)
        counts[1] += len(rejections)
    assert counts[0] > 300 and counts[1] > 100


@pytest.mark.parametrize(
    "change",
    [
        {"value": 1},  # an int: validation makes it a float
        {"kind": "other"},  # not a Kind: validation turns it down
        {"qualifier": "="},  # not a Qualifier
        {"unit": None},  # a required str
        {"value": "1.5"},  # a str: validation reads the float it spells
    ],
)
def test_normalized_values_are_validated_as_before(change: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """A normalizer giving a value validation changes or turns down: the same record, or the same failure."""
    real = engine.normalize

    def changed(binding, rule) -> Normalized:
        found = real(binding, rule)
        values = {name: getattr(found, name) for name in ("kind", "value", "value_max", "unit", "qualifier")}
        return Normalized(**(values | change))

    monkeypatch.setattr(engine, "normalize", changed)
    paper = Paper(title="Zeta", abstract="Zeta achieves an FID of 1.46 on ImageNet 256x256. It is 2.5x faster.")
    extractor = Extractor(RULES)
    fast_failures: list = []
    plain_failures: list = []
    fast = extractor.extract(paper, "f" * 64, failures=fast_failures)
    plain = _extract_plain(extractor, paper, monkeypatch, failures=plain_failures)
    assert len(fast[0]) == len(plain[0])
    for record, validated in zip(fast[0], plain[0]):
        same_model(record, validated)
    assert [(rule, type(error), str(error)) for rule, error in fast_failures] == [
        (rule, type(error), str(error)) for rule, error in plain_failures
    ]
    assert fast[0] or fast_failures


def test_out_of_range_values_are_still_rejections() -> None:
    extractor = Extractor(RULES)
    records, rejections = extractor.extract(Paper(title="Zeta", abstract="Zeta achieves a GenEval score of 170."))
    assert not records and [r.reason for r in rejections] == ["1.7 1 is outside geneval's range 0..1"]
