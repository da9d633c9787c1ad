"""Gold files load into closed models; every malformed one gives file, line and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard.errors import GoldError
from leaderboard.gold import GoldPaper, GoldRecord, load_gold

SEEDS_GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "seeds-gold.yaml"

GOOD = """\
- paper: "Language-Guided Image Tokenization for Generation"
  sources: [004_314e014412f28cce.txt]
  records:
    - benchmark: fid
      kind: score
      metric: FID
      model: TexTok
      dataset: ImageNet-256
      value: 1.46
      value_max: null
      unit: "1"
      qualifier: null
      reported: "1.46"
      baseline: null
      baseline_model: null
      context: null
      optional: false
      quote: "TexTok achieves FID scores of 1.46 and 1.62 on ImageNet-256 and -512 respectively."
"""

RECORD_FIELDS = "benchmark, kind, metric, model, dataset, value, value_max, unit, qualifier, reported, " \
    "baseline, baseline_model, context, optional, quote"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gold.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(GoldError) as caught:
        load_gold(path)
    return str(caught.value).replace(str(path), "gold.yaml")


def test_loads_the_example_of_gold_format(tmp_path: Path) -> None:
    [paper] = load_gold(write(tmp_path, GOOD))
    assert paper.paper == "Language-Guided Image Tokenization for Generation"
    assert paper.key == "language guided image tokenization for generation"
    assert paper.sources == ["004_314e014412f28cce.txt"]
    [record] = paper.records
    assert record == GoldRecord(
        benchmark="fid", kind="score", metric="FID", model="TexTok", dataset="ImageNet-256", value=1.46,
        unit="1", reported="1.46",
        quote="TexTok achieves FID scores of 1.46 and 1.62 on ImageNet-256 and -512 respectively.",
    )


def test_nullable_fields_and_optional_may_be_left_out(tmp_path: Path) -> None:
    text = "\n".join(line for line in GOOD.splitlines() if ": null" not in line and "optional" not in line)
    [paper] = load_gold(write(tmp_path, text))
    assert paper.records[0].value_max is None and paper.records[0].optional is False


def test_integer_values_are_numbers(tmp_path: Path) -> None:
    [paper] = load_gold(write(tmp_path, GOOD.replace("value: 1.46", "value: 2")))
    assert paper.records[0].value == 2.0


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    assert error_of(tmp_path, GOOD.replace("metric: FID", "metric: FID: gFID")) == (
        "gold.yaml:6: invalid YAML: mapping values are not allowed here "
        "(check the indentation and quote strings that contain ': ' or ' #')"
    )


def test_unknown_field_names_its_line_and_suggests_the_spelling(tmp_path: Path) -> None:
    assert error_of(tmp_path, GOOD.replace("      value: 1.46", "      valeu: 1.46")) == (
        'gold.yaml:9: paper 1 ("Language-Guided Image Tokenization for Generation"), record 1: '
        "unknown field 'valeu' (and 1 more problem) "
        f"(did you mean 'value'? allowed: {RECORD_FIELDS})"
    )


def test_unknown_paper_field(tmp_path: Path) -> None:
    assert error_of(tmp_path, GOOD.replace("  sources:", "  source:")) == (
        'gold.yaml:2: paper 1 ("Language-Guided Image Tokenization for Generation"): '
        "unknown field 'source' (and 1 more problem) (did you mean 'sources'? allowed: paper, sources, records)"
    )


def test_missing_field_names_the_record_line(tmp_path: Path) -> None:
    assert error_of(tmp_path, GOOD.replace("      metric: FID\n", "")) == (
        'gold.yaml:4: paper 1 ("Language-Guided Image Tokenization for Generation"), record 1: '
        "missing field 'metric' "
        "(a gold record needs benchmark, kind, metric, value, unit, reported, quote; see GOLD-FORMAT.md)"
    )


def test_wrong_type_names_the_field_line(tmp_path: Path) -> None:
    assert error_of(tmp_path, GOOD.replace("value: 1.46", "value: low")) == (
        'gold.yaml:9: paper 1 ("Language-Guided Image Tokenization for Generation"), record 1, '
        "field 'value': Input should be a valid number, got 'low' (see GOLD-FORMAT.md)"
    )


def test_number_where_text_belongs_asks_for_quotes(tmp_path: Path) -> None:
    assert error_of(tmp_path, GOOD.replace('reported: "1.46"', "reported: 1.46")) == (
        'gold.yaml:13: paper 1 ("Language-Guided Image Tokenization for Generation"), record 1, '
        "field 'reported': Input should be a valid string, got 1.46 (put text values in quotes)"
    )


def test_unknown_kind_lists_the_allowed_ones(tmp_path: Path) -> None:
    message = error_of(tmp_path, GOOD.replace("kind: score", "kind: scores"))
    assert message.startswith("gold.yaml:5: ")
    assert "field 'kind': Input should be 'score', 'bound' or 'delta', got 'scores'" in message


def test_value_max_below_value(tmp_path: Path) -> None:
    message = error_of(tmp_path, GOOD.replace("value_max: null", "value_max: 1.2"))
    assert message.startswith("gold.yaml:10: ")
    assert "field 'value_max': value_max 1.2 is smaller than value 1.46" in message


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    assert error_of(tmp_path, GOOD.replace('      unit: "1"', '      unit: "1"\n      unit: percent')) == (
        "gold.yaml:12: field 'unit' appears twice (keep one of them)"
    )


def test_paper_listed_twice_is_refused(tmp_path: Path) -> None:
    assert error_of(tmp_path, GOOD + GOOD.replace("Language-Guided", "Language-guided")) == (
        'gold.yaml:19: paper "Language-guided Image Tokenization for Generation" is listed twice '
        "(first at line 1) (merge the two entries into one)"
    )


def test_second_record_error_points_at_the_second_record(tmp_path: Path) -> None:
    second = GOOD.split("  records:\n")[1].replace("      optional: false\n", "      optional: maybe\n")
    message = error_of(tmp_path, GOOD + second)
    assert message.startswith('gold.yaml:32: paper 1 ("Language-Guided Image Tokenization for Generation"), '
                              "record 2, field 'optional': Input should be a valid boolean")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "gold.yaml:1: the gold file is empty (list papers with their records; see GOLD-FORMAT.md)"),
        ("paper: x\n", "gold.yaml:1: a gold file is a list of papers "
                       "(start each paper with '- paper: <title>'; see GOLD-FORMAT.md)"),
        ("- 7\n", "gold.yaml:1: paper 1: expected a mapping with fields paper, sources, records (see GOLD-FORMAT.md)"),
    ],
    ids=["empty", "not-a-list", "not-a-mapping"],
)
def test_wrong_shape(tmp_path: Path, text: str, expected: str) -> None:
    assert error_of(tmp_path, text) == expected


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match=r"missing\.yaml: cannot read the gold file"):
        load_gold(tmp_path / "missing.yaml")


@pytest.mark.skipif(not SEEDS_GOLD.exists(), reason="shared/gold/seeds-gold.yaml is not here")
def test_seed_gold_file_loads() -> None:
    papers = load_gold(SEEDS_GOLD)
    assert len(papers) == 49
    assert sum(len(paper.records) for paper in papers) == 70
    assert all(isinstance(paper, GoldPaper) and paper.sources for paper in papers)
    assert len({paper.key for paper in papers}) == 49
