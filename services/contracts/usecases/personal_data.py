"""Providers' contact person (name and phone): sealed at rest, masked on read, revealed with an audit.

Each value is sealed with the chassis cipher (`CONTRACTS_PERSONAL_DATA_KEY`), its mask
stored beside it. The provider itself reads its own contact unmasked; subdistrict
officers and administrators read it through a reveal that states a purpose and is
audited in the same transaction; everyone else sees the masks. Rows from before sealing
keep their clear values in the legacy columns until `community reseal contracts`; reads
mask them meanwhile.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from services.chassis.auth import Principal
from services.chassis.errors import Forbidden
from services.chassis.protection import PersonalDataCipher
from services.chassis.reveals import record_reveal
from services.chassis.unit_of_work import UnitOfWork

from ..domain.masks import mask_contact_name, mask_contact_phone
from ..models import PersonalDataAccess, Provider
from . import policy

NAME_FIELD = "contact_name"
PHONE_FIELD = "contact_phone"


def seal_contact(cipher: PersonalDataCipher, provider: Provider, name: str | None, phone: str | None) -> None:
    """Store a provider's contact person sealed, the masks beside the ciphertexts."""
    provider.contact_name_sealed = (
        cipher.encrypt(name, record=provider.id, field=NAME_FIELD) if name else None
    )
    provider.contact_name_masked = mask_contact_name(name)
    provider.contact_phone_sealed = (
        cipher.encrypt(phone, record=provider.id, field=PHONE_FIELD) if phone else None
    )
    provider.contact_phone_masked = mask_contact_phone(phone)
    provider.contact_name_clear = None
    provider.contact_phone_clear = None


def _clear(cipher: PersonalDataCipher, provider: Provider, field: str) -> str | None:
    sealed = getattr(provider, f"{field}_sealed")
    if sealed:
        return cipher.decrypt(sealed, record=provider.id, field=field)
    return getattr(provider, f"{field}_clear")  # a row from before sealing


def contact(cipher: PersonalDataCipher, provider: Provider, *, unmasked: bool) -> dict[str, str | None]:
    """The contact person as the reader may see it."""
    if unmasked:
        return {field: _clear(cipher, provider, field) for field in (NAME_FIELD, PHONE_FIELD)}
    return {
        NAME_FIELD: provider.contact_name_masked or mask_contact_name(provider.contact_name_clear),
        PHONE_FIELD: provider.contact_phone_masked or mask_contact_phone(provider.contact_phone_clear),
    }


def reveal(
    uow: UnitOfWork,
    principal: Principal,
    cipher: PersonalDataCipher,
    provider: Provider,
    purpose: str,
    request_id: str | None,
    now: datetime,
) -> dict[str, Any]:
    """A provider's contact person unmasked, for those who may see it; audited."""
    if not policy.may_see_private(principal, provider.id):
        raise Forbidden("Your role may not read personal data unmasked.")
    record_reveal(
        uow.session,
        PersonalDataAccess,
        principal,
        community=provider.community or policy.SUBDISTRICT_AUDIT,
        record_kind="provider",
        record_id=provider.id,
        fields=[NAME_FIELD, PHONE_FIELD],
        purpose=purpose,
        request_id=request_id,
        at=now,
    )
    return {"id": provider.id, **contact(cipher, provider, unmasked=True), "masked": False}


def reseal(uow: UnitOfWork, cipher: PersonalDataCipher, batch: int = 500) -> int:
    """Seal clear contacts left from before sealing and move old-key ciphertexts to the
    current key (after a rotation); the number of rows changed. Run by `community reseal`."""
    changed = 0
    for provider in uow.session.scalars(select(Provider).execution_options(yield_per=batch)):
        before = (provider.contact_name_sealed, provider.contact_phone_sealed)
        if provider.contact_name_clear is not None or provider.contact_phone_clear is not None:
            seal_contact(
                cipher, provider, _clear(cipher, provider, NAME_FIELD), _clear(cipher, provider, PHONE_FIELD)
            )
        else:
            for field in (NAME_FIELD, PHONE_FIELD):
                sealed = getattr(provider, f"{field}_sealed")
                if sealed:
                    setattr(
                        provider, f"{field}_sealed", cipher.reencrypt(sealed, record=provider.id, field=field)
                    )
        changed += before != (provider.contact_name_sealed, provider.contact_phone_sealed)
    uow.flush()
    return changed
