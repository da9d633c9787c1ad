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
from string import ascii_letters

__all__ = ["Sentence", "split_sentences"]

_ABBREVIATIONS = {
    "e.g", "i.e", "vs", "etc", "al", "fig", "figs", "eq", "eqs", "sec", "cf", "approx", "resp", "no", "ref",
    "refs", "viz", "incl", "tab", "e.t.c", "w.r.t", "v.s", "a.k.a", "appx", "st", "nd", "rd", "th", "dr", "mr",
}
#: A sentence end: ".", "!" or "?" (and closing quotes or brackets) before white space and an upper-case letter,
#: digit or opening bracket; or a blank line. The pattern opens with a set of characters, which lets the search
#: skip quickly to the next candidate.
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=[.!?])[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9$\\])|(?<=\n)\s*\n)")
#: `_BOUNDARY` for a text without "!", "?" or a line break (nearly every abstract): a pattern that opens with
#: one literal character is searched faster still. It takes the white space after the end too, the period and
#: closing marks being group 1: the next sentence starts, white space stripped, where the match ends.
_PERIOD_GAP = re.compile(r"(\.[\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9$\\])")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")
#: A word that ends with this many letters is longer than any abbreviation.
_TOO_LONG = max(len(word) for word in _ABBREVIATIONS) + 1
#: Two ASCII letters no abbreviation ends with (in any case): a word that ends with them is no initial
#: (it has two letters or more) and no abbreviation.
_PLAIN_ENDINGS = frozenset(
    first + second for first in ascii_letters for second in ascii_letters
    if (first + second).lower() not in {word[-2:] for word in _ABBREVIATIONS}
)


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it starts and ends in the abstract."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with their offsets in ``text``."""
    if "!" not in text and "?" not in text and "\n" not in text:
        return _split_at_periods(text)
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        period = match.start()
        if text[period] == "." and _is_abbreviation(text, start, period):
            continue
        end = match.end()
        _add(sentences, text, start, end)
        start = end
    _add(sentences, text, start, len(text))
    return sentences


def _split_at_periods(text: str) -> list[Sentence]:
    """`split_sentences` for a text whose sentences all end with a period (no "!", "?" or line break).

    ``_PERIOD_GAP`` ends where the next sentence starts, and no white space ends a sentence, so only the first
    sentence's start and the last one's end need stripping (`_add`). `_is_abbreviation` is given the start
    after the white space rather than before it, to the same effect: the word it reads back stops at white
    space, and white space is neither a plain ending nor part of a long word.
    """
    sentences: list[Sentence] = []
    start = len(text) - len(text.lstrip())
    new = object.__new__
    plain_endings = _PLAIN_ENDINGS
    for match in _PERIOD_GAP.finditer(text):
        period, end = match.span(1)  # `_is_abbreviation`'s first test inline: most sentences end on a plain word
        if (period - 2 < start or text[period - 2 : period] not in plain_endings) and _is_abbreviation(text, start, period):
            continue
        sentence = new(Sentence)  # _sentence(text[start:end], start, end), inline
        fields = sentence.__dict__
        fields["text"] = text[start:end]
        fields["start"] = start
        fields["end"] = end
        sentences.append(sentence)
        start = match.end()
    _add(sentences, text, start, len(text))
    return sentences


def _is_abbreviation(text: str, start: int, period: int) -> bool:
    """Whether the word before the period at ``period`` is an abbreviation or an initial.

    The word is the run of ASCII letters and periods that ends with that period, within the sentence that
    begins at ``start``, read from the end (a search from the left would be quadratic). Most sentences end
    with a word whose last two letters end no abbreviation, or with a long word, told apart at once.
    """
    if period - 2 >= start and text[period - 2 : period] in _PLAIN_ENDINGS:
        return False
    tail = text[period - _TOO_LONG : period] if period - _TOO_LONG >= start else ""
    if tail.isascii() and tail.isalpha():
        return False
    begin = period
    while begin > start and text[begin - 1] in _WORD_CHARS:
        begin -= 1
    word = text[begin : period + 1].strip(".").lower()
    if not word:
        return False
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    """Add ``text[start:end]``, without its surrounding white space, unless nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(_sentence(text[start:end], start, end))


def _sentence(text: str, start: int, end: int) -> Sentence:
    """``Sentence(text, start, end)``, made about twice as fast.

    The frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``; filling the new
    instance's ``__dict__`` makes the same object (equal, same hash and repr) without those calls.
    """
    sentence = object.__new__(Sentence)
    fields = sentence.__dict__
    fields["text"] = text
    fields["start"] = start
    fields["end"] = end
    return sentence
