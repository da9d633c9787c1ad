"""Pedantic checks over the whole rules/ folder (after github-linguist's test_pedantic).

These read the rule files as plain YAML as well as through the loader, so a
problem is reported against the file even when the loader would stop at the
first one.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from leaderboard.cli import main
from leaderboard.rulebook import check_rules, load_rule, rule_files
from leaderboard.rulebook import loader as loader_module
from leaderboard.rulebook import schema
from leaderboard.rulebook.examples import run_example
from leaderboard.extract import Extractor

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
TEMPLATE = RULES_DIR / "_template.yaml"
MIN_EXAMPLES = 5
MIN_NEGATIVES = 3

FILES = rule_files(RULES_DIR)
RAW = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in FILES}
LOADED, ERRORS = check_rules(RULES_DIR)
BY_ID = {item.id: item.rule for item in LOADED}


def _ids(paths):
    return [path.name for path in paths]


def test_there_are_rules():
    assert FILES, f"no rule files in {RULES_DIR}"


def test_rules_check_passes():
    assert not ERRORS, "\n".join(str(error) for error in ERRORS)


def test_rules_check_command_passes():
    result = CliRunner().invoke(main, ["rules", "check", "--rules", str(RULES_DIR)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_file_is_a_safe_yaml_mapping(path):
    text = path.read_text(encoding="utf-8")
    tags = [token for token in yaml.scan(text, Loader=yaml.SafeLoader) if isinstance(token, yaml.TagToken)]
    assert not tags, f"{path.name}:{tags[0].start_mark.line + 1}: YAML tags are not allowed in rule files"
    assert isinstance(yaml.safe_load(text), dict), f"{path.name}: a rule file holds one mapping"


def test_loader_uses_safe_load_only():
    source = Path(loader_module.__file__).read_text(encoding="utf-8")
    unsafe = re.findall(r"yaml\.(?:unsafe_load|full_load|load_all)\(|Loader=(?!_SAFE_LOADER\b)[\w.]+", source)
    assert not unsafe, f"the rule loader must read YAML with its safe loader only, found {unsafe}"
    safe = tuple(getattr(yaml, name) for name in ("SafeLoader", "CSafeLoader") if hasattr(yaml, name))
    assert loader_module._SAFE_LOADER in safe


def test_ids_are_unique():
    counts = Counter(raw.get("id") for raw in RAW.values())
    assert [rid for rid, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_file_stem_equals_id(path):
    assert RAW[path].get("id") == path.stem, f"{path.name}: id {RAW[path].get('id')!r}; rename the file or the id"


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_has_version(path):
    version = RAW[path].get("version")
    assert isinstance(version, int) and version >= 1, f"{path.name}: needs 'version: <int >= 1>'"


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_enough_examples(path):
    raw = RAW[path]
    positives, negatives = len(raw.get("examples") or []), len(raw.get("negatives") or [])
    assert positives >= MIN_EXAMPLES, f"{path.name}: {positives} examples; write at least {MIN_EXAMPLES}"
    assert negatives >= MIN_NEGATIVES, f"{path.name}: {negatives} negatives; write at least {MIN_NEGATIVES}"


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_example_names_unique(path):
    raw = RAW[path]
    names = Counter(item["name"] for item in (raw.get("examples") or []) + (raw.get("negatives") or []))
    assert [name for name, n in names.items() if n > 1] == [], f"{path.name}: example names repeat (test ids must be unique)"


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_expected_values_in_range(path):
    """Every expected score or bound lies in the range of the benchmark it is for."""
    rule = BY_ID[path.stem]
    problems = []
    for example in rule.examples:
        for record in example.records:
            target = BY_ID.get(record.benchmark or rule.id)
            if target is None or record.kind == "delta":
                continue
            for value in (record.value, record.value_max):
                if value is not None and not target.range.min <= value <= target.range.max:
                    problems.append(f"{example.name}: {value} outside {target.id} range {target.range.min:g}..{target.range.max:g}")
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_expected_records_name_known_benchmarks_and_metrics(path):
    rule = BY_ID[path.stem]
    problems = []
    for example in rule.examples:
        for record in example.records:
            target = BY_ID.get(record.benchmark or rule.id)
            if target is None:
                problems.append(f"{example.name}: unknown benchmark {record.benchmark!r}")
            elif (record.metric or rule.metrics[0].name) not in target.metric_names:
                problems.append(f"{example.name}: metric {record.metric or rule.metrics[0].name!r} is not one of {target.id}'s {target.metric_names} (set metric:)")
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_reported_is_in_the_text(path):
    """`reported` is the number as written, so it is a substring of the sentence (xfail examples too)."""
    rule = BY_ID[path.stem]
    missing = [f"{ex.name}: {r.reported!r}" for ex in rule.examples for r in ex.records if r.reported not in ex.text]
    assert not missing, f"{path.name}: reported not found in text: " + "; ".join(missing)


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_xfail_reasons_say_something(path):
    rule = BY_ID[path.stem]
    vague = [ex.name for ex in [*rule.examples, *rule.negatives] if ex.xfail is not None and len(ex.xfail.split()) < 4]
    assert not vague, f"{path.name}: give each xfail a reason that names the gap: {vague}"


# --- the template ------------------------------------------------------------------------------


def _schema_fields() -> set[str]:
    models = (schema.Rule, schema.Metric, schema.Dataset, schema.Form, schema.Phrase, schema.Range,
              schema.Example, schema.ExpectedRecord, schema.Negative)
    return {name for model in models for name in model.model_fields}


def test_template_is_not_loaded_as_a_rule():
    assert TEMPLATE.exists(), "rules/_template.yaml is missing"
    assert TEMPLATE not in FILES


def test_template_mentions_every_schema_field():
    text = TEMPLATE.read_text(encoding="utf-8")
    missing = sorted(name for name in _schema_fields() if not re.search(rf"\b{re.escape(name)}\b", text))
    assert not missing, f"rules/_template.yaml does not explain: {', '.join(missing)}"


def test_template_is_a_valid_rule_whose_examples_pass(tmp_path):
    raw = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    copy = tmp_path / f"{raw['id']}.yaml"
    copy.write_bytes(TEMPLATE.read_bytes())
    template = load_rule(copy)
    assert len(template.rule.examples) >= 2 and len(template.rule.negatives) >= 1
    extractor = Extractor([*LOADED, template])
    problems = [
        f"{result.id}: {problem}"
        for example in [*template.rule.examples, *template.rule.negatives]
        for result in [run_example(extractor, template, example)]
        for problem in result.problems
    ]
    assert not problems, "\n".join(problems)
