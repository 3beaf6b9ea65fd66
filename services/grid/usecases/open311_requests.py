"""Open311 GeoReport v2 on top of grid cases: services, requests, tokens, API keys.

`jurisdiction_id` is the community code; service codes are case categories; a
service request is a case (its number is the `service_request_id`). GETs show the
public view (no personal data) unless the bearer token's holder sees the case in full.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from services.chassis import clock, hygiene
from services.chassis.auth import Principal
from services.chassis.config import COMMUNITIES
from services.chassis.errors import Problem
from services.chassis.protection import PersonalDataCipher
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..models import Case
from . import cases, cells, geometry, open311_clients, photos, policy
from .personal_data import mask_name, mask_phone

URGENCY = {
    "normal": "一般 (normal)",
    "urgent": "紧急 (urgent)",
    "immediate_danger": "有即时危险 (immediate danger)",
}
MAX_DESCRIPTION = 4000
SEARCH_SPAN = timedelta(days=90)
MAX_RESULTS = 1000


def error(status: int, description: str) -> Problem:
    return Problem(description, status=status)


def jurisdiction(args: MultiDict[str, str]) -> str:
    code = (args.get("jurisdiction_id") or "").strip()
    if not code:
        raise error(400, f"jurisdiction_id was not provided (one of: {', '.join(COMMUNITIES)}).")
    if code not in COMMUNITIES:
        raise error(404, f"jurisdiction_id {code!r} was not found.")
    return code


def service_list() -> list[dict[str, Any]]:
    """Every case category as an Open311 service."""
    return [
        {
            "service_code": code,
            "service_name": name,
            "description": f"{name}: {group.replace('_', ' ')} case handled by the grid "
            f"(deadline {sla_text(domain.DEFAULT_SEVERITY[code])}).",
            "metadata": True,
            "type": "realtime",
            "keywords": group,
            "group": group,
        }
        for code, (group, name) in domain.CATEGORIES.items()
    ]


def service_definition(code: str) -> dict[str, Any]:
    if code not in domain.CATEGORIES:
        raise error(404, f"service_code {code!r} was not found.")
    return {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": "urgency",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "One of the listed keys.",
                "order": 1,
                "description": "How urgent is it? Immediate danger makes the case critical (24 h).",
                "values": [{"key": key, "name": name} for key, name in URGENCY.items()],
            }
        ],
    }


def sla_text(severity: str) -> str:
    """The deadline of a severity in words (`24 hours`, `3 days`)."""
    hours = int(domain.SLA[severity].total_seconds() // 3600)
    return f"{hours} hours" if hours < 48 else f"{hours // 24} days"


# -- POST requests --------------------------------------------------------------------


def _coordinate(form: MultiDict[str, str], name: str, limit: float) -> float | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise error(400, f"{name} must be a decimal number (WGS 84).") from None
    if not math.isfinite(value) or abs(value) > limit:
        raise error(400, f"{name} is out of range (±{limit:g}).")
    return value


def _contact(form: MultiDict[str, str]) -> dict[str, str]:
    fields = {k: (form.get(k) or "").strip()[:200] for k in ("first_name", "last_name", "email", "phone")}
    return {k: v for k, v in fields.items() if v}


def _masked_contact(contact: dict[str, str]) -> dict[str, str]:
    masked: dict[str, str] = {}
    name = " ".join(contact[k] for k in ("last_name", "first_name") if k in contact)
    if name:
        masked["name"] = mask_name(name)
    if contact.get("email"):
        local, _, domain_part = contact["email"].partition("@")
        masked["email"] = f"{local[:1]}***@{domain_part}" if domain_part else "***"
    if contact.get("phone"):
        masked["phone"] = mask_phone("".join(c for c in contact["phone"] if c.isdigit()))
    return masked


def _location(
    uow: UnitOfWork, form: MultiDict[str, str], community: str
) -> tuple[float | None, float | None, geometry.CellRef | None, str | None]:
    lat, lon = _coordinate(form, "lat", 90), _coordinate(form, "long", 180)
    address = (form.get("address_string") or form.get("address_id") or "").strip()[:300] or None
    if (lat is None) != (lon is None):
        raise error(400, "Give both lat and long.")
    if lat is None and address is None:
        raise error(400, "A location is required: lat and long, address_string or address_id.")
    cell = None
    if lat is not None and lon is not None:
        cell = cells.locate(uow, lon, lat, community)
        if cell is None:
            raise error(
                400,
                f"The location (lat {lat}, long {lon}) is outside every grid cell "
                f"of jurisdiction {community!r}.",
            )
    return lon, lat, cell, address


def create_request(
    uow: UnitOfWork, form: MultiDict[str, str], cipher: PersonalDataCipher, principal: Principal | None = None
) -> tuple[Case, list[cases.NearbyCase]]:
    """POST requests: validate the form as the spec says and open a case.

    The caller is an application with an api_key, or (without one) a bearer token's holder
    who may report in the jurisdiction: then the case is theirs (they may reopen it).
    """
    community = jurisdiction(form)
    reporter = None
    if not form.get("api_key") and principal is not None:
        policy.require_reporter(principal, community)
        reporter, client_id, actor = principal.sub, None, principal.sub
    else:
        client = open311_clients.authenticate(uow, form.get("api_key"), community)
        client_id, actor = client.id, f"open311:{client.id}"
    code = (form.get("service_code") or "").strip()
    if not code:
        raise error(400, "service_code was not provided.")
    if code not in domain.CATEGORIES:
        raise error(404, f"service_code {code!r} was not found.")
    urgency = form.get("attribute[urgency]")
    if urgency not in (None, "", *URGENCY):
        raise error(400, f"attribute[urgency] must be one of: {', '.join(URGENCY)}.")
    description = (form.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise error(400, f"description is longer than {MAX_DESCRIPTION} characters.")
    media = (form.get("media_url") or "").strip()
    if media and not (media.startswith(("https://", "http://")) or re.fullmatch(photos.PHOTO_PATH, media)):
        raise error(400, "media_url must be an http(s) URL or the url of a photo uploaded to /photos.")
    lon, lat, cell, address = _location(uow, form, community)
    now = clock.now()
    case = cases.open_case(
        uow,
        actor=actor,
        role="open311",
        community=community,
        category=code,
        severity=domain.severity_from_urgency(code, urgency or None),
        source="resident",
        description=description or domain.CATEGORIES[code][1],
        now=now,
        cell=cell,
        lon=lon,
        lat=lat,
        address=address,
        photos=[media[:500]] if media else [],
        reporter_sub=reporter,
        open311_client_id=client_id,
        open311_token=str(uuid.uuid4()),
        open311_account_id=(form.get("account_id") or form.get("device_id") or "")[:100] or None,
    )
    contact = _contact(form)
    if contact:
        case.reporter_contact = cipher.encrypt(
            json.dumps(contact, ensure_ascii=False), record=case.id, field="reporter_contact"
        )
        case.reporter_contact_masked = _masked_contact(contact)
    return case, cases.nearby_open_cases(uow, case)


# -- GET requests ---------------------------------------------------------------------


def w3c_datetime(args: MultiDict[str, str], name: str) -> datetime | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise error(400, f"{name} must be a W3C datetime with a timezone, e.g. 2026-11-05T08:15:30+08:00.")
    fault = hygiene.day_fault(value)
    if fault is not None:
        raise error(400, f"{name}: {fault}")
    return value


def search_window(args: MultiDict[str, str]) -> tuple[datetime, datetime]:
    """start_date and end_date of a search (default: the last 90 days; at most 90 days)."""
    start, end = w3c_datetime(args, "start_date"), w3c_datetime(args, "end_date")
    end = end or (start + SEARCH_SPAN if start else clock.now())
    start = start or end - SEARCH_SPAN
    if end < start:
        raise error(400, "end_date is before start_date.")
    if end - start > SEARCH_SPAN:
        raise error(400, "start_date and end_date may not span more than 90 days.")
    return start, end


def _positive(args: MultiDict[str, str], name: str, default: int, maximum: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise error(400, f"{name} must be a whole number from 1 to {maximum}.")
    return int(raw)


def search(uow: UnitOfWork, args: MultiDict[str, str], community: str) -> list[Case]:
    """GET requests with the spec's filters (service_request_id overrides the others)."""
    ids = [i.strip() for i in (args.get("service_request_id") or "").split(",") if i.strip()]
    query = select(Case).where(Case.community == community)
    if ids:
        numbers = [i.upper() for i in ids][:MAX_RESULTS]
        return list(
            uow.session.scalars(query.where(Case.number.in_(numbers)).order_by(Case.reported_at.desc()))
        )
    codes = [c.strip() for c in (args.get("service_code") or "").split(",") if c.strip()]
    unknown = [c for c in codes if c not in domain.CATEGORIES]
    if unknown:
        raise error(404, f"service_code {unknown[0]!r} was not found.")
    statuses = {s.strip().lower() for s in (args.get("status") or "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise error(400, "status must be open, closed, or both separated by a comma.")
    start, end = search_window(args)
    query = query.where(Case.reported_at >= start, Case.reported_at <= end)
    if codes:
        query = query.where(Case.category.in_(codes))
    if statuses == {"open"}:
        query = query.where(Case.is_open.is_(True))
    elif statuses == {"closed"}:
        query = query.where(Case.is_open.is_(False))
    page_size = _positive(args, "page_size", MAX_RESULTS, MAX_RESULTS)
    page = _positive(args, "page", 1, 1_000_000)
    return list(
        uow.session.scalars(
            query.order_by(Case.reported_at.desc(), Case.id).limit(page_size).offset((page - 1) * page_size)
        )
    )


def find(uow: UnitOfWork, ref: str, community: str) -> Case:
    column = Case.id if len(ref) == 36 else Case.number
    case = uow.session.scalar(
        select(Case).where(column == (ref if len(ref) == 36 else ref.upper()), Case.community == community)
    )
    if case is None:
        raise error(404, f"service_request_id {ref!r} was not found in {community!r}.")
    return case


def by_token(uow: UnitOfWork, token: str, community: str) -> Case:
    case = uow.session.scalar(select(Case).where(Case.open311_token == token, Case.community == community))
    if case is None:
        raise error(404, f"token {token!r} was not found.")
    return case
