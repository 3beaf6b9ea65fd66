"""Open311 client applications and their API keys (only a SHA-256 of each key is stored)."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlalchemy import select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import NotFound, Problem
from services.chassis.unit_of_work import UnitOfWork

from ..models import Open311Client
from . import policy


def key_hash(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def create_client(
    uow: UnitOfWork, principal: Principal, name: str, communities: list[str]
) -> tuple[Open311Client, str]:
    """A new Open311 client and its api_key (shown once; only its hash is stored)."""
    policy.require_open311_issuer(principal, communities)
    api_key = "o311_" + secrets.token_urlsafe(32)
    client = Open311Client(
        id=str(uuid.uuid4()),
        name=name,
        key_hash=key_hash(api_key),
        communities=sorted(set(communities)),
        created_by=principal.sub,
        created_at=clock.now(),
    )
    uow.session.add(client)
    uow.flush()
    return client, api_key


def list_clients(uow: UnitOfWork, principal: Principal) -> list[Open311Client]:
    policy.require_open311_issuer(principal)
    return list(uow.session.scalars(select(Open311Client).order_by(Open311Client.created_at)))


def revoke(uow: UnitOfWork, principal: Principal, client_id: str) -> None:
    """Revoke a client's key (subdistrict officers of every community it covers)."""
    client = uow.session.get(Open311Client, client_id)
    if client is None:
        raise NotFound("No such Open311 client.")
    policy.require_open311_issuer(principal, client.communities)
    if client.revoked_at is None:
        client.revoked_at = clock.now()


def authenticate(uow: UnitOfWork, api_key: str | None, community: str) -> Open311Client:
    """The client holding `api_key` for `community`; 403 in the spec's words otherwise."""
    if not api_key:
        raise Problem("api_key was not provided; request one from the subdistrict office.", status=403)
    client = uow.session.scalar(
        select(Open311Client).where(
            Open311Client.key_hash == key_hash(api_key), Open311Client.revoked_at.is_(None)
        )
    )
    if client is None:
        raise Problem("Invalid api_key received -- can't proceed with create_request.", status=403)
    if community not in client.communities:
        raise Problem(f"This api_key does not cover jurisdiction_id {community!r}.", status=403)
    return client
