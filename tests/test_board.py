"""Boards: ranking direction, ties, conflicts, merges, deltas, bounds, precision, order."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from recordkit import RULES, sample_records, simple_record

from leaderboard.board import COLUMNS, board, boards, deltas
from leaderboard.errors import LeaderboardError, RuleError
from leaderboard.precision import format_value
from leaderboard.records_io import dump_records, load_records


def ranked(frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    return [(row["rank"], row["model"], row["display"]) for row in frame.to_dict(orient="records")]


def test_lower_is_better_ranks_the_smallest_fid_first() -> None:
    records = [simple_record("B", 3.1), simple_record("A", 1.46), simple_record("C", 9.0)]
    assert ranked(board(records, "fid", rules=RULES)) == [(1, "A", "1.46"), (2, "B", "3.1"), (3, "C", "9")]


def test_higher_is_better_ranks_the_largest_score_first() -> None:
    records = [
        simple_record("Low", 561.0, reported="561", benchmark="ocrbench", metric="score", dataset=None, unit="point"),
        simple_record("High", 784.0, reported="78.4%", benchmark="ocrbench", metric="score", dataset=None, unit="point"),
    ]
    assert ranked(board(records, "ocrbench", rules=RULES)) == [(1, "High", "784"), (2, "Low", "561")]


def test_ties_share_the_lowest_rank() -> None:
    records = [
        simple_record("A", 1.0, paper="P1"),
        simple_record("B", 2.0, paper="P2", reported="2.0"),
        simple_record("C", 2.0, paper="P3", reported="2.00"),
        simple_record("D", 3.0, paper="P4"),
    ]
    table = board(records, "fid", rules=RULES)
    assert list(table["rank"]) == [1, 2, 2, 4]
    assert list(table["display"]) == ["1", "2.0", "2.00", "3"]


def test_a_conflict_keeps_both_rows_and_marks_them() -> None:
    records = [simple_record("TexTok", 1.46, paper="First"), simple_record("textok", 1.50, paper="Second", reported="1.50")]
    table = board(records, "fid", rules=RULES)
    assert list(table["model"]) == ["TexTok", "textok"]
    assert list(table["conflict"]) == [True, True]
    assert list(table["conflict_with"]) == ["1.50 in Second", "1.46 in First"]
    assert list(table["sources"]) == ["corpus/simple.txt"] * 2


def test_many_conflicting_papers_are_named_up_to_a_limit_and_counted() -> None:
    records = [simple_record("TexTok", 1.46, paper="First")] + [
        simple_record("TexTok", 1.5, paper=f"Copy {i:02d}", reported="1.50") for i in range(12)
    ]
    first = board(records, "fid", rules=RULES).set_index("paper").loc["First"]
    assert first["conflict"]
    assert first["conflict_with"] == "1.50 in Copy 00; 1.50 in Copy 01; 1.50 in Copy 02; 1.50 in Copy 03; 1.50 in Copy 04; and 7 more"


def test_different_values_in_one_paper_are_not_a_conflict() -> None:
    records = [
        simple_record("TexTok", 1.46, paper="Same", context="32 tokens"),
        simple_record("TexTok", 2.1, paper="Same", context="8 tokens"),
    ]
    assert not board(records, "fid", rules=RULES)["conflict"].any()


def test_the_same_claim_in_two_sources_of_one_paper_counts_once() -> None:
    first = simple_record("TexTok", 1.46, paper="Language-Guided Tokenization", source="corpus/a.txt")
    second = simple_record("textok", 1.46, paper="language guided  tokenization", source="corpus/b.txt", context="DiT")
    assert first.id != second.id
    table = board([first, second], "fid", rules=RULES)
    assert len(table) == 1
    assert table.loc[0, "sources"] == "corpus/a.txt; corpus/b.txt"
    assert table.loc[0, "record_id"] == min(first.id, second.id)
    assert not table.loc[0, "conflict"]


def test_deltas_stay_apart_and_are_never_ranked() -> None:
    records = [
        simple_record("A", 1.46),
        simple_record("B", 29.2, reported="29.2%", kind="delta", unit="percent", baseline_model="VQGAN"),
    ]
    table = board(records, "fid", rules=RULES)
    assert list(table["model"]) == ["A"]
    changes = deltas(records, "fid", rules=RULES)
    assert list(changes["model"]) == ["B"]
    assert changes["rank"].isna().all()
    assert changes.loc[0, "display"] == "29.2"


def test_a_bound_is_shown_with_its_sign_ranked_by_value_and_flagged() -> None:
    records = [
        simple_record("Bounded", 2.0, reported="2", kind="bound", qualifier="<"),
        simple_record("Exact", 1.9),
        simple_record("Worse", 2.5),
    ]
    table = board(records, "fid", rules=RULES)
    assert ranked(table) == [(1, "Exact", "1.9"), (2, "Bounded", "< 2"), (3, "Worse", "2.5")]
    assert list(table["bound"]) == [False, True, False]


@pytest.mark.parametrize("better", ["higher", "lower"])
def test_a_range_is_ranked_by_its_conservative_end(better: str) -> None:
    # 0.61-0.67 against 0.64: the range's worse end loses in both directions.
    rules = {"geneval": {"name": "GenEval", "better": better, "unit": "1", "metrics": ["overall"]}}
    kw = dict(benchmark="geneval", metric="overall", dataset=None, unit="1")
    records = [
        simple_record("Point", 0.64, reported="64%", paper="P1", **kw),
        simple_record("Wide", 0.61, reported="61% to 67%", value_max=0.67, paper="P2", **kw),
    ]
    table = board(records, "geneval", rules=rules)
    assert list(table["model"]) == ["Point", "Wide"]
    assert "0.61 to 0.67" in list(table["display"])


@pytest.mark.parametrize(
    ("value", "reported", "expected"),
    [
        (784.0, "78.4%", "784"),
        (1.5, "1.50", "1.50"),
        (89.6, "0.896", "89.6"),
        (0.69, "69%", "0.69"),
        (0.69, "0.69", "0.69"),
        (85.7142857143, "7-fold", "85.7"),
        (75.0, "1/4", "75"),
        (1.5, "50%", "1.5"),
        (11.0, "11.0", "11.0"),
        (93.5, "93.5x", "93.5"),
        (1000.0, "1,000", "1000"),
        (2.0, "two-fold", "2"),
    ],
)
def test_values_print_with_the_reported_precision(value: float, reported: str, expected: str) -> None:
    assert format_value(value, reported) == expected


def test_boards_come_one_per_benchmark_metric_and_dataset_in_a_fixed_order() -> None:
    found = boards(sample_records(), RULES)
    keys = [(b.benchmark, b.metric, b.dataset) for b in found]
    assert keys == [
        ("docvqa", "ANLS", None),
        ("fid", "FID", "ImageNet-256"),
        ("fid", "FID", "ImageNet-512"),
        ("fid", "rFID", "COCO"),
        ("fid", "rFID", "ImageNet-256"),
        ("flops", "FLOPs reduction", None),
        ("ocrbench", "score", None),
        ("speedup", "speedup", None),
    ]
    assert [b.title for b in found][1:5] == ["FID — ImageNet-256", "FID — ImageNet-512", "rFID — COCO", "rFID — ImageNet-256"]
    assert found[4].entries == 0 and len(found[4].deltas) == 1


def test_order_does_not_depend_on_input_order() -> None:
    records = sample_records()
    expected = board(records, "fid", rules=RULES)
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        pd.testing.assert_frame_equal(board(shuffled, "fid", rules=RULES), expected)


def test_sample_fid_board_ranks_ties_conflicts_and_bounds() -> None:
    table = board(sample_records(), "fid", "FID", "imagenet-256", rules=RULES)
    assert ranked(table) == [(1, "TexTok", "1.46"), (2, "TexTok", "1.50"), (2, "TieNet", "1.50"), (4, "FastGen", "< 2")]
    assert list(table["conflict"]) == [True, True, False, False]
    assert list(table.columns) == list(COLUMNS)


def test_board_accepts_a_load_records_dataframe(tmp_path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(dump_records(sample_records()), encoding="utf-8")
    frame = load_records(path)
    assert "provenance.source" in frame.columns and "id" in frame.columns
    assert frame.loc[0, "provenance.span"] == tuple(frame.loc[0, "provenance.span"])
    pd.testing.assert_frame_equal(board(frame, "fid", rules=RULES), board(sample_records(), "fid", rules=RULES))


def test_board_reads_direction_from_the_rules_folder(tmp_path) -> None:
    (tmp_path / "fid.yaml").write_text("id: fid\nname: FID\nbetter: lower\nunit: '1'\nmetrics: [FID]\n")
    records = [simple_record("B", 3.0), simple_record("A", 1.0)]
    assert list(board(records, "fid", rules=tmp_path)["model"]) == ["A", "B"]


def test_a_missing_rule_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(RuleError, match="no rule file for benchmark 'fid'"):
        board([simple_record("A", 1.0)], "fid", rules=tmp_path)
    with pytest.raises(LeaderboardError, match="no rule for benchmark 'fid'"):
        boards([simple_record("A", 1.0)], {})


def test_unnamed_systems_rank_but_never_conflict() -> None:
    records = [simple_record(None, 1.0, paper="P1"), simple_record(None, 2.0, paper="P2")]
    table = board(records, "fid", rules=RULES)
    assert list(table["rank"]) == [1, 2]
    assert not table["conflict"].any()
