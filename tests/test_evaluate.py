"""Evaluation follows GOLD-FORMAT's "How evaluation matches", and `leaderboard eval` reports it."""

from __future__ import annotations

import json
import random
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from leaderboard.cli import main
from leaderboard.evaluate import Evaluation, evaluate, same_label, within_tolerance
from leaderboard.gold import GoldPaper, GoldRecord
from leaderboard.model import Paper, Provenance, Record

TITLE = "Language-Guided Image Tokenization for Generation"
OTHER = "TokenFlow: Unified Image Tokenizer"


def record(
    value: float,
    *,
    paper: str = TITLE,
    benchmark: str = "fid",
    kind: str = "score",
    metric: str = "FID",
    value_max: float | None = None,
    model: str | None = None,
    dataset: str | None = None,
    quote: str = "We reach an FID of 1.46.",
) -> Record:
    """A predicted record, built by hand."""
    provenance = Provenance(
        source="corpus/a.txt", source_sha256="0" * 64, paper=paper, span=(0, 4), quote_span=(0, len(quote)),
        quote=quote, rule=benchmark, rule_sha256="0" * 64,
    )
    return Record(benchmark=benchmark, kind=kind, metric=metric, model=model, dataset=dataset, value=value,
                  value_max=value_max, unit="1", reported=f"{value:g}", provenance=provenance)


def gold_record(
    value: float,
    *,
    benchmark: str = "fid",
    kind: str = "score",
    metric: str = "FID",
    value_max: float | None = None,
    model: str | None = None,
    dataset: str | None = None,
    optional: bool = False,
    quote: str = "We reach an FID of 1.46.",
) -> GoldRecord:
    return GoldRecord(benchmark=benchmark, kind=kind, metric=metric, model=model, dataset=dataset, value=value,
                      value_max=value_max, unit="1", reported=f"{value:g}", optional=optional, quote=quote)


def gold(*records: GoldRecord, paper: str = TITLE) -> list[GoldPaper]:
    return [GoldPaper(paper=paper, sources=["a.txt"], records=list(records))]


def counts(evaluation: Evaluation) -> tuple[int, int, int]:
    overall = evaluation.overall
    return overall.tp, overall.fp, overall.fn


# --- tolerance -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("predicted", "truth", "agrees"),
    [
        (1.47, 1.46, True),  # 0.01 absolute is the larger tolerance below 2
        (1.45, 1.46, True),
        (1.4701, 1.46, False),
        (0.70, 0.69, True),  # 0.5% of 0.69 is only 0.00345
        (0.7001, 0.69, False),
        (0.01, 0.0, True),
        (-0.0101, 0.0, False),
        (787.92, 784, True),  # 0.5% of 784 is 3.92, far above 0.01
        (780.08, 784, True),
        (787.93, 784, False),
        (780.07, 784, False),
        (100.5, 100, True),
        (100.51, 100, False),
        (2.01, 2, True),  # the two tolerances meet at 2
        (2.0101, 2, False),
    ],
)
def test_within_tolerance(predicted: float, truth: float, agrees: bool) -> None:
    assert within_tolerance(predicted, truth) is agrees


def test_tolerance_is_relative_to_the_gold_value() -> None:
    assert counts(evaluate([record(787.92)], gold(gold_record(784)))) == (1, 0, 0)
    assert counts(evaluate([record(787.93)], gold(gold_record(784)))) == (0, 1, 1)
    # 784 is within 0.5% of 787.93 but not the other way round: the gold value sets the tolerance.
    assert counts(evaluate([record(784)], gold(gold_record(787.93)))) == (1, 0, 0)
    assert counts(evaluate([record(780.0)], gold(gold_record(784)))) == (0, 1, 1)


@pytest.mark.parametrize(
    ("predicted_max", "gold_max", "matches"),
    [
        (41, 41, True),
        (41.2, 41, True),  # 0.5% of 41 is 0.205
        (41.3, 41, False),
        (None, 41, False),
        (41, None, False),
        (None, None, True),
    ],
)
def test_value_max_must_agree_too(predicted_max: float | None, gold_max: float | None, matches: bool) -> None:
    evaluation = evaluate([record(32, value_max=predicted_max)], gold(gold_record(32, value_max=gold_max)))
    assert counts(evaluation) == ((1, 0, 0) if matches else (0, 1, 1))


@pytest.mark.parametrize(
    ("field", "value"), [("benchmark", "geneval"), ("kind", "bound"), ("metric", "rFID")]
)
def test_benchmark_kind_and_metric_must_agree(field: str, value: str) -> None:
    evaluation = evaluate([record(1.46, **{field: value})], gold(gold_record(1.46)))
    assert counts(evaluation) == (0, 1, 1)
    assert evaluation.false_positives[0].reason == "no gold record of this paper has this benchmark, kind and metric"


def test_value_outside_tolerance_says_what_gold_has() -> None:
    evaluation = evaluate([record(1.5)], gold(gold_record(1.46), gold_record(1.62)))
    assert evaluation.false_positives[0].reason == "no gold value within tolerance (gold: 1.46, 1.62)"


# --- one-to-one assignment --------------------------------------------------------------------------------------


def test_each_gold_record_matches_at_most_one_prediction() -> None:
    evaluation = evaluate([record(1.46, model="TexTok"), record(1.461, model="Other")],
                          gold(gold_record(1.46, model="TexTok")))
    assert counts(evaluation) == (1, 1, 0)
    assert evaluation.matches[0].prediction.model == "TexTok"
    assert evaluation.false_positives[0].reason == "its gold record is already matched by another prediction"


def test_assignment_is_optimal_not_greedy() -> None:
    # 1.01 agrees with both gold values, 0.995 only with 1.00; a greedy pass that pairs 1.01 with
    # 1.00 (same model) would strand 0.995. Two true positives beat one with the right model.
    truth = gold(gold_record(1.00, model="A"), gold_record(1.02, model="B"))
    evaluation = evaluate([record(1.01, model="A"), record(0.995, model="B")], truth)
    assert counts(evaluation) == (2, 0, 0)
    assert [(m.gold.value, m.prediction.value) for m in evaluation.matches] == [(1.00, 0.995), (1.02, 1.01)]
    assert evaluation.overall.model_ok == 0.0


def test_equal_values_pair_by_model_and_dataset() -> None:
    truth = gold(gold_record(0.69, model="Dream Engine"), gold_record(0.69, model="SD3.5"))
    evaluation = evaluate([record(0.69, model="sd3.5"), record(0.69, model="dream engine")], truth)
    assert counts(evaluation) == (2, 0, 0)
    assert all(match.model_ok for match in evaluation.matches)


def test_closer_value_wins_when_all_else_is_equal() -> None:
    evaluation = evaluate([record(1.455), record(1.462)], gold(gold_record(1.46)))
    assert evaluation.matches[0].prediction.value == 1.462


def test_result_does_not_depend_on_prediction_order() -> None:
    predictions = [record(v, model=m) for v, m in [(1.46, "A"), (1.465, "B"), (1.62, "A"), (1.619, None), (7.0, "C")]]
    truth = gold(gold_record(1.46, model="B"), gold_record(1.62, model="A"), gold_record(1.465, optional=True))
    first = evaluate(predictions, truth)
    for seed in range(5):
        shuffled = predictions[:]
        random.Random(seed).shuffle(shuffled)
        assert evaluate(shuffled, truth) == first


# --- optional gold records ----------------------------------------------------------------------------------


def test_prediction_matching_an_optional_record_is_neither_tp_nor_fp() -> None:
    evaluation = evaluate([record(50.0, benchmark="flops", metric="FLOPs reduction")],
                          gold(gold_record(50.0, benchmark="flops", metric="FLOPs reduction", optional=True)))
    assert counts(evaluation) == (0, 0, 0)
    assert len(evaluation.ignored) == 1
    assert evaluation.overall.ignored == 1 and evaluation.overall.predicted == 0


def test_unmatched_optional_record_is_not_a_false_negative() -> None:
    evaluation = evaluate([], gold(gold_record(50.0, optional=True)))
    assert counts(evaluation) == (0, 0, 0)
    assert evaluation.overall.gold == 0 and evaluation.optional_records == 1


def test_non_optional_record_is_preferred_over_an_optional_one() -> None:
    truth = gold(gold_record(1.46, optional=True), gold_record(1.46))
    evaluation = evaluate([record(1.46)], truth)
    assert counts(evaluation) == (1, 0, 0)
    assert not evaluation.ignored


# --- papers ---------------------------------------------------------------------------------------------------


def test_prediction_for_a_paper_not_in_gold_is_a_false_positive() -> None:
    evaluation = evaluate([record(1.46, paper=OTHER)], gold(gold_record(1.46)))
    assert counts(evaluation) == (0, 1, 1)
    assert evaluation.false_positives[0].reason == "paper not in the gold file"


def test_papers_match_by_normalized_title() -> None:
    evaluation = evaluate([record(1.46, paper="language-guided  image tokenization for generation")],
                          gold(gold_record(1.46)))
    assert counts(evaluation) == (1, 0, 0)
    assert evaluation.matches[0].paper == TITLE


def test_gold_papers_not_read_are_listed() -> None:
    truth = gold(gold_record(1.46)) + gold(gold_record(2.0), paper=OTHER)
    assert evaluate([], truth).missing_papers is None
    assert evaluate([], truth, papers=["LANGUAGE-GUIDED image tokenization for generation"]).missing_papers == (OTHER,)


# --- model and dataset -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("predicted", "truth", "same"),
    [("TexTok", "textok", True), ("ImageNet-256", "imagenet-256", True), (None, None, True),
     (None, "COCO", False), ("COCO", None, False), ("ImageNet-256", "ImageNet-512", False)],
)
def test_same_label(predicted: str | None, truth: str | None, same: bool) -> None:
    assert same_label(predicted, truth) is same


def test_model_and_dataset_are_scored_on_matched_pairs() -> None:
    truth = gold(
        gold_record(1.46, model="TexTok", dataset="ImageNet-256"),
        gold_record(1.62, model="TexTok", dataset="ImageNet-512"),
        gold_record(7.0, model="TexTok", dataset=None),
        gold_record(3.0, model="X", dataset="COCO"),  # not found: does not count for model or dataset
    )
    predictions = [
        record(1.46, model="TEXTOK", dataset="imagenet-256"),
        record(1.62, model=None, dataset="ImageNet-512"),
        record(7.0, model="textok", dataset="COCO"),
    ]
    evaluation = evaluate(predictions, truth)
    assert [(m.model_ok, m.dataset_ok) for m in evaluation.matches] == [(True, True), (False, True), (True, False)]
    assert evaluation.overall.model_ok == pytest.approx(2 / 3)
    assert evaluation.overall.dataset_ok == pytest.approx(2 / 3)


# --- scores ---------------------------------------------------------------------------------------------------


def test_per_benchmark_and_overall_arithmetic() -> None:
    truth = gold(
        gold_record(1.46), gold_record(1.62), gold_record(2.0), gold_record(3.0),  # fid: 4 to find
        gold_record(0.69, benchmark="geneval", metric="overall"),  # geneval: 1 to find, none predicted
        gold_record(9.0, benchmark="geneval", metric="overall", optional=True),
    )
    predictions = [
        record(1.46), record(1.62), record(5.0),  # fid: 2 TP, 1 FP
        record(81.4, benchmark="chartqa", metric="accuracy"),  # chartqa: not in gold, 1 FP
        record(9.0, benchmark="geneval", metric="overall"),  # ignored
    ]
    evaluation = evaluate(predictions, truth)
    rows = {s.benchmark: (s.gold, s.predicted, s.tp, s.fp, s.fn, s.ignored) for s in evaluation.scores}
    assert rows == {"chartqa": (0, 1, 0, 1, 0, 0), "fid": (4, 3, 2, 1, 2, 0), "geneval": (1, 0, 0, 0, 1, 1)}
    fid, chartqa, geneval = (next(s for s in evaluation.scores if s.benchmark == name)
                             for name in ("fid", "chartqa", "geneval"))
    assert (fid.precision, fid.recall, fid.f1) == pytest.approx((2 / 3, 1 / 2, 4 / 7))
    assert (chartqa.precision, chartqa.recall, chartqa.f1) == (0.0, None, 0.0)
    assert (geneval.precision, geneval.recall, geneval.f1) == (None, 0.0, 0.0)
    overall = evaluation.overall
    assert (overall.gold, overall.predicted, overall.tp, overall.fp, overall.fn) == (5, 4, 2, 2, 3)
    assert (overall.precision, overall.recall, overall.f1) == pytest.approx((1 / 2, 2 / 5, 4 / 9))
    assert [s.benchmark for s in evaluation.scores] == ["chartqa", "fid", "geneval"]


def test_nothing_to_find_and_nothing_found() -> None:
    evaluation = evaluate([], [])
    assert (evaluation.overall.precision, evaluation.overall.recall, evaluation.overall.f1) == (None, None, None)
    assert evaluation.scores == ()


def test_false_negatives_keep_their_quote_and_gold_order() -> None:
    truth = gold(gold_record(2.0, quote="first"), gold_record(1.0, quote="second"))
    assert [fn.gold.quote for fn in evaluate([], truth).false_negatives] == ["first", "second"]


# --- the command ------------------------------------------------------------------------------------------------

GOLD_YAML = f"""\
- paper: "{TITLE}"
  sources: [a.txt]
  records:
    - {{benchmark: fid, kind: score, metric: FID, model: TexTok, dataset: ImageNet-256, value: 1.46,
        unit: "1", reported: "1.46", quote: "TexTok achieves FID scores of 1.46 and 1.62 on ImageNet-256 and -512."}}
    - {{benchmark: fid, kind: score, metric: FID, model: TexTok, dataset: ImageNet-512, value: 1.62,
        unit: "1", reported: "1.62", quote: "TexTok achieves FID scores of 1.46 and 1.62 on ImageNet-256 and -512."}}
- paper: "{OTHER}"
  sources: [b.txt]
  records: []
"""


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Stand in for `leaderboard.pipeline` (built elsewhere): record each call, return fixed records."""
    calls: list[dict[str, Any]] = []
    predictions = [
        record(1.46, model="textok", dataset="ImageNet-256"),
        record(2.5, paper="Some Paper Nobody Listed", quote="It reaches FID 2.5 " + "and more " * 30),
    ]

    def run(sources: list[Path], *, rules_dir: Path, format: str | None) -> types.SimpleNamespace:
        calls.append({"sources": sources, "rules_dir": rules_dir, "format": format})
        return types.SimpleNamespace(records=predictions, report=types.SimpleNamespace(papers=[TITLE]))

    module = types.ModuleType("leaderboard.pipeline")
    module.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "leaderboard.pipeline", module)
    return calls


def test_eval_prints_table_and_lists(tmp_path: Path, fake_pipeline: list[dict[str, Any]],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gold.yaml").write_text(GOLD_YAML, encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", "gold.yaml"])
    assert result.exit_code == 0, result.output
    assert fake_pipeline == [{"sources": [Path("corpus")], "rules_dir": Path("rules"), "format": None}]
    lines = result.stdout.splitlines()
    assert lines[0] == "Gold: gold.yaml (2 papers, 2 records to find, 0 optional)"
    assert lines[2].split() == ["benchmark", "gold", "predicted", "TP", "FP", "FN", "precision", "recall", "F1",
                                "model", "ok", "dataset", "ok"]
    assert lines[4].split() == ["fid", "2", "2", "1", "1", "1", "50.0%", "50.0%", "50.0%", "100.0%", "100.0%"]
    assert lines[5].split() == ["overall", "2", "2", "1", "1", "1", "50.0%", "50.0%", "50.0%", "100.0%", "100.0%"]
    text = result.stdout
    assert "False positives (1):\n- Some Paper Nobody Listed\n" in text
    assert "  fid score FID = 2.5 (model: -, dataset: -): paper not in the gold file\n" in text
    long_quote = next(line for line in lines if line.startswith('  "It reaches FID 2.5'))
    assert len(long_quote) == 2 + 160 + 2 and long_quote.endswith('..."')
    assert ("False negatives (1):\n"
            f"- {TITLE}\n"
            "  fid score FID = 1.62 (model: TexTok, dataset: ImageNet-512)\n"
            '  "TexTok achieves FID scores of 1.46 and 1.62 on ImageNet-256 and -512."') in text
    assert result.stderr == (f'Warning: 1 of 2 gold papers were not found in the sources; their records count as '
                             f'false negatives: "{OTHER}"\n')


def test_eval_json(tmp_path: Path, fake_pipeline: list[dict[str, Any]]) -> None:
    gold_path = tmp_path / "gold.yaml"
    gold_path.write_text(GOLD_YAML, encoding="utf-8")
    rules = tmp_path / "my-rules"
    arguments = ["eval", "--gold", str(gold_path), str(tmp_path), "--rules", str(rules), "--json"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert fake_pipeline[0]["sources"] == [tmp_path] and fake_pipeline[0]["rules_dir"] == rules
    document = json.loads(result.stdout)
    assert document["gold_file"] == str(gold_path)
    assert document["overall"]["tp"] == 1 and document["overall"]["f1"] == 0.5
    assert [score["benchmark"] for score in document["scores"]] == ["fid"]
    assert document["matches"][0]["prediction"]["model"] == "textok"
    assert document["matches"][0]["model_ok"] is True
    assert document["false_positives"][0]["reason"] == "paper not in the gold file"
    assert document["false_negatives"][0]["gold"]["quote"].startswith("TexTok achieves")
    assert document["missing_papers"] == [OTHER]


def test_eval_malformed_gold_exits_1_with_the_line(tmp_path: Path, fake_pipeline: list[dict[str, Any]]) -> None:
    gold_path = tmp_path / "gold.yaml"
    gold_path.write_text(GOLD_YAML.replace("sources: [b.txt]", "sources: [b.txt]\n  year: 2024"), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: {gold_path}:10: paper 2 ("{OTHER}"): unknown field \'year\' '
        "(allowed: paper, sources, records)\n"
    )
    assert fake_pipeline == []  # the gold file is checked before any extraction runs


@pytest.mark.parametrize(
    ("papers", "warned"),
    [(7, False), ([Paper(title=TITLE, abstract="...")], True), ({TITLE: 1, OTHER: 1}, False)],
    ids=["count-only", "paper-objects", "mapping-of-titles"],
)
def test_eval_warns_only_when_it_knows_which_papers_were_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, papers: object, warned: bool
) -> None:
    module = types.ModuleType("leaderboard.pipeline")
    module.run = lambda sources, **_: types.SimpleNamespace(  # type: ignore[attr-defined]
        records=[], papers=papers, report=types.SimpleNamespace(files_read=1))
    monkeypatch.setitem(sys.modules, "leaderboard.pipeline", module)
    gold_path = tmp_path / "gold.yaml"
    gold_path.write_text(GOLD_YAML, encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_path), str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stderr == (f'Warning: 1 of 2 gold papers were not found in the sources; their records count as '
                             f'false negatives: "{OTHER}"\n' if warned else "")
