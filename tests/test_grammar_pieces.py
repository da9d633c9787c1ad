"""The grammar, one piece at a time: sentences, numbers, mentions, bindings, conversions, attribution."""

import pytest

from leaderboard.extract import Extractor, find_numbers, split_sentences
from leaderboard.extract.attribution import is_name, method_name
from leaderboard.extract.normalize import efficiency_value
from leaderboard.model import Paper
from leaderboard.rulebook import load_rules


@pytest.fixture(scope="module")
def extractor():
    return Extractor(load_rules("rules"))


def extract(extractor, text, title="Paper"):
    records, _ = extractor.extract(Paper(title=title, abstract=text))
    return records


@pytest.mark.parametrize(
    "text, count",
    [
        ("We use LLaVA-1.5. It works.", 2),
        ("e.g. FID 14.84 vs. the baseline of 17.87. Next.", 2),
        ("Fig. 3 shows it et al. agree. Done.", 2),
        ("A ratio of 3.5 is fine", 1),
    ],
)
def test_sentences_split_on_real_ends_only(text, count):
    sentences = split_sentences(text)
    assert len(sentences) == count
    assert all(text[s.start : s.end] == s.text for s in sentences)


@pytest.mark.parametrize(
    "text, reported, form, value, high, qualifier",
    [
        ("a 7-fold reduction", "7-fold", "factor", 7, None, None),
        ("by 3times, we", "3times", "factor", 3, None, None),
        ("a 33\\% cut", "33\\%", "percent", 33, None, None),
        ("by a factor times 5 without", "times 5", "factor", 5, None, None),
        ("reduces 61% to 67% FLOPs", "61% to 67%", "percent", 61, 67, None),
        ("a 32%-41% reduction", "32%-41%", "percent", 32, 41, None),
        ("less than 1/4 of the compute", "1/4", "fraction", 0.25, None, "<"),
        ("costs by 1.9X or more", "1.9X", "factor", 1.9, None, ">="),
        ("an FID<2 here", "2", "number", 2, None, "<"),
        ("up to a 119.2 times speedup", "119.2 times", "factor", 119.2, None, "up to"),
        ("about 20x faster", "20x", "factor", 20, None, "~"),
        ("1,000 times fewer", "1,000 times", "factor", 1000, None, None),
        ("a $2\\times$ gain", "2\\times", "factor", 2, None, None),
        ("gains of 5-10 points", "5-10 points", "number", 5, 10, None),
    ],
)
def test_number_forms(text, reported, form, value, high, qualifier):
    (number,) = find_numbers(text)
    assert (number.reported, number.form, number.value, number.value_max, number.qualifier) == (
        reported, form, pytest.approx(value), high, qualifier)
    assert text[number.start : number.end] == reported


@pytest.mark.parametrize("text", ["LLaVA-1.5-7B", "Qwen2-VL", "an 8B model", "at 256x256", "384*384 pixels", "SD3.5"])
def test_numbers_inside_names_are_not_numbers(text):
    assert find_numbers(text) == []


def test_from_to_is_two_numbers_not_a_range():
    assert [n.reported for n in find_numbers("from 11.86 to 9.06")] == ["11.86", "9.06"]


@pytest.mark.parametrize(
    "reading, form, value, unit, expected",
    [
        ("reduction", "factor", 7, "percent", 85.714),
        ("reduction", "percent", 77, "percent", 77),
        ("share", "percent", 50, "percent", 50),
        ("share", "fraction", 0.25, "percent", 75),
        ("plain", "factor", 2.91, "x", 2.91),
        ("plain", "percent", 28, "x", 1.28),
        ("reduction", "percent", 34.9, "x", 1.536),
        ("reduction", "factor", 2.7, "x", 2.7),
    ],
)
def test_efficiency_readings(reading, form, value, unit, expected):
    assert efficiency_value(reading, form, value, unit) == pytest.approx(expected, abs=1e-3)


def test_successor_benchmark_is_not_the_benchmark(extractor):
    assert extract(extractor, "It scores 61.2% on OCRBench v2.") == []


def test_list_binds_in_order(extractor):
    records = extract(extractor, "Zeta reaches 70.1% on TextVQA, 80.2% on ChartQA and 0.905 ANLS on DocVQA.")
    assert sorted((r.benchmark, r.value) for r in records) == [("chartqa", 80.2), ("docvqa", 90.5), ("textvqa", 70.1)]


def test_respectively_pairs_datasets(extractor):
    records = extract(extractor, "Zeta achieves FID scores of 2.1 and 3.4 on ImageNet-256 and -512 respectively.")
    assert sorted((r.dataset, r.value) for r in records) == [("ImageNet-256", 2.1), ("ImageNet-512", 3.4)]


def test_delta_is_never_a_score(extractor):
    (record,) = extract(extractor, "Zeta improves its FID by 12% on COCO.")
    assert (record.kind, record.unit, record.value, record.dataset) == ("delta", "percent", 12, "COCO")


def test_more_compute_is_rejected_not_recorded(extractor):
    records, rejections = extractor.extract(Paper(title="P", abstract="It beats models with 5x more FLOPs."))
    assert records == [] and [r.reported for r in rejections] == ["5x"]


def test_out_of_range_is_rejected(extractor):
    records, rejections = extractor.extract(Paper(title="P", abstract="Zeta reaches 1200 on OCRBench."))
    assert records == [] and "outside" in rejections[0].reason


def test_model_from_title_when_sentence_says_we(extractor):
    (record,) = extract(extractor, "We reach an FID of 3.1 on COCO.", title="Zeta: Fast Images")
    assert record.model == "Zeta"


def test_method_name_declared_in_abstract():
    assert method_name("A long title without colon", "We propose Big Little Decoder (BiLD), a framework.") == "BiLD"


def test_is_name():
    assert is_name("TexTok") and is_name("LLaVA-1.5") and not is_name("Experiments")


def test_quote_and_span_point_at_the_number(extractor):
    text = "Intro sentence. Zeta attains 81.5% accuracy on ChartQA."
    (record,) = extract(extractor, text)
    start, end = record.provenance.span
    assert text[start:end] == "81.5%" and record.provenance.quote in text
