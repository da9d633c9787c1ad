"""Compile the rules' vocabulary into one matcher, once per process.

Every alias, metric name, dataset spelling and phrase of every rule goes into
one RE2 alternation (longest spelling first), so one pass over a sentence
finds every mention, and one pass over an abstract tells whether it mentions
anything at all. Rule-supplied patterns are compiled by RE2 too: a rule can
never bring a backtracking regular expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import re2

from ..rulebook import LoadedRule

__all__ = ["Mention", "Vocabulary"]


@dataclass(frozen=True)
class Mention:
    """A span of a sentence that names something a rule knows."""

    start: int
    end: int
    text: str
    rule: str
    role: str  # name, metric, dataset, speed, time, cost
    value: str | None = None  # metric or dataset canonical name
    context: str | None = None


@dataclass(frozen=True)
class _Entry:
    rule: str
    role: str
    value: str | None
    context: str | None


class Vocabulary:
    """All rules' words, compiled into one case-insensitive RE2 matcher."""

    def __init__(self, rules: list[LoadedRule]) -> None:
        self._entries: dict[str, list[_Entry]] = {}
        self._patterns: list[tuple[re2._Regexp, _Entry]] = []
        for item in rules:
            self._add_rule(item)
        spellings = sorted(self._entries, key=lambda word: (-len(word), word))
        alternation = "|".join(_literal(word) for word in spellings) or "(?!x)x"
        self._matcher = re2.compile(rf"(?i)(?:^|[^\w])({alternation})(?:$|[^\w])") if spellings else None

    def _add_rule(self, item: LoadedRule) -> None:
        rule = item.rule
        for phrase in rule.phrases:
            for word in phrase.words:
                self._add(word, _Entry(rule.id, phrase.role, None, phrase.context))
        for metric in rule.metrics:
            for word in metric.aliases:
                self._add(word, _Entry(rule.id, "metric", metric.name, None))
        for dataset in rule.datasets:
            for word in [dataset.name, *dataset.aliases]:
                self._add(word, _Entry(rule.id, "dataset", dataset.name, None))
        for pattern in rule.patterns:
            self._patterns.append((re2.compile(pattern), _Entry(rule.id, "name", None, None)))

    def _add(self, word: str, entry: _Entry) -> None:
        entries = self._entries.setdefault(_key(word), [])
        if entry not in entries:
            entries.append(entry)

    def mentions(self, text: str) -> list[Mention]:
        """Every mention in ``text``, left to right, longest spelling first at a place."""
        found: list[Mention] = []
        if self._matcher is not None:
            position = 0
            while position < len(text):
                match = self._matcher.search(text, position)
                if match is None:
                    break
                start, end = match.start(1), match.end(1)
                if _SUCCESSOR.match(text, end) or _inside_compound(text, start):
                    position = end
                    continue
                for entry in self._entries.get(_key(text[start:end]), []):
                    found.append(Mention(start, end, text[start:end], entry.rule, entry.role, entry.value, entry.context))
                position = end
        for regex, entry in self._patterns:
            for match in regex.finditer(text):
                if match.end() > match.start() and not any(m.start <= match.start() < m.end for m in found):
                    found.append(Mention(match.start(), match.end(), match.group(0), entry.rule, entry.role))
        return sorted(found, key=lambda m: (m.start, -m.end, m.rule, m.role))

    def any_mention(self, text: str) -> bool:
        """Whether ``text`` mentions any rule's vocabulary (the cheap first pass)."""
        if self._matcher is not None and self._matcher.search(text) is not None:
            return True
        return any(regex.search(text) is not None for regex, _ in self._patterns)


#: A version marker right after a name makes it another benchmark: OCRBench v2 is not OCRBench.
_SUCCESSOR = re2.compile(r"(?:[\s-]?[vV]\d|[\s-]?(?:Pro|Plus|II|2\.0)\b|\+\+)")


def _inside_compound(text: str, start: int) -> bool:
    """A name glued by a hyphen to a word before it is part of another name: MP-DocVQA is not DocVQA.

    >>> _inside_compound("on MP-DocVQA", 6), _inside_compound("on DocVQA", 3)
    (True, False)
    """
    return start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()


def _key(word: str) -> str:
    """Spellings that differ only in case, spaces or hyphens share a key."""
    return " ".join(re.split(r"[\s-]+", word.strip().lower()))


def _literal(word: str) -> str:
    """An RE2-safe literal whose inner spaces and hyphens match loosely."""
    parts = re.split(r"[\s-]+", word.strip())
    return r"[\s-]?".join(re.escape(part) for part in parts) if len(parts) > 1 else re.escape(word.strip())
