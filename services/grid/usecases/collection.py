"""Use cases of information collection (信息采集): buildings, households, persons, places.

Names, ID numbers and phones are encrypted at rest; their masks are stored beside them
for everyday reads. An unmasked read needs a role that may see personal data and a
stated purpose, and is written to the audit log in the same transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import String, cast, func, select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.conditional import require_match, version_tag
from services.chassis.errors import Conflict, Forbidden, NotFound, Unprocessable
from services.chassis.protection import PersonalDataCipher
from services.chassis.reveals import record_reveal
from services.chassis.unit_of_work import UnitOfWork

from .. import events as ev
from ..models import Building, Cell, Household, Person, PersonalDataAccess, Place
from . import cells, policy
from .personal_data import mask_id_number, mask_name, mask_phone

SPECIAL_CARE = ("elderly_alone", "disability", "low_income", "left_behind_child", "entitled_group")


def _cell_for(uow: UnitOfWork, data: dict[str, Any]) -> Cell:
    if data.get("cell_code"):
        return cells.get_cell(uow, data["cell_code"])
    ref = cells.locate(uow, data["lon"], data["lat"], data.get("community"))
    if ref is None:
        raise Unprocessable(
            "The point is outside every grid cell.", errors={"lon": ["Outside every grid cell."]}
        )
    return cells.get_cell(uow, ref.code)


def require_writer(uow: UnitOfWork, principal: Principal, cell: Cell) -> str:
    return policy.require_cell_worker(
        principal, cell.community, cell.id, cells.assigned_cells(uow, principal)
    )


def require_reader(uow: UnitOfWork, principal: Principal, community: str, cell_id: str) -> None:
    """Center staff and committee of the community, or the cell's grid worker."""
    policy.require_collection_reader(principal, community, cell_id, cells.assigned_cells(uow, principal))


def cell_code_of(uow: UnitOfWork, cell_id: str) -> str | None:
    cell = uow.session.get(Cell, cell_id)  # a list's rows share a cell already loaded
    return cell.code if cell is not None else None


def in_cell_query(uow: UnitOfWork, principal: Principal, cell_code: str | None, model: Any) -> Any:
    """Rows of `model` in one cell the caller may read (the cell code is required)."""
    if not cell_code:
        raise Unprocessable("Give the cell_code to list.", errors={"cell_code": ["Required."]})
    cell = cells.get_cell(uow, cell_code)
    require_reader(uow, principal, cell.community, cell.id)
    return select(model).where(model.cell_id == cell.id).order_by(model.created_at, model.id)


def filter_persons(query: Any, args: dict[str, Any]) -> Any:
    if args.get("household_id"):
        query = query.where(Person.household_id == str(args["household_id"]))
    if args.get("residency"):
        query = query.where(Person.residency == args["residency"])
    if args.get("special_care"):  # a JSON list of a fixed vocabulary: match the quoted flag
        query = query.where(cast(Person.special_care, String).like(f'%"{args["special_care"]}"%'))
    return query


COUNTED_FIELDS = frozenset({"household_id", "residency", "special_care"})


def counts(uow: UnitOfWork, cell_id: str) -> dict[str, Any]:
    """Counts of what was collected in a cell (no personal data)."""

    def count(model: Any, *where: Any) -> int:
        return int(
            uow.session.scalar(
                select(func.count()).select_from(model).where(model.cell_id == cell_id, *where)
            )
            or 0
        )

    care: dict[str, int] = dict.fromkeys(SPECIAL_CARE, 0)
    for flags in uow.session.scalars(select(Person.special_care).where(Person.cell_id == cell_id)):
        for flag in flags or ():
            care[flag] = care.get(flag, 0) + 1
    return {
        "buildings": count(Building),
        "households": count(Household),
        "persons": count(Person),
        "registered": count(Person, Person.residency == "registered"),
        "floating": count(Person, Person.residency == "floating"),
        "places": count(Place),
        "special_care": care,
    }


def publish_counts(uow: UnitOfWork, cell: Cell) -> None:
    """Emit `grid.collection.updated` with the cell's current counts."""
    now = clock.now()
    uow.flush()
    uow.emit(
        ev.COLLECTION_UPDATED,
        subject=cell.id,
        community=cell.community,
        data={
            "cell_id": cell.id,
            "cell_code": cell.code,
            **counts(uow, cell.id),
            "updated_at": now.isoformat(),
        },
        time=now,
    )


def create_building(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Building:
    """Register a building in a cell (by cell code or by its location)."""
    cell = _cell_for(uow, data)
    require_writer(uow, principal, cell)
    now = clock.now()
    building = Building(
        id=str(uuid.uuid4()),
        community=cell.community,
        cell_id=cell.id,
        cell_code=cell.code,
        address=data["address"],
        floors=data["floors"],
        use=data["use"],
        lon=data.get("lon"),
        lat=data.get("lat"),
        created_at=now,
        updated_at=now,
    )
    uow.session.add(building)
    publish_counts(uow, cell)
    return building


def get_building(uow: UnitOfWork, building_id: str) -> Building:
    building = uow.session.get(Building, building_id)
    if building is None:
        raise NotFound("No such building.")
    return building


def create_household(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Household:
    """Register a household in a unit of a building."""
    building = get_building(uow, str(data["building_id"]))
    cell = uow.session.get(Cell, building.cell_id)
    assert cell is not None
    require_writer(uow, principal, cell)
    household = Household(
        id=str(uuid.uuid4()),
        community=cell.community,
        cell_id=cell.id,
        building_id=building.id,
        unit=data["unit"],
        tenure=data["tenure"],
        created_at=clock.now(),
    )
    uow.session.add(household)
    publish_counts(uow, cell)
    return household


def get_household(uow: UnitOfWork, household_id: str) -> Household:
    household = uow.session.get(Household, household_id)
    if household is None:
        raise NotFound("No such household.")
    return household


def create_place(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Place:
    """Register a shop, business or other place."""
    building = get_building(uow, str(data["building_id"])) if data.get("building_id") else None
    cell = uow.session.get(Cell, building.cell_id) if building else _cell_for(uow, data)
    assert cell is not None
    require_writer(uow, principal, cell)
    place = Place(
        id=str(uuid.uuid4()),
        community=cell.community,
        cell_id=cell.id,
        building_id=building.id if building else None,
        name=data["name"],
        kind=data["kind"],
        created_at=clock.now(),
    )
    uow.session.add(place)
    publish_counts(uow, cell)
    return place


def _seal(person: Person, cipher: PersonalDataCipher, field: str, value: str) -> str:
    return cipher.encrypt(value, record=person.id, field=field)


NO_SUCH_PERSON = "No person with this ID number is registered."


def _set_id_number(
    uow: UnitOfWork, principal: Principal, person: Person, cipher: PersonalDataCipher, number: str
) -> None:
    digests = cipher.lookup_hashes(number, kind="id_number")  # old and new keys while rotating
    clash = uow.session.scalar(
        select(Person).where(Person.id_number_hash.in_(digests), Person.id != person.id)
    )
    if clash is not None:
        try:
            require_reader(uow, principal, clash.community, clash.cell_id)
        except Forbidden:  # outside the caller's cells: answer as the lookup does, no oracle
            raise NotFound(NO_SUCH_PERSON) from None
        raise Conflict(
            "A person with this ID number is already registered.", type="person-already-registered"
        )
    person.id_number_encrypted = _seal(person, cipher, "id_number", number)
    person.id_number_hash = cipher.lookup_hash(number, kind="id_number")
    person.id_number_masked = mask_id_number(number)


def _set_contact(person: Person, cipher: PersonalDataCipher, data: dict[str, Any]) -> None:
    if "name" in data:
        person.name_encrypted = _seal(person, cipher, "name", data["name"])
        person.name_masked = mask_name(data["name"])
    if "phone" in data:
        phone = data["phone"]
        person.phone_encrypted = _seal(person, cipher, "phone", phone) if phone else None
        person.phone_masked = mask_phone(phone) if phone else None


def create_person(
    uow: UnitOfWork, principal: Principal, cipher: PersonalDataCipher, data: dict[str, Any]
) -> Person:
    """Register a person (ID number unique across the subdistrict)."""
    household = get_household(uow, str(data["household_id"])) if data.get("household_id") else None
    cell = uow.session.get(Cell, household.cell_id) if household else _cell_for(uow, data)
    assert cell is not None
    require_writer(uow, principal, cell)
    now = clock.now()
    person = Person(
        id=str(uuid.uuid4()),
        community=cell.community,
        cell_id=cell.id,
        household_id=household.id if household else None,
        residency=data["residency"],
        special_care=sorted(set(data.get("special_care", []))),
        version=1,
        created_at=now,
        updated_at=now,
    )
    _set_id_number(uow, principal, person, cipher, data["id_number"])
    _set_contact(person, cipher, data)
    uow.session.add(person)
    publish_counts(uow, cell)
    return person


def get_person(uow: UnitOfWork, person_id: str, *, lock: bool = False) -> Person:
    person = uow.session.get(Person, person_id, with_for_update=lock, populate_existing=lock)
    if person is None:
        raise NotFound("No such person.")
    return person


def update_person(
    uow: UnitOfWork,
    principal: Principal,
    cipher: PersonalDataCipher,
    person_id: str,
    data: dict[str, Any],
    if_match: str | None,
) -> Person:
    """Correct a person's record; `If-Match` must carry the record's ETag."""
    person = get_person(uow, person_id, lock=True)  # If-Match, then write: no lost update
    old_cell = uow.session.get(Cell, person.cell_id)
    assert old_cell is not None
    require_writer(uow, principal, old_cell)
    require_match(if_match, person_etag(person), what="person")
    new_cell = old_cell
    if "household_id" in data and data["household_id"] is not None:
        household = get_household(uow, str(data["household_id"]))
        new_cell = uow.session.get(Cell, household.cell_id) or old_cell
        require_writer(uow, principal, new_cell)
        person.household_id, person.cell_id = household.id, new_cell.id
        person.community = new_cell.community
    if "id_number" in data:
        _set_id_number(uow, principal, person, cipher, data["id_number"])
    _set_contact(person, cipher, data)
    for field in ("residency", "special_care"):
        if field in data:
            value = data[field]
            setattr(person, field, sorted(set(value)) if field == "special_care" else value)
    person.version += 1
    person.updated_at = clock.now()
    if data.keys() & COUNTED_FIELDS:  # a new phone or name changes no count
        publish_counts(uow, new_cell)
    if new_cell.id != old_cell.id:
        publish_counts(uow, old_cell)
    return person


def person_etag(person: Person) -> str:
    """The person record's ETag (a correction names it in If-Match)."""
    return version_tag("person", person.id, person.version)


def reveal(
    uow: UnitOfWork,
    principal: Principal,
    cipher: PersonalDataCipher,
    person: Person,
    purpose: str,
    request_id: str | None,
) -> dict[str, str | None]:
    """The unmasked name, ID number and phone, audited (who, when, which record, why)."""
    if not policy.may_reveal(
        principal, person.community, person.cell_id, cells.assigned_cells(uow, principal)
    ):
        raise Forbidden("Your role may not read personal data unmasked.")
    record_reveal(
        uow.session,
        PersonalDataAccess,
        principal,
        community=person.community,
        record_kind="person",
        record_id=person.id,
        fields=("name", "id_number", "phone"),
        purpose=purpose,
        request_id=request_id,
        at=clock.now(),
    )
    return {
        "name": cipher.decrypt(person.name_encrypted, record=person.id, field="name"),
        "id_number": cipher.decrypt(person.id_number_encrypted, record=person.id, field="id_number"),
        "phone": cipher.decrypt(person.phone_encrypted, record=person.id, field="phone")
        if person.phone_encrypted
        else None,
    }


def find_by_id_number(
    uow: UnitOfWork, principal: Principal, cipher: PersonalDataCipher, number: str
) -> Person:
    """The person holding an ID number, if the caller may read their cell."""
    digests = cipher.lookup_hashes(number, kind="id_number")  # old and new keys while rotating
    person = uow.session.scalar(select(Person).where(Person.id_number_hash.in_(digests)))
    if person is None:
        raise NotFound(NO_SUCH_PERSON)
    try:
        require_reader(uow, principal, person.community, person.cell_id)
    except Forbidden:  # outside the caller's cells: do not confirm the person exists
        raise NotFound(NO_SUCH_PERSON) from None
    return person
