"""Use cases of evaluation schemes: create, edit a draft (If-Match), make a new version, read."""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Any

from sqlalchemy import Select, func, select

from services.chassis import clock, conditional, scoping
from services.chassis.auth import Principal
from services.chassis.errors import Conflict, NotFound, Unprocessable
from services.chassis.unit_of_work import UnitOfWork

from ..domain import ahp
from ..domain.model import SchemeInvalid, Violation
from ..domain.tree import parse_definition
from ..models import ContractFact, Scheme
from . import policy

DRAFT, FROZEN = "draft", "frozen"
CENTER = "center"


def series_key(community: str, year: int, contract_id: str | None) -> str:
    """Schemes of one community, year and contract (or the service center) form a series."""
    return f"{community}:{year}:{contract_id or CENTER}"


def etag(scheme: Scheme) -> str:
    """The scheme version's ETag: changes whenever its content or status does."""
    return conditional.content_tag(
        {
            "id": scheme.id,
            "version": scheme.version,
            "status": scheme.status,
            "title": scheme.title,
            "definition": scheme.definition,
            "updated_at": scheme.updated_at.astimezone(UTC).isoformat(),
        }
    )


def _definition(data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    scheme = parse_definition(data)
    return scheme.title, scheme.to_document()


def _check_contract(uow: UnitOfWork, community: str, contract_id: str | None) -> None:
    if contract_id is None:
        return
    known = uow.session.get(ContractFact, contract_id)
    if known is not None and known.community and known.community != community:
        raise Unprocessable(
            f"Contract {contract_id} belongs to {known.community}, not {community}.",
            type="contract-community",
            errors={"contract_id": ["Contract of another community."]},
        )


def create_scheme(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Scheme:
    """Create version 1 of a community's scheme for a year (and contract)."""
    community, year = data["community"], data["year"]
    contract_id = str(data["contract_id"]) if data.get("contract_id") else None
    policy.require_manager(principal, community)
    _check_contract(uow, community, contract_id)
    key = series_key(community, year, contract_id)
    existing = uow.session.scalar(select(Scheme.id).where(Scheme.series_key == key).limit(1))
    if existing is not None:
        raise Conflict(
            f"A scheme for {community} {year} "
            f"{'contract ' + contract_id if contract_id else 'service center'} exists "
            f"({existing}); change it or POST /schemes/{existing}/versions.",
            type="scheme-exists",
        )
    title, document = _definition(data)
    return _add(uow, principal, community, year, contract_id, key, 1, title, document)


def _add(
    uow: UnitOfWork,
    principal: Principal,
    community: str,
    year: int,
    contract_id: str | None,
    key: str,
    version: int,
    title: str,
    document: dict[str, Any],
) -> Scheme:
    now = clock.now()
    scheme = Scheme(
        id=str(uuid.uuid4()),
        community=community,
        year=year,
        contract_id=contract_id,
        series_key=key,
        version=version,
        status=DRAFT,
        title=title,
        definition=document,
        created_by=principal.sub,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(scheme)
    uow.flush()
    return scheme


def get_scheme(uow: UnitOfWork, principal: Principal, scheme_id: str) -> Scheme:
    """A scheme any role of its community may read (the criteria are public)."""
    scheme = uow.session.get(Scheme, scheme_id)
    if scheme is None:
        raise NotFound(f"No scheme {scheme_id}.")
    policy.require_in_community(principal, scheme.community)
    return scheme


def _latest_version(uow: UnitOfWork, key: str) -> int:
    return int(uow.session.scalar(select(func.max(Scheme.version)).where(Scheme.series_key == key)) or 0)


def update_scheme(
    uow: UnitOfWork, principal: Principal, scheme_id: str, data: dict[str, Any], if_match: str | None
) -> Scheme:
    """Replace the definition of a draft read at `if_match` (a frozen version is never changed)."""
    scheme = uow.session.scalars(select(Scheme).where(Scheme.id == scheme_id).with_for_update()).one_or_none()
    if scheme is None:
        raise NotFound(f"No scheme {scheme_id}.")
    policy.require_in_community(principal, scheme.community)
    conditional.require_match(if_match, etag(scheme), what="scheme")
    policy.require_manager(principal, scheme.community)
    if scheme.status == FROZEN:
        raise Conflict(
            f"Version {scheme.version} is frozen since its round opened; "
            f"POST /schemes/{scheme.id}/versions to make version "
            f"{_latest_version(uow, scheme.series_key) + 1}.",
            type="scheme-frozen",
        )
    scheme.title, scheme.definition = _definition(data)
    scheme.updated_at = clock.now()
    uow.flush()
    return scheme


def new_version(uow: UnitOfWork, principal: Principal, scheme_id: str, data: dict[str, Any]) -> Scheme:
    """Make the next version of a scheme's series from a new definition."""
    scheme = get_scheme(uow, principal, scheme_id)
    policy.require_manager(principal, scheme.community)
    latest = _latest_version(uow, scheme.series_key)
    if scheme.version != latest:
        raise Conflict(
            f"Version {scheme.version} is not the latest ({latest}); make new versions from the latest.",
            type="scheme-superseded",
        )
    title, document = _definition(data)
    return _add(
        uow,
        principal,
        scheme.community,
        scheme.year,
        scheme.contract_id,
        scheme.series_key,
        latest + 1,
        title,
        document,
    )


def list_schemes(principal: Principal, filters: dict[str, Any]) -> Select[Any]:
    """Schemes of the caller's communities, newest year and version first."""
    statement = scoping.scoped(select(Scheme), principal, Scheme.community)
    for name in ("community", "year", "status"):
        if filters.get(name) is not None:
            statement = statement.where(getattr(Scheme, name) == filters[name])
    if filters.get("contract_id"):
        statement = statement.where(Scheme.contract_id == str(filters["contract_id"]))
    return statement.order_by(Scheme.community, Scheme.year.desc(), Scheme.version.desc())


def derive_weights(matrix: list[list[Any]]) -> dict[str, Any]:
    """AHP weights of a pairwise comparison matrix, refused when CR ≥ 0.1."""
    try:
        result = ahp.derive(matrix)
    except ahp.InvalidMatrix as exc:
        raise SchemeInvalid([Violation("ahp-matrix-invalid", "matrix", f"AHP matrix: {exc}.")]) from None
    summary = {
        "weights": [float(w) for w in ahp.to_basis_points(result.weights)],
        "lambda_max": round(result.lambda_max, 4),
        "consistency_index": round(result.consistency_index, 4),
        "consistency_ratio": round(result.consistency_ratio, 4),
        "random_index": ahp.RANDOM_INDEX[len(result.weights)],
    }
    if not result.consistent:
        refused = SchemeInvalid(
            [
                Violation(
                    "ahp-consistency-ratio-below-0.1",
                    "matrix",
                    f"The comparisons are too inconsistent: consistency ratio "
                    f"{result.consistency_ratio:.3f} is not below {ahp.CONSISTENCY_LIMIT}; revise the "
                    "judgements.",
                )
            ]
        )
        refused.extra.update({k: v for k, v in summary.items() if k != "weights"})
        raise refused
    return summary
