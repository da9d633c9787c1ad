"""Print a canonical value with the precision the paper reported.

A record keeps what was written (``reported``) next to the canonical value,
so the number of decimals to print is derived from the two, never guessed:

- Take the first number in ``reported`` and count its decimals.
- If the canonical value is that number times a power of ten (a pure change
  of scale: ``78.4%`` -> 784 points, ``0.896`` -> 89.6 percent, ``69%`` ->
  0.69), shift the decimals by that power: ``decimals - log10(scale)``,
  never below zero.
- Otherwise the value was computed (``7-fold`` -> 85.714 percent of FLOPs
  removed, ``50% faster`` -> 1.5x): print one decimal more than reported,
  then drop trailing zeros down to the reported decimals.
- A ``reported`` with no digits at all prints the value to 12 significant
  digits.

>>> format_value(784.0, "78.4%")
'784'
>>> format_value(1.5, "1.50")
'1.50'
>>> format_value(85.71428571, "7-fold")
'85.7'
>>> format_value(0.05, "5-10 points", value_max=0.1)
'0.05 to 0.10'
>>> format_value(2.0, "2", qualifier="<")
'< 2'
"""

from __future__ import annotations

import math
import re

__all__ = ["decimals", "format_number", "format_value"]

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")
_MAX_DECIMALS = 12


def _reported_number(reported: str) -> tuple[float, int] | None:
    """The first number in ``reported`` and its count of decimals."""
    match = _NUMBER.search(reported)
    if match is None:
        return None
    text = match.group(0).replace(",", "")
    return float(text), len(text.partition(".")[2])


def decimals(value: float, reported: str) -> tuple[int, int] | None:
    """The most and fewest decimals to print ``value`` with, or None when unknown.

    >>> decimals(784.0, "78.4%")
    (0, 0)
    >>> decimals(89.6, "0.896")
    (1, 1)
    >>> decimals(85.714, "7-fold")
    (1, 0)
    >>> decimals(1.0, "double") is None
    True
    """
    parsed = _reported_number(reported)
    if parsed is None:
        return None
    number, places = parsed
    if number == 0 or value == 0:
        return places, places
    exponent = math.log10(abs(value / number))
    power = round(exponent)
    if abs(exponent - power) < 1e-9:
        shifted = min(max(places - power, 0), _MAX_DECIMALS)
        return shifted, shifted
    return places + 1, places


def format_number(value: float, places: tuple[int, int] | None) -> str:
    """Format ``value`` with ``(most, fewest)`` decimals (see `decimals`).

    >>> format_number(75.0, (1, 0))
    '75'
    >>> format_number(1.6667, (1, 0))
    '1.7'
    >>> format_number(0.1, None)
    '0.1'
    """
    if places is None:
        return f"{value:.12g}"
    most, fewest = places
    text = f"{value:.{most}f}"
    while most > fewest and text.endswith("0"):
        text, most = text[:-1], most - 1
    text = text.rstrip(".")
    return "0" if text == "-0" else text


def format_value(
    value: float, reported: str, *, value_max: float | None = None, qualifier: str | None = None
) -> str:
    """Display text of a value: qualifier, number, and the end of a range.

    >>> format_value(61.0, "61% to 67%", value_max=67.0)
    '61 to 67'
    >>> format_value(2.91, "2.91x", qualifier="up to")
    'up to 2.91'
    >>> format_value(1.5, "1.5", qualifier="~")
    '~1.5'
    """
    places = decimals(value, reported)
    text = format_number(value, places)
    if value_max is not None:
        text = f"{text} to {format_number(value_max, places)}"
    if qualifier == "~":
        return f"~{text}"
    if qualifier:
        return f"{qualifier} {text}"
    return text
