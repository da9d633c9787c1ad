"""Golden files for the sample corpus: every file ``leaderboard build`` writes from corpus/ with rules/.

The build runs once for the module, from the repository root (so records say
``corpus/...``, as in the committed reports) into a temporary folder. Each
output is compared with its golden file in ``tests/test_golden_corpus/``, which
mirrors the output folder: the Markdown, CSV and LaTeX files of every
benchmark, the index ``README.md`` and ``rejections.csv`` as text
(``file_regression``), and ``records.jsonl`` as ``records.yml``, YAML keyed by
record id (``data_regression``, so that a changed field is one line of the
diff).

After a change to the engine or the rules, regenerate every golden file with
one command and review the diff before committing::

    python -m pytest tests/test_golden_corpus.py --force-regen

Each test whose file changed, appeared or went away fails once, saying what it
regenerated or deleted; a second run passes. Cases are made per rule file in
``rules/`` (its ``.md``, ``.csv`` and ``.tex``), and the last test checks that
the golden folder holds exactly the files the build wrote, so neither a new
benchmark nor one that lost its records can go unnoticed.

tests/test_reports_fresh.py checks the same build for another reason: it keeps
the committed ``reports/`` byte-identical to it (refresh with
``leaderboard build``); this module holds the reviewed expectation, file by
file, with readable diffs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaderboard.build import BuildSummary, build
from leaderboard.rulebook import rule_files

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).with_suffix("")  # pytest-regressions' data folder for this module
REGEN = "python -m pytest tests/test_golden_corpus.py --force-regen"

BENCHMARKS = [path.stem for path in rule_files(ROOT / "rules")]
PAGES = [f"{rule}.{kind}" for rule in BENCHMARKS for kind in ("md", "csv", "tex")]
TEXT_FILES = [*PAGES, "README.md", "rejections.csv"]
RECORDS = "records.jsonl"


def golden_name(written: str) -> str:
    """The golden file of a written file: the same name, but records as YAML."""
    return "records.yml" if written == RECORDS else written


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> BuildSummary:
    """One build of corpus/ with rules/, from the repository root, into a temporary folder."""
    out = tmp_path_factory.mktemp("golden") / "reports"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        return build(["corpus"], rules_dir="rules", out=out, progress=False)


@pytest.fixture(scope="module")
def written(summary: BuildSummary) -> dict[str, str]:
    """Every file the build wrote, by name, decoded as UTF-8."""
    return {name: (summary.out / name).read_bytes().decode("utf-8") for name in summary.written}


def regenerating(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("force_regen") or request.config.getoption("regen_all"))


def forget(names: list[str], request: pytest.FixtureRequest) -> None:
    """Fail on golden files the build no longer writes; delete them when regenerating."""
    if not names:
        return
    if regenerating(request):
        for name in names:
            (GOLDEN / name).unlink()
        pytest.fail(f"deleted golden files the build no longer writes: {', '.join(names)}")
    pytest.fail(f"golden files the build no longer writes: {', '.join(names)}; regenerate with: {REGEN}")


def test_the_corpus_is_read_without_problems(summary: BuildSummary) -> None:
    assert summary.problems == ()
    assert summary.records > 0 and summary.boards > 0


@pytest.mark.parametrize("name", TEXT_FILES)
def test_golden_file(name: str, written: dict[str, str], file_regression, request: pytest.FixtureRequest) -> None:
    if name not in written:  # a rule with no record in the corpus: no page, and no golden file either
        forget([name] if (GOLDEN / name).exists() else [], request)
        return
    stem, _, extension = name.rpartition(".")
    file_regression.check(written[name], basename=stem, extension=f".{extension}", encoding="utf-8", newline="\n")


def test_golden_records(written: dict[str, str], data_regression) -> None:
    records = [json.loads(line) for line in written[RECORDS].split("\n") if line]
    ids = [record.pop("id") for record in records]
    assert ids == sorted(set(ids)), "records.jsonl is sorted by id, one line per record"
    data_regression.check(dict(zip(ids, records)), basename=golden_name(RECORDS).removesuffix(".yml"))


def test_outputs_are_machine_independent(summary: BuildSummary, written: dict[str, str]) -> None:
    for name, text in written.items():
        for path in (str(ROOT), str(summary.out.parent)):
            assert path not in text, f"{name} holds the absolute path {path}"
    sources = {json.loads(line)["provenance"]["source"] for line in written[RECORDS].split("\n") if line}
    assert sources and all(source.startswith("corpus/") for source in sources), sources


def test_the_golden_folder_holds_exactly_the_written_files(
    written: dict[str, str], request: pytest.FixtureRequest
) -> None:
    # Runs last: by now the cases above have created the golden files of new outputs.
    uncovered = sorted(set(written) - {*TEXT_FILES, RECORDS})
    assert not uncovered, f"no test case compares {uncovered}: add their kind to this module"
    expected = {golden_name(name) for name in written}
    present = {path.name for path in GOLDEN.iterdir() if path.is_file()} if GOLDEN.is_dir() else set()
    missing = sorted(expected - present)
    assert not missing, f"no golden file yet for {missing}; create them with: {REGEN}"
    forget(sorted(present - expected), request)
