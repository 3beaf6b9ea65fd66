"""HTTP resources of information collection: buildings, households, persons, places, counts, audit."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request
from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.protection import PersonalDataCipher
from services.chassis.reveals import AuditQuerySchema, AuditSchema, RevealSchema, audit_query
from services.chassis.web import paginate, transactional, uow

from ..models import Building, Household, Person, PersonalDataAccess, Place
from ..usecases import cells, collection, policy
from . import projections
from .schemas.collection import (
    BuildingCreateSchema,
    BuildingSchema,
    CellCodeQuerySchema,
    CountsSchema,
    HouseholdCreateSchema,
    HouseholdSchema,
    LookupSchema,
    PersonCreateSchema,
    PersonQuerySchema,
    PersonSchema,
    PersonUpdateSchema,
    PlaceCreateSchema,
    PlaceSchema,
)

blp = Blueprint(
    "collection", __name__, description="Information collection (信息采集): personal data masked and audited"
)


def _cipher() -> PersonalDataCipher:
    return current_app.extensions["grid.cipher"]


def person_view(person: Person, revealed: dict[str, str | None] | None = None) -> dict[str, Any]:
    cell_code = collection.cell_code_of(uow(), person.cell_id)
    return projections.person_view(person, cell_code, revealed)


def _in_cell(args: dict[str, Any], model: Any) -> Any:
    return collection.in_cell_query(uow(), current_principal(), args.get("cell_code"), model)


@blp.route("/buildings")
class Buildings(MethodView):
    @transactional
    @blp.rules("give a cell_code, or lon and lat inside a cell")
    @blp.arguments(BuildingCreateSchema)
    @blp.response(201, BuildingSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Register a building."""
        return collection.create_building(uow(), current_principal(), data)

    @blp.arguments(CellCodeQuerySchema, location="query")
    @blp.response(200, BuildingSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """Buildings of a cell."""
        return paginate(_in_cell(args, Building), pagination_parameters)


@blp.route("/households")
class Households(MethodView):
    @transactional
    @blp.arguments(HouseholdCreateSchema)
    @blp.response(201, HouseholdSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Register a household in a building."""
        return collection.create_household(uow(), current_principal(), data)

    @blp.arguments(CellCodeQuerySchema, location="query")
    @blp.response(200, HouseholdSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """Households of a cell."""
        return paginate(_in_cell(args, Household), pagination_parameters)


@blp.route("/persons")
class Persons(MethodView):
    @transactional
    @blp.rules(
        "id_number is an 18-character resident ID with a valid check digit (GB 11643)",
        "phone is a mainland mobile number",
    )
    @blp.arguments(PersonCreateSchema)
    @blp.response(201, PersonSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Register a person (the answer is masked)."""
        person = collection.create_person(uow(), current_principal(), _cipher(), data)
        return person_view(person), 201, {"ETag": collection.person_etag(person)}

    @blp.arguments(PersonQuerySchema, location="query")
    @blp.response(200, PersonSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """Persons of a cell, masked."""
        query = collection.filter_persons(_in_cell(args, Person), args)
        return [person_view(p) for p in paginate(query, pagination_parameters)]


@blp.route("/persons/lookup")
class PersonLookup(MethodView):
    @blp.rules("id_number is an 18-character resident ID with a valid check digit (GB 11643)")
    @blp.arguments(LookupSchema)
    @blp.response(200, PersonSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Find a person by ID number (sent in the body, never in a URL); masked."""
        return person_view(
            collection.find_by_id_number(uow(), current_principal(), _cipher(), data["id_number"])
        )


@blp.route("/persons/<uuid:person_id>")
class PersonById(MethodView):
    @blp.response(200, PersonSchema)
    def get(self, person_id: Any) -> Any:
        """One person, masked."""
        person = collection.get_person(uow(), str(person_id))
        collection.require_reader(uow(), current_principal(), person.community, person.cell_id)
        return person_view(person), 200, {"ETag": collection.person_etag(person)}

    @transactional
    @blp.rules(
        "id_number is an 18-character resident ID with a valid check digit (GB 11643)",
        "phone is a mainland mobile number",
    )
    @blp.if_match("person record")
    @blp.arguments(PersonUpdateSchema)
    @blp.response(200, PersonSchema)
    def patch(self, data: dict[str, Any], person_id: Any) -> Any:
        """Correct a person's record (If-Match required); masked."""
        person = collection.update_person(
            uow(), current_principal(), _cipher(), str(person_id), data, request.headers.get("If-Match")
        )
        return person_view(person), 200, {"ETag": collection.person_etag(person)}


@blp.route("/persons/<uuid:person_id>/reveal")
class PersonReveal(MethodView):
    @transactional
    @blp.arguments(RevealSchema)
    @blp.response(200, PersonSchema)
    def post(self, data: dict[str, Any], person_id: Any) -> Any:
        """Read a person unmasked: center staff or the cell's grid worker; audited with purpose."""
        person = collection.get_person(uow(), str(person_id))
        revealed = collection.reveal(
            uow(), current_principal(), _cipher(), person, data["purpose"], g.get("request_id")
        )
        return person_view(person, revealed)


@blp.route("/places")
class Places(MethodView):
    @transactional
    @blp.arguments(PlaceCreateSchema)
    @blp.response(201, PlaceSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Register a shop, business or other place."""
        return collection.create_place(uow(), current_principal(), data)

    @blp.arguments(CellCodeQuerySchema, location="query")
    @blp.response(200, PlaceSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """Places of a cell."""
        return paginate(_in_cell(args, Place), pagination_parameters)


@blp.route("/cells/<code>/collection")
class CellCounts(MethodView):
    @blp.response(200, CountsSchema)
    def get(self, code: str) -> Any:
        """What was collected in a cell, as counts (no personal data)."""
        cell = cells.get_cell(uow(), code)
        policy.require_community_reader(current_principal(), cell.community)
        return {"cell_code": cell.code, **collection.counts(uow(), cell.id)}


@blp.route("/audit/personal-data")
class PersonalDataAudit(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """Every unmasked read of personal data in a community (the committee supervises)."""
        policy.require_auditor(current_principal(), args["community"])
        return paginate(
            audit_query(PersonalDataAccess, args["community"], args.get("record_id")), pagination_parameters
        )
