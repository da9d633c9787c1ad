"""One exception tree for the package.

Library code raises these; the CLI turns them into one ``Error: ...`` line and
an exit code. Every error that comes from a file names the file and, when it
is known, the line, so a user can go straight to the problem.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "LeaderboardError",
    "LocatedError",
    "SourceError",
    "RuleError",
    "GoldError",
    "VerifyError",
]


class LeaderboardError(Exception):
    """Base class of every error the package raises on purpose."""


class LocatedError(LeaderboardError):
    """An error in a file, at a line when known, with what to do about it.

    >>> str(LocatedError("a.txt", "not UTF-8", line=3, hint="re-save it as UTF-8"))
    'a.txt:3: not UTF-8 (re-save it as UTF-8)'
    """

    def __init__(
        self, path: str | Path, message: str, *, line: int | None = None, hint: str | None = None
    ) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class SourceError(LocatedError):
    """A source file, or a part of it, that cannot be read as papers."""


class RuleError(LocatedError):
    """A rule file that does not load or does not validate."""


class GoldError(LocatedError):
    """A gold file that does not follow the GOLD-FORMAT layout."""


class VerifyError(LocatedError):
    """A records file that `verify` cannot check: missing, or a line that is not a record.

    Records whose provenance no longer matches are not errors: `verify`
    returns them as mismatches.
    """
