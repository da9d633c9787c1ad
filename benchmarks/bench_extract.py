#!/usr/bin/env python
"""Throughput and memory of `leaderboard extract` and `leaderboard build` (issue #5).

Makes arXiv-snapshot JSON-lines corpora of 10k, 100k and 1M papers from the
real abstracts of the sample corpus (``corpus/``), then, for each size, in one
run:

* ``leaderboard extract --jobs 1`` (one process) and ``leaderboard build``
  (default jobs: every core), each run as a subprocess of the real CLI, timed
  end to end, with the peak resident memory of that run alone;
* the *floor*: one compiled regular expression of every word in the rules'
  vocabulary, run in this process over the abstracts of the same file, with
  the JSON reading included (read+scan) and without it (scan only);
* once, on a 1k-paper sample of the same text: quantulum3, a generic
  quantity extractor.

It prints a Markdown table with ratios to both references, one PASS/FAIL line
per target of the issue, and writes everything as JSON.

    pip install -e '.[bench]' && python benchmarks/bench_extract.py

``--quick`` runs the 10k size only; ``--sizes 10000,100000`` picks sizes.
See benchmarks/README.md for how to read the table.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(__file__).resolve().parent / ".data"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUANTULUM_SAMPLE = 1_000
MB = 1_000_000
CHUNK = 10_000  # lines per chunk of the floor's scan

#: Targets of issue #5.
TARGET_PAPERS_PER_S = 20_000
TARGET_FLOOR_RATIO = 6.0
TARGET_BUILD_1M_S = 120.0
TARGET_PEAK_MB = 500.0
TARGET_FLAT = 1.25  # "flat": the largest size's peak within 1.25x the smallest size's

# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Seed:
    """One distinct paper of the sample corpus: what each copy repeats."""

    title: str
    abstract: str
    authors: int


def load_seeds(corpus: Path = ROOT / "corpus") -> list[Seed]:
    """The distinct papers of ``corpus`` (first reading of each), through the package's reader."""
    from leaderboard.sources import read_papers

    seeds: dict[str, Seed] = {}
    for paper in read_papers(corpus):
        seeds.setdefault(paper.key, Seed(paper.title, paper.abstract, paper.authors or 3))
    if not seeds:
        raise SystemExit(f"no papers in {corpus}")
    return list(seeds.values())


def seeds_digest(seeds: Sequence[Seed]) -> str:
    """A short hash of the seed text, so a changed sample corpus regenerates the data."""
    digest = hashlib.sha256()
    for seed in seeds:
        digest.update(f"{seed.title}\0{seed.abstract}\0{seed.authors}\n".encode())
    return digest.hexdigest()[:10]


def arxiv_line(index: int, seeds: Sequence[Seed]) -> str:
    """The JSON line of paper ``index``: seed ``index % len(seeds)`` with its own id and title.

    Ids run 9000.00000, 9000.00001, ... (100,000 per "month"). The package
    merges papers by normalized title, so every copy after the first gets a
    distinct title (`` (copy N)`` appended); otherwise a million lines would
    be only ``len(seeds)`` papers to the pipeline.
    """
    seed = seeds[index % len(seeds)]
    copy = index // len(seeds)
    title = seed.title if copy == 0 else f"{seed.title} (copy {copy})"
    month, number = divmod(index, 100_000)
    record = {
        "id": f"{9000 + month}.{number:05d}",
        "submitter": "Bench Mark",
        "authors": _authors(seed.authors, index),
        "title": title,
        "categories": "cs.CV cs.LG",
        "abstract": seed.abstract,
        "update_date": f"2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
    }
    return json.dumps(record, ensure_ascii=False)


def _authors(count: int, index: int) -> str:
    """An arXiv-style author string with ``count`` names: ``"A, B and C"``."""
    names = [f"Author{index % 97}-{k} Surname{k}" for k in range(max(count, 1))]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def write_corpus(path: Path, size: int, seeds: Sequence[Seed]) -> Path:
    """Write ``size`` papers to ``path`` as JSON lines, atomically (temp file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    with temporary.open("w", encoding="utf-8", newline="\n") as handle:
        for start in range(0, size, CHUNK):
            handle.write("".join(arxiv_line(i, seeds) + "\n" for i in range(start, min(start + CHUNK, size))))
    os.replace(temporary, path)
    return path


def ensure_corpus(data_dir: Path, size: int, seeds: Sequence[Seed]) -> Path:
    """The corpus file of ``size`` papers in ``data_dir``, generated only if missing."""
    path = data_dir / f"arxiv-{size}-{seeds_digest(seeds)}.jsonl"
    if not path.exists():
        started = time.perf_counter()
        write_corpus(path, size, seeds)
        log(f"generated {path.name} ({path.stat().st_size / MB:.0f} MB) in {time.perf_counter() - started:.1f}s")
    return path


def iter_abstracts(path: Path, limit: int | None = None) -> Iterator[str]:
    """The abstracts of a JSON-lines file, parsed with ``json`` line by line."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                return
            yield json.loads(line)["abstract"]


# --------------------------------------------------------------------------- measuring the CLI


@dataclass
class Measurement:
    """One timed run: wall seconds and peak memory, in MB."""

    seconds: float
    peak_mb: float | None  # the largest single process of the run (exact, from wait4)
    tree_mb: float | None = None  # the largest sum over the run's process tree (sampled with psutil)
    returncode: int = 0
    summary: str = ""  # the CLI's last line on stderr


def cli_base() -> list[str]:
    """How to run the ``leaderboard`` console script with this interpreter."""
    script = Path(sys.executable).with_name("leaderboard")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from leaderboard.cli import main; sys.exit(main(prog_name='leaderboard'))"]


def cli_option_supported(command: str, option: str) -> bool:
    """Whether ``leaderboard COMMAND --help`` lists ``option`` (e.g. ``--jobs``)."""
    result = subprocess.run([*cli_base(), command, "--help"], capture_output=True, text=True, cwd=ROOT)
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", result.stdout) is not None


#: A small launcher between this process and the measured command. ``ru_maxrss``
#: of a child counts the memory of the process it was forked from until it
#: calls exec: forked from this (large) benchmark process, every CLI run would
#: report this process's size. The launcher is a bare interpreter (no site
#: packages, a few MB): it forks the command, waits for it with ``wait4`` and
#: writes the command's seconds and ``ru_maxrss`` to a file.
_LAUNCHER = """
import json, os, sys, time
report, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(command[0], command)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(report, "w") as handle:
    json.dump({"seconds": seconds, "maxrss_kib": usage.ru_maxrss}, handle)
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def measure(command: Sequence[str], *, cwd: Path = ROOT, stderr_path: Path | None = None) -> Measurement:
    """Run ``command`` and measure this run alone: wall time and peak memory.

    ``peak_mb`` is ``ru_maxrss`` from ``os.wait4`` on the command, in a small
    launcher process (see ``_LAUNCHER``): the kernel keeps the maximum over
    the command's process and every descendant it waited for (a process
    pool's workers included), for this run only, unlike ``RUSAGE_CHILDREN``
    of the benchmark process, which is a maximum over every child ever.
    ``tree_mb`` is the largest *sum* of the resident sizes of the command's
    whole process tree, sampled every 100 ms with psutil when it is installed
    (pages shared between forked workers count once per process, so it is an
    upper bound for the tree, and a short spike between samples can be missed).
    """
    with tempfile.TemporaryDirectory() as scratch:
        stderr_path = stderr_path or Path(scratch) / "stderr.txt"
        report = Path(scratch) / "report.json"
        with stderr_path.open("w", encoding="utf-8") as errors:
            launcher = subprocess.Popen([sys.executable, "-I", "-S", "-c", _LAUNCHER, str(report), *command],
                                        cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
            sampler = TreeSampler(launcher.pid)
            sampler.start()
            returncode = launcher.wait()
            sampler.stop()
        lines = stderr_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        if not report.exists():
            raise RuntimeError(f"could not run {command[0]}: {' '.join(lines[-3:])}")
        timing = json.loads(report.read_text(encoding="utf-8"))
    return Measurement(
        seconds=timing["seconds"],
        peak_mb=timing["maxrss_kib"] * 1024 / MB,  # Linux reports KiB
        tree_mb=sampler.peak_mb,
        returncode=returncode,
        summary="\n".join(lines[-5:]) if returncode not in (0, 3) else (lines[-1] if lines else ""),
    )


class TreeSampler:
    """Samples the summed RSS of the descendants of a process in a thread (needs psutil)."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid, self.interval = pid, interval
        self.peak: int | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        """Start sampling, if psutil is there."""
        try:
            import psutil  # noqa: F401
        except ImportError:
            return
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling and wait for the thread."""
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()

    @property
    def peak_mb(self) -> float | None:
        return None if self.peak is None else self.peak / MB

    def _run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._done.is_set():
            total = 0
            try:
                processes = root.children(recursive=True)
            except psutil.Error:
                return
            for process in processes:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            if processes:
                self.peak = max(self.peak or 0, total)
            self._done.wait(self.interval)


def parse_entries(summary: str) -> int | None:
    """The number of entries read, from the CLI's summary line, if it says."""
    match = re.search(r"(\d+) papers \((\d+) entries\)|(\d+) entries", summary)
    if match is None:
        return None
    return int(match.group(2) or match.group(3))


# --------------------------------------------------------------------------- the references


def vocabulary_words(rules_dir: Path) -> list[str]:
    """Every word the rules use to spot a benchmark: phrases of every role, metric aliases, datasets.

    The same spellings as the extractor's own keyword pass (leaderboard/extract/vocab.py).
    """
    from leaderboard.rulebook import load_rules

    words: set[str] = set()
    for item in load_rules(rules_dir):
        rule = item.rule
        words.update(word for phrase in rule.phrases for word in phrase.words)
        words.update(word for metric in rule.metrics for word in metric.aliases)
        words.update(word for dataset in rule.datasets for word in [dataset.name, *dataset.aliases])
    return sorted(words, key=lambda word: (-len(word), word))


def floor_source(words: Iterable[str]) -> str:
    """One case-insensitive alternation of whole words, longest first."""
    return r"(?i)\b(?:" + "|".join(re.escape(word) for word in words) + r")\b"


def pick_floor_engine(source: str, sample: Sequence[str]) -> tuple[str, Any, dict[str, float]]:
    """Compile ``source`` with Python ``re`` and with RE2; keep the faster on ``sample``.

    Returns the engine's name, the compiled pattern and each engine's
    scan-only MB/s on the sample.
    """
    engines: dict[str, Callable[[str], Any]] = {"re": re.compile}
    try:
        import re2

        engines["re2"] = re2.compile
    except ImportError:
        pass
    size = sum(len(text.encode()) for text in sample) / MB
    speeds: dict[str, float] = {}
    compiled: dict[str, Any] = {}
    for name, compile_ in engines.items():
        pattern = compiled[name] = compile_(source)
        started = time.perf_counter()
        for text in sample:
            pattern.findall(text)
        speeds[name] = size / max(time.perf_counter() - started, 1e-9)
    best = max(speeds, key=speeds.__getitem__)
    return best, compiled[best], speeds


@dataclass
class FloorResult:
    """The floor on one file: read+scan and scan-only seconds, and what it found."""

    read_scan_seconds: float
    scan_seconds: float
    papers: int
    matches: int
    papers_with_match: int


def run_floor(path: Path, pattern: Any) -> FloorResult:
    """Read ``path`` line by line, parse each JSON line, and find every vocabulary word in its abstract.

    One pass, timed in chunks of 10k lines: read+scan counts the reading and
    JSON parsing too; scan-only counts the pattern alone.
    """
    read_scan = scan = 0.0
    papers = matches = with_match = 0
    with path.open(encoding="utf-8") as handle:
        while True:
            started = time.perf_counter()
            abstracts = [json.loads(line)["abstract"] for line in _take(handle, CHUNK)]
            if not abstracts:
                break
            scanning = time.perf_counter()
            for abstract in abstracts:
                found = len(pattern.findall(abstract))
                matches += found
                with_match += found > 0
            done = time.perf_counter()
            read_scan += done - started
            scan += done - scanning
            papers += len(abstracts)
    return FloorResult(read_scan, scan, papers, matches, with_match)


def _take(handle: Iterable[str], count: int) -> Iterator[str]:
    for number, line in enumerate(handle):
        yield line
        if number + 1 >= count:
            return


@dataclass
class QuantulumResult:
    """quantulum3 on a sample, or why it could not run."""

    seconds: float | None
    papers: int
    megabytes: float
    quantities: int = 0
    mode: str = ""
    error: str | None = None


def run_quantulum(path: Path, papers: int = QUANTULUM_SAMPLE) -> QuantulumResult:
    """quantulum3's parser over the first ``papers`` abstracts of ``path`` (after one warm-up parse)."""
    sample = list(iter_abstracts(path, papers))
    megabytes = sum(len(text.encode()) for text in sample) / MB
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            from quantulum3 import parser

            parser.parse("A warm-up of 1.5 seconds and 3% more.")  # loads its unit tables
        mode = "no classifier" if any(
            "lassifier" in str(w.message) for w in caught) else "with classifier"
    except Exception as error:  # noqa: BLE001 - any failure means "n/a", with the reason
        return QuantulumResult(None, len(sample), megabytes, error=f"{type(error).__name__}: {error}")
    quantities = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        for text in sample:
            quantities += len(parser.parse(text))
        seconds = time.perf_counter() - started
    return QuantulumResult(seconds, len(sample), megabytes, quantities, mode)


# --------------------------------------------------------------------------- results and the table


@dataclass
class Row:
    """One line of the table: one tool on one corpus size."""

    size: int
    tool: str
    papers: int
    megabytes: float
    seconds: float | None
    peak_mb: float | None = None
    tree_mb: float | None = None
    floor_seconds: float | None = None  # read+scan floor on the same file, for the ratio
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def papers_per_s(self) -> float | None:
        return self.papers / self.seconds if self.seconds else None

    @property
    def mb_per_s(self) -> float | None:
        return self.megabytes / self.seconds if self.seconds else None

    @property
    def memory_mb(self) -> float | None:
        """The run's peak memory: the larger of the sampled tree sum and the exact largest process."""
        known = [value for value in (self.peak_mb, self.tree_mb) if value is not None]
        return max(known) if known else None


def floor_ratio(row: Row) -> float | None:
    """How many times the floor's (read+scan) time per paper this row takes."""
    if row.papers_per_s is None or row.floor_seconds is None:
        return None
    return (row.papers / row.floor_seconds) / row.papers_per_s


def quantulum_ratio(row: Row, quantulum: QuantulumResult | None) -> float | None:
    """How many times quantulum3's papers per second this row achieves."""
    if quantulum is None or not quantulum.seconds or row.papers_per_s is None:
        return None
    return row.papers_per_s / (quantulum.papers / quantulum.seconds)


def _num(value: float | None, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{suffix}"


def table(rows: Sequence[Row], quantulum: QuantulumResult | None) -> str:
    """The results as a Markdown table, one row per size and tool."""
    header = ("papers", "tool", "MB", "seconds", "papers/s", "MB/s", "peak RSS MB", "all processes MB",
              "x floor time", "x quantulum3 speed")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * 2 + ["---:"] * (len(header) - 2)) + "|"]
    for row in rows:
        cells = (
            f"{row.papers:,}", row.tool + (f" ({row.note})" if row.note else ""), _num(row.megabytes),
            _num(row.seconds, 2), _num(row.papers_per_s, 0), _num(row.mb_per_s), _num(row.peak_mb, 0),
            _num(row.tree_mb, 0), _num(floor_ratio(row), 2, "x"), _num(quantulum_ratio(row, quantulum), 0, "x"),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass
class Verdict:
    """One target of the issue: PASS, FAIL or SKIP, and the numbers behind it."""

    target: str
    status: str
    detail: str

    def __str__(self) -> str:
        return f"- {self.status}: {self.target} ({self.detail})"


def verdicts(rows: Sequence[Row]) -> list[Verdict]:
    """Judge the issue's targets on the measured rows (speed at the largest size measured)."""
    extract = {row.size: row for row in rows if row.tool.startswith("leaderboard extract") and row.seconds}
    build = {row.size: row for row in rows if row.tool.startswith("leaderboard build") and row.seconds}
    found = [Verdict(f"{row.tool} runs", "FAIL", f"{row.note} at {row.size:,}")
             for row in rows if row.tool.startswith("leaderboard") and row.seconds is None]
    if extract:
        largest = extract[max(extract)]
        speed = largest.papers_per_s or 0.0
        found.append(_verdict(f"extract >= {TARGET_PAPERS_PER_S:,} papers/s on one process",
                              speed >= TARGET_PAPERS_PER_S, f"{speed:,.0f} papers/s at {largest.size:,}"))
        ratio = floor_ratio(largest)
        found.append(_verdict(f"extract within {TARGET_FLOOR_RATIO:g}x of the read+scan floor",
                              ratio is not None and ratio <= TARGET_FLOOR_RATIO,
                              f"{_num(ratio, 2)}x at {largest.size:,}"))
    else:
        found.append(Verdict("extract speed", "SKIP", "extract did not run"))
    if 1_000_000 in build:
        seconds = build[1_000_000].seconds or 0.0
        found.append(_verdict(f"build of 1M papers < {TARGET_BUILD_1M_S:.0f} s", seconds < TARGET_BUILD_1M_S,
                              f"{seconds:.1f} s"))
    else:
        found.append(Verdict(f"build of 1M papers < {TARGET_BUILD_1M_S:.0f} s", "SKIP", "1M not in --sizes"))
    measured = [row for row in [*extract.values(), *build.values()] if row.memory_mb is not None]
    if measured:
        worst = max(measured, key=lambda row: row.memory_mb or 0.0)
        found.append(_verdict(f"peak memory < {TARGET_PEAK_MB:.0f} MB", (worst.memory_mb or 0.0) < TARGET_PEAK_MB,
                              f"largest: {worst.memory_mb:.0f} MB, {worst.tool} at {worst.size:,}"))
    for name, by_size in (("extract", extract), ("build", build)):
        sizes = sorted(size for size, row in by_size.items() if row.memory_mb is not None)
        if len(sizes) < 2:
            found.append(Verdict(f"{name} memory flat across sizes", "SKIP", "needs two sizes or more"))
            continue
        small, large = by_size[sizes[0]].memory_mb or 0.0, by_size[sizes[-1]].memory_mb or 0.0
        found.append(_verdict(f"{name} memory flat (largest size <= {TARGET_FLAT:g}x smallest)",
                              large <= TARGET_FLAT * small,
                              f"{small:.0f} MB at {sizes[0]:,} -> {large:.0f} MB at {sizes[-1]:,}"))
    return found


def _verdict(target: str, ok: bool, detail: str) -> Verdict:
    return Verdict(target, "PASS" if ok else "FAIL", detail)


# --------------------------------------------------------------------------- the run


def log(message: str) -> None:
    """Progress on standard error, so standard output is only the report."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "load_average_at_start": load, "processor": platform.processor()}


def bench_size(path: Path, size: int, pattern: Any, *, rules: Path, work: Path, extract_jobs: list[str],
               build_jobs: list[str], build_label: str) -> list[Row]:
    """The floor, extract and build on one corpus file."""
    megabytes = path.stat().st_size / MB
    rows: list[Row] = []
    log(f"{size:,}: floor")
    floor = run_floor(path, pattern)
    extra = {"matches": floor.matches, "papers_with_match": floor.papers_with_match}
    rows.append(Row(size, "floor: read+scan", floor.papers, megabytes, floor.read_scan_seconds,
                    floor_seconds=floor.read_scan_seconds, extra=extra))
    rows.append(Row(size, "floor: scan only", floor.papers, megabytes, floor.scan_seconds,
                    floor_seconds=floor.read_scan_seconds, extra=extra))
    base = cli_base()
    log(f"{size:,}: leaderboard extract {' '.join(extract_jobs)}")
    out = work / f"extract-{size}"
    out.mkdir(parents=True, exist_ok=True)
    run = measure([*base, "extract", str(path), "--rules", str(rules), "-o", str(out / "records.jsonl"),
                   *extract_jobs], stderr_path=out / "stderr.txt")
    rows.append(_cli_row(size, f"leaderboard extract {' '.join(extract_jobs)}".strip(), megabytes, run, floor))
    log(f"{size:,}: leaderboard build {build_label}")
    out = work / f"build-{size}"
    out.mkdir(parents=True, exist_ok=True)
    run = measure([*base, "build", str(path), "--rules", str(rules), "--out", str(out / "reports"), "-q",
                   *build_jobs], stderr_path=out / "stderr.txt")
    rows.append(_cli_row(size, f"leaderboard build {build_label}", megabytes, run, floor))
    return rows


def _cli_row(size: int, tool: str, megabytes: float, run: Measurement, floor: FloorResult) -> Row:
    """A table row from a CLI run; a failed run shows n/a and its error on standard error."""
    if run.returncode not in (0, 3):
        log(f"{tool} failed with exit code {run.returncode}:\n{run.summary}")
        return Row(size, tool, size, megabytes, None, note=f"failed, exit {run.returncode}")
    entries = parse_entries(run.summary)
    if entries is not None and entries != size:
        log(f"warning: {tool} read {entries} entries, expected {size}")
    return Row(size, tool, size, megabytes, run.seconds, run.peak_mb, run.tree_mb, floor.read_scan_seconds,
               extra={"summary": run.summary})


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(str(size) for size in DEFAULT_SIZES),
                        help="comma-separated corpus sizes in papers (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="only the 10k size, to try the script")
    parser.add_argument("--jobs", type=int, default=None,
                        help="--jobs for leaderboard build (default: the CLI's own default, every core); "
                             "extract always runs with --jobs 1")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA,
                        help="where the generated corpora are cached (default: benchmarks/.data)")
    parser.add_argument("--json", type=Path, default=None, help="results file (default: DATA_DIR/results.json)")
    parser.add_argument("--rules", type=Path, default=ROOT / "rules", help="rules folder (default: rules/)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="sample corpus (default: corpus/)")
    parser.add_argument("--no-quantulum", action="store_true", help="skip the quantulum3 reference")
    args = parser.parse_args(argv)
    args.sizes = [10_000] if args.quick else sorted({int(size.replace("_", "")) for size in args.sizes.split(",")})
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Generate what is missing, measure every size, print the table and the verdicts."""
    args = parse_args(argv)
    info = machine()
    log(f"load average at start: {info['load_average_at_start']}, {info['cpus']} CPUs")
    seeds = load_seeds(args.corpus)
    paths = {size: ensure_corpus(args.data_dir, size, seeds) for size in args.sizes}

    rules = args.rules.resolve()
    words = vocabulary_words(rules)
    sample = list(iter_abstracts(paths[args.sizes[0]], 2_000))
    engine, pattern, engine_speeds = pick_floor_engine(floor_source(words), sample)
    log(f"floor: {len(words)} words, {engine} ({', '.join(f'{k} {v:.0f} MB/s' for k, v in engine_speeds.items())})")

    extract_jobs = ["--jobs", "1"] if cli_option_supported("extract", "--jobs") else []
    build_has_jobs = cli_option_supported("build", "--jobs")
    build_jobs = ["--jobs", str(args.jobs)] if args.jobs is not None and build_has_jobs else []
    build_label = " ".join(build_jobs) or ("(default jobs)" if build_has_jobs else "(no --jobs option)")
    if not extract_jobs:
        log("this leaderboard has no --jobs: extract runs as it is (one process)")
    if args.jobs is not None and not build_has_jobs:
        log(f"this leaderboard build has no --jobs: --jobs {args.jobs} is ignored")

    precompile()
    startup = measure_startup(args.data_dir, seeds, rules)
    log(f"CLI startup (extract of one paper): {startup.seconds:.2f}s, {startup.peak_mb:.0f} MB")

    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=args.data_dir))
    try:
        for size in args.sizes:
            rows += bench_size(paths[size], size, pattern, rules=rules, work=work, extract_jobs=extract_jobs,
                               build_jobs=build_jobs, build_label=build_label)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    quantulum = None
    if not args.no_quantulum:
        log(f"quantulum3 on {QUANTULUM_SAMPLE:,} papers")
        quantulum = run_quantulum(paths[args.sizes[0]])
        if quantulum.error:
            log(f"quantulum3: n/a ({quantulum.error})")
        else:
            rows.append(Row(min(args.sizes[0], QUANTULUM_SAMPLE), "quantulum3", quantulum.papers,
                            quantulum.megabytes, quantulum.seconds,
                            floor_seconds=_floor_at(rows, quantulum.papers), note=quantulum.mode))

    report = render_report(rows, quantulum, engine, len(words), startup, info)
    print(report)
    results = {"machine": info, "load_average_at_end": os.getloadavg(), "floor_engine": engine,
               "floor_engine_mb_per_s": engine_speeds, "floor_words": len(words),
               "startup": asdict(startup), "quantulum3": asdict(quantulum) if quantulum else None,
               "rows": [_row_json(row, quantulum) for row in rows],
               "verdicts": [asdict(verdict) for verdict in verdicts(rows)]}
    json_path = args.json or args.data_dir / "results.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    log(f"results written to {json_path}")
    return 0


def precompile() -> None:
    """Compile the package's modules to bytecode once, as a regular (non-editable) install does.

    An editable install leaves that to the first run, and with
    ``PYTHONDONTWRITEBYTECODE`` set (as on some CI images) every run would
    compile the package again inside its measured startup.
    """
    import leaderboard

    compileall.compile_dir(Path(leaderboard.__file__).parent, quiet=1)


def measure_startup(data_dir: Path, seeds: Sequence[Seed], rules: Path) -> Measurement:
    """``leaderboard extract`` of a one-paper file: the fixed cost (imports, rules) in every CLI row."""
    one = write_corpus(data_dir / "arxiv-1.jsonl", 1, seeds)
    return measure([*cli_base(), "extract", str(one), "--rules", str(rules), "-o", os.devnull,
                    "--rejections", os.devnull])


def _floor_at(rows: Sequence[Row], papers: int) -> float | None:
    """The read+scan floor's time for ``papers`` papers, scaled from the smallest size measured."""
    floors = [row for row in rows if row.tool == "floor: read+scan" and row.seconds]
    if not floors:
        return None
    smallest = min(floors, key=lambda row: row.size)
    return (smallest.seconds or 0.0) * papers / smallest.papers


def render_report(rows: Sequence[Row], quantulum: QuantulumResult | None, engine: str, words: int,
                  startup: Measurement, info: dict[str, Any]) -> str:
    """The table, what it was measured with, and the verdicts, as Markdown."""
    load = info.get("load_average_at_start")
    lines = [
        table(rows, quantulum),
        "",
        f"Floor: one `{engine}` pattern of the rules' {words} vocabulary words; "
        "\"x floor time\" divides by the read+scan floor (JSON parsing included) on the same file. "
        f"CLI startup (imports, rules) of {startup.seconds:.2f}s is inside every `leaderboard` row. "
        f"Python {info['python']}, {info['cpus']} CPUs, load average at start "
        f"{', '.join(f'{x:.2f}' for x in load) if load else 'n/a'}.",
    ]
    if quantulum is not None and quantulum.error:
        lines.append(f"quantulum3: n/a ({quantulum.error}).")
    lines += ["", "Targets (issue #5):", *[str(verdict) for verdict in verdicts(rows)]]
    return "\n".join(lines)


def _row_json(row: Row, quantulum: QuantulumResult | None) -> dict[str, Any]:
    data = asdict(row)
    data.update(papers_per_s=row.papers_per_s, mb_per_s=row.mb_per_s, x_floor_time=floor_ratio(row),
                x_quantulum3_speed=quantulum_ratio(row, quantulum))
    return data


if __name__ == "__main__":
    sys.exit(main())
