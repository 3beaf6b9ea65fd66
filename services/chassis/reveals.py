"""The audit log of unmasked reads of personal data, the same table in every service.

A service declares `class PersonalDataAccess(PersonalDataAccessRecord, Base)`, takes a
purpose with `RevealSchema` and calls `record_reveal` in the transaction that decrypts:
who, when, which record, which fields and why. The committee reads it back through
`audit_query` (`AuditQuerySchema` in, `AuditSchema` out). The table is the service's own;
its shape, its writing and its reading live here once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import marshmallow as ma
from marshmallow import validate
from sqlalchemy import Index, String, Text, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from .auth import Principal
from .config import COMMUNITIES
from .db import BigId, UtcDateTime
from .schemas import Schema


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


def audit_query(model: type[PersonalDataAccessRecord], community: str, record_id: str | None) -> Any:
    """Unmasked reads of a community (of one record, if given), newest first."""
    query = (
        select(model).where(model.community == community).order_by(model.accessed_at.desc(), model.id.desc())
    )
    if record_id:
        query = query.where(model.record_id == record_id)
    return query


class RevealSchema(Schema):
    purpose = ma.fields.String(
        required=True,
        validate=validate.Length(min=5, max=500),
        metadata={"description": "Why you need the unmasked data (written to the audit log)"},
    )


class AuditQuerySchema(Schema):
    community = ma.fields.String(required=True, validate=validate.OneOf(COMMUNITIES))
    record_id = ma.fields.String(validate=validate.Length(max=36))


class AuditSchema(Schema):
    record_kind = ma.fields.String()
    record_id = ma.fields.String()
    fields = ma.fields.String()
    accessor_sub = ma.fields.String()
    accessor_roles = ma.fields.String()
    purpose = ma.fields.String()
    request_id = ma.fields.String(allow_none=True)
    accessed_at = ma.fields.DateTime()
