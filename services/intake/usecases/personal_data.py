"""Personal data of tickets and cases: sealed at rest, masked on read, revealed with an audit.

What is personal is decided at collection: a ticket records the codes of the attributes
its form marked personal when the values were given (`personal_attributes`), and those
values are sealed with the chassis cipher; a later edit of the catalogue changes nothing
for values already stored. Phones are sealed with their mask beside them. The owner reads
their own data; center staff of the community read it unmasked through a reveal that
states a purpose and is audited in the same transaction; everyone else sees masks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from services.chassis.auth import Principal
from services.chassis.errors import Forbidden
from services.chassis.protection import PersonalDataCipher
from services.chassis.reveals import record_reveal
from services.chassis.unit_of_work import UnitOfWork

from ..domain import attributes, mask_phone
from ..models import Case, PersonalDataAccess, Ticket
from . import policy

MASK = attributes.MASK
ATTRIBUTES_FIELD = "personal_attributes"
PHONE_FIELD = "contact_phone"


def seal_attributes(
    cipher: PersonalDataCipher,
    ticket: Ticket,
    definitions: Sequence[Mapping[str, Any]],
    values: dict[str, Any],
) -> None:
    """Store `values` on `ticket`: the personal ones (by the form now) sealed, masks in their place."""
    personal = sorted(attributes.personal_codes(definitions, values))
    secret = {code: values[code] for code in personal}
    ticket.personal_attributes = personal
    ticket.attributes = {code: (MASK if code in secret else value) for code, value in values.items()}
    ticket.personal_attributes_sealed = (
        cipher.encrypt(json.dumps(secret, ensure_ascii=False), record=ticket.id, field=ATTRIBUTES_FIELD)
        if secret
        else None
    )


def seal_phone(cipher: PersonalDataCipher, row: Ticket | Case, phone: str | None) -> None:
    """Store a contact phone sealed, with its mask beside it."""
    row.contact_phone_sealed = cipher.encrypt(phone, record=row.id, field=PHONE_FIELD) if phone else None
    row.contact_phone_masked = mask_phone(phone)
    row.contact_phone_clear = None


def phone_of(cipher: PersonalDataCipher, row: Ticket | Case) -> str | None:
    """The contact phone in clear (a row from before sealing still holds it in clear)."""
    if row.contact_phone_sealed:
        return cipher.decrypt(row.contact_phone_sealed, record=row.id, field=PHONE_FIELD)
    return row.contact_phone_clear


def masked_attributes(ticket: Ticket) -> dict[str, Any]:
    """The attributes with every value recorded as personal masked (all, if none recorded)."""
    values = ticket.attributes or {}
    if ticket.personal_attributes is None:
        return dict.fromkeys(values, MASK)
    personal = set(ticket.personal_attributes)
    return {code: (MASK if code in personal else value) for code, value in values.items()}


def unmasked_attributes(cipher: PersonalDataCipher, ticket: Ticket) -> dict[str, Any]:
    """Every attribute value in clear, in the form's order."""
    values = dict(ticket.attributes or {})
    if ticket.personal_attributes_sealed:
        sealed = cipher.decrypt(ticket.personal_attributes_sealed, record=ticket.id, field=ATTRIBUTES_FIELD)
        values.update(json.loads(sealed))
    return values


def ticket_view(cipher: PersonalDataCipher, ticket: Ticket, *, unmasked: bool) -> dict[str, Any]:
    """The personal fields of a ticket as its reader may see them."""
    if unmasked:
        return {"attributes": unmasked_attributes(cipher, ticket), "contact_phone": phone_of(cipher, ticket)}
    return {"attributes": masked_attributes(ticket), "contact_phone": ticket.contact_phone_masked}


def case_phone(cipher: PersonalDataCipher, case: Case, *, unmasked: bool) -> str | None:
    return phone_of(cipher, case) if unmasked else case.contact_phone_masked


def reveal(
    uow: UnitOfWork,
    principal: Principal,
    cipher: PersonalDataCipher,
    row: Ticket | Case,
    purpose: str,
    request_id: str | None,
    now: datetime,
) -> dict[str, Any]:
    """A ticket's or a case's personal data unmasked, for center staff; audited."""
    if not policy.may_reveal(principal, row.community):
        raise Forbidden("Your role may not read personal data unmasked.")
    kind = "ticket" if isinstance(row, Ticket) else "case"
    fields = [PHONE_FIELD, *(row.personal_attributes or ())] if isinstance(row, Ticket) else [PHONE_FIELD]
    record_reveal(
        uow.session,
        PersonalDataAccess,
        principal,
        community=row.community,
        record_kind=kind,
        record_id=row.id,
        fields=fields,
        purpose=purpose,
        request_id=request_id,
        at=now,
    )
    body: dict[str, Any] = {"id": row.id, "contact_phone": phone_of(cipher, row), "masked": False}
    if isinstance(row, Ticket):
        body["attributes"] = unmasked_attributes(cipher, row)
    return body


def reseal(uow: UnitOfWork, cipher: PersonalDataCipher, batch: int = 500) -> int:
    """Seal clear values left from before sealing and move old-key ciphertexts to the
    current key (after a rotation); the number of rows changed. Run by `community reseal`."""
    changed = 0
    for model in (Ticket, Case):
        for row in uow.session.scalars(select(model).execution_options(yield_per=batch)):
            changed += _reseal_row(cipher, row)
    uow.flush()
    return changed


def _reseal_row(cipher: PersonalDataCipher, row: Ticket | Case) -> bool:
    before = (row.contact_phone_sealed, getattr(row, "personal_attributes_sealed", None))
    if row.contact_phone_clear is not None:
        seal_phone(cipher, row, row.contact_phone_clear)
    elif row.contact_phone_sealed:
        row.contact_phone_sealed = cipher.reencrypt(
            row.contact_phone_sealed, record=row.id, field=PHONE_FIELD
        )
    if isinstance(row, Ticket):
        values = row.attributes or {}
        personal = set(values if row.personal_attributes is None else row.personal_attributes)
        clear = {code: value for code, value in values.items() if code in personal and value != MASK}
        if clear and not row.personal_attributes_sealed:
            row.personal_attributes = sorted(personal)
            row.attributes = {code: (MASK if code in clear else value) for code, value in values.items()}
            row.personal_attributes_sealed = cipher.encrypt(
                json.dumps(clear, ensure_ascii=False), record=row.id, field=ATTRIBUTES_FIELD
            )
        elif row.personal_attributes_sealed:
            row.personal_attributes_sealed = cipher.reencrypt(
                row.personal_attributes_sealed, record=row.id, field=ATTRIBUTES_FIELD
            )
    return before != (row.contact_phone_sealed, getattr(row, "personal_attributes_sealed", None))
