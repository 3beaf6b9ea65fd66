"""Reference data: every community's residents' committee, five seats for the current term.

`load_reference_data(runtime)` seats `committee-<community>-1` (the chair) to `-5`, the
demo cast's committee members, through the service's own use case; a second call
changes nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.config import COMMUNITIES
from services.chassis.runtime import Runtime
from services.governance.models import Member
from services.governance.usecases import roster

from .cast import invented_name

SEATS = 5


def seat_holder(community: str, number: int) -> str:
    """The subject holding seat `number` (1: the chair) of a community's committee."""
    return f"committee-{community}-{number}"


def load_reference_data(runtime: Runtime) -> None:
    """Seat each community's committee for a five-year term around this year, once."""
    year = clock.local_today().year
    for community in COMMUNITIES:
        with runtime.unit_of_work() as uow:
            if uow.session.scalar(select(Member.id).where(Member.community == community).limit(1)):
                continue
            keeper = Principal(
                sub="reference-data",
                name="Reference data",
                roles=frozenset({"subdistrict_officer"}),
                communities=frozenset({community}),
                claims={},
            )
            for number in range(1, SEATS + 1):
                sub = seat_holder(community, number)
                data = {
                    "community": community,
                    "person_sub": sub,
                    "name": invented_name(sub),
                    "position": "chair" if number == 1 else "member",
                    "term_start": date(year - 2, 1, 1),
                    "term_end": date(year + 2, 12, 31),
                }
                roster.appoint(uow, keeper, data)
            uow.commit()
