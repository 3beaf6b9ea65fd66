"""Contract terms: milestones from shares, deliverables from packages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ..domain import InvalidTerms, money
from ..models import Milestone, ServicePackage

EVALUATION_GRACE = timedelta(days=366)


def check_period(start: date, end: date) -> None:
    if end < start:
        raise InvalidTerms({"period_end": ["The period ends before it starts."]})
    if (end - start).days > 3 * 366:
        raise InvalidTerms({"period_end": ["A purchase contract runs three years at most."]})


def build_milestones(items: list[dict[str, Any]], value_fen: int, start: date, end: date) -> list[Milestone]:
    """Milestones with exact amounts: shares floored, the remainder on the last one."""
    errors: dict[str, list[str]] = {}
    years: set[int] = set()
    for index, item in enumerate(items):
        kind, due = item["kind"], item.get("due_date")
        where = f"milestones.{index}"
        if kind == "signing":
            if due is not None:
                errors[where] = ["A signing milestone falls due when the contract is signed."]
            elif index != 0:
                errors[where] = ["The signing milestone comes first."]
        elif due is None:
            errors[where] = [f"A {kind} milestone needs a due_date."]
        elif kind == "scheduled" and not start <= due <= end:
            errors[where] = ["A scheduled milestone falls due within the contract period."]
        elif kind == "evaluation":
            if not start <= due <= end + EVALUATION_GRACE:
                errors[where] = ["An evaluation milestone falls due within a year after the period."]
            year = item.get("evaluation_year") or end.year
            if year in years:
                errors[where] = [f"Two evaluation milestones for the year {year}."]
            years.add(year)
    if errors:
        raise InvalidTerms(errors)
    amounts = money.split_by_shares(value_fen, [item["share_bp"] for item in items])
    return [
        Milestone(
            seq=index + 1,
            name=item["name"],
            kind=item["kind"],
            due_date=item.get("due_date"),
            share_bp=item["share_bp"],
            amount_fen=amount,
            payable_fen=0,
            paid_fen=0,
            withheld_fen=0,
            status="pending",
            evaluation_year=(item.get("evaluation_year") or end.year)
            if item["kind"] == "evaluation"
            else None,
        )
        for index, (item, amount) in enumerate(zip(items, amounts, strict=True))
    ]


def deliverables_of(packages: list[ServicePackage]) -> list[dict[str, Any]]:
    """The packages' deliverables as agreed (a copy: later catalogue edits do not change it)."""
    return [{"package_code": p.code, "package_name": p.name, **d} for p in packages for d in p.deliverables]
