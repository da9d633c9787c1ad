"""Extraction quality on the sample corpus, measured against its answer key in ../shared/gold."""

from pathlib import Path

import pytest

from leaderboard.evaluate import evaluate
from leaderboard.gold import load_gold
from leaderboard.pipeline import run

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "gold" / "seeds-gold.yaml"


@pytest.mark.skipif(not GOLD.exists(), reason="../shared/gold/seeds-gold.yaml is not beside the repository")
def test_seed_corpus_meets_the_quality_bar():
    result = run([ROOT / "corpus"], rules_dir=ROOT / "rules")
    evaluation = evaluate(result.records, load_gold(GOLD))
    assert evaluation.overall.f1 >= 0.95
    for score in evaluation.scores:
        assert score.f1 is None or score.f1 >= 0.90, score.benchmark
    assert evaluation.overall.model_ok >= 0.90
    assert evaluation.overall.dataset_ok >= 0.90
