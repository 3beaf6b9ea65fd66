"""Models as response bodies: contact points only masked, never in clear."""

from __future__ import annotations

from typing import Any

from ..models import ContactPoint


def contact(row: ContactPoint) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "value_masked": row.value_masked,
        "verified": row.verified_at is not None,
        "verified_at": row.verified_at,
        "code_expires_at": row.code_expires_at,
        "created_at": row.created_at,
    }
