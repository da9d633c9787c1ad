"""The package's one pint registry.

Built empty (``UnitRegistry(None)``) and filled only from ``units.txt`` beside
this module, so a unit means what this package says and nothing else: pint's
default ``point`` is a length, ours is a score point.

>>> from leaderboard.units import Q_
>>> Q_(78.4, "percent").to("1").magnitude
0.784
>>> (Q_(78.4, "percent") * Q_(1000, "point")).to("point").magnitude
784.0
>>> Q_(3, "GFLOP").to("FLOP").magnitude
3000000000.0
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pint

__all__ = ["ureg", "Q_", "convert", "UNIT_NAMES"]

ureg = pint.UnitRegistry(None, on_redefinition="raise", autoconvert_offset_to_baseunit=False)
ureg.load_definitions(str(Path(__file__).with_name("units.txt")))
Q_ = ureg.Quantity

#: The unit names a rule may use as a canonical unit.
UNIT_NAMES = ("1", "percent", "permille", "point", "pp", "x", "FLOP")


def convert(value: float, unit: str, to: str) -> float:
    """Convert ``value`` from ``unit`` to ``to`` through the registry, to 12 significant digits.

    >>> convert(0.896, "1", "percent")
    89.6
    >>> round(convert(69, "percent", "1"), 6)
    0.69
    """
    magnitude = value * _factor(unit, to)
    return float(f"{magnitude:.12g}")  # drop binary noise: 89.60000000000001 -> 89.6


@lru_cache(maxsize=256)
def _factor(unit: str, to: str) -> float:
    """How many ``to`` one ``unit`` is: asked of pint once per pair (every unit here is linear, none offset)."""
    return float(Q_(1.0, unit).to(to).magnitude)
