"""The demo data of `make run`: loaded on the first start, kept in the data folder after.

First each service's reference data (`<service>_reference.load_reference_data`), then a
history played through the services' own handlers (past instants: the desk's days and
cases) and their HTTP API through the in-process gateway (purchases, grid work,
evaluations), while the workers run: the events flow through the outboxes and the
memory bus to the other services as they would in production. `demo-data.json` in the
data folder records that it is done; a later start loads nothing (delete the data
folder to start over).
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from services.chassis import clock
from services.chassis.config import COMMUNITIES, Settings
from services.chassis.runtime import Runtime
from services.contracts.models import Provider
from services.grid.models import Case as GridCase
from services.intake.models import Case as DeskCase
from services.intake.models import Feedback
from services.intake.usecases import catalogue

from ..embedded_platform import Platform
from . import (
    contracts_reference,
    evaluation_reference,
    governance_reference,
    grid_reference,
    intake_reference,
    subscriptions_reference,
)
from . import desk as demo_desk
from . import evaluation as demo_evaluation
from . import grid as demo_grid
from . import purchases as demo_purchases
from . import today as demo_today
from .api import Api, DemoApiError
from .cases import OpenedCase, play_cases
from .cast import Tokens
from .contracts_catalogue import CENTER_OPERATORS

log = logging.getLogger("demo")
MARKER = "demo-data.json"
PARTIAL = "demo-data.partial"  # written when loading starts, removed when it is done
HISTORY_DAYS = 10  # working days of hall history before today
SEED = 2012  # the year Huaguoshan's reform became formal
REFERENCE_DATA: dict[str, Callable[[Runtime], None]] = {
    "intake": intake_reference.load_reference_data,
    "contracts": contracts_reference.load_reference_data,
    "grid": grid_reference.load_reference_data,
    "evaluation": evaluation_reference.load_reference_data,
    "governance": governance_reference.load_reference_data,
    "subscriptions": subscriptions_reference.load_reference_data,
    "notifications": lambda runtime: None,  # none: people register their own contact points
}


def is_loaded(data_dir: Path) -> bool:
    return (data_dir / MARKER).exists()


def was_interrupted(data_dir: Path) -> bool:
    """Loading started on an earlier start and did not finish (e.g. Ctrl-C)."""
    return (data_dir / PARTIAL).exists() and not is_loaded(data_dir)


def load_reference_data(platform: Platform) -> None:
    """Every service's reference data for the seven communities (idempotent)."""
    (platform.data_dir / PARTIAL).write_text(clock.now().isoformat())
    for service, load in REFERENCE_DATA.items():
        load(platform.runtimes[service])


def identity_claims(platform: Platform) -> dict[str, dict[str, str]]:
    """Claims the demo identities need from the data: the provider signatory's provider."""
    with platform.runtimes["contracts"].unit_of_work() as uow:
        provider_id = uow.session.scalar(
            select(Provider.id).where(Provider.name == CENTER_OPERATORS["huaguoshan"])
        )
    return {"provider_signatory": {"provider_id": provider_id}} if provider_id else {}


def ratings_recorded(platform: Platform, community: str, year: int) -> int:
    """Ratings intake recorded in a community's local year (what evaluation must receive)."""
    start = datetime(year, 1, 1, tzinfo=clock.local_zone()).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=clock.local_zone()).astimezone(UTC)
    with platform.runtimes["intake"].unit_of_work() as uow:
        return int(
            uow.session.scalar(
                select(func.count(Feedback.id)).where(
                    Feedback.community == community, Feedback.recorded_at >= start, Feedback.recorded_at < end
                )
            )
            or 0
        )


def unsent_events(platform: Platform) -> int:
    total = 0
    for runtime in platform.runtimes.values():
        with runtime.database.engine.connect() as connection:
            total += int(
                connection.execute(text("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")).scalar_one()
            )
    return total


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise DemoApiError(f"timed out waiting for {what}")
        time.sleep(0.2)


class DemoLoader:
    """Plays the demo history on a running embedded platform."""

    def __init__(
        self,
        platform: Platform,
        now: datetime | None = None,
        seed: int = SEED,
        history_days: int = HISTORY_DAYS,
    ) -> None:
        self.platform = platform
        self.now = now or clock.now()
        self.today: date = clock.local(self.now).date()
        self.year = self.today.year
        self.seed, self.history_days = seed, history_days
        settings = Settings.from_env("demo", {"data_dir": platform.data_dir, **platform.overrides})
        self.api = Api(platform.gateway, Tokens(settings))
        self.summary: dict[str, Any] = {}
        self.contracts: dict[tuple[str, str], Any] = {}
        self.opened: list[OpenedCase] = []

    def run(self) -> dict[str, Any]:
        steps = [
            ("purchases", self.purchases),
            ("desk", self.desk),
            ("cases", self.cases),
            ("today", self.today_hall),
            ("grid", self.grid),
            ("evaluation", self.evaluation),
            ("settle", self.settle),
        ]
        timings = {}
        for name, step in steps:
            started = time.monotonic()
            step()
            timings[name] = round(time.monotonic() - started, 2)
            log.info("demo step done", extra={"step": name, "seconds": timings[name]})
        self.summary["seconds"] = timings
        return self.summary

    def purchases(self) -> None:
        played = demo_purchases.play_purchases(self.api, self.today)
        self.contracts = {key: value.get("contract") for key, value in played.items()}
        self.summary["purchases"] = len(played)

    def desk(self) -> None:
        runtime = self.platform.runtimes["intake"]
        days = demo_desk.past_working_days(runtime, self.today, self.history_days)
        tickets = ratings = 0
        for _, _, result in demo_desk.play_days(runtime, list(COMMUNITIES), days, self.seed):
            tickets, ratings = tickets + result.tickets, ratings + result.ratings
            self.opened += result.cases
        self.summary.update(
            history_days=[days[0].isoformat(), days[-1].isoformat()], tickets=tickets, ticket_ratings=ratings
        )

    def cases(self) -> None:
        runtime = self.platform.runtimes["intake"]
        rng = random.Random(f"{self.seed}:cases")
        counts: dict[str, int] = {}
        for community in COMMUNITIES:
            mine = [case for case in self.opened if case.community == community]
            with runtime.unit_of_work(correlation_id=f"demo-cases-{community}") as uow:
                played = play_cases(uow, mine, catalogue.types_of(uow, community), rng, self.now)
                uow.commit()
            for key, value in played.items():
                counts[key] = counts.get(key, 0) + value
        self.summary["cases_by_last_step"] = counts

    def today_hall(self) -> None:
        self.summary["today"] = demo_today.play_today(self.platform.runtimes["intake"], self.now, self.seed)

    def grid(self) -> None:
        api, rng = self.api, random.Random(f"{self.seed}:grid")
        wait_until(
            lambda: self.grid_cases_from_intake() >= self.referred_to_grid(),
            "grid to open the referred cases",
        )
        self.summary["grid"] = {
            "findings": demo_grid.inspect_cells(api, rng),
            "referrals": demo_grid.work_cases(api, rng, "intake"),
            "inspection_cases": demo_grid.work_cases(api, rng, "inspection"),
            "resident_reports": len(demo_grid.resident_reports(api)),
        }

    def referred_to_grid(self) -> int:
        with self.platform.runtimes["intake"].unit_of_work() as uow:
            return int(
                uow.session.scalar(select(func.count(DeskCase.id)).where(DeskCase.referral_target == "grid"))
                or 0
            )

    def grid_cases_from_intake(self) -> int:
        with self.platform.runtimes["grid"].unit_of_work() as uow:
            return int(
                uow.session.scalar(select(func.count(GridCase.id)).where(GridCase.source == "intake")) or 0
            )

    def evaluation(self) -> None:
        api = self.api
        contract = self.contracts.get(("huaguoshan", f"{self.year}年度社区服务中心运营服务"))
        if contract is not None:
            scheme = demo_evaluation.contract_scheme(api, "huaguoshan", self.year, contract["id"])
            demo_evaluation.open_scored_round(api, "huaguoshan", scheme["id"], ("subdistrict", "third_party"))
        scheme = demo_evaluation.center_scheme(api, "chiwan", self.year)
        evaluation = demo_evaluation.open_scored_round(
            api, "chiwan", scheme["id"], ("committee", "subdistrict", "third_party")
        )
        ratings = ratings_recorded(self.platform, "chiwan", self.year)
        if ratings < demo_evaluation.MIN_RESPONSES:  # early January: last year's history
            self.summary["chiwan_result"] = {"open": f"{ratings} ratings this year so far"}
            return
        result = demo_evaluation.close_when_measured(api, "chiwan", evaluation["id"], self.year, ratings)
        self.summary["chiwan_result"] = {"score": result["score"], "grade": result["grade"]}

    def settle(self) -> None:
        """Until every outbox is published (consumers finish in the next moments)."""
        wait_until(lambda: unsent_events(self.platform) == 0, "the outboxes to drain")


def load(platform: Platform, now: datetime | None = None, **options: Any) -> dict[str, Any]:
    """Reference data and history on the first start; records it in the data folder."""
    started = time.monotonic()
    summary = DemoLoader(platform, now, **options).run()
    summary["total_seconds"] = round(time.monotonic() - started, 1)
    summary["loaded_at"] = (now or clock.now()).isoformat()
    (platform.data_dir / MARKER).write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    (platform.data_dir / PARTIAL).unlink(missing_ok=True)
    return summary
