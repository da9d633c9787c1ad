"""Split an abstract into sentences, keeping each one's character offsets.

Abbreviations (e.g., i.e., vs., et al., Fig.), decimals (1.46) and versions
(v1.5) do not end a sentence; a period, ``!`` or ``?`` followed by space and an
upper-case letter, digit or opening bracket does.

>>> [s.text for s in split_sentences("FID is 1.46, e.g. on COCO. It is 2x faster.")]
['FID is 1.46, e.g. on COCO.', 'It is 2x faster.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]

_ABBREVIATIONS = {
    "e.g", "i.e", "vs", "etc", "al", "fig", "figs", "eq", "eqs", "sec", "cf", "approx", "resp", "no", "ref",
    "refs", "viz", "incl", "tab", "e.t.c", "w.r.t", "v.s", "a.k.a", "appx", "st", "nd", "rd", "th", "dr", "mr",
}
_BOUNDARY = re.compile(r"[.!?](?:[\"')\]]+)?(?=\s+[\"'(\[]?[A-Z0-9$\\])|\n\s*\n")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it starts and ends in the abstract."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with their offsets in ``text``."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if text[match.start()] == "." and _is_abbreviation(text[start : match.start() + 1]):
            continue
        _add(sentences, text, start, end)
        start = end
    _add(sentences, text, start, len(text))
    return sentences


def _is_abbreviation(chunk: str) -> bool:
    """Whether the word before the final period of ``chunk`` is an abbreviation or an initial.

    The word is the trailing run of ASCII letters and periods, from its first
    letter (read from the end: a search from the left would be quadratic).
    """
    start = len(chunk)
    while start and chunk[start - 1] in _WORD_CHARS:
        start -= 1
    word = chunk[start:].strip(".").lower()
    if not word:
        return False
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(text[start:end], start, end))
