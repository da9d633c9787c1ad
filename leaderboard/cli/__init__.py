"""The ``leaderboard`` console script: a thin layer over the library.

Each subcommand lives in its own module and only parses arguments, calls the
library and turns a `LeaderboardError` into one ``Error: ...`` line.

Exit codes: 0 done; 1 failed; 2 usage error; 3 done, but some input was
skipped or did not check out (see the messages).
"""

from __future__ import annotations

import importlib

import click

from .._version import __version__

__all__ = ["main"]

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS = ("papers", "extract", "build", "verify", "evaluate", "rules")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="leaderboard")
def main() -> None:
    """Turn the numbers ML papers report into benchmark leaderboards you can trust.

    Reads paper abstracts (Daily Papers dumps, arXiv metadata JSON lines,
    arXiv Atom feeds, BibTeX), applies the normalizing rules in rules/ and
    writes ranked boards with provenance down to the character.
    """


for _name in COMMANDS:
    _module = importlib.import_module(f"{__name__}.{_name}")
    main.add_command(_module.command)
