"""Every example of every rule, each its own test case: ``pytest -k fid`` selects FID's.

Test ids are ``<rule>/<example-name>`` (``fid/respectively-two-datasets``).
A positive example passes only when its sentence yields exactly the listed
records; a negative one when it yields no record of its rule. Examples marked
``xfail: <reason>`` run as strict xfails: the engine fix that makes one pass
fails this suite until the marker is removed from the rule file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard.extract import Extractor
from leaderboard.rulebook import check_rules, iter_examples
from leaderboard.rulebook.examples import example_id, run_example

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

LOADED, ERRORS = check_rules(RULES_DIR)


def _cases() -> list:
    cases = []
    for item, example, positive in iter_examples(LOADED):
        marks = [pytest.mark.xfail(strict=True, reason=example.xfail)] if example.xfail else []
        cases.append(pytest.param(item, example, id=example_id(item, example), marks=marks))
    return cases


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """Every rule of the folder at once, as in a real build, so stolen numbers show up."""
    return Extractor(LOADED)


def test_rules_load():
    """A rule that does not load has no examples to run: say why here."""
    assert not ERRORS, "\n".join(str(error) for error in ERRORS)


@pytest.mark.parametrize(("rule", "example"), _cases())
def test_example(extractor, rule, example):
    result = run_example(extractor, rule, example)
    if result.problems:
        where = f"{rule.path.name}: {'example' if hasattr(example, 'records') else 'negative'} {example.name!r}"
        pytest.fail(f"{where}\n  text: {example.text}\n  " + "\n  ".join(result.problems), pytrace=False)
