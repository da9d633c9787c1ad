"""The shortcuts of ``leaderboard.extract.numbers`` never change what is found.

``find_numbers`` skips work where a pattern cannot match: it tries ``_NUMBER`` only near
digit runs, runs the LaTeX, resolution, power, fraction and sign-first factor patterns only
when their characters are there, and tries the qualifier patterns only after a likely
ending. Each test checks one shortcut against the full pattern it stands for, on text
built from the characters these patterns care about.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from leaderboard.extract import numbers

PROFILE = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_PIECES = [
    "0", "1", "5", "12", "256", "1,000", "1 000", ".", ",", " ", "  ", "\n", "\u2003", "%", "\\%", "x", "X", "×",
    "$\\times$", "\\times", "times", "-fold", "-", "–", "—", "~", "−", "+", "/", " of ", " to ", "from ", "between ",
    "up to ", "As Much As ", "a ", "an ", "about ", "approx. ", "≈", "∼", "\\sim ", "\\approx ", "more than ",
    "no more than ", "less than ", "no less than ", "at least ", "at most ", "over ", "Under ", "exceeding ",
    "higher than ", "fewer than ", " or more", " OR fewer", " or", "<", ">", "<=", ">=", "≥", "≤", "\\geq ", "\\le ",
    "geq", "leq", "‰", " percent", " points", "７８．４％", "\u00a0", "\u2009", "\\textbf{", "{\\bf ", "}", "{", "$",
    "^", "10^{4}", "\\cdot", "*", "e", "LLaVA-1.5", "ImageNet-256", "256x256", "Qwen2", "ſ", "ı", "İ", "é", "٣", "²",
    "and ", "or ", "s", "n", "o", "t", "y", "(",
]
TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@PROFILE
@given(TEXT)
@example("a-.5 and +.25, 3.5 or -.5% (.5 points)")
def test_number_matches_are_the_pattern_s(text: str) -> None:
    view = numbers.number_view(text)
    expected = [(m.span(), m.groupdict()) for m in numbers._NUMBER.finditer(view)]
    assert [(m.span(), m.groupdict()) for m in numbers._number_matches(view)] == expected


@PROFILE
@given(TEXT)
def test_skipped_patterns_could_not_match(text: str) -> None:
    view = numbers.number_view(text)
    if not numbers._may_hold_latex(text.translate(numbers._FOLD)):
        assert numbers._LATEX_BLANKS.search(text.translate(numbers._FOLD)) is None
    if not numbers._RESOLUTION_HINT.search(view):
        assert numbers._RESOLUTION.search(view) is None
    if "^" not in view:
        assert numbers._POWER.search(view) is None
    if "/" not in view:
        assert numbers._FRACTION.search(view) is None
    if "times" not in view and "×" not in view:
        assert numbers._PREFIX_FACTOR.search(view) is None


@PROFILE
@given(TEXT)
@example("no more than ")
@example("up to an\n")
@example("as high aſ ")
def test_skipped_qualifiers_could_not_match(text: str) -> None:
    for end in range(len(text) + 1):
        before = text[max(0, end - 24) : end]
        if not numbers._may_qualify_before(before):
            assert not any(pattern.search(before) for pattern, _ in numbers._QUALIFIER_BEFORE), before
        after = text[end : end + 16]
        if not numbers._OR_AFTER.match(after):
            assert not any(pattern.search(after) for pattern, _ in numbers._QUALIFIER_AFTER), after
