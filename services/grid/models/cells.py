"""Tables of grid cells: boundaries, assigned workers, the cells version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.chassis.db import JsonDocument, UtcDateTime

from .base import Base


class Cell(Base):
    """A grid cell (网格): a polygon of a community, walked by its assigned grid workers."""

    __tablename__ = "cells"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    community: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    boundary: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    area_m2: Mapped[float] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CellWorker(Base):
    """A grid worker assigned to a cell (by token subject)."""

    __tablename__ = "cell_workers"
    cell_id: Mapped[str] = mapped_column(ForeignKey("cells.id"), primary_key=True)
    worker_sub: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)


class CellsVersion(Base):
    """One row counting cell changes: replicas compare it to rebuild their index."""

    __tablename__ = "cells_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
