"""HTTP API of the evaluation service: translate, call a handler, respond."""

from __future__ import annotations

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    return []
