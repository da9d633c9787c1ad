"""Handmade records and a fake pipeline for the board, render, build and verify tests.

The sample corpus is two small text files; every record's spans point at the
exact characters of its quote and reported number, so `verify` passes on it
until a test breaks something on purpose.
"""

from __future__ import annotations

import hashlib
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from leaderboard.model import Provenance, Record, Rejection

SOURCE_A = "corpus/papers-a.txt"
SOURCE_B = "corpus/papers-b.txt"

TEXT_A = """Language-Guided Image Tokenization for Generation

TexTok with a vanilla DiT generator achieves state-of-the-art FID scores of 1.46 and 1.62 on ImageNet-256 and -512 respectively. Compared to the conventional tokenizer, TexTok improves reconstruction FID by 29.2% on ImageNet-256.

Fast Sampling | Revisited

Our sampler, FastGen, reaches FID<2 on ImageNet-256, and our re-run of TexTok gives an FID of 1.50 on ImageNet-256. FastGen is also 2.91x faster than its teacher.

Reading Documents at Scale

DocReader scores 78.4% on OCRBench and 0.896 ANLS on DocVQA, with a 7-fold reduction in FLOPs.
"""

TEXT_B = """Language-Guided Image Tokenization for Generation

TexTok with a vanilla DiT generator achieves FID scores of 1.46 and 1.62 on ImageNet-256 and -512 respectively.

Tied Models Are Fine

TieNet reaches an FID of 1.50 on ImageNet-256 and an rFID of 0.55 on COCO.
"""

TEXTS = {SOURCE_A: TEXT_A, SOURCE_B: TEXT_B}
PAPER_IDS = {"Language-Guided Image Tokenization for Generation": "2412.05796"}

RULES = {
    "fid": SimpleNamespace(id="fid", name="FID", better="lower", unit="1", metrics=["FID", "rFID"]),
    "ocrbench": SimpleNamespace(id="ocrbench", name="OCRBench", better="higher", unit="point", metrics=["score"]),
    "docvqa": SimpleNamespace(id="docvqa", name="DocVQA", better="higher", unit="percent", metrics=["ANLS"]),
    "flops": SimpleNamespace(id="flops", name="FLOPs", better="higher", unit="percent", metrics=["FLOPs reduction"]),
    "speedup": SimpleNamespace(id="speedup", name="Speedup", better="higher", unit="x", metrics=["speedup"]),
    "geneval": SimpleNamespace(id="geneval", name="GenEval", better="higher", unit="1", metrics=["overall"]),
}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sentence_around(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def record(
    source: str,
    paper: str,
    quote: str,
    reported: str,
    *,
    benchmark: str = "fid",
    occurrence: int = 0,
    text: str | None = None,
    **fields: Any,
) -> Record:
    """A record whose spans point at ``reported`` (its n-th occurrence) inside ``quote``."""
    text = TEXTS[source] if text is None else text
    quote_start, quote_end = sentence_around(text, quote)
    offset = -1
    for _ in range(occurrence + 1):
        offset = quote.index(reported, offset + 1)
    fields.setdefault("kind", "score")
    fields.setdefault("unit", RULES[benchmark].unit if benchmark in RULES else "1")
    provenance = Provenance(
        source=source,
        source_sha256=sha(text),
        paper=paper,
        paper_id=PAPER_IDS.get(paper),
        span=(quote_start + offset, quote_start + offset + len(reported)),
        quote_span=(quote_start, quote_end),
        quote=quote,
        rule=benchmark,
        rule_sha256=sha(f"rule {benchmark}"),
        version="0.1.0",
    )
    return Record(benchmark=benchmark, reported=reported, provenance=provenance, **fields)


TEXTOK = "Language-Guided Image Tokenization for Generation"
FAST = "Fast Sampling | Revisited"
DOCS = "Reading Documents at Scale"
TIED = "Tied Models Are Fine"
Q_TEXTOK = ("TexTok with a vanilla DiT generator achieves state-of-the-art FID scores of 1.46 and 1.62 "
            "on ImageNet-256 and -512 respectively.")  # fmt: skip
Q_TEXTOK_B = "TexTok with a vanilla DiT generator achieves FID scores of 1.46 and 1.62 on ImageNet-256 and -512 respectively."
Q_RECON = "Compared to the conventional tokenizer, TexTok improves reconstruction FID by 29.2% on ImageNet-256."
Q_FAST = "Our sampler, FastGen, reaches FID<2 on ImageNet-256, and our re-run of TexTok gives an FID of 1.50 on ImageNet-256."
Q_SPEED = "FastGen is also 2.91x faster than its teacher."
Q_DOCS = "DocReader scores 78.4% on OCRBench and 0.896 ANLS on DocVQA, with a 7-fold reduction in FLOPs."
Q_TIED = "TieNet reaches an FID of 1.50 on ImageNet-256 and an rFID of 0.55 on COCO."


def sample_records() -> list[Record]:
    """The handmade record set: ties, a conflict, a bound, a delta, a merge, conversions."""
    fid = dict(benchmark="fid", metric="FID")
    return [
        record(SOURCE_A, TEXTOK, Q_TEXTOK, "1.46", model="TexTok", dataset="ImageNet-256", value=1.46, **fid),
        record(SOURCE_A, TEXTOK, Q_TEXTOK, "1.62", model="TexTok", dataset="ImageNet-512", value=1.62, **fid),
        record(SOURCE_A, TEXTOK, Q_RECON, "29.2%", benchmark="fid", metric="rFID", kind="delta", unit="percent",
               model="TexTok", dataset="ImageNet-256", value=29.2, baseline_model="conventional tokenizer"),
        record(SOURCE_A, FAST, Q_FAST, "2", kind="bound", qualifier="<", model="FastGen",
               dataset="ImageNet-256", value=2.0, **fid),
        record(SOURCE_A, FAST, Q_FAST, "1.50", model="TexTok", dataset="ImageNet-256", value=1.5, **fid),
        record(SOURCE_A, FAST, Q_SPEED, "2.91x", benchmark="speedup", metric="speedup", model="FastGen",
               value=2.91, baseline_model="its teacher", context="sampling"),
        record(SOURCE_A, DOCS, Q_DOCS, "78.4%", benchmark="ocrbench", metric="score", model="DocReader", value=784.0),
        record(SOURCE_A, DOCS, Q_DOCS, "0.896", benchmark="docvqa", metric="ANLS", model="DocReader", value=89.6),
        record(SOURCE_A, DOCS, Q_DOCS, "7-fold", benchmark="flops", metric="FLOPs reduction", model="DocReader",
               value=85.7142857143),
        # The same paper in a second source, read with a different context: merged on the board.
        record(SOURCE_B, TEXTOK, Q_TEXTOK_B, "1.46", model="TexTok", dataset="ImageNet-256", value=1.46,
               context="DiT", **fid),
        record(SOURCE_B, TIED, Q_TIED, "1.50", model="TieNet", dataset="ImageNet-256", value=1.5, **fid),
        record(SOURCE_B, TIED, Q_TIED, "0.55", benchmark="fid", metric="rFID", model="TieNet", dataset="COCO",
               value=0.55),
    ]  # fmt: skip


def sample_rejections() -> list[Rejection]:
    quote = Q_TEXTOK
    start = TEXT_A.index(quote) + quote.index("-512")
    return [
        Rejection(source=SOURCE_A, paper=TEXTOK, paper_id="2412.05796", span=(start, start + 4), reported="-512",
                  benchmark="fid", rule="fid", reason="out of range: -512 is below 0", quote=quote),
        Rejection(source=SOURCE_B, paper=TIED, span=(0, 4), reported="0", reason="no benchmark in the sentence",
                  quote="Tied"),
    ]  # fmt: skip


def write_sources(root: Path) -> None:
    for name, text in TEXTS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


@dataclass
class FakeReport:
    files_read: int = 2
    entries: int = 5
    problems: list[Any] = field(default_factory=list)


@dataclass
class FakeResult:
    records: list[Record]
    rejections: list[Rejection]
    report: FakeReport = field(default_factory=FakeReport)
    papers: int = 4
    rules: dict[str, Any] = field(default_factory=lambda: dict(RULES))


def sample_result(**changes: Any) -> FakeResult:
    result = FakeResult(records=sorted(sample_records(), key=lambda r: r.id), rejections=sample_rejections())
    for name, value in changes.items():
        setattr(result, name, value)
    return result


def install_pipeline(monkeypatch: Any, result: FakeResult | Any) -> list[dict[str, Any]]:
    """Replace ``leaderboard.pipeline`` by a fake whose ``run`` returns ``result``; return its calls."""
    calls: list[dict[str, Any]] = []

    def run(sources: Any, *, rules_dir: Any = "rules", format: Any = None, progress: bool = False) -> Any:
        calls.append({"sources": list(sources), "rules_dir": rules_dir, "format": format, "progress": progress})
        if isinstance(result, BaseException):
            raise result
        return result

    module = types.ModuleType("leaderboard.pipeline")
    module.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "leaderboard.pipeline", module)
    return calls


def simple_record(
    model: str | None,
    value: float,
    *,
    paper: str = "Paper One",
    reported: str | None = None,
    benchmark: str = "fid",
    metric: str = "FID",
    dataset: str | None = "ImageNet-256",
    source: str = "corpus/simple.txt",
    **fields: Any,
) -> Record:
    """A record quoting a one-sentence abstract of its own (for board tests)."""
    reported = f"{value:g}" if reported is None else reported
    quote = f"{model or 'Our method'} reaches {reported} on the benchmark."
    return record(source, paper, quote, reported, benchmark=benchmark, text=f"{paper}\n\n{quote}\n",
                  metric=metric, model=model, dataset=dataset, value=value, **fields)  # fmt: skip
