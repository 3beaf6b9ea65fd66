"""Tables of information collection (信息采集): buildings, households, persons, places."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.chassis.db import JsonDocument, UtcDateTime
from services.chassis.reveals import PersonalDataAccessRecord

from .base import Base


class Building(Base):
    """A building in a cell."""

    __tablename__ = "buildings"
    __table_args__ = (Index("ix_buildings_cell", "cell_id", "address"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40), index=True)
    cell_id: Mapped[str] = mapped_column(ForeignKey("cells.id"))
    cell_code: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(300))
    floors: Mapped[int] = mapped_column(Integer)
    use: Mapped[str] = mapped_column(String(20))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Household(Base):
    """A household living in a unit of a building."""

    __tablename__ = "households"
    __table_args__ = (
        Index("ix_households_building", "building_id", "unit"),
        Index("ix_households_cell", "cell_id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    cell_id: Mapped[str] = mapped_column(ForeignKey("cells.id"))
    building_id: Mapped[str] = mapped_column(ForeignKey("buildings.id"))
    unit: Mapped[str] = mapped_column(String(40))
    tenure: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Person(Base):
    """A person: name, ID number and phone encrypted; masks and a keyed hash beside them."""

    __tablename__ = "persons"
    __table_args__ = (
        Index("ix_persons_cell", "cell_id", "created_at"),
        Index("ix_persons_household", "household_id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    cell_id: Mapped[str] = mapped_column(ForeignKey("cells.id"))
    household_id: Mapped[str | None] = mapped_column(ForeignKey("households.id"))
    name_encrypted: Mapped[str] = mapped_column(Text)
    name_masked: Mapped[str] = mapped_column(String(100))
    id_number_encrypted: Mapped[str] = mapped_column(Text)
    id_number_hash: Mapped[str] = mapped_column(String(64), unique=True)
    id_number_masked: Mapped[str] = mapped_column(String(18))
    phone_encrypted: Mapped[str | None] = mapped_column(Text)
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    residency: Mapped[str] = mapped_column(String(20))
    special_care: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Place(Base):
    """A shop, business or other place in a cell."""

    __tablename__ = "places"
    __table_args__ = (Index("ix_places_cell", "cell_id", "name"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    cell_id: Mapped[str] = mapped_column(ForeignKey("cells.id"))
    building_id: Mapped[str | None] = mapped_column(ForeignKey("buildings.id"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PersonalDataAccess(PersonalDataAccessRecord, Base):
    """Audit log: every unmasked read of personal data (who, when, which record, why)."""
