"""Today in the halls of Huaguoshan and Chiwan, as the live demo finds them.

If the hall has opened today, its day is simulated up to the load time (windows may be
in the middle of a ticket, except window 1, where the demo clerk sits); then residents
who arrived in the last quarter of an hour wait to be called, the demo resident among
them with a ticket taken in the portal.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from services.chassis.clock import local_zone
from services.chassis.runtime import Runtime
from services.intake.settings import IntakeSettings, personal_data_cipher
from services.intake.usecases import catalogue

from .desk import HallDay, arrival_times, day_is_played, issue_ticket

WAITING = {"huaguoshan": 8, "chiwan": 5}
DEMO_RESIDENT = "resident-huaguoshan-1"


def play_today(runtime: Runtime, now: datetime, seed: int) -> dict[str, Any]:
    """Today's hall so far plus residents waiting now; counts by community."""
    intake = runtime.service_settings(IntakeSettings)
    boost, cipher = intake.priority_boost, personal_data_cipher(runtime.settings, intake)
    today = now.astimezone(local_zone()).date()
    found: dict[str, Any] = {}
    for community, waiting in WAITING.items():
        rng = random.Random(f"{seed}:{community}:today")
        with runtime.unit_of_work(correlation_id=f"demo-today-{community}") as uow:
            if day_is_played(uow, community, today):
                continue
            served = 0
            if catalogue.calendar(uow).is_working_day(today):
                hall = HallDay(uow, community, today, rng, boost, cipher, until=now)
                expected = hall.profile.arrivals_per_day
                served = hall.run(arrival_times(today, expected, rng, until=now)).tickets
                hall.free_window(1, now)
            types = catalogue.types_of(uow, community)
            codes = sorted(types)
            for index in range(waiting):
                at = now - timedelta(minutes=15) + timedelta(seconds=100 * index)
                owner = DEMO_RESIDENT if community == "huaguoshan" and index == 2 else None
                code = "elderly_health_check" if owner else rng.choice(codes)
                issue_ticket(uow, cipher, community, code, types, at, boost, rng, owner=owner)
            uow.commit()
        found[community] = {"served_today": served, "waiting": waiting}
    return found
