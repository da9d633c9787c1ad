"""Records to and from ``records.jsonl`` and pandas.

``records.jsonl`` holds one ``Record.model_dump_json()`` per line, sorted by
record id. `load_records` reads it into a DataFrame with one row per record:
the record's own fields under their plain names (``benchmark``, ``value``,
``model``, ..., and the stored ``id``), and the provenance fields flattened
under a ``provenance.`` prefix (``provenance.source``,
``provenance.span``, ...). Spans are ``(start, end)`` tuples; missing values
are ``NaN``/``None`` as pandas gives them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from .errors import LeaderboardError, LocatedError
from .model import Provenance, Record

__all__ = ["load_records", "read_records", "records_from_frame", "as_records", "dump_records"]

_RECORD_FIELDS = [name for name in Record.model_fields if name != "provenance"]
_PROVENANCE_FIELDS = list(Provenance.model_fields)
COLUMNS = [*_RECORD_FIELDS, "id", *(f"provenance.{name}" for name in _PROVENANCE_FIELDS)]
_SPANS = ("provenance.span", "provenance.quote_span")


def dump_records(records: Iterable[Record]) -> str:
    """The ``records.jsonl`` text: one JSON record per line, sorted by id."""
    return "".join(f"{record.model_dump_json()}\n" for record in sorted(records, key=lambda r: r.id))


def read_records(path: str | Path) -> list[tuple[int, str, Record]]:
    """Read ``records.jsonl``: (line number, stored id, record) for each line.

    The stored id is returned as written, not recomputed, so a caller can tell
    an edited record from an intact one.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LeaderboardError(f"{path}: no such records file (run `leaderboard build` first)") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise LocatedError(path, "not UTF-8", line=line, hint="rebuild it with `leaderboard build`") from None
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines: a quote may hold U+2028
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            stored = str(data.pop("id", ""))
            rows.append((number, stored, Record.model_validate(data)))
        except (json.JSONDecodeError, AttributeError, TypeError) as error:
            raise LocatedError(path, f"not a JSON object: {error}", line=number) from None
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise LocatedError(path, f"not a record: {where}: {first['msg']}", line=number) from None
    return rows


def load_records(path: str | Path) -> pd.DataFrame:
    """Read ``records.jsonl`` into a DataFrame (columns: see the module docstring)."""
    rows = []
    for _, stored, record in read_records(path):
        row: dict[str, Any] = record.model_dump(mode="python", exclude={"provenance", "id"})
        row["id"] = stored
        for name, value in record.provenance.model_dump(mode="python").items():
            row[f"provenance.{name}"] = tuple(value) if isinstance(value, (list, tuple)) else value
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def records_from_frame(frame: pd.DataFrame) -> list[Record]:
    """Turn a `load_records` DataFrame (possibly filtered) back into records."""
    records = []
    for row in frame.to_dict(orient="records"):
        data: dict[str, Any] = {}
        provenance: dict[str, Any] = {}
        for key, value in row.items():
            value = None if not isinstance(value, (list, tuple)) and _missing(value) else value
            if key.startswith("provenance."):
                provenance[key.removeprefix("provenance.")] = value
            elif key in _RECORD_FIELDS:
                data[key] = value
        data["provenance"] = {key: value for key, value in provenance.items() if value is not None}
        records.append(Record.model_validate(data))
    return records


def as_records(records: Iterable[Record] | pd.DataFrame) -> list[Record]:
    """Accept records or a `load_records` DataFrame; return records."""
    if isinstance(records, pd.DataFrame):
        return records_from_frame(records)
    return list(records)
