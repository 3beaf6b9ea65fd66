"""HTTP resources of a person's own contact points, consents and preferences."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis import clock
from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import runtime, transactional, uow

from .. import domain
from ..usecases import contacts
from . import projections
from .common import cipher, errors, send, settings
from .schemas import (
    ConsentCreateSchema,
    ConsentSchema,
    ContactCreateSchema,
    ContactSchema,
    PreferenceSchema,
    PurposeSchema,
    VerifySchema,
)

blp = Blueprint("contacts", __name__, description="A person's contact points, consents and preferences")


@blp.route("/contacts")
class Contacts(MethodView):
    @blp.response(200, ContactSchema(many=True))
    @errors(blp, 401)
    def get(self) -> Any:
        """My contact points (masked)."""
        return [projections.contact(c) for c in contacts.mine(uow(), current_principal())]

    @transactional
    @blp.arguments(ContactCreateSchema)
    @blp.response(201, ContactSchema)
    @errors(blp, 400, 401, 409, 422)
    @blp.rules(
        "`value` fits its `kind`: a mainland mobile number (11 digits, 1[3-9]…) for `sms`, an "
        "e-mail address for `email`, an Official Account openid for `wechat`."
    )
    def post(self, data: dict[str, Any]) -> Any:
        """Register a mobile number, e-mail address or WeChat openid; a code is sent to it."""
        row = contacts.register(uow(), current_principal(), cipher(), settings(), data, clock.now(), send)
        return projections.contact(row)


@blp.route("/contacts/<uuid:contact_id>")
class Contact(MethodView):
    @transactional
    @blp.response(204)
    @errors(blp, 401, 404)
    def delete(self, contact_id: uuid.UUID) -> None:
        """Remove one of my contact points (nothing more is sent to it)."""
        contacts.remove(uow(), current_principal(), str(contact_id), clock.now())


@blp.route("/contacts/<uuid:contact_id>/code")
class Code(MethodView):
    @transactional
    @blp.response(200, ContactSchema)
    @errors(blp, 401, 404, 422)
    def post(self, contact_id: uuid.UUID) -> Any:
        """Send a new verification code to an unverified contact point."""
        row = contacts.resend(
            uow(), current_principal(), cipher(), settings(), str(contact_id), clock.now(), send
        )
        return projections.contact(row)


@blp.route("/contacts/<uuid:contact_id>/verify")
class Verify(MethodView):
    @blp.arguments(VerifySchema)
    @blp.response(200, ContactSchema)
    @errors(blp, 400, 401, 404, 422)
    def post(self, data: dict[str, Any], contact_id: uuid.UUID) -> Any:
        """Verify a contact point with the code sent to it (a wrong code still counts as an attempt)."""
        with runtime().unit_of_work() as work:
            try:
                row = contacts.verify(
                    work, current_principal(), settings(), str(contact_id), data["code"], clock.now()
                )
            except domain.CodeRefused:
                work.commit()
                raise
            body = projections.contact(row)
            work.commit()
        return body


@blp.route("/purposes")
class Purposes(MethodView):
    @blp.response(200, PurposeSchema(many=True))
    @errors(blp, 401)
    def get(self) -> Any:
        """The purposes a person may consent to, with the exact wording in each language."""
        return [
            {"purpose": p, "wording": {"zh-Hans": zh, "en": en}} for p, (zh, en) in domain.PURPOSES.items()
        ]


@blp.route("/consents")
class Consents(MethodView):
    @blp.response(200, ConsentSchema(many=True))
    @errors(blp, 401)
    def get(self) -> Any:
        """My consents, current and withdrawn."""
        return contacts.consents(uow(), current_principal())

    @transactional
    @blp.arguments(ConsentCreateSchema)
    @blp.response(201, ConsentSchema)
    @errors(blp, 400, 401, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Consent to a purpose; the wording shown in the chosen language is recorded with the time."""
        return contacts.give_consent(
            uow(), current_principal(), data["purpose"], data["language"], clock.now()
        )


@blp.route("/consents/<string:purpose>")
class ConsentOfPurpose(MethodView):
    @transactional
    @blp.response(200, ConsentSchema)
    @errors(blp, 401, 409)
    def delete(self, purpose: str) -> Any:
        """Withdraw consent to a purpose: nothing more is sent for it, from now on."""
        return contacts.withdraw_consent(uow(), current_principal(), purpose, clock.now())


@blp.route("/preferences")
class Preferences(MethodView):
    @blp.response(200, PreferenceSchema)
    @errors(blp, 401)
    def get(self) -> Any:
        """My language, channel order, muted triggers and quiet hours."""
        return contacts.preference(uow(), current_principal().sub)

    @transactional
    @blp.arguments(PreferenceSchema)
    @blp.response(200, PreferenceSchema)
    @errors(blp, 400, 401, 422)
    @blp.rules(
        "Each of `muted` names a known trigger: ticket.ahead, ticket.called, ticket.no_show, "
        "case.updated, contract.signature_waiting, round.scoring_open."
    )
    def put(self, data: dict[str, Any]) -> Any:
        """Set my language, channel order, muted triggers and quiet hours."""
        return contacts.set_preference(uow(), current_principal(), data)
