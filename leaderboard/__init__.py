"""leaderboard: benchmark leaderboards from the numbers ML papers report."""

from ._version import __version__
from .errors import GoldError, LeaderboardError, LocatedError, RuleError, SourceError, VerifyError
from .model import Paper, Provenance, Record, Rejection, SourceRef, normalize_title

__all__ = [
    "__version__",
    "GoldError",
    "LeaderboardError",
    "LocatedError",
    "Paper",
    "Provenance",
    "Record",
    "Rejection",
    "RuleError",
    "SourceError",
    "SourceRef",
    "VerifyError",
    "normalize_title",
]
