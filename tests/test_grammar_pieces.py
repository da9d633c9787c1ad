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


# --- templates, one at a time: each sentence must bind through the named template -------------------------


def bindings(extractor, text):
    from leaderboard.extract.grammar import bind
    from leaderboard.extract.tokens import tokenize

    tokens = tokenize(text, find_numbers(text), extractor.vocabulary.mentions(text))
    return [(b.number.text, b.rule, b.template, b.kind) for b in bind(tokens, extractor._excludes)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Zeta achieves 1.46 FID on ImageNet 256x256.", [("1.46", "fid", "number-then-benchmark", "score")]),
        ("Zeta achieves 0.94 rFID on ImageNet 256x256.", [("0.94", "fid", "number-then-metric", "score")]),
        ("Zeta scores 94.1 DocVQA and 839 OCRBench.",
         [("94.1", "docvqa", "number-then-benchmark", "score"), ("839", "ocrbench", "number-then-benchmark", "score")]),
        ("On OCRBench, Zeta scores 781.", [("781", "ocrbench", "leading-benchmark", "score")]),
        ("Zeta gets an FID of 4.1 on FFHQ and 7.9 on LSUN.",
         [("4.1", "fid", "benchmark-then-number", "score"), ("7.9", "fid", "parallel", "score")]),
        ("Zeta is 4.1 points higher than Eta on TextVQA.", [("4.1 points", "textvqa", "number-better-than", "delta")]),
        ("Zeta lowers FID by up to 0.6 on COCO.", [("0.6", "fid", "change-benchmark-by-number", "delta")]),
        ("Zeta reaches a speedup of up to 3.1x.", [("3.1x", "speedup", "word-of-number", "score")]),
        ("Zeta scores 91.2/72.4 on DocVQA/InfoVQA.",
         [("91.2", "docvqa", "list-on-benchmarks", "score"), ("72.4", "infovqa", "list-on-benchmarks", "score")]),
        ("Zeta needs $2\\times$ fewer FLOPs.", [("2\\times", "flops", "number-then-word", "score")]),
        ("Zeta reaches 72.1% ANLS on MP-DocVQA.", [("72.1%", "docvqa", "number-then-metric", "ambiguous")]),
    ],
)
def test_templates(extractor, text, expected):
    assert bindings(extractor, text) == expected


def test_a_shared_metric_goes_to_the_benchmark_named_nearby(extractor):
    (record,) = extract(extractor, "On the InfoVQA test set, Zeta reaches an ANLS of 61.0.")
    assert record.benchmark == "infovqa"


def test_a_shared_metric_with_no_benchmark_is_rejected_as_ambiguous(extractor):
    records, rejections = extractor.extract(Paper(title="P", abstract="Zeta reaches 61.0 ANLS on long PDFs."))
    assert records == [] and rejections[0].reason.startswith("ambiguous")


@pytest.mark.parametrize(
    "text",
    ["Human accuracy on TextVQA is 85.0%.", "Oracle performance on ChartQA reaches 95%.",
     "Prior methods reach 70% on InfoVQA."],
)
def test_reference_levels_are_rejected(extractor, text):
    records, rejections = extractor.extract(Paper(title="P", abstract=text))
    assert records == [] and "reference level" in rejections[0].reason


@pytest.mark.parametrize(
    "text, model",
    [
        ("Monkey surpasses Eta on 4 benchmarks, reaching 54.7 on TextVQA.", "Monkey"),  # participle: main subject
        ("Zeta runs 2x faster, and scores 61.0 on TextVQA.", "Zeta"),  # coordinated verb
        ("TundraDiff raises its GenEval score from 0.62 to 0.71.", "TundraDiff"),  # open verb after a name
        ("Prompt rewriting gives SolsticeT2I a gain of 6 points on GenEval.", "SolsticeT2I"),  # evaluated object
        ("Zeta reaches 8.1 FID on COCO, surpassing GlideX (FID 11.3).", "GlideX"),  # parentheses owner
        ("PlotLM 2.5 achieves 80.3% on ChartQA.", "PlotLM 2.5"),  # version number
        ("Zeta gets an FID of 2.1 (vs. 3.4 for DiT) on COCO.", "DiT"),  # compared system
    ],
)
def test_model_attribution(extractor, text, model):
    records = extract(extractor, text)
    assert model in {r.model for r in records}


def test_parentheses_after_the_subjects_only_score_are_the_subjects(extractor):
    (record,) = extract(extractor, "Liquid outperforms SD v2.1 and SD-XL (FID of 5.47 on MJHQ-30K).")
    assert record.model == "Liquid"


def test_compound_modifiers_are_not_names():
    assert not is_name("OCR-free") and not is_name("MoE-based") and is_name("GPT-4o")


def test_exclude_words_in_the_subject_of_faster(extractor):
    assert extract(extractor, "With our tool, annotators label images 3x faster.") == []


def test_dataset_list_carries_over_to_the_next_sentence(extractor):
    text = ("Zeta improves rFID by 29.2% and 48.1% on ImageNet-256 and -512 respectively. "
            "This translates to 16.3% and 34.3% improvements in generation FID.")
    records = [r for r in extract(extractor, text) if r.metric == "FID"]
    assert sorted((r.value, r.dataset) for r in records) == [(16.3, "ImageNet-256"), (34.3, "ImageNet-512")]


def test_base_models_carry_over_to_an_efficiency_number(extractor):
    text = "We evaluate Zeta on VLMs such as Qwen2-VL and Gemma-3. Zeta cuts FLOPs by 40%."
    (record,) = extract(extractor, text)
    assert record.dataset == "Qwen2-VL, Gemma-3"


def test_context_is_the_setting_nearest_the_number():
    from leaderboard.extract.attribution import context_words

    sentence = "Zeta speeds up decoding, and cuts inference time by 2x without retraining."
    assert context_words(sentence, near=sentence.index("2x")) == "inference"
