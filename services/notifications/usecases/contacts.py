"""Contact points (verified by a code sent to them), consents per purpose, preferences."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from services.chassis.auth import Principal
from services.chassis.errors import Conflict, NotFound
from services.chassis.protection import PersonalDataCipher
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..models import Consent, ContactPoint, Preference
from ..settings import NotificationsSettings
from . import policy
from .channels import ChannelError, Message

FIELD = "value"
SendCode = Callable[[str, str, Message], None]  # (channel, address, message)


def _lookup(cipher: PersonalDataCipher, kind: str, value: str) -> str:
    return cipher.lookup_hash(value, kind=f"contact-{kind}")


def register(
    uow: UnitOfWork,
    principal: Principal,
    cipher: PersonalDataCipher,
    settings: NotificationsSettings,
    data: dict[str, Any],
    now: datetime,
    send: SendCode,
) -> ContactPoint:
    """Record a contact point unverified and send it a code (the code is kept only hashed)."""
    kind = data["kind"]
    value = domain.normalise_contact(kind, data["value"])
    lookup = _lookup(cipher, kind, value)
    if kind == "wechat":
        taken = uow.session.scalars(
            select(ContactPoint).where(
                ContactPoint.lookup_hash == lookup,
                ContactPoint.person_sub != principal.sub,
                ContactPoint.verified_at.is_not(None),
                ContactPoint.removed_at.is_(None),
            )
        ).first()
        if taken is not None:
            raise domain.ContactTaken(
                "该微信 openid 已由另一人验证使用。 (This WeChat openid belongs to another person.)", FIELD
            )
    contact = ContactPoint(id=str(uuid.uuid4()), person_sub=principal.sub, kind=kind, created_at=now)
    contact.value_sealed = cipher.encrypt(value, record=contact.id, field=FIELD)
    contact.value_masked = domain.mask_contact(kind, value)
    contact.lookup_hash = lookup
    uow.session.add(contact)
    _send_code(contact, value, preference(uow, principal.sub).language, settings, now, send)
    uow.flush()
    return contact


def resend(
    uow: UnitOfWork,
    principal: Principal,
    cipher: PersonalDataCipher,
    settings: NotificationsSettings,
    contact_id: str,
    now: datetime,
    send: SendCode,
) -> ContactPoint:
    contact = find(uow, principal, contact_id, lock=True)
    value = cipher.decrypt(contact.value_sealed, record=contact.id, field=FIELD)
    _send_code(contact, value, preference(uow, principal.sub).language, settings, now, send)
    return contact


def _send_code(
    contact: ContactPoint,
    value: str,
    language: str,
    settings: NotificationsSettings,
    now: datetime,
    send: SendCode,
) -> None:
    code = domain.new_code()
    contact.code_hash = domain.code_hash(code, contact.id)
    contact.code_expires_at = now + timedelta(seconds=settings.code_ttl_seconds)
    contact.code_attempts = 0
    minutes = settings.code_ttl_seconds // 60
    text = domain.verification_text(language, code, minutes)
    message = Message("verification", language, text, domain.subject(language), {"code": code})
    try:
        send(domain.CONTACT_KINDS[contact.kind], value, message)
    except ChannelError as exc:
        raise domain.NotificationError(
            f"验证码无法送达，请检查联系方式。 (The code could not be delivered: {exc}.)", FIELD
        ) from None


def verify(
    uow: UnitOfWork,
    principal: Principal,
    settings: NotificationsSettings,
    contact_id: str,
    code: str,
    now: datetime,
) -> ContactPoint:
    """Check a code: right within its time and attempts verifies the contact point."""
    contact = find(uow, principal, contact_id, lock=True)
    if contact.verified_at is not None:
        return contact
    if contact.code_hash is None or contact.code_expires_at is None or now >= contact.code_expires_at:
        raise domain.CodeRefused(
            "验证码已过期，请重新获取。 (The code has expired; ask for a new one.)", "code"
        )
    if contact.code_attempts >= settings.code_attempts:
        raise domain.CodeRefused(
            "尝试次数过多，请重新获取验证码。 (Too many attempts; ask for a new code.)", "code"
        )
    contact.code_attempts += 1
    if not domain.code_matches(code, contact.id, contact.code_hash):
        left = settings.code_attempts - contact.code_attempts
        uow.commit_anyway = True  # the attempt counts even though the request is refused
        raise domain.CodeRefused(
            f"验证码不正确，还可尝试{left}次。 (Wrong code; {left} attempts left.)", "code"
        )
    contact.verified_at, contact.code_hash, contact.code_expires_at = now, None, None
    return contact


def find(uow: UnitOfWork, principal: Principal, contact_id: str, *, lock: bool = False) -> ContactPoint:
    contact = uow.find(ContactPoint, contact_id, lock=lock)
    if contact is None or contact.removed_at is not None:
        raise NotFound("No such contact point.")
    policy.require_owner(principal, contact.person_sub, "contact point")
    return contact


def remove(uow: UnitOfWork, principal: Principal, contact_id: str, now: datetime) -> None:
    contact = find(uow, principal, contact_id, lock=True)
    contact.removed_at = now


def mine(uow: UnitOfWork, principal: Principal) -> list[ContactPoint]:
    query = select(ContactPoint).where(
        ContactPoint.person_sub == principal.sub, ContactPoint.removed_at.is_(None)
    )
    return list(uow.session.scalars(query.order_by(ContactPoint.created_at)))


# -- consents -------------------------------------------------------------------------------


def give_consent(
    uow: UnitOfWork, principal: Principal, purpose: str, language: str, now: datetime
) -> Consent:
    current = active_consent(uow, principal.sub, purpose)
    if current is not None:
        return current
    consent = Consent(
        id=str(uuid.uuid4()),
        person_sub=principal.sub,
        purpose=purpose,
        language=language,
        wording=domain.consent_wording(purpose, language),
        given_at=now,
    )
    uow.session.add(consent)
    return consent


def withdraw_consent(uow: UnitOfWork, principal: Principal, purpose: str, now: datetime) -> Consent:
    consent = active_consent(uow, principal.sub, purpose)
    if consent is None:
        raise Conflict(f"没有有效的同意可撤回。 (No consent to withdraw for {purpose}.)")
    consent.withdrawn_at = now
    return consent


def active_consent(uow: UnitOfWork, person_sub: str, purpose: str) -> Consent | None:
    query = select(Consent).where(
        Consent.person_sub == person_sub, Consent.purpose == purpose, Consent.withdrawn_at.is_(None)
    )
    return uow.session.scalars(query).first()


def consents(uow: UnitOfWork, principal: Principal) -> list[Consent]:
    query = select(Consent).where(Consent.person_sub == principal.sub).order_by(Consent.given_at)
    return list(uow.session.scalars(query))


# -- preferences ----------------------------------------------------------------------------


def preference(uow: UnitOfWork, person_sub: str) -> Preference:
    found = uow.session.get(Preference, person_sub)
    return found or Preference(
        person_sub=person_sub, language="zh-Hans", channels=["sms", "wechat", "email"], muted=[]
    )


def set_preference(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Preference:
    for name in data.get("muted", []):
        domain.trigger(name)
    found = uow.session.get(Preference, principal.sub)
    if found is None:
        found = preference(uow, principal.sub)
        uow.session.add(found)
    found.language = data["language"]
    found.channels = list(dict.fromkeys(data["channels"]))
    found.muted = sorted(set(data.get("muted", [])))
    found.quiet_start, found.quiet_end = data.get("quiet_start"), data.get("quiet_end")
    return found
