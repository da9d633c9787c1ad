"""Planning counts lines and characters without decoding ASCII: the same counts as decoding every byte.

`workplan._measure` decodes only runs of non-ASCII bytes and counts line ends
with numpy; the plain form decodes each piece whole with one incremental
decoder and counts ``b"\\n"``. Both must give the same counts piece by piece,
for any bytes (invalid UTF-8 and sequences cut between pieces included), or
the parts of a file would start at other offsets than a whole reading.
"""

from __future__ import annotations

import codecs

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from leaderboard import workplan

#: Bytes that make UTF-8 interesting: ASCII, line ends, lead bytes of every length, continuations, invalid bytes.
_ALPHABET = [b"a", b" ", b"\n", b"\r", b"\xc3", b"\xa9", b"\xe2", b"\x80", b"\x99", b"\xf0", b"\x9f", b"\x98",
             b"\xc0", b"\xff", b"\xed", b"\xa0", "é".encode(), "’".encode(), "😀".encode()]  # fmt: skip


def _plain(pieces: list[bytes]) -> list[tuple[int, int]]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    return [(piece.count(b"\n"), len(decoder.decode(piece))) for piece in pieces]


def _fast(pieces: list[bytes]) -> list[tuple[int, int]]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    found = []
    for piece in pieces:  # each piece as its own block, the way the last piece of a block meets the next block
        found.append(workplan._measure(decoder, piece, np.frombuffer(piece, dtype=np.uint8), 0, len(piece)))
    return found


def _cut(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(cut, len(data)) for cut in cuts} | {0, len(data)})
    return [data[a:b] for a, b in zip(points, points[1:])] or [b""]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=60).map(b"".join), st.lists(st.integers(0, 120), max_size=6))
def test_counts_match_decoding_every_byte(data: bytes, cuts: list[int]) -> None:
    pieces = _cut(data, cuts)
    assert _fast(pieces) == _plain(pieces)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=80), st.lists(st.integers(0, 80), max_size=4))
def test_counts_match_on_any_bytes(data: bytes, cuts: list[int]) -> None:
    pieces = _cut(data, cuts)
    assert _fast(pieces) == _plain(pieces)


def test_a_sequence_cut_between_pieces_is_one_character() -> None:
    pieces = [b"caf\xc3", b"\xa9\n", b"x\xe2\x80", b"\x99"]
    assert _fast(pieces) == _plain(pieces) == [(0, 3), (1, 2), (0, 1), (0, 1)]


def test_a_pending_sequence_ended_by_ascii_is_one_replacement() -> None:
    pieces = [b"ab\xe2\x80", b"cd"]
    assert _fast(pieces) == _plain(pieces) == [(0, 2), (0, 3)]
