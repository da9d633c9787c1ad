"""Renderers: golden files for the handmade record set, and escaping rules.

Regenerate the golden files with ``--force-regen`` and review the diff.
"""

from __future__ import annotations

import pytest
from recordkit import RULES, sample_result, simple_record

from leaderboard.board import boards
from leaderboard.build import render_reports
from leaderboard.render._cells import evidence
from leaderboard.render.latex import render_tex
from leaderboard.render.markdown import render_page
from leaderboard.ruleinfo import rule_info


@pytest.fixture(scope="module")
def reports() -> dict[str, str]:
    return render_reports(sample_result())


@pytest.mark.parametrize(
    "name",
    ["README.md", "fid.md", "fid.csv", "fid.tex", "ocrbench.md", "flops.csv", "records.jsonl", "rejections.csv"],
)
def test_golden(name: str, reports: dict[str, str], file_regression) -> None:
    stem, _, extension = name.rpartition(".")
    file_regression.check(reports[name], basename=f"sample_{stem}", extension=f".{extension}")


def test_every_benchmark_with_records_gets_three_files(reports: dict[str, str]) -> None:
    pages = {name.rpartition(".")[0] for name in reports if name.endswith((".md", ".csv", ".tex"))}
    assert pages == {"README", "docvqa", "fid", "flops", "ocrbench", "speedup", "rejections"}
    assert "geneval.md" not in reports
    assert "No records yet: geneval." in reports["README.md"]


def test_index_links_every_board_relatively(reports: dict[str, str]) -> None:
    index = reports["README.md"]
    assert "[FID](fid.md#fid--imagenet-256)" in index
    assert "[rFID](fid.md#rfid--coco)" in index
    assert "## FID — ImageNet-256" in reports["fid.md"]
    assert "http" not in index and "/work" not in index


def test_markdown_cells_escape_pipes_and_link_arxiv() -> None:
    record = simple_record("Net|v2", 1.46, paper="A | B")
    page = render_page(rule_info("fid", RULES["fid"]), boards([record], RULES))
    assert "Net\\|v2" in page and "A \\| B" in page
    rows = [line for line in page.splitlines() if line.startswith("| 1 ")]
    assert len(rows) == 1 and rows[0].count(" | ") == 6  # seven columns, no stray separators
    assert "[Language-Guided Image Tokenization for Generation](https://arxiv.org/abs/2412.05796)" in (
        render_reports(sample_result())["fid.md"]
    )


def test_evidence_is_short_and_bolds_the_reported_number() -> None:
    quote = "In a long preamble " * 10 + "we reach an FID of 1.46 on ImageNet" + " and then say much more" * 10
    text = evidence(quote, "1.46", quote.index("1.46"))
    assert "**1.46**" in text
    assert text.startswith("…") and text.endswith("…")
    assert len(text.replace("**", "")) <= 122


def test_evidence_uses_the_span_not_the_first_occurrence() -> None:
    quote = "FID of 1.5 at 256px and 1.5 at 512px."
    assert evidence(quote, "1.5", quote.rindex("1.5")) == "FID of 1.5 at 256px and **1.5** at 512px."


def test_latex_is_a_complete_escaped_table() -> None:
    record = simple_record("Net_v2 & co", 1.46, paper="A 100% Paper")
    tex = render_tex(rule_info("fid", RULES["fid"]), boards([record], RULES))
    assert tex.count(r"\begin{table}") == tex.count(r"\end{table}") == 1
    assert r"\toprule" in tex and r"\bottomrule" in tex and r"\caption{" in tex and r"\label{" in tex
    assert r"Net\_v2 \& co" in tex and r"A 100\% Paper" in tex


def test_csv_keeps_full_precision_and_provenance(reports: dict[str, str]) -> None:
    header, first = reports["flops.csv"].splitlines()[:2]
    for column in ("source", "source_sha256", "span_start", "span_end", "quote", "rule", "rule_sha256", "version",
                   "record_id"):  # fmt: skip
        assert column in header.split(",")
    assert "85.7142857143" in first and ",85.7," in first
