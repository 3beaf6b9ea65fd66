"""After a key rotation: every sealed value of grid moved to the current key (`community reseal grid`)."""

from __future__ import annotations

from sqlalchemy import select

from services.chassis.protection import PersonalDataCipher
from services.chassis.unit_of_work import UnitOfWork

from ..models import Case, Person

PERSON_FIELDS = (
    ("name_encrypted", "name"),
    ("id_number_encrypted", "id_number"),
    ("phone_encrypted", "phone"),
)


def reseal(uow: UnitOfWork, cipher: PersonalDataCipher, batch: int = 500) -> int:
    """Re-encrypt persons and reporter contacts sealed with a retired key, and recompute
    the ID-number lookup hash with the current key; the number of rows changed."""
    changed = 0
    for person in uow.session.scalars(select(Person).execution_options(yield_per=batch)):
        before = tuple(getattr(person, column) for column, _ in PERSON_FIELDS)
        for column, field in PERSON_FIELDS:
            sealed = getattr(person, column)
            if sealed:
                setattr(person, column, cipher.reencrypt(sealed, record=person.id, field=field))
        number = cipher.decrypt(person.id_number_encrypted, record=person.id, field="id_number")
        person.id_number_hash = cipher.lookup_hash(number, kind="id_number")
        changed += before != tuple(getattr(person, column) for column, _ in PERSON_FIELDS)
    query = select(Case).where(Case.reporter_contact.is_not(None)).execution_options(yield_per=batch)
    for case in uow.session.scalars(query):
        sealed = case.reporter_contact
        case.reporter_contact = cipher.reencrypt(sealed, record=case.id, field="reporter_contact")
        changed += sealed != case.reporter_contact
    uow.flush()
    return changed
