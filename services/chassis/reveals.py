"""The audit log of unmasked reads of personal data, the same table in every service.

A service declares `class PersonalDataAccess(PersonalDataAccessRecord, Base)` and calls
`record_reveal` in the transaction that decrypts: who, when, which record, which fields
and why. The table is the service's own; its shape and its writing live here once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from .auth import Principal
from .db import BigId, UtcDateTime


class PersonalDataAccessRecord:
    """Columns of the audit log: every unmasked read (who, when, which record, why)."""

    __tablename__ = "personal_data_access"

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:  # noqa: N805 - SQLAlchemy's declared_attr
        return (
            Index("ix_pda_community_at", "community", "accessed_at"),
            Index("ix_pda_record", "record_kind", "record_id"),
        )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    community: Mapped[str] = mapped_column(String(40))
    record_kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(36))
    fields: Mapped[str] = mapped_column(String(200))
    accessor_sub: Mapped[str] = mapped_column(String(200))
    accessor_roles: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(128))
    accessed_at: Mapped[datetime] = mapped_column(UtcDateTime)


def record_reveal(
    session: Any,
    model: type[PersonalDataAccessRecord],
    principal: Principal,
    *,
    community: str,
    record_kind: str,
    record_id: str,
    fields: Iterable[str],
    purpose: str,
    request_id: str | None,
    at: datetime,
) -> None:
    """Add the audit row of one unmasked read (in the caller's transaction)."""
    session.add(
        model(
            community=community,
            record_kind=record_kind,
            record_id=record_id,
            fields=",".join(fields)[:200],
            accessor_sub=principal.sub,
            accessor_roles=",".join(sorted(principal.roles)),
            purpose=purpose,
            request_id=request_id,
            accessed_at=at,
        )
    )
