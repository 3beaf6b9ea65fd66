"""OCDS 1.1 export: release packages by community and date, record packages by ocid.

Public (no token): purchases of public services are open data, and the snapshots
carry no personal data or bank details.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView

from services.chassis.auth import public
from services.chassis.blueprint import Blueprint
from services.chassis.errors import NotFound
from services.chassis.web import paginate, public_url, runtime, uow

from ..settings import contracts_settings
from ..usecases import queries
from . import ocds_export, schemas

blp = Blueprint("ocds", __name__, description="Open Contracting Data Standard export")


def ocid_prefix() -> str:
    """The publisher's ocid prefix (setting `ocid_prefix`, env OCDS_OCID_PREFIX)."""
    return contracts_settings(runtime().settings).ocid_prefix


def service_root() -> str:
    """The service's public root (`.../api/contracts/`), where document urls point below."""
    return runtime().settings.public_base_url + request.script_root + "/"


def _json(document: dict[str, Any]) -> Response:
    return Response(ocds_export.dumps(document), mimetype="application/json")


@blp.route("/ocds/releases")
class Releases(MethodView):
    @public
    @blp.arguments(schemas.OcdsQuerySchema, location="query")
    @blp.paginate(page_size=50, max_page_size=500)
    @blp.doc(responses={"200": {"description": "An OCDS 1.1 release package"}})
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """A release package of the purchases (filter by community and `since` a date-time)."""
        rows = paginate(queries.releases(args.get("community"), args.get("since")), pagination_parameters)
        if not rows:
            raise NotFound("No release matches (an OCDS package holds at least one).", type="no-releases")
        return _json(ocds_export.release_package(ocid_prefix(), rows, public_url(), service_root()))


@blp.route("/ocds/records/<string:ocid>")
class Records(MethodView):
    @public
    @blp.doc(responses={"200": {"description": "An OCDS 1.1 record package"}})
    def get(self, ocid: str) -> Response:
        """The record of one contracting process: its releases and the compiled release."""
        tender_id = ocds_export.tender_id_of(ocid_prefix(), ocid)
        rows = queries.process_releases(uow(), tender_id)
        if not rows:
            raise NotFound(f"No contracting process {ocid}.")
        return _json(ocds_export.record_package(ocid_prefix(), rows, public_url(), service_root()))
