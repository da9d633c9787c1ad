"""`leaderboard rules`: check rule files, print their schema, run their examples."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..extract import Extractor
from ..rulebook import check_rules, iter_examples
from ..rulebook.examples import run_example
from ..rulebook.schema import Rule
from ._common import DEFAULT_RULES, EXIT_FAILED, fail_cleanly

_RULES = click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=DEFAULT_RULES, show_default=True, help="Folder of rule files.")


@click.group(name="rules")
def command() -> None:
    """Check, describe and test the normalizing rules in rules/."""


@command.command(name="check")
@_RULES
@fail_cleanly
def check(rules_dir: Path) -> None:
    """Validate every rule file; print each problem with file, line and the fix."""
    loaded, errors = check_rules(rules_dir)
    for error in errors:
        click.echo(f"Error: {error}", err=True)
    click.echo(f"{len(loaded)} rules valid, {len(errors)} with problems")
    if errors:
        sys.exit(EXIT_FAILED)


@command.command(name="schema")
def schema() -> None:
    """Print the JSON Schema of a rule file (for editors and CI)."""
    click.echo(json.dumps(Rule.model_json_schema(), indent=2, sort_keys=True))


@command.command(name="test")
@_RULES
@click.option("-k", "select", default=None, help="Only examples whose id contains this text (e.g. fid).")
@fail_cleanly
def test(rules_dir: Path, select: str | None) -> None:
    """Run every rule's examples: each must yield exactly its listed records."""
    loaded, errors = check_rules(rules_dir)
    for error in errors:
        click.echo(f"Error: {error}", err=True)
    extractor = Extractor(loaded)
    passed = failed = xfailed = xpassed = 0
    for item, example, _positive in iter_examples(loaded):
        result = run_example(extractor, item, example)
        if select and select not in result.id:
            continue
        if result.xfail:
            if result.passed:
                xpassed += 1
                click.echo(f"XPASS {result.id}: remove 'xfail: {result.xfail}'")
            else:
                xfailed += 1
            continue
        if result.passed:
            passed += 1
            continue
        failed += 1
        click.echo(f"FAIL {result.id}")
        for problem in result.problems:
            click.echo(f"  {problem}")
    click.echo(f"{passed} passed, {failed} failed, {xfailed} xfailed, {xpassed} xpassed")
    if failed or xpassed or errors:
        sys.exit(EXIT_FAILED)


from .catalogue import command as _catalogue  # noqa: E402  (a subcommand of this group)

command.add_command(_catalogue)
