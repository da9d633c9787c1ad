"""Compile the rules' vocabulary into one matcher, once per process.

Every alias, metric name, dataset spelling and phrase of every rule goes into
one RE2 alternation (longest spelling first). `Vocabulary.scan` runs it once
over a whole abstract: most abstracts stop there, and the others get every
mention at once, handed to their sentences by offset (no spelling holds a
sentence end, so no mention crosses one and the result is the same as
scanning each sentence). Rule-supplied patterns are compiled by RE2 too: a
rule can never bring a backtracking regular expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import re2

from ..errors import LeaderboardError
from ..rulebook import LoadedRule

__all__ = ["Mention", "Scan", "Vocabulary"]


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


#: RE2's memory budget for the combined matcher: the default 8 MB holds a few dozen rules; this holds hundreds.
_OPTIONS = re2.Options()
_OPTIONS.max_mem = 256 << 20


class Vocabulary:
    """All rules' words, compiled into one case-insensitive RE2 matcher."""

    def __init__(self, rules: list[LoadedRule]) -> None:
        self._entries: dict[str, list[_Entry]] = {}
        self._patterns: list[tuple[re2._Regexp, _Entry]] = []
        for item in rules:
            self._add_rule(item)
        spellings = sorted(self._entries, key=lambda word: (-len(word), word))
        alternation = "|".join(_literal(word) for word in spellings) or "(?!x)x"
        source = rf"(?i)(?:^|[^\w])({alternation})(?:$|[^\w])"
        try:
            self._matcher = re2.compile(source, _OPTIONS) if spellings else None
            # the same pattern over UTF-8 bytes: no per-call text conversion, and
            # byte offsets are character offsets in an ASCII abstract
            self._bytes_matcher = re2.compile(source.encode("utf-8"), _OPTIONS) if spellings else None
        except re2.error as error:
            raise LeaderboardError(
                f"the rules' combined vocabulary ({len(spellings)} spellings, {len(source):,} characters) does not "
                f"compile: {error}; remove rule files or spellings (each rule is held to MAX_VOCABULARY)"
            ) from None
        # a spelling holding ".", "!" or "?" might cross a sentence end: scan sentence by sentence then
        self._per_sentence = any(_SENTENCE_END.search(word) for word in spellings)

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

    def scan(self, text: str) -> Scan | None:
        """Every mention of an abstract in one pass; None when it mentions nothing.

        Gives the same mentions, sentence by sentence, as `mentions` on each
        sentence, and selects the same sentences as `any_mention` does.
        """
        if self._per_sentence:
            return Scan(self, text, [], []) if self.any_mention(text) else None
        hits: list[int] = []
        found: list[tuple] = []
        if self._matcher is not None:
            self._scan_words(text, hits, found)
        if not hits and not any(regex.search(text) is not None for regex, _ in self._patterns):
            return None
        return Scan(self, text, hits, found)

    def _scan_words(self, text: str, hits: list[int], found: list[tuple]) -> None:
        """The loop of `mentions` over a whole text: every raw hit, and the mentions kept.

        A mention is kept as ``(start, end, entry)``, sorted as `mentions`
        sorts; `Scan` makes `Mention` objects only for the sentences asked for.
        """
        if text.isascii():  # bytes offsets are character offsets, and no text is converted per call
            matcher, successor, subject = self._bytes_matcher, _SUCCESSOR_BYTES, text.encode("ascii")
        else:
            matcher, successor, subject = self._matcher, _SUCCESSOR, text
        position, length = 0, len(text)
        while position < length:
            match = matcher.search(subject, position)
            if match is None:
                break
            start, end = match.span(1)
            hits.append(start)
            position = end
            if successor.match(subject, end) or _inside_compound(text, start):
                continue
            for entry in self._entries.get(_key(text[start:end]), ()):
                found.append((start, end, entry))
        if len(found) > 1:
            found.sort(key=_raw_order)

    def _sentence_mentions(self, text: str) -> list[Mention]:
        """Mentions of one sentence by the rules' patterns, for `Scan`."""
        found: list[Mention] = []
        for regex, entry in self._patterns:
            for match in regex.finditer(text):
                if match.end() > match.start():
                    found.append(Mention(match.start(), match.end(), match.group(0), entry.rule, entry.role))
        return found

    def any_mention(self, text: str) -> bool:
        """Whether ``text`` mentions any rule's vocabulary (the cheap first pass)."""
        if self._matcher is not None and self._matcher.search(text) is not None:
            return True
        return any(regex.search(text) is not None for regex, _ in self._patterns)


class Scan:
    """The mentions of one abstract, handed out sentence by sentence."""

    __slots__ = ("_vocabulary", "_text", "_hits", "_found", "_next_hit", "_next_found")

    def __init__(self, vocabulary: Vocabulary, text: str, hits: list[int], found: list[tuple]) -> None:
        self._vocabulary, self._text = vocabulary, text
        self._hits, self._found = hits, found
        self._next_hit = self._next_found = 0

    def sentence(self, start: int, end: int) -> list[Mention] | None:
        """The mentions of ``text[start:end]`` in its own offsets, or None when it mentions nothing.

        Sentences must be asked for left to right.
        """
        vocabulary = self._vocabulary
        if vocabulary._per_sentence:
            text = self._text[start:end]
            return vocabulary.mentions(text) if vocabulary.any_mention(text) else None
        hits, index = self._hits, self._next_hit
        while index < len(hits) and hits[index] < start:
            index += 1
        selected = index < len(hits) and hits[index] < end
        while index < len(hits) and hits[index] < end:
            index += 1
        self._next_hit = index
        found, first = self._found, self._next_found
        while first < len(found) and found[first][0] < start:
            first += 1
        last = first
        while last < len(found) and found[last][0] < end:
            last += 1
        self._next_found = last
        if not selected and not vocabulary._patterns:
            return None
        text = self._text
        mentions = [
            Mention(a - start, b - start, text[a:b], entry.rule, entry.role, entry.value, entry.context)
            for a, b, entry in found[first:last]
        ]
        if vocabulary._patterns:
            extra = vocabulary._sentence_mentions(text[start:end])
            if not selected and not extra:
                return None
            for mention in extra:
                if not any(m.start <= mention.start < m.end for m in mentions):
                    mentions.append(mention)
            mentions.sort(key=_mention_order)
        return mentions


def _raw_order(item: tuple) -> tuple:
    return (item[0], -item[1], item[2].rule, item[2].role)


def _mention_order(mention: Mention) -> tuple:
    return (mention.start, -mention.end, mention.rule, mention.role)


#: Characters that can end a sentence (see `sentences`).
_SENTENCE_END = re.compile(r"[.!?]")

#: A version marker right after a name makes it another benchmark: OCRBench v2 is not OCRBench.
_SUCCESSOR = re2.compile(r"(?:[\s-]?[vV]\d|[\s-]?(?:Pro|Plus|II|2\.0)\b|\+\+)")
_SUCCESSOR_BYTES = re2.compile(_SUCCESSOR.pattern.encode("ascii"))


def _inside_compound(text: str, start: int) -> bool:
    """A name glued by a hyphen to a word before it is part of another name: MP-DocVQA is not DocVQA.

    >>> _inside_compound("on MP-DocVQA", 6), _inside_compound("on DocVQA", 3)
    (True, False)
    """
    return start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()


@lru_cache(maxsize=8192)
def _key(word: str) -> str:
    """Spellings that differ only in case, spaces or hyphens share a key."""
    return " ".join(re.split(r"[\s-]+", word.strip().lower()))


def _literal(word: str) -> str:
    """An RE2-safe literal whose inner spaces and hyphens match loosely."""
    parts = re.split(r"[\s-]+", word.strip())
    return r"[\s-]?".join(re.escape(part) for part in parts) if len(parts) > 1 else re.escape(word.strip())
