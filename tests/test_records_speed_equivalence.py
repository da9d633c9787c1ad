"""The shortcuts from a bound number to a record, and to its spill row, never change a byte.

``Record.id`` encodes its claim with an encoder built once; ``SourceRef.file_offset``
bisects the segments without copying their starts; the engine reads a rule's metric
words once per rule (`_Metrics`), each token's place once per sentence (`_Shared`) and
each sentence's base models once per paper (`_Earlier.bases_of`). Each test checks one
shortcut against the plain way it stands for. Records are still validated: a bad value
is a failure of its rule, not a record.
"""

from __future__ import annotations

import bisect
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from modelkit import plain_id, provenance
from leaderboard.extract import Extractor, engine
from leaderboard.extract.normalize import Normalized
from leaderboard.model import Paper, Record, SourceRef
from leaderboard.rulebook import load_rules
from leaderboard.sources import read_papers

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules(ROOT / "rules")
PROFILE = settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TEXT = st.text(st.sampled_from(list("aZ 0.-_\"\\/é€\u2028\x00\t'ſİ")), max_size=12)
VALUE = st.one_of(st.floats(allow_nan=False), st.integers(-(10**20), 10**20), st.sampled_from([1e-5, 1e16, 0.1 + 0.2, -0.0]))


@PROFILE
@given(TEXT, st.one_of(st.none(), TEXT), VALUE, st.one_of(st.none(), VALUE), TEXT,
       st.sampled_from(["score", "bound", "delta"]), st.sampled_from([None, "up to", "<="]))
def test_record_id_is_the_plain_one(text: str, name: str | None, value, value_max, title: str, kind: str, qualifier) -> None:
    record = Record(
        benchmark="b", kind=kind, metric=text, model=name, dataset=name, value=value, value_max=value_max, unit=text,
        qualifier=qualifier, reported=text, baseline=value_max, baseline_model=name, context=name,
        provenance=provenance(title or "t"),
    )
    assert record.id == plain_id(record)
    assert json.loads(record.model_dump_json())["id"] == record.id


def _plain_file_offset(ref: SourceRef, abstract_offset: int) -> int:
    """What ``file_offset`` stands for: a bisect over a list of the segment starts."""
    starts = [start for start, _ in ref.segments]
    index = max(bisect.bisect_right(starts, abstract_offset) - 1, 0)
    start, file_start = ref.segments[index]
    return file_start + abstract_offset - start


@PROFILE
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 9)), min_size=1, max_size=30), st.integers(-3, 200))
def test_file_offset_is_the_plain_one(steps: list[tuple[int, int]], offset: int) -> None:
    segments, at, file_at = [], 0, 0
    for step, gap in steps:  # starts ascending (ties too), file offsets ascending
        at, file_at = at + step, file_at + step + gap
        segments.append((at, file_at))
    ref = SourceRef(path="a", line=1, format="x", segments=tuple(segments))
    assert ref.file_offset(offset) == _plain_file_offset(ref, offset)


def _plain_metric(binding, sentence: str, rule) -> str:
    """What `_Metrics.choose` stands for (the engine's `_metric` before it read rules once)."""
    default = rule.metrics[0].name
    if binding.metric and binding.metric != default:
        return binding.metric
    lower = sentence.lower()
    named = {m.value for m in binding.mention.mentions if m.role == "metric"}
    others = [m for m in rule.metrics[1:] if any(a.lower() in lower.split() for a in m.aliases)]
    if not others and named <= {default, None}:
        for metric in rule.metrics[1:]:
            if any(word.lower() in lower for word in metric.when):
                return metric.name
    return binding.metric or default


def _corpus_bindings() -> list[tuple[str, list, list]]:
    """(sentence, tokens, bindings) of every corpus sentence that binds a number."""
    extractor = Extractor(RULES)
    found = []
    for paper in read_papers([ROOT / "corpus"]):
        scan = extractor.select(paper.abstract)
        if scan is None:
            continue
        for sentence in engine.split_sentences(paper.abstract):
            mentions = scan.sentence(sentence.start, sentence.end)
            numbers = engine.find_numbers(sentence.text) if mentions else []
            if numbers:
                tokens = engine.tokenize(sentence.text, numbers, mentions)
                bindings = engine.bind(tokens, extractor._excludes)
                if bindings:
                    found.append((sentence.text, tokens, bindings))
    return found


@pytest.fixture(scope="module")
def corpus_bindings() -> list[tuple[str, list, list]]:
    return _corpus_bindings()


def test_metric_choice_is_the_plain_one(corpus_bindings) -> None:
    extractor = Extractor(RULES)
    checked = 0
    for text, _, bindings in corpus_bindings:
        for binding in bindings:
            rule = extractor.rules[binding.rule].rule
            for sentence in (text, text + " reconstruction generation rFID gFID", text.upper()):
                assert extractor._metrics[binding.rule].choose(binding, sentence) == _plain_metric(binding, sentence, rule)
                checked += 1
    assert checked > 100


def test_token_positions_are_the_list_s(corpus_bindings) -> None:
    for _, tokens, bindings in corpus_bindings:
        shared = engine._Shared(tokens, None, "", engine._Earlier([]))
        for binding in bindings:
            assert shared.position(binding.number) == tokens.index(binding.number)
            assert shared.position(binding.number) == tokens.index(binding.number)  # the second look-up, remembered
        assert [shared.position(t) for t in tokens] == list(range(len(tokens)))


def test_earlier_base_models_are_the_plain_ones() -> None:
    text = (
        "We evaluate on VLMs such as Qwen2-VL and Gemma-3. It is simple. Applied to LLaVA-1.5, it is fast. "
        "X cuts FLOPs by 40%. Y runs 2x faster."
    )
    sentences = engine.split_sentences(text)
    earlier = engine._Earlier(sentences)
    for sentence in sentences:
        earlier.start = sentence.start
        plain = next(
            (found for s in reversed([s for s in sentences if s.start < sentence.start]) if (found := engine.base_models(s.text, None))),
            None,
        )
        assert earlier.base_models() == plain
        assert earlier.bases_of(sentence) == engine.base_models(sentence.text, None)
    earlier.start = sentences[-1].start
    assert earlier.base_models() == "LLaVA-1.5"


def _paper() -> Paper:
    abstract = "Zeta achieves an FID of 1.46 on ImageNet 256x256. Zeta reaches 78.4% accuracy on DocVQA."
    return Paper(title="Zeta", abstract=abstract, sources=(SourceRef(path="a", line=1, format="x", segments=((0, 7),)),))


def test_records_are_still_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    extractor = Extractor(RULES)
    records, _ = extractor.extract(_paper(), "s" * 64)
    assert records and all(r.provenance.span[0] >= 7 for r in records)  # spans are file offsets
    with pytest.raises(ValidationError):
        Record(**{**records[0].model_dump(exclude={"id"}), "kind": "guess"})

    def bad(binding, rule):
        return Normalized(kind="guess", value=1.0, value_max=None, unit=rule.unit, qualifier=None)

    monkeypatch.setattr(engine, "normalize", bad)
    failures: list = []
    found, _ = extractor.extract(_paper(), "s" * 64, failures=failures)
    assert not found and failures and all(isinstance(error, ValidationError) for _, error in failures)
    with pytest.raises(ValidationError):
        extractor.extract(_paper(), "s" * 64)


def test_a_failing_binding_keeps_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    extractor = Extractor(RULES)
    records, rejections = extractor.extract(_paper(), "s" * 64)
    benchmarks = sorted({r.benchmark for r in records})
    assert len(benchmarks) >= 2
    record = Extractor._record

    def failing(self, paper, sentence, tokens, binding, *args):
        if binding.rule == benchmarks[0]:
            raise ZeroDivisionError("injected")
        return record(self, paper, sentence, tokens, binding, *args)

    monkeypatch.setattr(Extractor, "_record", failing)
    failures: list = []
    kept, kept_rejections = extractor.extract(_paper(), "s" * 64, failures=failures)
    assert [r for r in records if r.benchmark != benchmarks[0]] == kept and kept_rejections == rejections
    assert [(rule, str(error)) for rule, error in failures] == [(benchmarks[0], "injected")] * len(failures) != []
    with pytest.raises(ZeroDivisionError):
        extractor.extract(_paper(), "s" * 64)
