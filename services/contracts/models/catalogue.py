"""Service packages (服务项目) and providers (社会组织)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.chassis.db import BigId, JsonDocument, UtcDateTime
from services.chassis.reveals import PersonalDataAccessRecord

from .base import Base, new_id


class ServicePackage(Base):
    __tablename__ = "service_packages"
    __table_args__ = (UniqueConstraint("community", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    deliverables: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Provider(Base):
    __tablename__ = "providers"
    __table_args__ = (Index("ix_providers_kind_status", "kind", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="active")
    community: Mapped[str | None] = mapped_column(String(40), index=True)
    bank_name: Mapped[str | None] = mapped_column(String(200))
    bank_account: Mapped[str | None] = mapped_column(String(40))
    # personal data: sealed with the chassis cipher, the mask beside it (usecases/personal_data.py)
    contact_name_sealed: Mapped[str | None] = mapped_column(Text)
    contact_name_masked: Mapped[str | None] = mapped_column(String(100))
    contact_phone_sealed: Mapped[str | None] = mapped_column(Text)
    contact_phone_masked: Mapped[str | None] = mapped_column(String(40))
    # legacy clear values from before sealing, moved to the sealed columns by `community reseal contracts`
    contact_name_clear: Mapped[str | None] = mapped_column("contact_name", String(100))
    contact_phone_clear: Mapped[str | None] = mapped_column("contact_phone", String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class ProviderStatusChange(Base):
    __tablename__ = "provider_status_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    provider_id: Mapped[str] = mapped_column(ForeignKey("providers.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    actor_sub: Mapped[str] = mapped_column(String(200))
    actor_name: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class PersonalDataAccess(PersonalDataAccessRecord, Base):
    """Audit log: every unmasked read of a provider's contact person."""
