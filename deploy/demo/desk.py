"""Demo history of the service halls: past days of tickets, played through intake's handlers.

Each working day of each community is a small discrete-event simulation: residents
arrive (morning and afternoon peaks), the windows call the next ticket they may serve
(`tickets.call_next` decides which, as it does live), staff start and complete it after
a service time drawn around the business type's typical minutes, a few residents do not
come when called, some rate the service at the window's pad or in the portal, and some
matters become follow-up cases. Every step is the handler the API calls, given the
simulated instant as `now`, in one transaction per community-day; the events flow
through the outbox to the other services like any day's events.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from services.chassis.clock import local_zone
from services.chassis.protection import PersonalDataCipher
from services.chassis.runtime import Runtime
from services.chassis.unit_of_work import UnitOfWork
from services.intake.api.schemas.desk import TicketCreateSchema
from services.intake.models import BusinessType, Ticket, Window
from services.intake.settings import IntakeSettings, personal_data_cipher
from services.intake.usecases import catalogue, tickets

from .cases import OpenedCase, open_desk_case, rate
from .cast import resident, staff
from .forms import attribute_values

# The hall's opening hours (Shanghai): 8 hours, INTAKE_SERVICE_HOURS_PER_DAY's default.
SESSIONS = ((time(8, 30), time(12, 0)), (time(13, 30), time(18, 0)))
# Relative arrival intensity per hour of the day: the morning and mid-afternoon peaks.
HOURLY = {8: 0.6, 9: 1.4, 10: 1.5, 11: 1.0, 13: 0.5, 14: 1.1, 15: 1.3, 16: 1.0, 17: 0.6}
# How often each business type is asked for (the rest weigh 1).
POPULAR = {
    "social_insurance_enrolment": 9,
    "residence_permit": 9,
    "elderly_health_check": 6,
    "senior_allowance": 5,
    "household_certificate": 5,
    "retiree_registration": 4,
    "birth_registration": 4,
    "family_planning_certificate": 4,
    "school_residence_proof": 4,
    "minimum_living_allowance": 3,
    "elderly_meal_service": 3,
    "unemployment_registration": 3,
    "rent_subsidy": 3,
    "environment_complaint": 3,
    "disability_subsidy": 2,
    "hazard_report": 2,
    "water_supply_issue": 2,
    "public_rental_housing": 2,
}
NO_SHOW_RATE = 0.05
CASE_RATE = 0.3  # served tickets of a follow-up type that become cases


# How residents rate a visit (weights of 1..5) before the wait costs points.
SCORES = (0.01, 0.02, 0.08, 0.32, 0.57)


@dataclass(frozen=True)
class HallProfile:
    """How busy a community's hall is and how often residents rate the service."""

    arrivals_per_day: int
    rating_rate: float


PROFILES = {"huaguoshan": HallProfile(100, 0.45), "chiwan": HallProfile(95, 0.35)}
DEFAULT_PROFILE = HallProfile(20, 0.35)


@dataclass
class DayResult:
    tickets: int = 0
    completed: int = 0
    ratings: int = 0
    cases: list[OpenedCase] = field(default_factory=list)


def local_instant(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, local_zone()).astimezone(UTC)


def arrival_times(
    day: date, expected: int, rng: random.Random, until: datetime | None = None
) -> list[datetime]:
    """Poisson arrivals over the opening hours with the hourly profile."""
    slots = []
    for opens, closes in SESSIONS:
        start = local_instant(day, opens)
        end = local_instant(day, closes)
        while start < end:
            hour_end = min(end, start.replace(minute=0, second=0) + timedelta(hours=1))
            slots.append((start, hour_end, HOURLY.get(start.astimezone(local_zone()).hour, 0.8)))
            start = hour_end
    total = sum((b - a).total_seconds() * w for a, b, w in slots)
    found = []
    for begin, end, weight in slots:
        rate = expected * weight / total  # per second
        moment = begin
        while True:
            moment += timedelta(seconds=rng.expovariate(rate))
            if moment >= end or (until is not None and moment >= until):
                break
            found.append(moment)
    return found


def service_seconds(typical_minutes: int, rng: random.Random) -> float:
    """A lognormal service time whose mean is the business type's typical minutes."""
    sigma = 0.45
    mean = typical_minutes * 60
    return max(60.0, rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma))


class HallDay:
    """One community's day in the hall, simulated event by event through the handlers."""

    def __init__(
        self,
        uow: UnitOfWork,
        community: str,
        day: date,
        rng: random.Random,
        boost: timedelta,
        cipher: PersonalDataCipher,
        until: datetime | None = None,
    ) -> None:
        self.uow, self.community, self.day, self.rng = uow, community, day, rng
        self.boost, self.cipher, self.until = boost, cipher, until
        self.profile = PROFILES.get(community, DEFAULT_PROFILE)
        self.types = catalogue.types_of(uow, community)
        self.windows = list(
            uow.session.scalars(
                select(Window)
                .where(Window.community == community, Window.status == "open")
                .order_by(Window.number)
            )
        )
        self.codes = sorted(self.types)
        self.weights = [POPULAR.get(code, 1) for code in self.codes]
        self.queue: dict[str, str] = {}  # waiting ticket id -> business type
        self.idle = {w.id for w in self.windows}
        self.events: list[tuple[datetime, int, str, Any]] = []
        self.counter = itertools.count()
        self.result = DayResult()

    def schedule(self, at: datetime, kind: str, payload: Any) -> None:
        heapq.heappush(self.events, (at, next(self.counter), kind, payload))

    def run(self, arrivals: list[datetime]) -> DayResult:
        for moment in arrivals:
            self.schedule(moment, "arrive", None)
        while self.events:
            at, _, kind, payload = heapq.heappop(self.events)
            if self.until is not None and at >= self.until:
                break
            getattr(self, f"_on_{kind}")(at, payload)
        return self.result

    def free_window(self, number: int, at: datetime) -> None:
        """Finish what the window is doing (the demo clerk starts at a free window)."""
        window = next(w for w in self.windows if w.number == number)
        ticket = self.uow.session.get(Ticket, window.current_ticket_id or "")
        if ticket is None or ticket.status not in ("called", "serving"):
            return
        clerk = staff(self.community, number)
        if ticket.status == "called":
            tickets.act(self.uow, clerk, ticket.id, "start", at - timedelta(seconds=30))
        tickets.act(self.uow, clerk, ticket.id, "complete", at)

    def _may_serve(self, window: Window, business_type: str) -> bool:
        return window.mode == "generalist" or business_type in window.skills

    def _on_arrive(self, at: datetime, _: Any) -> None:
        ticket = issue_ticket(
            self.uow,
            self.cipher,
            self.community,
            self.rng.choices(self.codes, self.weights)[0],
            self.types,
            at,
            self.boost,
            self.rng,
        )
        self.result.tickets += 1
        self.queue[ticket.id] = ticket.business_type
        for window in self.rng.sample(self.windows, len(self.windows)):
            if window.id in self.idle and self._may_serve(window, ticket.business_type):
                self.idle.discard(window.id)
                self.schedule(at + timedelta(seconds=self.rng.uniform(3, 25)), "call", window)
                break

    def _on_call(self, at: datetime, window: Window) -> None:
        if not any(self._may_serve(window, bt) for bt in self.queue.values()):
            self.idle.add(window.id)
            return
        clerk = staff(self.community, window.number)
        _, ticket = tickets.call_next(self.uow, clerk, window.id, at)
        if ticket is None:  # the mirror above and the database agree: not expected
            self.idle.add(window.id)
            return
        self.queue.pop(ticket.id, None)
        if self.rng.random() < NO_SHOW_RATE:
            self.schedule(at + timedelta(seconds=self.rng.uniform(90, 180)), "no_show", (window, ticket))
        else:
            self.schedule(at + timedelta(seconds=self.rng.uniform(15, 60)), "start", (window, ticket))

    def _on_no_show(self, at: datetime, item: tuple[Window, Ticket]) -> None:
        window, ticket = item
        tickets.act(self.uow, staff(self.community, window.number), ticket.id, "no_show", at)
        self.schedule(at + timedelta(seconds=5), "call", window)

    def _on_start(self, at: datetime, item: tuple[Window, Ticket]) -> None:
        window, ticket = item
        tickets.act(self.uow, staff(self.community, window.number), ticket.id, "start", at)
        minutes = self.types[ticket.business_type].typical_minutes
        self.schedule(
            at + timedelta(seconds=service_seconds(minutes, self.rng)), "complete", (window, ticket)
        )

    def _on_complete(self, at: datetime, item: tuple[Window, Ticket]) -> None:
        window, ticket = item
        clerk = staff(self.community, window.number)
        tickets.act(self.uow, clerk, ticket.id, "complete", at)
        self.result.completed += 1
        business_type = self.types[ticket.business_type]
        if business_type.needs_follow_up and self.rng.random() < CASE_RATE:
            self.result.cases.append(open_desk_case(self.uow, self.cipher, clerk, ticket, business_type, at))
        if self.rng.random() < self.profile.rating_rate:
            rater = resident(self.community, ticket.owner_sub) if ticket.owner_sub else clerk
            later = self.rng.uniform(10, 40) if rater is clerk else self.rng.uniform(600, 7200)
            rated_at = at + timedelta(seconds=later)
            if self.until is None or rated_at < self.until:
                rate(self.uow, rater, "ticket", ticket.id, self._score(ticket), rated_at)
                self.result.ratings += 1
        self.schedule(at + timedelta(seconds=self.rng.uniform(10, 45)), "call", window)

    def _score(self, ticket: Ticket) -> int:
        """The same service rated lower after a long wait (so the halls' layouts show)."""
        wait = ticket.wait_seconds or 0
        cost = (wait > 600 and self.rng.random() < 0.5) + (wait > 1800) + (wait > 3600)
        return max(1, self.rng.choices((1, 2, 3, 4, 5), SCORES)[0] - cost)


def issue_ticket(
    uow: UnitOfWork,
    cipher: PersonalDataCipher,
    community: str,
    code: str,
    types: dict[str, BusinessType],
    at: datetime,
    boost: timedelta,
    rng: random.Random,
    owner: str | None = None,
) -> Ticket:
    """A ticket as the hall takes them: mostly walk-ins, some from the portal or by phone."""
    draw = rng.random()
    channel = "portal" if owner or draw < 0.18 else ("phone" if draw < 0.25 else "walk_in")
    body: dict[str, Any] = {
        "community": community,
        "business_type": code,
        "channel": channel,
        "attributes": attribute_values(types[code].attributes, rng, at),
    }
    reason = rng.choices((None, "elderly", "disabled", "pregnant"), (0.9, 0.07, 0.015, 0.015))[0]
    if reason and channel != "portal":  # staff verify a priority at the desk, never online
        body.update(priority=True, priority_reason=reason)
    if channel == "phone":
        body["contact_phone"] = f"139{rng.randrange(10**8):08d}"
    data = TicketCreateSchema().load(body)
    if channel == "portal":
        principal = resident(community, owner or f"resident-{community}-{rng.randrange(1, 80)}")
    else:
        principal = staff(community, 1)
    ticket, _ = tickets.issue(uow, principal, cipher, data, at, boost)
    return ticket


def past_working_days(runtime: Runtime, today: date, count: int) -> list[date]:
    """The `count` working days before `today`, oldest first (intake's own calendar)."""
    with runtime.unit_of_work() as uow:
        calendar = catalogue.calendar(uow)
    days, day = [], today
    while len(days) < count:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            days.append(day)
    return sorted(days)


def day_is_played(uow: UnitOfWork, community: str, day: date) -> bool:
    return (
        uow.session.scalar(
            select(Ticket.id).where(Ticket.community == community, Ticket.local_date == day).limit(1)
        )
        is not None
    )


def play_days(
    runtime: Runtime, communities: list[str], days: list[date], seed: int, until: datetime | None = None
) -> Iterator[tuple[str, date, DayResult]]:
    """Play each community-day not played yet, one transaction each."""
    intake = runtime.service_settings(IntakeSettings)
    boost, cipher = intake.priority_boost, personal_data_cipher(runtime.settings, intake)
    for day in days:
        for community in communities:
            rng = random.Random(f"{seed}:{community}:{day.isoformat()}")
            with runtime.unit_of_work(correlation_id=f"demo-desk-{community}-{day}") as uow:
                if day_is_played(uow, community, day):
                    continue
                hall = HallDay(uow, community, day, rng, boost, cipher, until)
                expected = hall.profile.arrivals_per_day * rng.uniform(0.85, 1.15)
                result = hall.run(arrival_times(day, expected, rng, until))
                uow.commit()
            yield community, day, result
