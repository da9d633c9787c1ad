"""A sentence as a flat list of tokens: words, numbers and rule mentions.

The grammar reads this list instead of raw characters, so its templates say
"a number, then at most three filler words, then 'on', then a benchmark"
without caring about spacing, case or punctuation.

>>> from leaderboard.extract.numbers import find_numbers
>>> [t.text for t in tokenize("78.4% accuracy on OCRBench.", find_numbers("78.4% accuracy on OCRBench."), [])]
['78.4%', 'accuracy', 'on', 'OCRBench', '.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import attrgetter

from .numbers import Number
from .vocab import Mention

__all__ = ["Token", "tokenize", "SCORE_ROLES", "EFFICIENCY_ROLES"]

SCORE_ROLES = frozenset({"name", "metric"})
EFFICIENCY_ROLES = frozenset({"speed", "time", "cost"})

_WORD = re.compile(r"[^\W\d_][\w'’\-^]*(?:/[\w\-]+)*|\d[\w.\-]*|\\%|\\[A-Za-z]+|[^\s\w]")


@dataclass(eq=False, slots=True)
class Token:
    """One token: a word (``kind`` 'w'), a number ('n') or a mention ('m').

    Tokens compare by identity: the grammar finds them in their own list
    (``tokens.index``), where no two are alike, and a field-by-field
    comparison of every token before the one sought was most of its cost.
    ``lower`` is the text in lower case, computed once.

    ``tokenize`` builds its tokens field by field (``_token``, ``_with_words``):
    the same token as calling the class, without its two Python calls per
    word. A new field must be set there too.
    """

    kind: str
    text: str
    start: int
    end: int
    number: Number | None = None
    mentions: list[Mention] = field(default_factory=list)
    lower: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.lower = self.text.lower()

    def roles(self, rule: str | None = None) -> set[str]:
        """The roles this mention plays (for one rule, or any)."""
        return {m.role for m in self.mentions if rule is None or m.rule == rule}

    def rules_with(self, roles: frozenset[str] | set[str]) -> list[str]:
        """Rules for which this mention plays one of ``roles``, in rule order."""
        seen: list[str] = []
        for mention in self.mentions:
            if mention.role in roles and mention.rule not in seen:
                seen.append(mention.rule)
        return seen

    def is_word(self, *words: str) -> bool:
        """A word (not a number or mention) whose lower case is one of ``words``."""
        return self.kind == "w" and self.lower in words

    def is_word_in(self, words: frozenset[str] | set[str]) -> bool:
        """``is_word`` for a prebuilt set of lower-case words: one hash look-up instead of a tuple scan."""
        return self.kind == "w" and self.lower in words


def tokenize(sentence: str, numbers: list[Number], mentions: list[Mention]) -> list[Token]:
    """Merge numbers, mentions and the words between them into one token list.

    A number wins over a mention that overlaps it; of overlapping mentions the
    one that starts first and runs longest wins, keeping every rule's reading
    of that same span.
    """
    return _with_words(sentence, _spans(numbers, mentions), 0, len(sentence))


def _spans(numbers: list[Number], mentions: list[Mention]) -> list[Token]:
    """Number and mention tokens in sentence order; mentions of one span share a token.

    A mention overlapping a span taken before it (a number, or a mention met
    earlier) is dropped, unless it covers exactly that span.
    """
    spans = [_token("n", n.reported, n.start, n.end, n, []) for n in numbers]
    covered = [(n.start, n.end) for n in numbers]
    by_span: dict[tuple[int, int], Token] = {}  # the mention token of each span
    for mention in mentions:
        key = (mention.start, mention.end)
        twin = by_span.get(key)
        if twin is not None:
            twin.mentions.append(mention)
        elif not _overlaps(covered, key):
            token = _token("m", mention.text, mention.start, mention.end, None, [mention])
            by_span[key] = token
            spans.append(token)
            covered.append(key)
    spans.sort(key=_START)
    return spans


def _token(kind: str, text: str, start: int, end: int, number: Number | None, mentions: list[Mention]) -> Token:
    """``Token(kind, text, start, end, number, mentions)`` without the dataclass ``__init__`` and ``__post_init__`` calls."""
    token = object.__new__(Token)
    token.kind = kind
    token.text = text
    token.start = start
    token.end = end
    token.number = number
    token.mentions = mentions
    token.lower = text.lower()
    return token


def _overlaps(covered: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    """Whether ``span`` overlaps a covered span other than itself."""
    start, end = span
    for taken in covered:
        if taken[0] < end and start < taken[1] and taken != span:
            return True
    return False


def _with_words(sentence: str, spans: list[Token], start: int, end: int) -> list[Token]:
    """The spans, in order, with the word tokens of ``sentence[start:end]`` before, between and after them.

    The words of each gap are found afresh from its start, as if the span before it ended the text.
    LaTeX left-overs carry no meaning and are dropped: math delimiters and braces ("$2\\times$",
    "{\\sc FID}", "\\textbf{81.2\\%}") and commands ("\\sim") would otherwise stand between a number
    and the words that say what it is.

    ``_SKIPPED_THEN_WORD`` matches what ``_WORD`` matches, each with the characters skipped before
    it (only white space and "_" start no word), so the offsets follow from the lengths alone.
    Word tokens are built field by field: ``Token(...)`` costs two Python calls per word.
    """
    noisy = "\\" in sentence or "$" in sentence or "{" in sentence or "}" in sentence  # else nothing to drop
    findall = _SKIPPED_THEN_WORD.findall
    new = object.__new__
    tokens: list[Token] = []
    append = tokens.append
    position = start
    for span in [*spans, None]:
        gap_end = end if span is None else span.start
        for skipped, text in findall(sentence, position, gap_end):
            position += len(skipped)
            if noisy and (text in _LATEX_NOISE or (text[0] == "\\" and text != "\\%")):
                position += len(text)
                continue
            token = new(Token)
            token.kind = "w"
            token.text = text
            token.start = position
            position += len(text)
            token.end = position
            token.number = None
            token.mentions = []
            token.lower = text.lower()
            append(token)
        if span is not None:
            append(span)
            position = span.end
    return tokens


def _words(sentence: str, start: int, end: int) -> list[Token]:
    r"""Word tokens between two spans (see ``_with_words``).

    >>> text = "an FID of $2.1$ {\\sc x}"
    >>> [t.text for t in _words(text, 0, len(text))]
    ['an', 'FID', 'of', '2.1', 'x']
    """
    return _with_words(sentence, [], start, end)


_LATEX_NOISE = frozenset({"$", "{", "}"})
_SKIPPED_THEN_WORD = re.compile(r"([\s_]*)(" + _WORD.pattern + ")")
_START = attrgetter("start")
