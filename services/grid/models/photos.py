"""Table of photos: checked, re-encoded images (no EXIF) and their thumbnails, in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from services.chassis.db import UtcDateTime

from .base import Base


class Photo(Base):
    """An uploaded photo, stored re-encoded as JPEG without metadata, with its thumbnail."""

    __tablename__ = "photos"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    uploader_sub: Mapped[str] = mapped_column(String(200), index=True)
    original_format: Mapped[str] = mapped_column(String(10))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
