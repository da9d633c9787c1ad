"""The keyword pass turns down an abstract that names only datasets, and nothing is lost by it.

`Extractor.select` returns None for an abstract whose every mention is a
dataset (`Scan.datasets_only`), where it used to hand the scan to `extract`,
whose `_sentence` then passed over every sentence. Checked against the plain
form (extracting with the scan the shortcut turns down) on the sample corpus,
the seeds, and random sentences built from every rule's words and numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaderboard.extract import Extractor
from leaderboard.model import Paper, SourceRef
from leaderboard.rulebook import load_rules
from leaderboard.sources import read_papers

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_rules(ROOT / "rules"))


def _paper(abstract: str) -> Paper:
    return Paper(title="T", abstract=abstract, sources=(SourceRef(path="memory", line=1, format="x", segments=((0, 0),)),))


def _plain(extractor: Extractor, paper: Paper) -> tuple[list, list]:
    """Extraction with the plain keyword pass: any abstract with a digit and a mention is extracted."""
    scan = extractor.vocabulary.scan(paper.abstract)
    return extractor.extract(paper, scan=scan) if scan is not None else ([], [])


def _papers() -> list[Paper]:
    sources = [ROOT / "corpus", *([SEEDS] if SEEDS.is_dir() else [])]
    return list(read_papers(sources))


def test_an_abstract_of_datasets_only_is_turned_down_and_gives_nothing(extractor: Extractor) -> None:
    abstract = "We train on ImageNet 256x256 for 400 epochs and on ImageNet 512x512 for 100."
    scan = extractor.vocabulary.scan(abstract)
    assert scan is not None and scan.datasets_only()
    assert extractor.select(abstract) is None
    assert _plain(extractor, _paper(abstract)) == ([], [])


def test_a_benchmark_word_keeps_the_abstract(extractor: Extractor) -> None:
    abstract = "We train on ImageNet 256x256 and reach an FID of 1.46."
    assert not extractor.vocabulary.scan(abstract).datasets_only()
    assert extractor.select(abstract) is not None
    assert extractor.extract(_paper(abstract))[0]


def test_the_corpus_and_seeds_lose_nothing(extractor: Extractor) -> None:
    turned_down = 0
    for paper in _papers():
        scan = extractor.vocabulary.scan(paper.abstract)
        if scan is not None and scan.datasets_only():
            turned_down += 1
            assert _plain(extractor, paper) == ([], []), paper.title
        assert extractor.extract(paper) == _plain(extractor, paper), paper.title
    assert turned_down >= 10  # the shortcut is taken, so this test checks something


def _words(extractor: Extractor) -> list[str]:
    rules = extractor.rules.values()
    words = {w for item in rules for d in item.rule.datasets for w in (d.name, *d.aliases)}
    words |= {w for item in rules for phrase in item.rule.phrases for w in phrase.words}
    words |= {w for item in rules for metric in item.rule.metrics for w in (metric.name, *metric.aliases)}
    return sorted(words)


_FILLER = ["we", "reach", "an", "of", "on", "and", "with", "score", "achieves", "by", "FID", ",", "%", "x", "faster"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_sentences_lose_nothing(extractor: Extractor, data: st.DataObject) -> None:
    pool = _words(extractor) + _FILLER
    pieces = data.draw(st.lists(st.one_of(st.sampled_from(pool), st.decimals(0, 1000, places=2).map(str)), max_size=30))
    abstract = " ".join(pieces) + "."
    assert extractor.extract(_paper(abstract)) == _plain(extractor, _paper(abstract))
