"""Malformed, hostile and odd input: a clear message with file and line, the good papers still read.

The files are in ``tests/data/bad/`` (each described in its README.md); the
50 MB file with no newline is generated here, in a temporary folder. Every
case is checked three ways: what `read_papers` yields and reports, what the
CLI prints and exits with (3 when something was skipped), and, for number
forms, which records and rejections come out, each still at its span.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from leaderboard.cli import main
from leaderboard.extract import find_numbers
from leaderboard.pipeline import run
from leaderboard.sources import ReadReport, read_papers, sniff
from leaderboard.sources import _common as common

ROOT = Path(__file__).parents[1]
BAD = Path(__file__).parent / "data" / "bad"
RULES = ROOT / "rules"
NOT_UTF8 = "bytes that are not UTF-8; an entry on this line is skipped"
BRACES = "entry with unbalanced braces"
NO_ABSTRACT = "no 'abstract'"

#: file -> (titles read, [(line, message)] reported)
EXPECTED: dict[str, tuple[list[str], list[tuple[int | None, str]]]] = {
    "latin1.txt": (
        ["Good Paper Before The Latin-1 One", "Good Paper After The Latin-1 One"],
        [(5, NOT_UTF8), (7, NOT_UTF8)],
    ),
    "mixed-encodings.jsonl": (
        ["Café Models: Real UTF-8", "Plain ASCII Paper", "Mojibake Is Still UTF-8"],
        [(2, NOT_UTF8), (4, NOT_UTF8)],
    ),
    "utf16.txt": ([], [(None, "binary file (UTF-16 text)")]),
    "binary.png": ([], [(None, "binary file (NUL bytes)")]),
    "corpus.jsonl.gz": ([], [(None, "binary file (gzip-compressed)")]),
    "noise.dat": ([], [(None, "not UTF-8: a binary file or text in another encoding")]),
    "empty.txt": ([], [(None, "empty file")]),
    "truncated.jsonl": (
        ["Whole Line Before", "Whole Line After"],
        [(2, "not valid JSON (Unterminated string starting at, column 68)"),
         (4, "not valid JSON (Unterminated string starting at, column 53)")],
    ),
    "broken.xml": (
        ["Atom Paper Before The Break", "Atom Paper After The Break", "Atom Paper At The End"],
        [(11, "not well-formed XML: mismatched tag"), (20, "not well-formed XML: not well-formed (invalid token)")],
    ),
    "laughs.xml": ([], [(3, "entity declarations are not allowed in a feed")]),
    "unbalanced.bib": (
        ["BibTeX Paper Before", "BibTeX Paper Between", "BibTeX Paper After"],
        [(7, BRACES), (18, BRACES)],
    ),
    "no-abstract.jsonl": (
        ["Has An Abstract", "Also Has An Abstract"],
        [(2, NO_ABSTRACT), (3, NO_ABSTRACT), (4, NO_ABSTRACT), (5, NO_ABSTRACT), (6, "not a JSON object")],
    ),
    "duplicate-ids.jsonl": (
        ["Twin Paper", "Twin Paper", "Twin Paper", "Renamed Paper", "Renamed Paper, Second Title"],
        [(3, "arXiv id 2405.50001 was read at tests/data/bad/duplicate-ids.jsonl:1 with a different title or abstract; "
             "both readings are kept"),
         (5, "arXiv id 2405.50002 was read at tests/data/bad/duplicate-ids.jsonl:4 with a different title or abstract; "
             "both readings are kept")],
    ),
    "numbers.jsonl": ([f"n{index}" for index in range(17)], []),
}


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in messages are relative to the working directory: run from the repository root."""
    monkeypatch.chdir(ROOT)


def read(path: Path, **options: object) -> tuple[list, ReadReport]:
    report = ReadReport()
    papers = list(read_papers(path, report=report, **options))
    return papers, report


def test_every_bad_file_is_described_and_tested() -> None:
    files = sorted(path.name for path in BAD.iterdir() if path.name != "README.md")
    assert files == sorted(EXPECTED)
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    assert all(f"| `{name}` |" in readme for name in files)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file(name: str) -> None:
    titles, problems = EXPECTED[name]
    papers, report = read(BAD.relative_to(ROOT) / name)
    if name == "numbers.jsonl":
        assert len(papers) == len(titles)
    else:
        assert [paper.title for paper in papers] == titles
    assert [(error.line, error.message) for error in report.problems] == problems
    assert all(error.path == f"tests/data/bad/{name}" and error.hint for error in report.problems)
    assert report.entries == len(papers)


def test_good_papers_beside_bad_ones_keep_exact_offsets() -> None:
    """Every paper read from a damaged file still maps back to its characters in the file."""
    for name in EXPECTED:
        papers, _ = read(BAD / name)
        for paper in papers:
            ref = paper.sources[0]
            text = (ROOT / ref.path).read_bytes().decode("utf-8", errors="replace")
            if ref.format in ("dailypapers", "bibtex"):  # raw text: the map is linear
                start = ref.file_offset(0)
                assert text[start:start + len(paper.abstract)] == paper.abstract


def test_bibtex_entry_without_abstract_is_counted_not_reported() -> None:
    _, report = read(BAD / "unbalanced.bib")
    assert report.no_abstract == 1


def test_the_same_text_twice_under_one_id_is_not_a_problem(tmp_path: Path) -> None:
    lines = (BAD / "duplicate-ids.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "a.jsonl").write_text("".join(lines[:2]), encoding="utf-8")
    papers, report = read(tmp_path / "a.jsonl")
    assert len(papers) == 2 and report.problems == []


def test_broken_atom_recovers_with_exact_offsets() -> None:
    papers, _ = read(BAD / "broken.xml")
    text = (BAD / "broken.xml").read_text(encoding="utf-8")
    last = papers[-1]
    start = last.sources[0].file_offset(0)
    assert text[start:start + len(last.abstract)] == last.abstract == "AtomNetE scores 805 on OCRBench."
    assert last.sources[0].line == 25 and last.arxiv_id == "2403.30005"
    middle = papers[1]
    assert middle.abstract == "AtomNetC scores 0.83 on OCRBench & more."
    assert text[middle.sources[0].file_offset(middle.abstract.index("&")):][:5] == "&amp;"


# --- a 50 MB file with no newline -------------------------------------------------------------------

BIG = 50 * 1024 * 1024
GOOD = "Good Paper Beside The Big File\n\nGoodBigVL achieves 81.2% accuracy on OCRBench. It is small and fast.\n"


@pytest.fixture(scope="module", params=["prose", "json"])
def big_folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a good Daily Papers file and a 50 MB file without a single newline."""
    folder = tmp_path_factory.mktemp(f"big-{request.param}")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    head = b'{"id": "2407.00001", "title": "Big", "abstract": "' if request.param == "json" else b""
    block = "FID of 1.46 on ImageNet, 78.4% on OCRBench and café. ".encode() * 1024
    with open(folder / "z-big.txt", "wb") as handle:
        handle.write(head)
        written = len(head)
        while written < BIG:
            handle.write(block)
            written += len(block)
    return folder


def test_a_50_mb_file_without_newline_is_skipped_unread(big_folder: Path) -> None:
    papers, report = read(big_folder)
    assert [paper.title for paper in papers] == ["Good Paper Beside The Big File"]
    (error,) = report.problems
    assert error.path.endswith("z-big.txt") and error.line == 1
    assert error.message == f"a line longer than {common.MAX_LINE_BYTES >> 20} MiB (MAX_LINE_BYTES); skipped unread"
    assert (report.files_read, report.entries) == (2, 1)


def test_a_50_mb_file_through_the_cli(big_folder: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(big_folder), "--rules", str(RULES), "--out", str(tmp_path / "out")])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert f"{big_folder / 'z-big.txt'}:1: a line longer than" in result.stderr
    assert "Read 2 files, 1 papers (1 entries): 1 records" in result.stdout


def test_long_lines_keep_the_offsets_of_the_lines_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The long line is decoded in blocks only to count its characters; multi-byte and bad bytes included."""
    monkeypatch.setattr(common, "MAX_LINE_BYTES", 1001)
    path = tmp_path / "a.jsonl"
    first = json.dumps({"title": "First", "abstract": "FirstVL scores 801 on OCRBench."}) + "\n"
    long = ("é" * 700_000).encode() + b"\xff\xfe" + ("€" * 400_000).encode() + b"\n"
    last = json.dumps({"title": "Last", "abstract": "LastVL scores 802 on OCRBench."}, ensure_ascii=False) + "\n"
    path.write_bytes(first.encode() + long + last.encode())
    papers, report = read(path)
    assert [paper.title for paper in papers] == ["First", "Last"]
    assert [(error.line, error.message.split(";")[0]) for error in report.problems] == [
        (2, "a line longer than 0 MiB (MAX_LINE_BYTES)")]
    text = path.read_bytes().decode("utf-8", errors="replace")
    for paper in papers:
        start = paper.sources[0].file_offset(0)
        assert text[start:start + len(paper.abstract)] == paper.abstract


def test_a_no_newline_json_file_is_still_sniffed_as_json(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"title": "Only", "abstract": "OnlyVL scores 800 on OCRBench."}), encoding="utf-8")
    assert sniff(path) == "arxiv-json"
    papers, report = read(path)
    assert [paper.title for paper in papers] == ["Only"] and report.problems == []


# --- number forms, NaN, inf, overflow, ranges, LaTeX -------------------------------------------------

#: numbers.jsonl paper title -> records as (kind, value, qualifier, reported)
NUMBER_RECORDS = {
    "Thousands With A Comma": [("score", 1024.0, None, "1,024x")],
    "Thousands With A Space": [("score", 2048.0, None, "2 048x")],
    "Thousands With A Thin Space": [("score", 4096.0, None, "4\u2009096x")],
    "Thousands With A No-Break Space": [("score", 8192.0, None, "8\u00a0192x")],
    "Unicode Minus": [],
    "Full-Width Digits": [("score", 784.0, None, "７８．４％")],
    "Not A Number": [],
    "Infinity": [],
    "Overflow": [],
    "Overflow Written Out": [],
    "Out Of Range": [],
    "LaTeX Math": [("score", 1.46, None, "1.46")],
    "LaTeX Bold Percent": [("score", 784.0, None, "78.4}\\%")],
    "LaTeX Small Caps": [("score", 2.1, None, "2.10")],  # braces and commands are dropped as noise
    "LaTeX Less Than": [("bound", 2.0, "<", "2")],
    "LaTeX Tie": [("score", 784.0, None, "78.4\\%")],
    "LaTeX Power Of Ten": [("score", 3.0, None, "3$\\times$")],
}
NUMBER_REJECTIONS = {
    "Unicode Minus": [("−0.5", "-0.5 1 is outside fid's range 0..500")],
    "Out Of Range": [("181.2%", "1812 point is outside ocrbench's range 0..1000")],
}


@pytest.fixture(scope="module")
def numbers_run():
    return run([BAD / "numbers.jsonl"], rules_dir=RULES)


def test_number_forms_give_the_expected_records(numbers_run) -> None:  # noqa: ANN001
    got: dict[str, list] = {title: [] for title in NUMBER_RECORDS}
    for record in numbers_run.records:
        got[record.provenance.paper].append((record.kind, record.value, record.qualifier, record.reported))
    assert got == NUMBER_RECORDS
    assert numbers_run.papers == len(NUMBER_RECORDS) and numbers_run.report.problems == []


def test_out_of_range_values_are_rejections_with_the_reason(numbers_run) -> None:  # noqa: ANN001
    got: dict[str, list] = {}
    for rejection in numbers_run.rejections:
        got.setdefault(rejection.paper, []).append((rejection.reported, rejection.reason))
    assert got == NUMBER_REJECTIONS


def test_number_records_and_rejections_sit_at_their_spans(numbers_run) -> None:  # noqa: ANN001
    """Through JSON escapes (\\u2212, \\\\textbf): the file's characters at each span are what was reported."""
    text = (BAD / "numbers.jsonl").read_bytes().decode("utf-8", errors="replace")
    assert numbers_run.records
    for record in numbers_run.records:
        assert math.isfinite(record.value)
        start, end = record.provenance.span
        raw = text[start:end]
        assert json.loads(f'"{raw}"') == record.reported
        quote_start, quote_end = record.provenance.quote_span
        assert json.loads(f'"{text[quote_start:quote_end]}"') == record.provenance.quote
    for rejection in numbers_run.rejections:
        assert json.loads(f'"{text[rejection.span[0]:rejection.span[1]]}"') == rejection.reported


@pytest.mark.parametrize(("sentence", "expected"), [
    ("scores 1,000 and 1 000 and 1\u2009000 and 1\u202f000 and 1\u00a0000", [1000.0] * 5),
    ("a drop of \u22121.5 and \u22122, then -3", [-1.5, -2.0, -3.0]),
    ("\uff17\uff18\uff0e\uff14\uff05 and \uff11\uff0c\uff10\uff10\uff10", [78.4, 1000.0]),
    ("NaN, nan, inf, Infinity, -inf, 1e309, 1e-5, 2E10", []),
    ("1" + "0" * 400, []),
    ("$1.46$ and \\textbf{78.4}\\% and {\\bf 3.5} and $<$2", [1.46, 78.4, 3.5, 2.0]),
    ("1.2$\\times10^{4}$ steps and 10^3 and 3 \\times 10^{-5}", []),
    ("1 0000 is not grouped; 12 345 678 is", [1.0, 0.0, 12345678.0]),
])
def test_number_forms(sentence: str, expected: list[float]) -> None:
    numbers = find_numbers(sentence)
    assert [number.value for number in numbers] == expected
    assert all(sentence[number.start:number.end] == number.reported for number in numbers)


def test_full_width_percent_is_a_percent() -> None:
    (number,) = find_numbers("\uff17\uff18\uff0e\uff14\uff05")
    assert (number.form, number.reported) == ("percent", "\uff17\uff18\uff0e\uff14\uff05")


def test_latex_qualifiers_and_ties() -> None:
    assert [n.qualifier for n in find_numbers("FID $<$2 and $\\sim$3 and achieves~4 and ~5")] == ["<", "~", None, "~"]


# --- the CLI ----------------------------------------------------------------------------------------

FILES_READ, ENTRIES, DISTINCT, FILES_SKIPPED = 9, 37, 35, 5
PROBLEMS = sum(len(problems) for _, problems in EXPECTED.values())


def _problem_lines(output: str, prefix: str) -> list[str]:
    return [line[len(prefix):] for line in output.splitlines() if line.startswith(prefix)]


def _expected_problem_lines() -> list[str]:
    lines = []
    for name, (_, problems) in sorted(EXPECTED.items()):
        for line, message in problems:
            where = f"tests/data/bad/{name}" + (f":{line}" if line is not None else "")
            lines.append(f"{where}: {message} (")
    return lines


def _assert_problems(printed: list[str]) -> None:
    expected = _expected_problem_lines()
    assert len(printed) == len(expected) == PROBLEMS
    for got, want in zip(printed, expected):
        assert got.startswith(want), (got, want)


def test_cli_papers_on_the_bad_corpus() -> None:
    result = CliRunner().invoke(main, ["papers", "--json", "tests/data/bad"])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert len(result.stdout.splitlines()) == DISTINCT
    assert result.stderr.splitlines()[0] == (
        f"{FILES_READ} file(s) read, {ENTRIES} entries, {DISTINCT} distinct papers, {FILES_SKIPPED} file(s) skipped, "
        f"{PROBLEMS} problem(s), 1 entries without an abstract")
    _assert_problems(_problem_lines(result.stderr, "Skipped: "))


def test_cli_extract_on_the_bad_corpus(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    result = CliRunner().invoke(main, ["extract", "tests/data/bad", "--rules", str(RULES), "-o", str(out)])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    _assert_problems(_problem_lines(result.stderr, "Warning: "))
    summary = result.stderr.splitlines()[-1]
    assert summary.startswith(f"{FILES_READ} files, {ENTRIES} entries, {DISTINCT} papers, ")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and all(math.isfinite(record["value"]) for record in records)
    rejections = (tmp_path / "rejections.csv").read_text(encoding="utf-8")
    assert "1812 point is outside ocrbench's range 0..1000" in rejections


def test_cli_build_on_the_bad_corpus_then_verify(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "tests/data/bad", "--rules", str(RULES), "--out", str(out)])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    _assert_problems(_problem_lines(result.stderr, "Warning: "))
    assert f"Read {FILES_READ} files, {DISTINCT} papers ({ENTRIES} entries): " in result.stdout
    assert f"{PROBLEMS} inputs skipped (see the warnings above)." in result.stderr
    assert (out / "records.jsonl").exists() and (out / "ocrbench.md").exists()
    verified = CliRunner().invoke(main, ["verify", str(out / "records.jsonl")])
    assert verified.exit_code == 0, verified.output


def test_cli_exit_code_is_0_when_nothing_is_skipped(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["papers", "tests/data/bad/numbers.jsonl"])
    assert result.exit_code == 0, result.stderr


def test_hostile_text_is_escaped_in_the_reports(tmp_path: Path) -> None:
    """Paper text reaches Markdown and LaTeX escaped: no raw HTML, table breaks or TeX commands."""
    title = "\\input{/etc/passwd} | <script>alert(1)</script> \\write18{rm -rf /}"
    source = tmp_path / "hostile.jsonl"
    source.write_text(json.dumps({"title": title, "abstract": "PwnVL achieves 81.2% accuracy on OCRBench."}) + "\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "--rules", str(RULES), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    markdown = (out / "ocrbench.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "\\<script\\>" in markdown and "\\|" in markdown
    tex = (out / "ocrbench.tex").read_text(encoding="utf-8")
    assert "\\input{" not in tex and "\\write18{" not in tex and "\\textbackslash{}input\\{" in tex
