"""The fast paths of attribution and sentence splitting give what the plain patterns give.

`base_models`, `method_name`, `context_words` and `split_sentences` try their patterns only where a match can
start, or skip them when a cheap test proves there is none; `_capitalised` and `is_name` test in a cheaper
order. Each is compared here with the plain form it replaced, on the corpus and on random splices of its
sentences with the cue words the fast paths look for.
"""

from __future__ import annotations

import random
import re

import pytest

from leaderboard.extract import attribution
from leaderboard.extract.sentences import _ABBREVIATIONS, _WORD_CHARS, split_sentences
from leaderboard.sources import read_papers

_CUES = [
    "applied to", "Applied To", "applying it to", "integrated with", "integrated into", "plugged into", "on top of",
    "implementing", "inference time of", "training time of", "latency of", "FLOPs of", "GFLOPs of", "cost of",
    "throughput of", "results with", "when used with", "equipped with", "enhanced with", "augmented with",
    "accelerates", "speeds up", "replacing", "models such as", "LLMs including", "VLMs like", "e.g.", "e.g.,", "i.e.",
    "et al.", "Fig.", "vs.", "a.k.a.", "approx.", "U.S.", "x.", "..e.g.", "abcdefghij.e.g.", "!", "?", "\n", "\n\n",
    "(", ")", '"', "GPT-4", "LLaVA-1.5", "3.5", "2x", "(DiT)", "Diffusion Transformer (DiT)", "the original DiT",
    "we propose", "called", "named", "dubbed", "coined", "introduce", "presents", "prefill", "decoding",
    "pre-training", "pretrain", "trains", "inference", "appl\u0130ed to", "appl\u0131ed to", "é", "Σ", "\ud800",
]


@pytest.fixture(scope="module")
def abstracts() -> list[str]:
    return [paper.abstract for paper in read_papers(["corpus"])]


@pytest.fixture(scope="module")
def texts(abstracts: list[str]) -> list[str]:
    """Corpus sentences, and random splices of their words with the cues."""
    sentences = [s.text for abstract in abstracts for s in split_sentences(abstract)]
    words = [word for sentence in sentences for word in sentence.split()]
    rng = random.Random(7)
    spliced = []
    for _ in range(3000):
        parts = [rng.choice(_CUES) if rng.random() < 0.4 else rng.choice(words) for _ in range(rng.randint(3, 30))]
        spliced.append("".join(rng.choice([" ", " ", "", "\n", ". ", ", "]) + part for part in parts)[1:])
    return sentences + spliced


def _plain_base_matches(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in (attribution._BASE_BEFORE, attribution._BASE_AFTER) for m in pattern.finditer(sentence)]


def test_base_model_matches_are_the_plain_patterns_matches(texts: list[str]) -> None:
    for text in texts:
        assert [m.span() for m in attribution._base_matches(text)] == _plain_base_matches(text), text


def test_declarations_are_the_plain_patterns_matches(abstracts: list[str], texts: list[str]) -> None:
    for text in abstracts + texts:
        fast = attribution._matches_from(attribution._DECLARED, text, attribution._declaration_starts(text))
        assert [m.span() for m in fast] == [m.span() for m in attribution._DECLARED.finditer(text)], text


def test_capitalised_words(abstracts: list[str], texts: list[str]) -> None:
    for text in abstracts + texts:
        plain = frozenset(w.rstrip(".") for w in re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w.\-^+]*", text))
        assert attribution._capitalised.__wrapped__(text) == plain, text


def _plain_context(sentence: str, declared: str | None, near: int) -> str | None:
    lower = sentence.lower()
    found = [(abs(m.start() - near), label) for key, label, _ in attribution._CONTEXTS for m in key.finditer(lower)]
    setting = min(found)[1] if found else None
    if declared is None or setting == declared:
        return setting
    return f"{declared}, training" if setting == "training" else declared


def test_context_words(texts: list[str]) -> None:
    for text in texts:
        for declared, near in ((None, 0), ("compute", len(text) // 2), ("training", len(text))):
            assert attribution.context_words(text, declared, near) == _plain_context(text, declared, near), text


def _plain_is_name(word: str, known: frozenset[str]) -> bool:
    if not attribution._NAME.match(word) or word.lower() in attribution._GENERIC or attribution.is_modifier(word):
        return False
    if attribution._PLURAL_ACRONYM.match(word):
        return False
    return any(ch.isupper() or ch.isdigit() for ch in word[1:]) or word in known


def test_is_name(texts: list[str]) -> None:
    known = frozenset({"Imagen", "Vary"})
    words = {word for text in texts for word in text.split()} | {"Ǆa", "aǅ", "a²", "a\U0001d400", "Ab\n", "x٣"}
    for word in words:
        assert attribution.is_name(word, known) == _plain_is_name(word, known), word


_PLAIN_BOUNDARY = re.compile(r"[.!?](?:[\"')\]]+)?(?=\s+[\"'(\[]?[A-Z0-9$\\])|\n\s*\n")


def _plain_split(text: str) -> list[tuple[str, int, int]]:
    """The splitter without its fast paths: one pattern, each word read back one character at a time."""
    spans, start = [], 0
    for match in _PLAIN_BOUNDARY.finditer(text):
        if text[match.start()] == ".":
            begin = match.start()
            while begin > start and text[begin - 1] in _WORD_CHARS:
                begin -= 1
            word = text[begin : match.start() + 1].strip(".").lower()
            if word and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
                continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for begin, end in spans:
        chunk = text[begin:end]
        if chunk.strip():
            first = begin + len(chunk) - len(chunk.lstrip())
            out.append((chunk.strip(), first, first + len(chunk.strip())))
    return out


def test_split_sentences(abstracts: list[str], texts: list[str]) -> None:
    for text in abstracts + texts:
        assert [(s.text, s.start, s.end) for s in split_sentences(text)] == _plain_split(text), text
