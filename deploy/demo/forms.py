"""Invented but well-formed answers to a business type's form (demo data, nobody real)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from services.grid.usecases.personal_data import iso7064_mod11_2

NANSHAN = "440305"
TEXTS = {
    "address": "南山区招商街道花果山社区某栋某室",
    "purpose": "办理入学手续",
    "situation": "家庭成员住院，临时生活困难",
    "place": "社区内道路旁",
    "trade": "便利店零售",
}


def id_number(rng: random.Random, born_before: datetime) -> str:
    """An 18-character number with a valid GB 11643 check character (invented)."""
    birth = born_before - timedelta(days=rng.randrange(18 * 365, 85 * 365))
    body = f"{NANSHAN}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + iso7064_mod11_2(body)


def attribute_values(
    definitions: Sequence[Mapping[str, Any]], rng: random.Random, at: datetime
) -> dict[str, Any]:
    """Values for the required attributes and, now and then, an optional one."""
    values: dict[str, Any] = {}
    for definition in definitions:
        if not definition.get("required") and rng.random() < 0.6:
            continue
        code, datatype = definition["code"], definition["datatype"]
        keys = [v["key"] for v in definition.get("values") or []]
        if code == "id_number":
            values[code] = id_number(rng, at)
        elif datatype == "number":
            values[code] = rng.randint(1, 5) if "size" in code else rng.randint(800, 4500)
        elif datatype == "datetime":
            values[code] = (at + timedelta(days=rng.randint(-60, 20))).isoformat()
        elif datatype == "singlevaluelist":
            values[code] = rng.choice(keys)
        elif datatype == "multivaluelist":
            values[code] = rng.sample(keys, rng.randint(1, min(2, len(keys))))
        else:
            values[code] = TEXTS.get(code, "见附件材料")
    return values
