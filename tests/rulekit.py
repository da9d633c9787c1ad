"""A small valid rule, written to a folder, for the rule loader and rule security tests."""

from __future__ import annotations

from pathlib import Path

#: The least a rule needs: vocabulary, unit, range and one form; no examples.
TOY_RULE = """\
id: toybench
version: 1
name: ToyBench
better: higher
unit: percent
range: {min: 0, max: 100}
metrics:
  - name: accuracy
phrases:
  - role: name
    words: [ToyBench]
forms:
  - {form: percent, unit: percent}
"""


def write(folder: Path, text: str, name: str = "toybench.yaml") -> Path:
    """Write ``text`` as a rule file in ``folder``; return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
