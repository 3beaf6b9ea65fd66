"""The declarative base of the grid service's tables (its metadata holds the chassis tables too)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from services.chassis.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()
