"""The monthly report of each community: desk, cases, grid coverage, money and evaluation of
one closed month (local time), computed from the read model and the closed rounds, written
once as XLSX into the evaluation database and downloaded from the console.

The worker's periodic task writes, after a month closes, one report per community for it. A
report is never rewritten: `(community, month)` is unique and the insert does nothing when
another replica wrote it first (the periodic task also runs on one replica at a time on
PostgreSQL), so two runs or two replicas leave exactly one report per community and month.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.chassis import clock, exports, scoping
from services.chassis.auth import Principal
from services.chassis.config import COMMUNITIES, COMMUNITY_NAMES
from services.chassis.errors import NotFound
from services.chassis.unit_of_work import UnitOfWork

from ..models import ContractFact, MilestoneFact, MonthlyReport, Round
from . import metrics

READERS = ("center_staff", "committee_member", "subdistrict_officer")
SECTIONS = {
    "desk": (
        "办事大厅",
        "Service desk",
        ("tickets_served", "wait_p50_seconds", "wait_p90_seconds", "satisfaction_mean", "satisfaction_count"),
    ),
    "cases": ("办件", "Cases", ("cases_resolved", "case_on_time_rate", "reopen_rate")),
    "grid": ("网格巡查", "Grid coverage", ("inspections_done", "inspections_planned", "inspection_coverage")),
    "money": (
        "资金",
        "Money",
        (
            "milestones_due",
            "milestones_met",
            "due_fen",
            "paid_fen",
            "withheld",
            "contracts_in_force",
            "contracts_value_fen",
        ),
    ),
    "evaluation": ("绩效评估", "Evaluation", ("rounds_closed",)),
}
LABELS = {
    "tickets_served": ("办结取号数", "Tickets served"),
    "wait_p50_seconds": ("等候时间中位数（秒）", "Median wait (s)"),
    "wait_p90_seconds": ("等候时间 90 分位（秒）", "90th percentile wait (s)"),
    "satisfaction_mean": ("满意度均分", "Mean satisfaction"),
    "satisfaction_count": ("评价数", "Ratings"),
    "cases_resolved": ("办结件数", "Cases resolved"),
    "case_on_time_rate": ("按时办结率", "On-time rate"),
    "reopen_rate": ("重办率", "Reopen rate"),
    "inspections_done": ("完成巡查次数", "Inspections done"),
    "inspections_planned": ("应巡网格·月", "Cell-months planned"),
    "inspection_coverage": ("网格覆盖率", "Grid coverage"),
    "milestones_due": ("到期付款节点", "Milestones due"),
    "milestones_met": ("已完成付款节点", "Milestones met"),
    "due_fen": ("到期金额（元）", "Amount due (yuan)"),
    "paid_fen": ("本月支付/释放金额（元）", "Paid or released this month (yuan)"),
    "withheld": ("扣留节点数", "Milestones withheld"),
    "contracts_in_force": ("在履行合同数", "Contracts in force"),
    "contracts_value_fen": ("在履行合同金额（元）", "Value of contracts in force (yuan)"),
    "rounds_closed": ("本月完成评估轮次", "Rounds closed this month"),
}


def month_period(month: str) -> metrics.Period:
    """The local dates of a month `YYYY-MM`."""
    first, following = clock.month_days(month)
    return metrics.Period(first, following - timedelta(days=1))


def last_closed_month(now: datetime) -> str:
    """The month before the local month of `now`."""
    first = clock.local(now).date().replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def _money(session: Session, community: str, period: metrics.Period) -> dict[str, int]:
    due = MilestoneFact.due_date.between(period.start, period.end)
    mine = MilestoneFact.community == community
    met = and_(MilestoneFact.met_at >= period.since, MilestoneFact.met_at < period.until)
    total_due = session.scalar(select(func.coalesce(func.sum(MilestoneFact.amount_fen), 0)).where(mine, due))
    paid = session.scalar(select(func.coalesce(func.sum(MilestoneFact.amount_fen), 0)).where(mine, met))
    withheld = session.scalar(select(func.count()).where(mine, due, MilestoneFact.withheld.is_(True)))
    in_force = (
        ContractFact.community == community,
        ContractFact.activated_at < period.until,
        or_(ContractFact.period_end.is_(None), ContractFact.period_end >= period.start),
        or_(ContractFact.period_start.is_(None), ContractFact.period_start <= period.end),
    )
    count, value = session.execute(
        select(func.count(), func.coalesce(func.sum(ContractFact.value_fen), 0)).where(*in_force)
    ).one()
    return {
        "due_fen": int(total_due or 0),
        "paid_fen": int(paid or 0),
        "withheld": int(withheld or 0),
        "contracts_in_force": int(count),
        "contracts_value_fen": int(value or 0),
    }


def _rounds(session: Session, community: str, period: metrics.Period) -> list[dict[str, Any]]:
    closed = session.scalars(
        select(Round)
        .where(Round.community == community, Round.closed_at >= period.since, Round.closed_at < period.until)
        .order_by(Round.closed_at)
    )
    return [
        {
            "round_id": r.id,
            "title": (r.snapshot or {}).get("title", ""),
            "year": r.year,
            "contract_id": r.contract_id,
            "score": None if r.score_centi is None else r.score_centi / 100,
            "grade": r.grade,
            "closed_at": clock.local(r.closed_at).strftime("%Y-%m-%d"),
        }
        for r in closed
    ]


def figures(session: Session, community: str, month: str, now: datetime) -> dict[str, Any]:
    """Every figure of a community's report of `month`, by section (money in fen)."""
    period = month_period(month)
    values: dict[str, Any] = {
        k: _number(v) for k, v in metrics.compute(session, community, period, now=now).items()
    }
    values.update(_money(session, community, period))
    rounds = _rounds(session, community, period)
    values["rounds_closed"] = len(rounds)
    out: dict[str, Any] = {
        name: {key: values[key] for key in keys} for name, (_, _, keys) in SECTIONS.items()
    }
    out["evaluation"]["rounds"] = rounds
    return out


def _cell(key: str, value: Any) -> Any:
    if key.endswith("_fen") and value is not None:
        return Decimal(value).scaleb(-2)  # yuan, exact
    return value


def render(community: str, month: str, found: dict[str, Any], generated_at: datetime) -> bytes:
    """The report as an XLSX workbook: a summary sheet and the evaluation rounds closed."""
    name = COMMUNITY_NAMES.get(community, community)
    summary: list[list[Any]] = [
        [f"{name}社区 {month} 月度报告", f"{community} monthly report {month}"],
        ["生成时间 Generated", clock.local(generated_at).strftime("%Y-%m-%d %H:%M")],
        [],
        ["板块 Section", "指标", "Metric", "数值 Value"],
    ]
    for section, (zh, en, keys) in SECTIONS.items():
        for key in keys:
            summary.append([f"{zh} {en}", *LABELS[key], _cell(key, found[section][key])])
    rounds = [["评估 Round", "年度 Year", "得分 Score", "等级 Grade", "完成日期 Closed"]]
    rounds += [
        [r["title"], r["year"], r["score"], r["grade"], r["closed_at"]] for r in found["evaluation"]["rounds"]
    ]
    return exports.workbook({"月度报告 Summary": summary, "绩效评估 Evaluation": rounds})


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(MonthlyReport)


def write_monthly_reports(uow: UnitOfWork, now: datetime | None = None) -> int:
    """The periodic task: each community's report of the last closed month, unless written
    already (by an earlier run or another replica); how many this run wrote."""
    now = now or clock.now()
    month = last_closed_month(now)
    done = set(uow.session.scalars(select(MonthlyReport.community).where(MonthlyReport.month == month)))
    written = 0
    for community in COMMUNITIES:
        if community in done:
            continue
        found = figures(uow.session, community, month, now)
        content = render(community, month, found, now)
        row = {
            "id": str(uuid.uuid4()),
            "community": community,
            "month": month,
            "generated_at": now,
            "figures": found,
            "size": len(content),
            "content": content,
        }
        statement = _insert(uow.session).values(**row)
        inserted = uow.session.execute(
            statement.on_conflict_do_nothing(index_elements=["community", "month"]).returning(
                MonthlyReport.id
            )
        ).first()
        written += inserted is not None
    return written


def require_reader(principal: Principal) -> None:
    """Reports are read by the center's staff, the committee and the subdistrict office."""
    principal.require(*READERS)


def list_reports(principal: Principal, filters: dict[str, Any]) -> Select[Any]:
    """Reports of the caller's communities, newest month first."""
    require_reader(principal)
    statement = scoping.scoped(select(MonthlyReport), principal, MonthlyReport.community)
    for name in ("community", "month"):
        if filters.get(name):
            statement = statement.where(getattr(MonthlyReport, name) == filters[name])
    return statement.order_by(MonthlyReport.month.desc(), MonthlyReport.community)


def report(uow: UnitOfWork, principal: Principal, report_id: str) -> MonthlyReport:
    """One report, for a reader of its community (404 otherwise)."""
    require_reader(principal)
    found = uow.session.get(MonthlyReport, report_id)
    if found is None:
        raise NotFound(f"No report {report_id}.")
    scoping.require_in_scope(principal, found.community, "report")
    return found


def filename(found: MonthlyReport) -> str:
    return f"report-{found.community}-{found.month}.xlsx"
