"""A toy service used to test the chassis without any domain."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from werkzeug.exceptions import TooManyRequests

from services.chassis import auth
from services.chassis.app import Runtime, create_app
from services.chassis.blueprint import Blueprint
from services.chassis.config import Settings
from services.chassis.db import service_metadata
from services.chassis.errors import NotFound
from services.chassis.events import UUID, EventType, payload, string
from services.chassis.schemas import Schema
from services.chassis.web import paginate, transactional, uow

NOTE_ADDED = EventType("toy.note.added", "A note was added.", payload({"note_id": UUID, "title": string(50)}))


class Base(DeclarativeBase):
    metadata = service_metadata()


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(50))


class Effect(Base):
    """One row per handled event: a handler applied twice would show as two rows."""

    __tablename__ = "effects"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36))
    title: Mapped[str] = mapped_column(String(50))


def record_effect(uow: Any, event: dict[str, Any]) -> None:
    """Toy event handler: remember that the event was applied."""
    uow.session.add(Effect(event_id=event["id"], title=event["data"]["title"]))


def add_note(runtime: Runtime, title: str, subject: str | None = None, commit: bool = True) -> dict:
    """Write a note and its event in one unit of work (committed or rolled back)."""
    with runtime.unit_of_work() as work:
        note = Note(id=subject or str(uuid.uuid4()), community="huaguoshan", title=title)
        if work.session.get(Note, note.id) is None:
            work.session.add(note)
        event = work.emit(
            NOTE_ADDED, subject=note.id, community="huaguoshan", data={"note_id": note.id, "title": title}
        )
        if commit:
            work.commit()
        else:
            work.rollback()
        return event


def make_runtime(
    database_url: str,
    amqp_url: str,
    namespace: str,
    data_dir: Path,
    key_overrides: dict[str, Any],
    **config: Any,
) -> Runtime:
    """A toy runtime on any database and bus, its tables created."""
    settings = Settings.from_env(
        "toy",
        {
            "data_dir": data_dir,
            "database_url": database_url,
            "amqp_url": amqp_url,
            "bus_namespace": namespace,
            "retry_delays": (0.2, 0.4),
            "outbox_sweep_seconds": 0.5,
            **key_overrides,
            **config,
        },
    )
    runtime = Runtime(settings, Base.metadata)
    Base.metadata.create_all(runtime.database.engine)
    return runtime


class NoteSchema(Schema):
    id = ma.fields.String(dump_only=True)
    community = ma.fields.String(required=True)
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50))
    pages = ma.fields.Integer(validate=ma.validate.Range(min=1))
    body = ma.fields.String()
    due = ma.fields.Date(load_only=True)
    remind_at = ma.fields.AwareDateTime(load_only=True)
    cost = ma.fields.Decimal(load_only=True)
    tags = ma.fields.List(ma.fields.String(), load_only=True)


class Refused(Exception):
    problem_status = 409
    problem_type = "refused"


blp = Blueprint("notes", __name__)


@blp.route("/notes")
class Notes(MethodView):
    @auth.public
    @blp.response(200, NoteSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters: Any) -> Any:
        """Every note, by title (public)."""
        return paginate(select(Note).order_by(Note.title, Note.id), pagination_parameters)

    @transactional  # every write honours an Idempotency-Key by default
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
        uow().emit(
            NOTE_ADDED,
            subject=note.id,
            community=note.community,
            data={"note_id": note.id, "title": note.title},
        )
        return note


class NoteUpdateSchema(Schema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50))


def _note(note_id: uuid.UUID) -> Note:
    note = uow().session.get(Note, str(note_id))
    if note is None:
        raise NotFound("No such note.")
    return note


@blp.route("/notes/<uuid:note_id>")
class NoteById(MethodView):
    @blp.etag
    @blp.response(200, NoteSchema)
    def get(self, note_id: uuid.UUID) -> Note:
        """One note."""
        return _note(note_id)

    @transactional
    @blp.etag
    @blp.arguments(NoteUpdateSchema)
    @blp.response(200, NoteSchema)
    def put(self, data: dict[str, Any], note_id: uuid.UUID) -> Note:
        """Rename a note (If-Match required)."""
        note = _note(note_id)
        blp.check_etag(note, NoteSchema)
        note.title = data["title"]
        return note


@blp.route("/limited")
class Limited(MethodView):
    @auth.public
    def get(self) -> None:
        """Always over the limit."""
        raise TooManyRequests(retry_after=7)


@blp.route("/boom")
class Boom(MethodView):
    @auth.public
    def get(self) -> None:
        """Fails on purpose."""
        raise RuntimeError("secret internals")


def make_app(tmp_path: Path, key_overrides: dict[str, Any], **config: Any) -> Any:
    settings = Settings.from_env(
        "toy",
        {
            "data_dir": tmp_path,
            "database_url": f"sqlite:///{tmp_path}/toy.db",
            "amqp_url": "memory://",
            "max_body_bytes": 4096,
            **key_overrides,
            **config,
        },
    )
    runtime = Runtime(settings, Base.metadata)
    Base.metadata.create_all(runtime.database.engine)
    app = create_app("toy", runtime=runtime, metadata=Base.metadata, blueprints=[blp])
    app.testing = True
    return app
