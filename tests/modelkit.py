"""Plain forms and checks shared by the tests of the models' fast paths (`Record.id`, building without validation)."""

from __future__ import annotations

import hashlib
import json
import math

from pydantic import BaseModel

from leaderboard.model import Provenance, Record, normalize_title


def plain_id(record: Record) -> str:
    """What ``Record.id`` stands for: ``json.dumps`` of the claim, sorted, unescaped."""
    claim = {name: getattr(record, name) for name in Record.model_fields if name != "provenance"}
    claim["paper"] = normalize_title(record.provenance.paper)
    return hashlib.sha256(json.dumps(claim, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def provenance(paper: str = "A Paper") -> Provenance:
    """A valid provenance, of the paper titled ``paper``."""
    return Provenance(
        source="a.jsonl", source_sha256="0" * 64, paper=paper, span=(1, 2), quote_span=(0, 3), quote="q", rule="r",
        rule_sha256="1" * 64,
    )


def finite(instance: BaseModel) -> bool:
    """Whether every float field of ``instance`` is finite (JSON writes NaN and the infinities as null)."""
    return all(math.isfinite(value) for value in instance.__dict__.values() if isinstance(value, float))


def same_model(fast: BaseModel, plain: BaseModel) -> None:
    """Equal, dumped alike, shown alike, with the same fields set, as pydantic keeps them; loads back alike."""
    assert type(fast) is type(plain)
    is_finite = finite(plain)
    assert fast == plain or not is_finite  # NaN equals nothing
    assert fast.model_dump_json() == plain.model_dump_json()
    assert repr(fast) == repr(plain)
    assert fast.model_fields_set == plain.model_fields_set
    assert fast.__pydantic_extra__ == plain.__pydantic_extra__ and fast.__pydantic_private__ == plain.__pydantic_private__
    assert list(fast.__dict__) == list(plain.__dict__)
    assert [type(v) for v in fast.__dict__.values()] == [type(v) for v in plain.__dict__.values()]
    if is_finite:
        again = type(fast).model_validate_json(fast.model_dump_json(exclude={"id"} if type(fast) is Record else None))
        assert again.model_dump_json() == plain.model_dump_json()
