"""The declarative base of the contracts tables and their id generator."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import DeclarativeBase

from services.chassis.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


def new_id() -> str:
    return str(uuid.uuid4())
