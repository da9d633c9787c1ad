"""The rule catalogue in README.md is generated from rules/ and must not drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard.catalogue import END, START, CatalogueError, has_markers, render_catalogue, update_readme

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
RULES = ROOT / "rules"


def refresh_command() -> str:
    """The one command that refreshes the block: the CLI once it is wired in, else the script."""
    from leaderboard.cli.rules import command as rules_group

    if "catalogue" in getattr(rules_group, "commands", {}):
        return "leaderboard rules catalogue"
    return "python scripts/update_catalogue.py"


def test_readme_catalogue_is_fresh():
    if not README.exists() or not has_markers(README.read_text(encoding="utf-8")):
        pytest.skip(f"README.md has no {START} ... {END} block yet; add the two marker lines to get a catalogue")
    assert not update_readme(README, RULES, check=True), (
        f"the rule catalogue in README.md is stale (rules/ changed); refresh it with: {refresh_command()}"
    )


def test_catalogue_lists_every_rule_once():
    block = render_catalogue(RULES)
    assert block.startswith(START) and block.endswith(END)
    rows = [line for line in block.splitlines() if line.startswith("| [")]
    ids = [row.split("]", 1)[0][3:] for row in rows]
    assert ids == sorted(path.stem for path in RULES.glob("[!_]*.yaml"))


def test_update_writes_only_the_block_and_is_idempotent(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n\n{START}\nold table\n{END}\n\nafter\n", encoding="utf-8")
    assert update_readme(readme, RULES, check=True) is True
    assert "old table" in readme.read_text(encoding="utf-8"), "check mode must not write"
    assert update_readme(readme, RULES) is True
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nbefore\n\n" + START) and text.endswith(END + "\n\nafter\n")
    assert "old table" not in text and "| [fid](rules/fid.yaml) | FID |" in text
    assert update_readme(readme, RULES) is False
    assert readme.read_text(encoding="utf-8") == text


def test_missing_markers_is_a_located_error(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n{START}\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        update_readme(readme, RULES)
    assert str(caught.value).startswith(f"{readme}: no catalogue block: missing {END}")


def test_script_check_mode(tmp_path, capsys):
    import runpy

    readme = tmp_path / "README.md"
    readme.write_text(f"{START}\n{END}\n", encoding="utf-8")
    script = runpy.run_path(str(ROOT / "scripts" / "update_catalogue.py"))
    assert script["main"](["--readme", str(readme), "--rules", str(RULES), "--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert script["main"](["--readme", str(readme), "--rules", str(RULES)]) == 0
    assert script["main"](["--readme", str(readme), "--rules", str(RULES), "--check"]) == 0


def test_cli_command(tmp_path):
    from click.testing import CliRunner

    from leaderboard.cli.catalogue import command

    readme = tmp_path / "README.md"
    readme.write_text(f"{START}\n{END}\n", encoding="utf-8")
    args = ["--readme", str(readme), "--rules", str(RULES)]
    stale = CliRunner().invoke(command, [*args, "--check"])
    assert stale.exit_code == 1 and "the rule catalogue is stale; run: leaderboard rules catalogue" in stale.output
    assert CliRunner().invoke(command, args).exit_code == 0
    assert CliRunner().invoke(command, [*args, "--check"]).output.endswith("rule catalogue up to date\n")
    missing = CliRunner().invoke(command, ["--readme", str(tmp_path / "nomarkers.md"), "--rules", str(RULES)])
    assert missing.exit_code == 1 and missing.output.startswith(f"Error: {tmp_path / 'nomarkers.md'}: cannot read")
