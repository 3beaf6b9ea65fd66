"""Reference data for the seven communities: the catalogue and the hall's windows.

Loaded through the service's own handlers (so the same checks apply), idempotently:
a second call finds everything in place and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.config import COMMUNITIES
from services.chassis.runtime import Runtime
from services.chassis.unit_of_work import UnitOfWork
from services.intake.models import Window
from services.intake.usecases import catalogue

from .intake_catalogue import CATALOGUE, CHIWAN_DEDICATED, DEFAULT_WINDOWS, WINDOWS_PER_COMMUNITY

LOADER = Principal(
    sub="demo-loader",
    name="Reference data loader",
    roles=frozenset({"admin"}),
    communities=frozenset(COMMUNITIES),
    claims={},
)


def load_reference_data(runtime: Runtime) -> None:
    """Business types for every community; windows (Chiwan dedicated, others generalist)."""
    now = clock.now()
    with runtime.unit_of_work(correlation_id="demo-reference-data") as uow:
        for community in COMMUNITIES:
            existing = catalogue.types_of(uow, community)
            for code, zh, en, department, minutes, follow_up, sla, letter, form in CATALOGUE:
                if code in existing:
                    continue
                catalogue.create_type(
                    uow,
                    LOADER,
                    {
                        "community": community,
                        "code": code,
                        "name_zh": zh,
                        "name_en": en,
                        "department": department,
                        "typical_minutes": minutes,
                        "needs_follow_up": follow_up,
                        "sla_days": sla,
                        "ticket_prefix": letter,
                        "attributes": form,
                    },
                    now,
                )
            _windows(uow, community, now)
        uow.commit()


def _windows(uow: UnitOfWork, community: str, now: datetime) -> None:
    taken = set(uow.session.scalars(select(Window.number).where(Window.community == community)))
    dedicated = community == "chiwan"
    for number in range(1, WINDOWS_PER_COMMUNITY.get(community, DEFAULT_WINDOWS) + 1):
        if number in taken:
            continue
        catalogue.create_window(
            uow,
            LOADER,
            {
                "community": community,
                "number": number,
                "label": f"{number}号窗口（专窗）" if dedicated else f"{number}号窗口",
                "status": "open",
                "mode": "dedicated" if dedicated else "generalist",
                "skills": CHIWAN_DEDICATED[number - 1] if dedicated else [],
            },
            now,
        )
