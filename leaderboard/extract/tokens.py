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
        return self.kind == "w" and self.lower in words


def tokenize(sentence: str, numbers: list[Number], mentions: list[Mention]) -> list[Token]:
    """Merge numbers, mentions and the words between them into one token list.

    A number wins over a mention that overlaps it; of overlapping mentions the
    one that starts first and runs longest wins, keeping every rule's reading
    of that same span.
    """
    spans: list[Token] = [Token("n", n.reported, n.start, n.end, number=n) for n in numbers]
    covered = [(n.start, n.end) for n in numbers]
    for mention in mentions:
        twin = [t for t in spans if t.kind == "m" and (t.start, t.end) == (mention.start, mention.end)]
        if twin:
            twin[0].mentions.append(mention)
            continue
        if any(s < mention.end and mention.start < e for s, e in covered if (s, e) != (mention.start, mention.end)):
            same = [t for t in spans if t.kind == "m" and (t.start, t.end) == (mention.start, mention.end)]
            if same:
                same[0].mentions.append(mention)
            continue
        spans.append(Token("m", mention.text, mention.start, mention.end, mentions=[mention]))
        covered.append((mention.start, mention.end))
    spans.sort(key=lambda t: t.start)
    tokens: list[Token] = []
    position = 0
    for span in spans:
        tokens.extend(_words(sentence, position, span.start))
        tokens.append(span)
        position = span.end
    tokens.extend(_words(sentence, position, len(sentence)))
    return tokens


def _words(sentence: str, start: int, end: int) -> list[Token]:
    """Word tokens between two spans; LaTeX left-overs carry no meaning and are dropped.

    Math delimiters and braces ("$2\\times$", "{\\sc FID}", "\\textbf{81.2\\%}") and commands ("\\sim")
    would otherwise stand between a number and the words that say what it is.
    """
    return [
        Token("w", m.group(0), m.start(), m.end())
        for m in _WORD.finditer(sentence, start, end)
        if m.group(0) not in _LATEX_NOISE and not (m.group(0).startswith("\\") and m.group(0) != "\\%")
    ]


_LATEX_NOISE = frozenset({"$", "{", "}"})
