#!/usr/bin/env python
"""Regenerate the rule catalogue in README.md from rules/ (``--check``: only say whether it is stale).

Run from anywhere; paths default to the repository this script lives in::

    python scripts/update_catalogue.py           # rewrite the block between the markers
    python scripts/update_catalogue.py --check   # exit 1 when the block is stale (CI)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from leaderboard.catalogue import update_readme
from leaderboard.errors import LeaderboardError

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    parser.add_argument("--rules", type=Path, default=ROOT / "rules")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when stale")
    args = parser.parse_args(argv)
    try:
        stale = update_readme(args.readme, args.rules, check=args.check)
    except LeaderboardError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    if args.check and stale:
        print(f"Error: {args.readme}: the rule catalogue is stale; run: python scripts/update_catalogue.py", file=sys.stderr)
        return 1
    print(f"{args.readme}: rule catalogue {'updated' if stale and not args.check else 'up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
