"""Property-based tests (hypothesis) of extraction and reading, with every rule in rules/.

Properties:

- `find_numbers` and extraction never raise, on arbitrary text and on "soups"
  of rule words, number forms, LaTeX and punctuation;
- every record extraction returns validates, holds only finite numbers, and
  its quote and reported text are the abstract's characters at its spans
  (in-memory papers map offsets one to one);
- a value written into a template sentence for each rule, in each form the
  rule accepts and inside its range, comes back normalized as the rule says
  (computed here through pint, independently of the normalizer);
- extraction is deterministic;
- readers never raise on arbitrary bytes, and every abstract they return maps
  back to the file's characters through its offset map.

CI runs 200 examples per property. The local fuzz run (10,000 per property)::

    LEADERBOARD_FUZZ_EXAMPLES=10000 python -m pytest tests/test_properties.py -p no:cacheprovider

A failure prints the minimal example and a ``@reproduce_failure`` line; the
example database in ``.hypothesis/`` replays it on the next run.
"""

from __future__ import annotations

import json
import math
import os
import string
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from leaderboard.extract import Extractor, find_numbers
from leaderboard.extract.numbers import number_view
from leaderboard.model import Paper, Record, SourceRef
from leaderboard.rulebook import LoadedRule, load_rules
from leaderboard.rulebook.schema import Form, Rule
from leaderboard.sources import FORMATS, ReadReport, read_papers
from leaderboard.units import Q_

ROOT = Path(__file__).parents[1]
EXAMPLES = int(os.environ.get("LEADERBOARD_FUZZ_EXAMPLES", "200"))
PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

RULES: list[LoadedRule] = load_rules(ROOT / "rules")
EXTRACTOR = Extractor(RULES)
BY_ID = {item.id: item.rule for item in RULES}

# --- strategies -------------------------------------------------------------------------------------

_VOCABULARY = sorted({word for item in RULES for word in item.rule.spellings()} | {
    metric.name for item in RULES for metric in item.rule.metrics})
_FILLER = [
    "on", "of", "by", "to", "from", "and", "or", "than", "the", "a", "an", "with", "at", "in", "over", "vs.",
    "achieves", "reaches", "scores", "obtains", "improves", "reduces", "outperforms", "surpassing", "gains",
    "faster", "fewer", "less", "more", "lower", "higher", "up to", "about", "below", "above", "at least",
    "times", "fold", "points", "percent", "respectively", "accuracy", "score", "reduction", "speedup",
    "while", "whereas", "but", ";", ",", ".", ":", "(", ")", "-", "/", "~", "<", ">", "=", "±", "%",
    "Our model", "We", "ImageNet 256x256", "LLaVA-1.5", "Qwen2-VL", "7B", "GPT-4o", "v2", "++",
]
_LATEX = ["$", "\\%", "\\times", "$\\times$", "$<$", "$\\sim$", "\\textbf{", "}", "{\\sc", "{\\bf", "^{", "10^{4}",
          "\\,", "~", "\\\\", "\\", "{", "$^{\\dagger}$"]
_MODELS = ["KiteVL", "DocLens", "ZipGen", "PaneVL", "QuickDiff", "SlimVLM", "Ours", "MosaicGen"]

_digits = st.integers(min_value=0, max_value=10**7).map(str)
_decimal = st.builds(lambda whole, frac: f"{whole}.{frac}", st.integers(0, 2000), st.integers(0, 999))
_grouped = st.builds(lambda a, b, sep: f"{a}{sep}{b:03d}", st.integers(1, 999), st.integers(0, 999),
                     st.sampled_from([",", " ", "\u2009", "\u202f", "\u00a0"]))
_odd = st.sampled_from(["NaN", "nan", "inf", "-inf", "Infinity", "1e309", "1e-5", "1" + "0" * 400, "1" + "0" * 308,
                        "０．５", "７８．４％", "−3.2", "+4.1", "1/4", "0/0", "1/0", ".5", "5.", "1..2", "1,00", "1 0000"])
_plain = st.one_of(_digits, _decimal, _grouped)
_number = st.one_of(
    _odd,
    st.builds(lambda n, suffix: n + suffix, _plain,
              st.sampled_from(["", "%", "\\%", " percent", "x", "×", " times", "-fold", " points", "$\\times$", "‰", " pts"])),
    st.builds(lambda a, sep, b: f"{a}{sep}{b}", _plain, st.sampled_from(["-", "–", " to ", "~", " and ", "% to "]), _plain),
    st.builds(lambda q, n: q + n, st.sampled_from(["<", ">", "≤", "≥", "~", "×", "times ", "up to ", "more than "]), _plain),
)
_token = st.one_of(
    st.sampled_from(_VOCABULARY), st.sampled_from(_FILLER), st.sampled_from(_LATEX), st.sampled_from(_MODELS), _number,
    st.text(max_size=4),
)
_separator = st.sampled_from([" ", " ", " ", "", ", ", ". ", "\n", "  ", "-", "\t"])
soup = st.lists(st.tuples(_token, _separator), max_size=40).map(lambda parts: "".join(a + b for a, b in parts))
titles = st.one_of(st.just("A Paper"), st.sampled_from([f"{m}: A Model" for m in _MODELS]), st.text(max_size=60))


def _paper(title: str, abstract: str) -> Paper:
    """An in-memory paper whose offset map is the identity."""
    return Paper(title=title, abstract=abstract, sources=(SourceRef(path="memory", line=1, format="x", segments=((0, 0),)),))


# --- a value in a template sentence comes back normalized as the rule says --------------------------


@dataclass(frozen=True)
class Case:
    rule: str
    sentence: str
    expected: float
    reported: str


_SCORE_RULES = [item.rule for item in RULES if "name" in item.rule.roles]
_SHARED = {word.lower() for word in _VOCABULARY if sum(word in item.rule.spellings() for item in RULES) > 1}


def _form_of(rule: Rule, form: str, value: float) -> Form | None:
    """The first of the rule's forms that takes ``value`` written as ``form`` (the rule's declared order)."""
    return next((candidate for candidate in rule.forms if candidate.takes(form, value)), None)


def _canonical(rule: Rule, value: float, unit: str) -> float:
    """``value`` in ``unit`` as the rule's canonical value, through pint."""
    if rule.unit == "point" and unit != "point":
        assert rule.full_scale is not None
        return float(Q_(value, unit).to("1").magnitude) * rule.full_scale
    return float(Q_(value, unit).to(rule.unit).magnitude)


_FULL_WIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")


def _written(draw, low: float, high: float) -> tuple[str, float]:  # noqa: ANN001
    """A decimal between ``low`` and ``high`` as a paper writes it, and its value.

    Sometimes with thousands separators (``1,024``, ``1 024``, thin space); the
    full-width spelling is chosen in `_spelled`.
    """
    places = draw(st.integers(0, 3))
    value = draw(st.floats(low, high, allow_nan=False, allow_infinity=False))
    text = f"{value:.{places}f}"
    if value >= 1000 and draw(st.booleans()):
        separator = draw(st.sampled_from([",", " ", "\u2009", "\u00a0"]))
        text = f"{float(text):,.{places}f}".replace(",", separator)
    return text, float(f"{value:.{places}f}")


def _spelled(draw, number: str) -> str:  # noqa: ANN001
    """``number`` as written, or in full-width digits (rare, but it must read the same)."""
    return number.translate(_FULL_WIDTH) if draw(st.integers(0, 9)) == 0 and "\\" not in number else number


@st.composite
def score_cases(draw) -> Case:  # noqa: ANN001
    rule = draw(st.sampled_from(_SCORE_RULES))
    form = draw(st.sampled_from([f for f in rule.forms if f.form in ("percent", "number")]))
    low = form.above if form.above is not None else 0.0
    high = form.upto if form.upto is not None else 1000.0
    text, value = _written(draw, low, high)
    chosen = _form_of(rule, form.form, value)
    assume(chosen is not None)
    expected = _canonical(rule, value, chosen.unit)
    assume(rule.range.min <= expected <= rule.range.max)
    suffix = draw(st.sampled_from(["%", "\\%", " percent"])) if form.form == "percent" else ""
    number = _spelled(draw, text + suffix)
    model = draw(st.sampled_from(_MODELS))
    names = [w for p in rule.phrases if p.role == "name" for w in p.words if w.lower() not in _SHARED]
    aliases = [(m.name, a) for m in rule.metrics for a in m.aliases if a.lower() not in _SHARED and a not in names]
    templates = [f"{model} achieves {number} on {{name}}.", f"On {{name}}, {model} reaches a score of {number}."]
    if aliases:
        templates.append(f"{model} reaches an {{alias}} of {number}.")
    template = draw(st.sampled_from(templates))
    name = draw(st.sampled_from(names))
    alias = draw(st.sampled_from(aliases))[1] if aliases else ""
    return Case(rule.id, template.format(name=name, alias=alias), expected, number)


@st.composite
def efficiency_cases(draw) -> Case:  # noqa: ANN001
    """The efficiency readings of the normalizer's table, one template each (speedup in x, FLOPs in percent removed)."""
    model = draw(st.sampled_from(_MODELS))
    speedup, flops = BY_ID["speedup"], BY_ID["flops"]
    reading = draw(st.sampled_from(["faster-x", "faster-percent", "latency-percent", "latency-x",
                                    "flops-percent", "flops-x", "flops-share", "flops-fraction"]))
    factor = draw(st.sampled_from(["x", "×", " times", "$\\times$", "-fold"]))
    percent = draw(st.sampled_from(["%", "\\%", " percent"]))
    time_word = draw(st.sampled_from([w for p in speedup.phrases if p.role == "time" for w in p.words if w.lower() not in _SHARED]))
    cost_word = draw(st.sampled_from([w for p in flops.phrases for w in p.words if w.lower() not in _SHARED]))
    if reading == "faster-x":  # plain N x: N
        text, value = _written(draw, 1.0, 1000.0)
        number = _spelled(draw, text + factor)
        return Case(speedup.id, f"{model} runs {number} faster than the baseline.", value, number)
    if reading == "faster-percent":  # plain P %: 1 + P/100
        text, value = _written(draw, 0.0, 900.0)
        number = _spelled(draw, text + percent)
        return Case(speedup.id, f"{model} is {number} faster than the baseline.", round(1 + value / 100, 3), number)
    if reading == "latency-percent":  # reduction P %: 1 / (1 - P/100)
        text, value = _written(draw, 0.0, 99.0)
        number = _spelled(draw, text + percent)
        return Case(speedup.id, f"{model} reduces {time_word} by {number}.", round(1 / (1 - value / 100), 3), number)
    if reading == "latency-x":  # reduction N x: N
        text, value = _written(draw, 1.0, 1000.0)
        number = _spelled(draw, text + factor)
        return Case(speedup.id, f"{model} achieves a {number} reduction in {time_word}.", value, number)
    if reading == "flops-percent":  # reduction P %: P
        text, value = _written(draw, 0.0, 100.0)
        number = _spelled(draw, text + percent)
        return Case(flops.id, f"{model} reduces {cost_word} by {number}.", value, number)
    if reading == "flops-share":  # share P % of: 100 - P
        text, value = _written(draw, 1.0, 100.0)
        number = _spelled(draw, text + percent)
        return Case(flops.id, f"{model} matches the baseline using only {number} of the {cost_word}.", round(100 - value, 3), number)
    if reading == "flops-fraction":  # share 1/N of: 100 (1 - 1/N)
        parts = draw(st.integers(2, 64))
        return Case(flops.id, f"{model} matches the baseline using only 1/{parts} of the {cost_word}.",
                    round(100 * (1 - 1 / parts), 3), f"1/{parts}")
    text, value = _written(draw, 1.01, 1000.0)  # reduction N x: 100 (1 - 1/N)
    assume(value > 1)
    number = _spelled(draw, text + draw(st.sampled_from(["x", "×", " times"])))
    return Case(flops.id, f"{model} requires {number} fewer {cost_word} than the baseline.", round(100 * (1 - 1 / value), 3), number)


cases = st.one_of(score_cases(), efficiency_cases())
_short_soup = st.lists(st.tuples(_token, _separator), max_size=8).map(lambda parts: "".join(a + b for a, b in parts))
#: Arbitrary text, text made of the pieces the grammar looks for, and template sentences inside either.
texts = st.one_of(
    st.text(max_size=300),
    soup,
    st.builds(lambda a, b: a + b, soup, st.text(max_size=20)),
    st.builds(lambda a, case, b: a + case.sentence + b, _short_soup, cases, _short_soup),
    st.lists(cases, min_size=1, max_size=4).map(lambda found: " ".join(case.sentence for case in found)),
)


@PROFILE
@given(cases)
def test_a_value_in_a_template_comes_back_normalized(case: Case) -> None:
    event(case.rule)
    records, rejections = EXTRACTOR.extract(_paper("A Paper", case.sentence))
    found = [record for record in records if record.benchmark == case.rule]
    assert len(found) == 1, (case, records, rejections)
    (record,) = found
    assert record.kind == "score" and record.reported == case.reported
    assert record.value == pytest.approx(case.expected, rel=1e-9, abs=1e-6)
    assert record.unit == BY_ID[case.rule].unit


# --- numbers ----------------------------------------------------------------------------------------


@PROFILE
@given(texts)
@example("1 000 000,5 −0 ０ $1$ \\textbf{2}\\% 3} ~4 1e309 10^{3}")
def test_find_numbers_never_raises_and_reports_its_spans(sentence: str) -> None:
    view = number_view(sentence)
    assert len(view) == len(sentence)
    numbers = find_numbers(sentence)
    end = 0
    for number in numbers:
        assert number.start >= end and number.end > number.start
        end = number.end
        assert sentence[number.start:number.end] == number.reported
        assert math.isfinite(number.value)
        assert number.value_max is None or math.isfinite(number.value_max)


# --- extraction -------------------------------------------------------------------------------------


def _finite(value: float | None) -> bool:
    return value is None or math.isfinite(value)


@PROFILE
@given(titles, texts)
def test_extraction_never_raises_and_records_sit_at_their_spans(title: str, abstract: str) -> None:
    paper = _paper(title, abstract)
    records, rejections = EXTRACTOR.extract(paper, "0" * 64)
    event(f"records: {min(len(records), 2)}, rejections: {min(len(rejections), 2)}")
    for record in records:
        assert Record.model_validate(record.model_dump(exclude={"id"})) == record
        stored = json.loads(record.model_dump_json())
        assert stored.pop("id") == record.id and Record.model_validate(stored) == record
        assert _finite(record.value) and _finite(record.value_max) and _finite(record.baseline)
        provenance = record.provenance
        start, end = provenance.quote_span
        assert provenance.quote == abstract[start:end]
        assert record.reported == abstract[provenance.span[0]:provenance.span[1]]
        assert start <= provenance.span[0] < provenance.span[1] <= end
        assert provenance.rule == record.benchmark
        rule = BY_ID[record.benchmark]
        if record.kind != "delta":
            assert rule.range.min <= record.value <= rule.range.max
    for rejection in rejections:
        assert rejection.reported == abstract[rejection.span[0]:rejection.span[1]]
        assert rejection.reason


@PROFILE
@given(titles, texts)
def test_extraction_is_deterministic(title: str, abstract: str) -> None:
    paper = _paper(title, abstract)
    first = EXTRACTOR.extract(paper, "a" * 64)
    again = EXTRACTOR.extract(paper, "a" * 64)
    fresh = Extractor(RULES).extract(_paper(title, abstract), "a" * 64)
    dump = [[item.model_dump(mode="json") for item in part] for part in first]
    assert dump == [[item.model_dump(mode="json") for item in part] for part in again]
    assert dump == [[item.model_dump(mode="json") for item in part] for part in fresh]


# --- readers ----------------------------------------------------------------------------------------

_words = st.text(alphabet=string.ascii_letters + "éü-:' ", min_size=1, max_size=30)
_title = st.one_of(_words, st.text(max_size=30))
_prose = st.lists(cases, min_size=1, max_size=4).map(
    lambda found: " ".join(case.sentence for case in found) + " It is a long enough abstract to read as prose. " * 3)
_abstract = st.one_of(_prose, texts, st.text(max_size=80))


def _xml_text(draw, text: str) -> str:  # noqa: ANN001
    """``text`` as XML character content: escaped, as numeric references, or in CDATA."""
    how = draw(st.sampled_from(["escape", "references", "cdata"]))
    if how == "cdata" and "]]>" not in text:
        return f"<![CDATA[{text}]]>"
    if how == "references":
        return "".join(f"&#{ord(c)};" if c in "<&>é%" or ord(c) > 0x7F else c for c in text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def _jsonl(draw) -> str:  # noqa: ANN001
    lines = []
    for index in range(draw(st.integers(0, 4))):
        record = {"id": draw(st.sampled_from([f"2401.0000{index}", "2401.00001v2", 5, None])),
                  "title": draw(_title), "abstract": draw(_abstract), "update_date": "2024-01-02"}
        for key in draw(st.sets(st.sampled_from(sorted(record)), max_size=1)):
            del record[key]
        lines.append(json.dumps(record, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, None, 1]))))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))


@st.composite
def _atom(draw) -> str:  # noqa: ANN001
    entries = []
    for index in range(draw(st.integers(0, 4))):
        gap = draw(st.sampled_from(["", "\n", "\n    "]))
        attribute = draw(st.sampled_from(["", ' type="text"']))
        entries.append(f"<entry>{gap}<id>http://arxiv.org/abs/2401.0000{index}v1</id>{gap}"
                       f"<title>{_xml_text(draw, draw(_title))}</title>{gap}"
                       f"<summary{attribute}>{_xml_text(draw, draw(_abstract))}</summary>"
                       f"{gap}<author><name>A</name></author></entry>")
    head = draw(st.sampled_from(['<?xml version="1.0" encoding="UTF-8"?>\n', ""]))
    return f'{head}<feed xmlns="http://www.w3.org/2005/Atom">\n' + "\n".join(entries) + "\n</feed>\n"


@st.composite
def _bibtex(draw) -> str:  # noqa: ANN001
    entries = []
    for index in range(draw(st.integers(0, 4))):
        quote = draw(st.booleans())
        abstract = draw(_abstract).replace('"', "") if quote else draw(_abstract)
        value = f'"{abstract}"' if quote else f"{{{abstract}}}"
        entries.append(f"@article{{k{index},\n  title = {{{draw(_title)}}},\n  abstract = {value},\n  year = 2024\n}}")
    return draw(st.sampled_from(["", "% comment\n"])) + "\n\n".join(entries) + "\n"


@st.composite
def _dailypapers(draw) -> str:  # noqa: ANN001
    blocks = [draw(st.sampled_from(["", "Daily Papers\n\n", "Subscribe"]))]
    for _ in range(draw(st.integers(0, 4))):
        meta = draw(st.sampled_from(["", "\n\n• 3 authors\n·\nDec 7, 2024 12", "\n\nSomeone\n·\nJan 2"]))
        blocks.append(f"{draw(_words)}\n\n{draw(_prose)}{meta}\n\n")
    return "".join(blocks)


_FILES = {"arxiv-json": _jsonl(), "atom": _atom(), "bibtex": _bibtex(), "dailypapers": _dailypapers()}


@st.composite
def source_files(draw) -> tuple[str, bytes]:  # noqa: ANN001
    """A file in one format, then maybe damaged: bytes inserted, a slice cut, the end cut off."""
    name = draw(st.sampled_from(sorted(FORMATS)))
    data = bytearray(draw(_FILES[name]).encode("utf-8"))
    for _ in range(draw(st.sampled_from([0, 0, 1, 2, 3]))):
        at = draw(st.integers(0, len(data)))
        damage = draw(st.sampled_from(["insert", "cut", "truncate"]))
        if damage == "insert":
            data[at:at] = draw(st.one_of(st.binary(min_size=1, max_size=4), st.sampled_from(
                [b"{", b"}", b"<", b"&", b"\n", b"\\", b'"', b"]]>", b"\xff", b"\xc3", b"@", b"\x00"])))
        elif damage == "cut":
            del data[at:at + draw(st.integers(1, 20))]
        else:
            del data[at:]
    return name, bytes(data)


@PROFILE
@given(source_files())
def test_readers_never_raise_and_map_abstracts_to_the_file(tmp_path_factory: pytest.TempPathFactory,
                                                          source: tuple[str, bytes]) -> None:
    name, data = source
    path = tmp_path_factory.getbasetemp() / f"fuzz.{name}"
    path.write_bytes(data)
    report = ReadReport()
    papers = list(read_papers(path, format=name, report=report))
    text = data.decode("utf-8", errors="replace")
    event(f"{name}: {min(len(papers), 2)} papers")
    assert all(error.path and error.message for error in report.problems)
    for paper in papers:
        assert paper.abstract.strip() == paper.abstract and paper.abstract
        ref = paper.sources[0]
        start, end = ref.file_offset(0), ref.file_offset(len(paper.abstract))
        assert 0 <= start <= end <= len(text)
        if name in ("dailypapers", "bibtex"):  # raw text: one linear run
            assert text[start:end] == paper.abstract
        else:
            _assert_runs_map(paper.abstract, ref.segments, text, "\\" if name == "arxiv-json" else "&")


def _assert_runs_map(abstract: str, segments: tuple[tuple[int, int], ...], text: str, escape: str) -> None:
    """Each run of the offset map is the file's own characters, except a last one written as an escape.

    (A JSON ``\\n`` or an XML ``&amp;`` ends its run; the next run starts after it, so offsets only grow.)
    """
    pairs = [*segments, (len(abstract), -1)]
    previous = -1
    for (a, f), (b, _) in zip(pairs, pairs[1:]):
        if b <= a:
            continue
        assert f > previous
        previous = f + b - a - 1
        run, raw = abstract[a:b], text[f:f + b - a]
        if run != raw:
            assert run[:-1] == raw[:-1] and raw[-1:] == escape, (run, raw)


def test_the_fuzz_budget_is_documented() -> None:
    assert "LEADERBOARD_FUZZ_EXAMPLES=10000" in (__doc__ or "")
    assert EXAMPLES >= 1
    assert set(_FILES) == set(FORMATS)
