"""`leaderboard eval`: score the records extracted from the sources against a gold file."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from tabulate import tabulate

from ..evaluate import Evaluation, Score, evaluate
from ..gold import load_gold
from ._common import DEFAULT_CORPUS, DEFAULT_RULES, fail_cleanly, warn

__all__ = ["command"]

QUOTE_WIDTH = 160
_COLUMNS = ("benchmark", "gold", "predicted", "TP", "FP", "FN", "precision", "recall", "F1", "model ok", "dataset ok")


@click.command(name="eval")
@click.option("--gold", "gold_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gold file (layout: GOLD-FORMAT.md).")
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--rules", "rules_dir", default=DEFAULT_RULES, show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder of rule files.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of tables.")
@fail_cleanly
def command(gold_path: Path, sources: tuple[Path, ...], rules_dir: Path, as_json: bool) -> None:
    """Extract records from SOURCES (default: corpus/) and score them against GOLD.

    A prediction matches a gold record when paper, benchmark, kind and metric
    agree and the value (and value_max) is within 0.5% or 0.01, the larger.
    Prints precision, recall and F1 per benchmark and overall, the share of
    matches with the right model and dataset, then every false positive and
    false negative with its quote.
    """
    gold = load_gold(gold_path)
    pipeline = importlib.import_module("leaderboard.pipeline")
    result = pipeline.run(list(sources) or [DEFAULT_CORPUS], rules_dir=rules_dir, format=None)
    evaluation = evaluate(result.records, gold, papers=_papers_read(result))
    if evaluation.missing_papers:
        shown = "; ".join(f'"{title}"' for title in evaluation.missing_papers[:5])
        more = f" and {len(evaluation.missing_papers) - 5} more" if len(evaluation.missing_papers) > 5 else ""
        warn(f"{len(evaluation.missing_papers)} of {evaluation.gold_papers} gold papers were not found in the "
             f"sources; their records count as false negatives: {shown}{more}")
    if as_json:
        document = {"gold_file": str(gold_path), **evaluation.model_dump(mode="json")}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(evaluation, gold_path))


def _papers_read(result: Any) -> list[str] | None:
    """Titles of the papers the pipeline read, when its result lists them.

    ``result.papers`` (or ``result.report.papers``) may hold `Paper` objects,
    titles or keys; a mere count says nothing about which, and gives None.
    """
    for holder in (result, getattr(result, "report", None)):
        papers = getattr(holder, "papers", None)
        if not isinstance(papers, Iterable) or isinstance(papers, (str, bytes)):
            continue
        titles = [paper if isinstance(paper, str) else getattr(paper, "title", None) for paper in papers]
        if all(isinstance(title, str) for title in titles):
            return titles  # type: ignore[return-value]
    return None


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f}%"


def _row(score: Score) -> list[object]:
    return [score.benchmark, score.gold, score.predicted, score.tp, score.fp, score.fn, _percent(score.precision),
            _percent(score.recall), _percent(score.f1), _percent(score.model_ok), _percent(score.dataset_ok)]


def _claim(benchmark: str, kind: str, metric: str, value: float, value_max: float | None, unit: str,
           model: str | None, dataset: str | None) -> str:
    number = f"{value:g}" if value_max is None else f"{value:g}..{value_max:g}"
    number += "" if unit == "1" else f" {unit}"
    return f"{benchmark} {kind} {metric} = {number} (model: {model or '-'}, dataset: {dataset or '-'})"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= QUOTE_WIDTH else text[: QUOTE_WIDTH - 3] + "..."}"'


def render_text(evaluation: Evaluation, gold_path: Path | str) -> str:
    """The plain-text report: the score table, then every false positive and false negative."""
    optional = len(evaluation.ignored)
    lines = [
        f"Gold: {gold_path} ({evaluation.gold_papers} papers, {evaluation.overall.gold} records to find, "
        f"{evaluation.optional_records} optional)",
        "",
        tabulate([_row(score) for score in (*evaluation.scores, evaluation.overall)], headers=_COLUMNS,
                 tablefmt="simple", disable_numparse=True, colalign=("left",) + ("right",) * 10),
    ]
    if optional:
        lines += ["", f"{optional} prediction{'s' if optional != 1 else ''} matched optional gold records "
                      "and are not counted."]
    lines += ["", f"False positives ({len(evaluation.false_positives)}):"]
    for fp in evaluation.false_positives:
        r = fp.record
        lines += [f"- {r.provenance.paper}",
                  f"  {_claim(r.benchmark, r.kind, r.metric, r.value, r.value_max, r.unit, r.model, r.dataset)}"
                  f": {fp.reason}",
                  f"  {_quote(r.provenance.quote)}"]
    lines += ["", f"False negatives ({len(evaluation.false_negatives)}):"]
    for fn in evaluation.false_negatives:
        g = fn.gold
        lines += [f"- {fn.paper}",
                  f"  {_claim(g.benchmark, g.kind, g.metric, g.value, g.value_max, g.unit, g.model, g.dataset)}",
                  f"  {_quote(g.quote)}"]
    wrong = [m for m in evaluation.matches if not (m.model_ok and m.dataset_ok)]
    lines += ["", f"Matched with the wrong model or dataset ({len(wrong)}):"]
    for match in wrong:
        g, r = match.gold, match.prediction
        lines += [f"- {match.paper}",
                  f"  {g.benchmark} {g.reported}: model {r.model or '-'} (gold {g.model or '-'}), "
                  f"dataset {r.dataset or '-'} (gold {g.dataset or '-'})",
                  f"  {_quote(g.quote)}"]
    return "\n".join(lines)
