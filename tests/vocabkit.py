"""The plain form of the keyword pass's span loops, through the `re2` module, that the fast ones are held to."""

from __future__ import annotations

from collections.abc import Iterator

import re2


def matcher_spans(matcher: re2._Regexp, subject: str | bytes) -> Iterator[tuple[int, int]]:
    """The spans of the hits of a matcher whose group 1 is the hit (it takes the characters around it).

    What `vocab._group_spans` and `vocab._character_spans` give. Each search starts at the end of the hit
    before, so the character after a hit can come before the next.
    """
    position, length = 0, len(subject)
    while position < length:
        match = matcher.search(subject, position)
        if match is None:
            return
        start, position = match.span(1)
        yield start, position
