"""Compile the rules' vocabulary into one matcher, once per process.

Every alias, metric name, dataset spelling and phrase of every rule goes into
one RE2 alternation (longest spelling first). `Vocabulary.scan` runs it once
over a whole abstract: most abstracts stop there, and the others get every
mention at once, handed to their sentences by offset (no spelling holds a
sentence end, so no mention crosses one and the result is the same as
scanning each sentence). In an ASCII abstract, when every spelling begins
and ends with a word character, a twin of the matcher bounded by ``\b``
and without groups gives every hit in one pass. Each search goes straight to
RE2's binding, and a non-ASCII abstract is converted to UTF-8 once, not at
every search. Rule-supplied patterns are compiled by RE2 too: a rule can never
bring a backtracking regular expression.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial

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
        building: dict[str, list[_Entry]] = {}
        self._patterns: list[tuple[re2._Regexp, _Entry]] = []
        for item in rules:
            self._add_rule(item, building)
        # a spelling's entries in the order mentions are sorted (rule, then role; stable): a scan's come out sorted
        self._entries: dict[str, tuple[_Entry, ...]] = {
            key: tuple(sorted(entries, key=_entry_order)) for key, entries in building.items()
        }
        spellings = sorted(self._entries, key=lambda word: (-len(word), word))
        alternation = "|".join(_literal(word) for word in spellings) or "(?!x)x"
        source = rf"(?i)(?:^|[^\w])({alternation})(?:$|[^\w])"
        self._finder = self._bytes_matcher = None
        try:
            self._matcher = re2.compile(source, _OPTIONS) if spellings else None
            if spellings:
                # the same pattern over UTF-8 bytes: an abstract is converted once, not at every search, and
                # byte offsets are character offsets in an ASCII abstract
                self._bytes_matcher = re2.compile(source.encode("utf-8"), _OPTIONS)
                self._bytes_search = _binding_search(self._bytes_matcher)
            if spellings and all(_word_bounded(word) for word in spellings):
                # every spelling begins and ends with an ASCII word character: in ASCII text, word boundaries
                # are the characters around a hit, and a pattern without groups gives every hit in one finditer
                self._finder = _compile_finder(alternation)
                self._finder_search = _binding_search(self._finder)
        except re2.error as error:
            raise LeaderboardError(
                f"the rules' combined vocabulary ({len(spellings)} spellings, {len(source):,} characters) does not "
                f"compile: {error}; remove rule files or spellings (each rule is held to MAX_VOCABULARY)"
            ) from None
        # a spelling holding ".", "!" or "?" might cross a sentence end: scan sentence by sentence then
        self._per_sentence = any(_SENTENCE_END.search(word) for word in spellings)

    def _add_rule(self, item: LoadedRule, building: dict[str, list[_Entry]]) -> None:
        rule = item.rule
        for phrase in rule.phrases:
            for word in phrase.words:
                _add(building, word, _Entry(rule.id, phrase.role, None, phrase.context))
        for metric in rule.metrics:
            for word in metric.aliases:
                _add(building, word, _Entry(rule.id, "metric", metric.name, None))
        for dataset in rule.datasets:
            for word in [dataset.name, *dataset.aliases]:
                _add(building, word, _Entry(rule.id, "dataset", dataset.name, None))
        for pattern in rule.patterns:
            self._patterns.append((re2.compile(pattern), _Entry(rule.id, "name", None, None)))

    def mentions(self, text: str) -> list[Mention]:
        """Every mention in ``text``, left to right, longest spelling first at a place."""
        found: list[Mention] = []
        if self._matcher is not None:
            hits: list[int] = []
            kept: list[tuple[int, tuple[_Entry, ...]]] = []
            self._scan_words(text, hits, kept)
            found = [_mention(a, b, text[a:b], entry) for a, (b, entries) in zip(hits, kept) for entry in entries]
        for regex, entry in self._patterns:
            for match in regex.finditer(text):
                if match.end() > match.start() and not any(m.start <= match.start() < m.end for m in found):
                    found.append(Mention(match.start(), match.end(), match.group(0), entry.rule, entry.role))
        return sorted(found, key=_mention_order)

    def scan(self, text: str) -> Scan | None:
        """Every mention of an abstract in one pass; None when it mentions nothing.

        Gives the same mentions, sentence by sentence, as `mentions` on each
        sentence, and selects the same sentences as `any_mention` does.
        """
        if self._per_sentence:
            return Scan(self, text, [], []) if self.any_mention(text) else None
        hits: list[int] = []
        kept: list[tuple[int, tuple[_Entry, ...]]] = []
        if self._matcher is not None:
            self._scan_words(text, hits, kept)
        if hits or self._patterns and any(regex.search(text) is not None for regex, _ in self._patterns):
            return Scan(self, text, hits, kept)
        return None

    def _scan_words(self, text: str, hits: list[int], kept: list[tuple[int, tuple[_Entry, ...]]]) -> None:
        """Every raw hit of the words in ``text``: its start in ``hits``, and ``(end, entries)`` in ``kept``.

        Hits come left to right and do not overlap, and a spelling's entries
        are sorted, so the mentions come in the order `mentions` sorts them;
        `Scan` makes `Mention` objects only for the sentences asked for. A hit
        followed by a version marker or glued into a compound keeps no entry,
        but it still selects its sentence.
        """
        if text.isascii():  # bytes offsets are character offsets, and no text is converted per call
            subject: str | bytes = text.encode("ascii")
            successor = _SUCCESSOR_BYTES
            if self._finder is not None:
                spans = _finder_spans(self._finder_search, subject)
            else:
                spans = _group_spans(self._bytes_search, subject)
        else:
            subject, successor = text, _SUCCESSOR
            encoded = text.encode("utf-8")
            spans = _character_spans(encoded, _group_spans(self._bytes_search, encoded))
        entries = self._entries
        for start, end in spans:
            hits.append(start)
            if _may_succeed(text, end) and successor.match(subject, end) or _inside_compound(text, start):
                kept.append((end, ()))
            else:
                kept.append((end, entries.get(_key(text[start:end]), ())))

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

    __slots__ = ("_vocabulary", "_text", "_hits", "_kept", "_next_hit", "_words_only")

    def __init__(self, vocabulary: Vocabulary, text: str, hits: list[int], kept: list[tuple[int, tuple[_Entry, ...]]]) -> None:
        self._vocabulary, self._text = vocabulary, text
        self._hits, self._kept = hits, kept  # see `Vocabulary._scan_words`
        self._next_hit = 0
        # no rule patterns and no sentence-by-sentence scan: only the hits select a sentence
        self._words_only = not vocabulary._patterns and not vocabulary._per_sentence

    def datasets_only(self) -> bool:
        """Whether every mention of the abstract is of a dataset (known without asking sentence by sentence).

        A number is bound to a benchmark's name, metric or efficiency word, never to a dataset alone, so such
        an abstract gives nothing. False whenever the rules' patterns or a per-sentence scan could add
        mentions that the word hits do not show.
        """
        return self._words_only and all(entry.role == "dataset" for _, entries in self._kept for entry in entries)

    def sentence(self, start: int, end: int) -> list[Mention] | None:
        """The mentions of ``text[start:end]`` in its own offsets, or None when it mentions nothing.

        Sentences must be asked for left to right.
        """
        hits, index = self._hits, self._next_hit
        if self._words_only and (index == len(hits) or hits[index] >= end >= start):
            return None  # the next hit is past this sentence (most sentences)
        vocabulary = self._vocabulary
        if vocabulary._per_sentence:
            text = self._text[start:end]
            return vocabulary.mentions(text) if vocabulary.any_mention(text) else None
        first = bisect_left(hits, start, index)
        last = self._next_hit = bisect_left(hits, end, first)
        selected = last > first
        if not selected and not vocabulary._patterns:
            return None
        text = self._text
        mentions = [
            _mention(a - start, b - start, text[a:b], entry)
            for a, (b, entries) in zip(hits[first:last], self._kept[first:last])
            for entry in entries
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


def _mention(start: int, end: int, text: str, entry: _Entry) -> Mention:
    """``Mention(start, end, text, entry.rule, entry.role, entry.value, entry.context)``, made twice as fast.

    The frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``; filling the new
    instance's ``__dict__`` (in field order) makes the same object (equal, same hash and repr) without those calls.
    """
    mention = object.__new__(Mention)
    fields = mention.__dict__
    fields["start"] = start
    fields["end"] = end
    fields["text"] = text
    fields["rule"] = entry.rule
    fields["role"] = entry.role
    fields["value"] = entry.value
    fields["context"] = entry.context
    return mention


def _entry_order(entry: _Entry) -> tuple[str, str]:
    """How the mentions of one hit are sorted (after their place, the same for all of them)."""
    return (entry.rule, entry.role)


def _mention_order(mention: Mention) -> tuple:
    """How `mentions` sorts: by place, longest first, then rule and role."""
    return (mention.start, -mention.end, mention.rule, mention.role)


#: Characters that can end a sentence (see `sentences`).
_SENTENCE_END = re.compile(r"[.!?]")

#: A version marker right after a name makes it another benchmark: OCRBench v2 is not OCRBench.
_SUCCESSOR = re2.compile(r"(?:[\s-]?[vV]\d|[\s-]?(?:Pro|Plus|II|2\.0)\b|\+\+)")
_SUCCESSOR_BYTES = re2.compile(_SUCCESSOR.pattern.encode("ascii"))
#: A `_SUCCESSOR` match starts with one of these, or has one second (after a space or hyphen).
_SUCCESSOR_LEADS = frozenset("vVPI2+")


def _may_succeed(text: str, end: int) -> bool:
    """Whether `_SUCCESSOR` may match at ``end`` (a cheap test that rules out most hits).

    >>> _may_succeed("OCRBench v2", 8), _may_succeed("OCRBench and", 8)
    (True, False)
    """
    return text[end : end + 1] in _SUCCESSOR_LEADS or text[end + 1 : end + 2] in _SUCCESSOR_LEADS


#: The finder's options where every spelling is Latin-1 (see `_compile_finder`).
_LATIN1_OPTIONS = re2.Options()
_LATIN1_OPTIONS.max_mem = _OPTIONS.max_mem
_LATIN1_OPTIONS.encoding = re2.Options.Encoding.LATIN1


def _compile_finder(alternation: str) -> re2._Regexp:
    """The groupless finder, bounded by ``\\b``, that scans ASCII abstracts (as bytes) only.

    RE2 steps a Latin-1 matcher through text about 6% faster than a UTF-8 one, and on ASCII text both
    find the same hits: ``\\b`` and ``\\s`` are ASCII in both, and under ``(?i)`` a character matches the
    members of its case orbit, of which ASCII text holds only the ASCII ones. An ASCII character's are its
    two cases in both encodings; a non-ASCII Latin-1 character's orbit has none (the only orbits that join
    ASCII to more are k-K-U+212A and s-S-U+017F, outside Latin-1), so it matches nothing there in either.
    A spelling outside Latin-1 (U+212A or U+017F among others) keeps the UTF-8 finder.
    """
    source = rf"(?i)\b(?:{alternation})\b"
    try:
        return re2.compile(source.encode("latin-1"), _LATIN1_OPTIONS)
    except UnicodeEncodeError:
        return re2.compile(source.encode("utf-8"), _OPTIONS)


#: A search of RE2's binding: ``(anchor, subject, pos, endpos)`` to the span of the match and of each group,
#: ``(-1, -1)`` for none. The `re2` module's ``search`` calls it, and wraps what it gives in a match object.
_Search = Callable[[object, bytes, int, int], list[tuple[int, int]]]
_UNANCHORED = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)


def _binding_search(regexp: re2._Regexp) -> _Search:
    """The search of RE2's binding under ``regexp.search``, without the module's work at each call.

    The module's ``search`` checks its offsets (and converts a ``str`` to UTF-8, and offsets back, each
    time) and wraps the spans in a match object: a call costs ~1.2 us where the binding's costs ~0.45 us.
    Where an `re2` keeps its binding elsewhere, the same answers come from the module's own ``search``.
    """
    search = getattr(getattr(regexp, "_regexp", None), "Match", None)
    if _UNANCHORED is not None and callable(search):
        return search
    return partial(_module_search, regexp)


def _module_search(regexp: re2._Regexp, anchor: object, subject: bytes, pos: int, endpos: int) -> list[tuple[int, int]]:
    """What `_binding_search` gives (an unanchored search), asked of the `re2` module."""
    match = regexp.search(subject, pos, endpos)
    if match is None:
        return [(-1, -1)] * (regexp.groups + 1)
    return [match.span(group) for group in range(regexp.groups + 1)]


def _finder_spans(search: _Search, subject: bytes) -> list[tuple[int, int]]:
    """The spans of the finder's hits in ``subject``, left to right: those its ``finditer`` gives.

    ``finditer`` runs this loop over the same search, and makes a match object of each hit. As there,
    a search resumes at the end of the hit before (a finder's hit is never empty: every spelling begins
    with a word character).
    """
    spans: list[tuple[int, int]] = []
    position, length = 0, len(subject)
    while True:
        span = search(_UNANCHORED, subject, position, length)[0]
        if span[0] < 0:
            return spans
        spans.append(span)
        position = span[1]


def _group_spans(search: _Search, subject: bytes) -> list[tuple[int, int]]:
    """The spans of group 1 of the bytes matcher's hits (group 1 is the hit; the pattern takes the characters
    around it), with its binding's ``search``.

    Each search starts at the end of the hit before, so the character after a hit can come before the next.
    """
    spans: list[tuple[int, int]] = []
    position, length = 0, len(subject)
    while position < length:
        found = search(_UNANCHORED, subject, position, length)
        if found[0][0] < 0:
            return spans
        spans.append(found[1])
        position = found[1][1]
    return spans


def _character_spans(encoded: bytes, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the UTF-8 bytes of a text as spans of its characters (spans left to right, whole characters).

    The `re2` module does the same for a ``str`` at every search, after converting the whole text again.

    >>> _character_spans("é × fid".encode("utf-8"), [(6, 9)])
    [(4, 7)]
    """
    characters: list[tuple[int, int]] = []
    byte = character = 0
    for start, end in spans:
        character += len(encoded[byte:start].decode("utf-8"))
        first = character
        character += len(encoded[start:end].decode("utf-8"))
        characters.append((first, character))
        byte = end
    return characters


def _inside_compound(text: str, start: int) -> bool:
    """A name glued by a hyphen to a word before it is part of another name: MP-DocVQA is not DocVQA.

    >>> _inside_compound("on MP-DocVQA", 6), _inside_compound("on DocVQA", 3)
    (True, False)
    """
    return start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()


#: A word character of RE2 (``\w`` is ASCII there).
_ASCII_WORD = re.compile(r"[0-9A-Za-z_]")


def _word_bounded(spelling: str) -> bool:
    """Whether a spelling begins and ends with an ASCII word character.

    >>> _word_bounded("doc vqa"), _word_bounded("c++")
    (True, False)
    """
    return _ASCII_WORD.fullmatch(spelling[:1]) is not None and _ASCII_WORD.fullmatch(spelling[-1:]) is not None


def _add(building: dict[str, list[_Entry]], word: str, entry: _Entry) -> None:
    """Add ``entry`` to the entries of ``word``'s key, once."""
    entries = building.setdefault(_key(word), [])
    if entry not in entries:
        entries.append(entry)


@lru_cache(maxsize=8192)
def _key(word: str) -> str:
    """Spellings that differ only in case, spaces or hyphens share a key."""
    return " ".join(re.split(r"[\s-]+", word.strip().lower()))


def _literal(word: str) -> str:
    """An RE2-safe literal whose inner spaces and hyphens match loosely."""
    parts = re.split(r"[\s-]+", word.strip())
    return r"[\s-]?".join(re.escape(part) for part in parts) if len(parts) > 1 else re.escape(word.strip())
