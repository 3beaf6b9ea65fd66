"""Open311 GeoReport v2 endpoints at /open311/v2/ (through the gateway: /api/grid/open311/v2/),
and the native endpoints that issue and revoke Open311 API keys."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView

from services.chassis.app import accepts
from services.chassis.auth import current_principal, optional_principal, public
from services.chassis.blueprint import Blueprint
from services.chassis.web import transactional, uow

from ..usecases import cells, open311_clients, policy
from ..usecases import open311_requests as o311
from ..usecases import open311_updates as o311_updates
from . import open311_doc as doc
from .open311_format import check_format, respond
from .projections import client_view, post_answer, request_view
from .schemas.open311 import ClientCreateSchema, ClientSchema

blp = Blueprint(
    "open311",
    __name__,
    url_prefix="/open311/v2",
    description="Open311 GeoReport v2: jurisdiction_id is the community code; "
    "errors are the spec's error list",
)
keys = Blueprint("open311_clients", __name__, description="Open311 API keys for client applications")
FORM = ("application/x-www-form-urlencoded", "multipart/form-data")


def _views(found: list[Any]) -> list[dict[str, Any]]:
    principal = optional_principal()
    worker_cells = cells.assigned_cells(uow(), principal)
    return [
        request_view(case, full=principal is not None and policy.sees_in_full(principal, case, worker_cells))
        for case in found
    ]


def _route(rule: str) -> Any:
    """An Open311 route: `fmt` is json or xml."""
    return blp.route(rule, parameters=[doc.FORMAT])


@_route("/discovery.<fmt>")
class Discovery(MethodView):
    @public
    @blp.doc(responses=doc.answer(doc.DISCOVERY, many=False))
    def get(self, fmt: str) -> Response:
        """GET discovery: where this GeoReport v2 endpoint is, its formats and changeset."""
        check_format(fmt)
        endpoint = f"{request.host_url.rstrip('/')}{request.script_root}{blp.url_prefix}"
        return respond(o311_updates.discovery(endpoint), fmt, "discovery")


@_route("/services.<fmt>")
class Services(MethodView):
    @public
    @blp.doc(parameters=[doc.JURISDICTION], responses=doc.answer(doc.SERVICE))
    def get(self, fmt: str) -> Response:
        """GET Service List: every case category as a service."""
        check_format(fmt)
        o311.jurisdiction(request.args)
        return respond(o311.service_list(), fmt, "services")


@blp.route(
    "/services/<code>.<fmt>",
    parameters=[
        doc.FORMAT,
        {"in": "path", "name": "code", "required": True, "schema": doc.SERVICE["properties"]["service_code"]},
    ],
)
class ServiceDefinition(MethodView):
    @public
    @blp.doc(parameters=[doc.JURISDICTION], responses=doc.answer(doc.DEFINITION, many=False))
    def get(self, code: str, fmt: str) -> Response:
        """GET Service Definition: the `urgency` attribute of a service."""
        check_format(fmt)
        o311.jurisdiction(request.args)
        return respond(o311.service_definition(code), fmt, "service_definition")


@_route("/requests.<fmt>")
class Requests(MethodView):
    @public
    @blp.rules(*doc.SEARCH_RULES)
    @blp.doc(parameters=[doc.JURISDICTION, *doc.SEARCH], responses=doc.answer(doc.REQUEST))
    def get(self, fmt: str) -> Response:
        """GET Service Requests: filters service_request_id, service_code, start_date,
        end_date, status (and the common page/page_size extension)."""
        check_format(fmt)
        community = o311.jurisdiction(request.args)
        return respond(_views(o311.search(uow(), request.args, community)), fmt, "service_requests")

    @public
    @accepts(*FORM)
    @transactional(client=lambda: open311_clients.key_hash(request.form.get("api_key", "")))
    @blp.rules(*doc.POST_RULES)
    @blp.doc(
        requestBody={"required": True, "content": {media: {"schema": doc.POST_FORM} for media in FORM}},
        responses=doc.answer(doc.POSTED, status="201"),
    )
    def post(self, fmt: str) -> Response:
        """POST Service Request (form-encoded; api_key, or a bearer token); answers the id."""
        check_format(fmt)
        cipher = current_app.extensions["grid.cipher"]
        case, nearby = o311.create_request(uow(), request.form, cipher, optional_principal())
        return respond(post_answer(case, nearby), fmt, "service_requests", 201)


@blp.route(
    "/requests/<ref>.<fmt>",
    parameters=[doc.FORMAT, {"in": "path", "name": "ref", "required": True, "schema": {"type": "string"}}],
)
class RequestById(MethodView):
    @public
    @blp.doc(parameters=[doc.JURISDICTION], responses=doc.answer(doc.REQUEST))
    def get(self, ref: str, fmt: str) -> Response:
        """GET Service Request: one request by its service_request_id."""
        check_format(fmt)
        community = o311.jurisdiction(request.args)
        return respond(_views([o311.find(uow(), ref, community)]), fmt, "service_requests")


@blp.route(
    "/tokens/<token>.<fmt>",
    parameters=[doc.FORMAT, {"in": "path", "name": "token", "required": True, "schema": {"type": "string"}}],
)
class Token(MethodView):
    @public
    @blp.doc(parameters=[doc.JURISDICTION], responses=doc.answer(doc.TOKEN))
    def get(self, token: str, fmt: str) -> Response:
        """GET request_id from a token."""
        check_format(fmt)
        community = o311.jurisdiction(request.args)
        case = o311.by_token(uow(), token, community)
        return respond([{"service_request_id": case.number, "token": token}], fmt, "service_requests")


@_route("/servicerequestupdates.<fmt>")
class RequestUpdates(MethodView):
    @public
    @blp.rules(*doc.SEARCH_RULES)
    @blp.doc(parameters=[doc.JURISDICTION, *doc.WINDOW], responses=doc.answer(doc.UPDATE))
    def get(self, fmt: str) -> Response:
        """GET Service Request Updates (FixMyStreet's extension): each step of the
        jurisdiction's requests between start_date and end_date, oldest first."""
        check_format(fmt)
        community = o311.jurisdiction(request.args)
        return respond(o311_updates.updates(uow(), request.args, community), fmt, "service_request_updates")


# -- API keys (native API, problem+json) ---------------------------------------------


@keys.route("/open311-clients")
class Clients(MethodView):
    @transactional
    @keys.arguments(ClientCreateSchema)
    @keys.response(201, ClientSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Issue an Open311 api_key to a client application (subdistrict officers)."""
        client, api_key = open311_clients.create_client(
            uow(), current_principal(), data["name"], data["communities"]
        )
        return client_view(client, api_key)

    @keys.response(200, ClientSchema(many=True))
    def get(self) -> Any:
        """The Open311 client applications (without their keys)."""
        return open311_clients.list_clients(uow(), current_principal())


@keys.route("/open311-clients/<client_id>")
class ClientById(MethodView):
    @transactional
    @keys.response(204)
    def delete(self, client_id: str) -> None:
        """Revoke a client's api_key."""
        open311_clients.revoke(uow(), current_principal(), client_id)
