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
from collections.abc import Callable
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

    ``tokenize`` builds its tokens field by field (``_token``, ``_word``,
    ``_add_ascii_words``): the same token as calling the class, without its
    two Python calls per word. A new field must be set there too.
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
    """
    noisy = "\\" in sentence or "$" in sentence or "{" in sentence or "}" in sentence  # else nothing to drop
    ascii_text = sentence.isascii()
    tokens: list[Token] = []
    position = start
    for span in [*spans, None]:
        gap_end = end if span is None else span.start
        if ascii_text:
            _add_ascii_words(sentence[position:gap_end], position, noisy, tokens)
        else:
            _add_words(sentence[position:gap_end], position, noisy, _SPLIT_WORDS, tokens)
        if span is not None:
            tokens.append(span)
            position = span.end
    return tokens


def _add_words(text: str, offset: int, noisy: bool, split: Callable[[str], list[str]], tokens: list[Token]) -> None:
    """Append to ``tokens`` the word tokens of ``text``, which starts at ``offset`` in its sentence.

    ``split`` splits by ``_WORD``, kept: the pieces alternate between what lies before a word (only white
    space and "_" start no word) and the word, so the offsets follow from the lengths alone. With ``noisy``
    set, LaTeX left-overs are dropped.
    """
    pieces = iter(split(text))
    for skipped, word in zip(pieces, pieces):  # the text after the last word is left over
        offset += len(skipped)
        if not (noisy and (word in _LATEX_NOISE or (word[0] == "\\" and word != "\\%"))):
            tokens.append(_word(word, offset))
        offset += len(word)


def _add_ascii_words(text: str, offset: int, noisy: bool, tokens: list[Token]) -> None:
    """``_add_words`` for ASCII text, a chunk between spaces at a time.

    ``_WORD`` matches no space, so each chunk holds whole words, found as in the whole text. A chunk of
    letters only, as most are, is one word whole (``_WORD``'s first branch takes them all), and is no LaTeX;
    so is one followed by a comma, period, colon or semicolon, then that mark (which no branch but the last
    takes). Neither needs the pattern; the other chunks go to ``_add_words``.
    """
    new = object.__new__
    append = tokens.append
    for chunk in text.split(" "):
        if chunk.isalpha():
            token = new(Token)  # _word(chunk, offset), inline: most words are these
            token.kind = "w"
            token.text = chunk
            token.start = offset
            offset += len(chunk)
            token.end = offset
            token.number = None
            token.mentions = []
            token.lower = chunk.lower()
            append(token)
        elif chunk[-1:] in _CLOSING_MARKS and chunk[:-1].isalpha():
            append(_word(chunk[:-1], offset))
            offset += len(chunk)
            append(_word(chunk[-1], offset - 1))
        else:
            if chunk:
                _add_words(chunk, offset, noisy, _SPLIT_ASCII_WORDS, tokens)
            offset += len(chunk)
        offset += 1  # the space


def _word(text: str, start: int) -> Token:
    """``Token("w", text, start, start + len(text))``, built field by field: calling ``Token`` costs two Python
    calls (``__init__``, ``__post_init__``) for each word."""
    token = _new(Token)
    token.kind = "w"
    token.text = text
    token.start = start
    token.end = start + len(text)
    token.number = None
    token.mentions = []
    token.lower = text.lower()
    return token


_new = object.__new__


def _words(sentence: str, start: int, end: int) -> list[Token]:
    r"""Word tokens between two spans (see ``_with_words``).

    >>> text = "an FID of $2.1$ {\\sc x}"
    >>> [t.text for t in _words(text, 0, len(text))]
    ['an', 'FID', 'of', '2.1', 'x']
    """
    return _with_words(sentence, [], start, end)


_LATEX_NOISE = frozenset({"$", "{", "}"})
_CLOSING_MARKS = frozenset(",.:;")
_START = attrgetter("start")

#: ``_WORD`` for ASCII text, with its classes spelled out as ranges: the same matches, found faster
#: (``re`` tests a range against a bitmap, a class such as ``\w`` character by character).
#: ``\s`` in a ``str`` pattern takes ``\x1c``-``\x1f`` too.
_ASCII_W = "A-Za-z0-9_"  # \w
_ASCII_S = "\\t-\\r\\x1c-\\x1f "  # \s
_ASCII_WORD = re.compile(
    rf"[A-Za-z][{_ASCII_W}'’\-^]*(?:/[{_ASCII_W}\-]+)*|[0-9][{_ASCII_W}.\-]*|\\%|\\[A-Za-z]+|[^{_ASCII_S}{_ASCII_W}]"
)
_SPLIT_WORDS = re.compile(f"({_WORD.pattern})").split
_SPLIT_ASCII_WORDS = re.compile(f"({_ASCII_WORD.pattern})").split
