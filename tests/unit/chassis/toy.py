"""A toy service used to test the chassis without any domain."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.chassis import auth
from services.chassis.app import Runtime, create_app
from services.chassis.config import Settings
from services.chassis.db import service_metadata
from services.chassis.schemas import Schema
from services.chassis.events import UUID, EventType, payload, string
from services.chassis.web import transactional, uow

NOTE_ADDED = EventType("toy.note.added", "A note was added.",
                       payload({"note_id": UUID, "title": string(50)}))


class Base(DeclarativeBase):
    metadata = service_metadata()


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(50))


class NoteSchema(Schema):
    id = ma.fields.String(dump_only=True)
    community = ma.fields.String(required=True)
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50))
    pages = ma.fields.Integer(validate=ma.validate.Range(min=1))
    body = ma.fields.String()


class Refused(Exception):
    problem_status = 409
    problem_type = "refused"


blp = Blueprint("notes", __name__)


@blp.route("/notes")
class Notes(MethodView):
    @transactional(idempotency="optional")
    @blp.arguments(NoteSchema)
    @blp.response(201, NoteSchema)
    def post(self, data: dict[str, Any]) -> Note:
        """Add a note."""
        auth.current_principal().require("center_staff", community=data["community"])
        if data["title"] == "refuse":
            raise Refused("This title is refused.")
        note = Note(id=str(uuid.uuid4()), community=data["community"], title=data["title"])
        uow().session.add(note)
        uow().flush()
        uow().emit(NOTE_ADDED, subject=note.id, community=note.community,
                   data={"note_id": note.id, "title": note.title})
        return note


@blp.route("/notes/<uuid:note_id>")
class NoteById(MethodView):
    @blp.response(200, NoteSchema)
    def get(self, note_id: uuid.UUID) -> Note:
        """One note."""
        note = uow().session.get(Note, str(note_id))
        if note is None:
            from services.chassis.errors import NotFound

            raise NotFound("No such note.")
        return note


@blp.route("/boom")
class Boom(MethodView):
    @auth.public
    def get(self) -> None:
        """Fails on purpose."""
        raise RuntimeError("secret internals")


def make_app(tmp_path: Path, key_overrides: dict[str, Any], **config: Any) -> Any:
    settings = Settings.from_env("toy", {
        "data_dir": tmp_path,
        "database_url": f"sqlite:///{tmp_path}/toy.db",
        "amqp_url": "memory://",
        "max_body_bytes": 4096,
        **key_overrides,
        **config,
    })
    runtime = Runtime(settings, Base.metadata)
    Base.metadata.create_all(runtime.database.engine)
    app = create_app("toy", runtime=runtime, metadata=Base.metadata, blueprints=[blp])
    app.testing = True
    return app
