"""HTTP API of the notifications service: contact points and consents, watches, the inbox."""

from __future__ import annotations

from services.chassis.blueprint import Blueprint

from . import contacts, inbox, watches


def blueprints() -> list[Blueprint]:
    return [contacts.blp, watches.blp, inbox.blp]
