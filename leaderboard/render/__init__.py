"""Renderers: boards and records to the files under ``reports/``.

One module per output: `markdown` (a page per benchmark), `latex` (a
``table`` environment per board), `csv` (every column, provenance included),
`index` (``reports/README.md``). Each is a plain function from boards to
text; `leaderboard.build` writes the texts.
"""

from __future__ import annotations

__all__: list[str] = []
