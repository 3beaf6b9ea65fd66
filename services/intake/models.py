"""Tables of the intake service (its own database)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from services.chassis.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()
