"""leaderboard: benchmark leaderboards from the numbers ML papers report.

The Python API for notebooks and slides::

    import leaderboard
    summary = leaderboard.build(["corpus"], out="reports", progress=False)
    frame = leaderboard.load_records("reports/records.jsonl")
    fid = leaderboard.board(frame, "fid", metric="FID", dataset="COCO")
"""

from ._version import __version__
from .board import Board, board, boards, deltas
from .build import BuildSummary, build
from .errors import GoldError, LeaderboardError, LocatedError, RuleError, SourceError, VerifyError
from .evaluate import Evaluation, evaluate
from .extract import Extractor
from .gold import GoldPaper, GoldRecord, load_gold
from .model import Paper, Provenance, Record, Rejection, SourceRef, normalize_title
from .pipeline import RunResult, run
from .records_io import load_records
from .rulebook import Rule, load_rules
from .sources import ReadReport, merge_papers, read_papers
from .verify import Mismatch, verify

__all__ = [
    "Board",
    "BuildSummary",
    "Evaluation",
    "Extractor",
    "GoldError",
    "GoldPaper",
    "GoldRecord",
    "LeaderboardError",
    "LocatedError",
    "Mismatch",
    "Paper",
    "Provenance",
    "ReadReport",
    "Record",
    "Rejection",
    "Rule",
    "RuleError",
    "RunResult",
    "SourceError",
    "SourceRef",
    "VerifyError",
    "__version__",
    "board",
    "boards",
    "build",
    "deltas",
    "evaluate",
    "load_gold",
    "load_records",
    "load_rules",
    "merge_papers",
    "normalize_title",
    "read_papers",
    "run",
    "verify",
]
