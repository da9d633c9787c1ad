"""Rules are inert data: a hostile rule file cannot run code, read files or stall the engine.

Rules arrive by pull request from people we do not know. Each test writes a
rule that tries one trick into ``tmp_path`` and checks that it is refused
with a `RuleError` naming the file, the line and the limit or fix, or, for a
pattern RE2 accepts, that it runs in linear time.
"""

from __future__ import annotations

import builtins
import io
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from rulekit import TOY_RULE, write

from leaderboard.cli import main
from leaderboard.errors import RuleError
from leaderboard.extract import Extractor
from leaderboard.model import Paper
from leaderboard.rulebook import load_rule, load_rules
from leaderboard.rulebook.loader import MAX_DEPTH, MAX_PROGRAM
from leaderboard.rulebook.schema import (
    MAX_EXAMPLES,
    MAX_PATTERN,
    MAX_PATTERNS,
    MAX_TEXT,
    MAX_VOCABULARY,
    MAX_WORD,
    MAX_WORDS,
    Rule,
)

VALID = TOY_RULE


def error_of(path: Path) -> RuleError:
    with pytest.raises(RuleError) as caught:
        load_rule(path)
    assert caught.value.path == str(path)
    return caught.value


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def with_patterns(*patterns: str) -> str:
    return VALID + "patterns:\n" + "".join(f"  - {yaml.safe_dump(p, default_style=chr(39)).strip()}\n" for p in patterns)


# --- YAML: safe loading only -------------------------------------------------------------------------


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:pathlib.Path.touch [{marker}]",
    "!!python/object/new:pathlib.Path [{marker}]",
    "!!python/name:os.system",
    "!!python/object:leaderboard.model.Paper {{title: x, abstract: y}}",
    "!!python/module:os",
])
def test_python_tags_never_build_objects(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    text = VALID.replace("name: ToyBench", "name: " + tag.format(marker=str(marker)))
    error = error_of(write(tmp_path, text))
    assert error.message.startswith("YAML syntax: could not determine a constructor for the tag")
    assert error.line == line_of(text, "!!python")
    assert not marker.exists()


def test_billion_laughs_is_refused_at_the_first_anchor(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = VALID + "\n".join(lines) + "\n"
    error = error_of(write(tmp_path, text))
    assert error.message.startswith("YAML anchors and aliases")
    assert error.line == line_of(text, "&a0")
    assert error.hint == "write the value out where it is used"


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    text = VALID.replace("forms:\n  - {form: percent, unit: percent}\n",
                         "forms:\n  - &p {form: percent, unit: percent}\n  - {<<: *p, unit: pp}\n")
    assert "anchors and aliases" in error_of(write(tmp_path, text)).message


def test_deep_nesting_is_refused_without_a_recursion_error(tmp_path: Path) -> None:
    text = VALID + "description: " + "[" * 50_000 + "]" * 50_000 + "\n"
    error = error_of(write(tmp_path, text))
    assert error.message == f"nested deeper than {MAX_DEPTH} levels (MAX_DEPTH)"
    assert error.line == line_of(text, "description:")


def test_libyaml_s_own_depth_limit_reads_as_ours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML 6.0.4 and later stop deep flow nesting in libyaml's scanner, before our event check sees it."""
    path = write(tmp_path, VALID)

    def scanner_stops(*args: object, **kwargs: object) -> None:
        mark = yaml.Mark("rule", 0, 4, 13, None, None)
        raise yaml.scanner.ScannerError("while increasing flow level", mark, "exceeded maximum nesting depth", mark)

    monkeypatch.setattr(yaml, "parse", scanner_stops)
    error = error_of(path)
    assert error.message == f"nested deeper than {MAX_DEPTH} levels (MAX_DEPTH)"
    assert error.line == 5


def test_a_duplicate_key_is_refused_at_its_second_place(tmp_path: Path) -> None:
    """Reviewers would read the first ``range``; PyYAML would quietly keep the second."""
    text = VALID + "range: {min: 0, max: 1000000}\n"
    error = error_of(write(tmp_path, text))
    assert error.message == "duplicate key 'range'"
    assert error.line == len(text.splitlines())


def test_duplicate_keys_deep_inside(tmp_path: Path) -> None:
    text = VALID.replace("  - name: accuracy\n", "  - name: accuracy\n    name: score\n")
    error = error_of(write(tmp_path, text))
    assert (error.message, error.line) == ("duplicate key 'name'", line_of(text, "name: score"))


# --- files: nothing but the rule itself is read ------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_symlinked_rule_is_refused_without_reading_its_target(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("id: toybench\nname: TOP-SECRET-TOKEN\n", encoding="utf-8")
    (tmp_path / "rules").mkdir()
    link = tmp_path / "rules" / "toybench.yaml"
    link.symlink_to(secret)
    error = error_of(link)
    assert error.message == "a rule file must be a regular file, not a symbolic link"
    assert "TOP-SECRET" not in str(error)


def test_loading_and_running_a_rule_opens_only_the_rule_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fields that look like paths stay strings: no rule field is ever opened."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    text = VALID.replace("name: ToyBench", f"name: {secret}").replace("words: [ToyBench]", f"words: [ToyBench, '{secret}']")
    text += f"description: 'file://{secret}'\ndatasets:\n  - name: '{secret}'\n"
    path = write(tmp_path, text)
    opened: list[str] = []
    real_open, real_io_open = builtins.open, io.open

    def spy(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        opened.append(os.fspath(file) if not isinstance(file, int) else "<fd>")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    loaded = load_rule(path)
    extractor = Extractor([loaded])
    extractor.extract(Paper(title="T", abstract=f"KiteVL reaches 71.3% on ToyBench, read from {secret}."))
    monkeypatch.setattr(builtins, "open", real_open)
    monkeypatch.setattr(io, "open", real_io_open)
    assert str(secret) not in opened
    assert all(Path(name) == path for name in opened if name != "<fd>")


def test_no_rule_field_is_a_path() -> None:
    schema = str(Rule.model_json_schema())
    assert "'format': 'path'" not in schema and "file-path" not in schema and "directory-path" not in schema


def test_a_rule_id_cannot_name_a_path(tmp_path: Path) -> None:
    """Report files are named after rule ids: the id pattern keeps them plain names."""
    text = VALID.replace("id: toybench", "id: ../../etc/passwd")
    error = error_of(write(tmp_path, text))
    assert error.message.startswith("id: String should match pattern")


# --- limits ------------------------------------------------------------------------------------------


def test_units_come_only_from_the_registry(tmp_path: Path) -> None:
    """A unit is a name from the package's own registry, never a pint definition or expression."""
    text = VALID.replace("unit: percent\nrange", "unit: percent\ndelta_units: {absolute: 'meter ** 2'}\nrange")
    error = error_of(write(tmp_path, text))
    assert "unknown unit 'meter ** 2'" in error.message and error.line == line_of(text, "delta_units")


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_ranges_are_finite(tmp_path: Path, value: str) -> None:
    text = VALID.replace("range: {min: 0, max: 100}", f"range: {{min: 0, max: {value}}}")
    error = error_of(write(tmp_path, text))
    assert error.message.startswith("range.max: Input should be a finite number")


@pytest.mark.parametrize(("change", "limit", "field"), [
    (lambda t: t.replace("words: [ToyBench]", f"words: [ToyBench, {'x' * (MAX_WORD + 1)}]"), "MAX_WORD", "phrases.0.words.1"),
    (lambda t: t.replace("words: [ToyBench]", f"words: [{', '.join(f'w{i}' for i in range(MAX_WORDS + 1))}]"),
     "MAX_WORDS", "phrases.0.words"),
    (lambda t: t.replace("  - name: accuracy\n", f"  - name: accuracy\n    aliases: ['{'a' * (MAX_WORD + 1)}']\n"),
     "MAX_WORD", "metrics.0.aliases.0"),
    (lambda t: t + f"description: {'d' * (MAX_TEXT + 1)}\n", "MAX_TEXT", "description"),
    (lambda t: t + "negatives:\n" + "".join(f"  - {{name: n{i}, text: ToyBench}}\n" for i in range(MAX_EXAMPLES + 1)),
     "MAX_EXAMPLES", "negatives"),
    (lambda t: with_patterns("a" * (MAX_PATTERN + 1)), "MAX_PATTERN", "patterns"),
    (lambda t: with_patterns(*[f"toy{i}" for i in range(MAX_PATTERNS + 1)]), "MAX_PATTERNS", "patterns"),
    (lambda t: t + "datasets:\n" + "".join(
        f"  - {{name: d{i}, aliases: [{', '.join(f'{chr(97 + i % 26)}{j:03d}' + 'z' * 100 for j in range(10))}]}}\n"
        for i in range(10)), "MAX_VOCABULARY", "(top level)"),
])
def test_size_limits_name_the_limit_and_the_fix(tmp_path: Path, change, limit: str, field: str) -> None:  # noqa: ANN001
    error = error_of(write(tmp_path, change(VALID)))
    assert error.message.startswith(f"{field}: ")
    assert f"({limit})" in error.message
    assert error.line is not None


def test_an_empty_spelling_is_refused(tmp_path: Path) -> None:
    """An empty alias would make every abstract mention the benchmark."""
    text = VALID.replace("words: [ToyBench]", "words: [ToyBench, '  ']")
    error = error_of(write(tmp_path, text))
    assert error.message.startswith("phrases.0.words.1: Value error, an empty spelling")


def test_the_real_rules_are_well_inside_the_limits() -> None:
    for item in load_rules(Path(__file__).parents[1] / "rules"):
        assert sum(map(len, item.rule.spellings())) < MAX_VOCABULARY // 10
        assert item.path.stat().st_size < 64 * 1024


# --- patterns: RE2 only ------------------------------------------------------------------------------


@pytest.mark.parametrize(("pattern", "reason"), [
    (r"(a)\1", r"invalid escape sequence: \1"),
    (r"Toy(?=Bench)", "invalid perl operator: (?="),
    (r"(?<!Big)ToyBench", "invalid perl operator: (?<!"),
    (r"(?P<n>Toy)(?P=n)", "invalid perl operator: (?P"),
    ("a{1001}", "invalid repetition size: {1001}"),
    ("Toy(Bench", "missing ): Toy(Bench"),
])
def test_re2_rejects_with_the_reason_file_and_line(tmp_path: Path, pattern: str, reason: str) -> None:
    text = with_patterns("Toy-Bench", pattern)
    error = error_of(write(tmp_path, text))
    assert error.line == len(text.splitlines())
    assert error.message == f"patterns[1]: RE2 rejects {pattern!r}: {reason}"
    assert "RE2" in error.hint and "backreferences" in error.hint


def test_rules_check_prints_the_re2_reason(tmp_path: Path) -> None:
    text = with_patterns(r"(a)\1")
    path = write(tmp_path, text)
    result = CliRunner().invoke(main, ["rules", "check", "--rules", str(tmp_path)])
    assert result.exit_code == 1
    line = len(text.splitlines())
    assert (f"Error: {path}:{line}: patterns[0]: RE2 rejects '(a)\\\\1': invalid escape sequence: \\1 "
            "(rule patterns run on RE2 (no backreferences or lookaround))") in result.output
    assert "0 rules valid, 1 with problems" in result.output
    assert "Traceback" not in result.output


def test_a_pattern_that_matches_nothing_at_all_is_refused(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, with_patterns("(?:Toy)*")))
    assert error.message == "patterns[0]: '(?:Toy)*' matches the empty string"


def test_a_huge_pattern_program_is_refused(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, with_patterns(r"\w{1000}")))
    assert error.message.startswith(r"patterns[0]: '\\w{1000}' compiles to ")
    assert f"over the limit of {MAX_PROGRAM} (MAX_PROGRAM)" in error.message


def test_catastrophic_backtracking_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    """``(a+)+$`` takes exponential time in a backtracking engine on "aaa...ab"; RE2 answers at once.

    (With Python's ``re`` this test would not finish; there is no timing
    assertion because RE2 makes one unnecessary.)
    """
    path = write(tmp_path, with_patterns("(a+)+$", "(x+x+)+y", "(?:a|aa)+$"))
    extractor = Extractor([load_rule(path)])
    hostile = "a" * 100_000 + "b"
    assert extractor.vocabulary.mentions(hostile) == []
    records, rejections = extractor.extract(Paper(title="T", abstract=f"It scores 71.3% on {hostile}. " + "x" * 50_000))
    assert records == [] and rejections == []
    found = extractor.vocabulary.mentions("ToyBench: " + "a" * 100_000)
    assert [(m.start, m.end, m.rule) for m in found] == [(0, 8, "toybench"), (10, 100_010, "toybench")]


def test_a_vocabulary_too_large_for_re2_is_a_clean_error(monkeypatch) -> None:
    import re2

    from leaderboard.errors import LeaderboardError
    from leaderboard.extract import vocab

    tiny = re2.Options()
    tiny.max_mem = 1 << 10  # far too small for the ten rules' words
    monkeypatch.setattr(vocab, "_OPTIONS", tiny)
    with pytest.raises(LeaderboardError, match="combined vocabulary .* does not compile"):
        vocab.Vocabulary(load_rules("rules"))
