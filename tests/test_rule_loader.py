"""Malformed rule files fail with a RuleError that names the file, the line and the fix.

Each test writes a broken rule into ``tmp_path`` (starting from a small valid
one) and checks the error a contributor would see, as `leaderboard rules
check` prints it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rulekit import TOY_RULE, write

from leaderboard.cli import main
from leaderboard.errors import RuleError
from leaderboard.rulebook import check_rules, load_rule, load_rules
from leaderboard.rulebook import loader as loader_module
from leaderboard.rulebook.loader import DOCS_HINT, MAX_RULE_BYTES

VALID = TOY_RULE + """\
examples:
  - name: percent-on
    text: "KiteVL reaches 71.3% accuracy on ToyBench."
    records:
      - {model: KiteVL, value: 71.3, reported: "71.3%"}
negatives:
  - name: question-count
    text: "ToyBench has 1,000 questions."
"""


def error_of(path: Path) -> RuleError:
    with pytest.raises(RuleError) as caught:
        load_rule(path)
    return caught.value


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_valid_rule_loads(tmp_path):
    assert load_rule(write(tmp_path, VALID)).id == "toybench"


def test_unknown_field(tmp_path):
    text = VALID.replace("better: higher\n", "better: higher\ncolour: red\n")
    path = write(tmp_path, text)
    error = error_of(path)
    assert error.path == str(path)
    assert error.line == line_of(text, "colour")
    assert "unknown field 'colour'" in error.message
    assert error.hint == DOCS_HINT
    assert str(error).startswith(f"{path}:{error.line}: colour: unknown field 'colour'")


def test_unknown_field_deep_in_an_example(tmp_path):
    text = VALID.replace('{model: KiteVL, value: 71.3, reported: "71.3%"}', '{model: KiteVL, valeu: 71.3, reported: "71.3%"}')
    path = write(tmp_path, text)
    error = error_of(path)
    assert error.line == line_of(text, "valeu")
    assert "examples.0.records.0" in error.message


def test_unknown_field_says_what_is_allowed(tmp_path):
    error = error_of(write(tmp_path, VALID.replace("better: higher\n", "better: higher\ncolour: red\n")))
    assert "better" in str(error) and "metrics" in str(error) and "datasets" in str(error)


def test_missing_field(tmp_path):
    text = VALID.replace("better: higher\n", "")
    path = write(tmp_path, text)
    error = error_of(path)
    assert error.path == str(path)
    assert error.line == 1  # the mapping that lacks it
    assert "missing field 'better'" in error.message
    assert error.hint == DOCS_HINT


def test_wrong_value_names_the_field_and_line(tmp_path):
    text = VALID.replace("better: higher", "better: bigger")
    error = error_of(write(tmp_path, text))
    assert error.line == line_of(text, "better: bigger")
    assert error.message.startswith("better:") and "'lower' or 'higher'" in error.message


def test_yaml_syntax_error(tmp_path):
    text = VALID.replace("  - name: accuracy\n", "  - name: accuracy\n   aliases: [acc\n")
    path = write(tmp_path, text)
    error = error_of(path)
    assert error.path == str(path)
    assert error.message.startswith("YAML syntax:")
    assert error.line is not None and abs(error.line - line_of(text, "aliases: [acc")) <= 2
    assert "indentation or quoting" in error.hint


def test_yaml_tags_are_refused(tmp_path):
    """safe_load only: a python tag is a syntax error, never code that runs."""
    text = VALID.replace("name: ToyBench", 'name: !!python/object/apply:os.system ["echo pwned"]')
    error = error_of(write(tmp_path, text))
    assert error.message.startswith("YAML syntax:")
    assert error.line == line_of(text, "!!python")


def test_re2_rejects_a_backreference(tmp_path):
    text = VALID.replace("forms:\n", "patterns:\n  - '(a)\\1'\nforms:\n")
    path = write(tmp_path, text)
    error = error_of(path)
    assert error.path == str(path)
    assert error.line == line_of(text, "(a)")
    assert error.message.startswith("patterns[0]: RE2 rejects")
    assert "RE2" in error.hint and "backreferences" in error.hint


def test_id_differs_from_file_stem(tmp_path):
    path = write(tmp_path, VALID, name="toy-bench.yaml")
    error = error_of(path)
    assert error.path == str(path)
    assert error.line == line_of(VALID, "id: toybench")
    assert "differs from the file name" in error.message
    assert error.hint == "rename the file to toybench.yaml or set id: toy-bench"


def test_duplicate_id(tmp_path, monkeypatch):
    """One folder cannot hold two files with one id (the stem must equal the id),
    so the duplicate check is reached when rules come from two folders: simulate that."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = write(tmp_path / "a", VALID), write(tmp_path / "b", VALID)
    monkeypatch.setattr(loader_module, "rule_files", lambda directory: [first, second])
    loaded, errors = check_rules(tmp_path)
    assert [item.path for item in loaded] == [first]
    assert len(errors) == 1
    error = errors[0]
    assert error.path == str(second) and error.line == 1
    assert f"rule id 'toybench' is also used by {first}" in error.message
    assert error.hint == "rule ids are unique"


def test_file_over_the_size_limit(tmp_path):
    padding = "# " + "x" * 78 + "\n"
    path = write(tmp_path, VALID + padding * (MAX_RULE_BYTES // len(padding) + 1))
    error = error_of(path)
    assert error.path == str(path)
    assert error.line is None  # the whole file is the problem
    assert f"over the {MAX_RULE_BYTES} byte limit" in error.message
    assert error.hint == "split examples or trim the file"


def test_not_a_mapping(tmp_path):
    error = error_of(write(tmp_path, "- just\n- a list\n"))
    assert error.line == 1 and "one mapping" in error.message


def test_files_starting_with_underscore_are_not_rules(tmp_path):
    write(tmp_path, VALID)
    write(tmp_path, "this is: [not, a rule", name="_template.yaml")
    assert [item.id for item in load_rules(tmp_path)] == ["toybench"]


def test_check_collects_every_problem_and_keeps_the_good_rules(tmp_path):
    write(tmp_path, VALID)
    write(tmp_path, VALID.replace("id: toybench", "id: other").replace("better: higher\n", ""), name="other.yaml")
    write(tmp_path, VALID.replace("id: toybench", "id: third").replace("version: 1", "version: [1"), name="third.yaml")
    loaded, errors = check_rules(tmp_path)
    assert [item.id for item in loaded] == ["toybench"]
    assert sorted(Path(error.path).name for error in errors) == ["other.yaml", "third.yaml"]
    with pytest.raises(RuleError):
        load_rules(tmp_path)


def test_rules_check_command_prints_file_line_and_fix(tmp_path):
    text = VALID.replace("better: higher\n", "better: higher\ncolour: red\n")
    path = write(tmp_path, text)
    result = CliRunner().invoke(main, ["rules", "check", "--rules", str(tmp_path)])
    assert result.exit_code == 1
    assert f"Error: {path}:{line_of(text, 'colour')}: colour: unknown field 'colour'; allowed here: id, version," in result.output
    assert f"({DOCS_HINT})" in result.output
    assert "0 rules valid, 1 with problems" in result.output


def test_rule_hash_follows_behaviour_not_examples_or_comments(tmp_path: Path) -> None:
    base = load_rule(write(tmp_path, VALID)).sha256
    more_examples = VALID.replace("negatives:\n", '  - name: second\n    text: "OwlVL gets 60.0% on ToyBench."\n'
                                  '    records:\n      - {model: OwlVL, value: 60.0, reported: "60.0%"}\nnegatives:\n')
    commented = "# a comment a contributor added\n" + VALID
    assert load_rule(write(tmp_path, more_examples)).sha256 == base
    assert load_rule(write(tmp_path, commented)).sha256 == base
    assert load_rule(write(tmp_path, VALID.replace("words: [ToyBench]", "words: [ToyBench, Toy-Bench]"))).sha256 != base
