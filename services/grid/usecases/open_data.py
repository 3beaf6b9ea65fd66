"""The grid service's open data: the public case list of a month, as a FixMyStreet-like
site shows it (served by `services.chassis.open_data`): what, where by grid cell, when,
and how it ended. Never the reporter (name, account, contact), the description or photos
(free text and pictures may show a person), the address or the coordinates.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.chassis.open_data import Dataset, Field, earliest

from ..models import Case


def _cases(session: Session, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
    statement = (
        select(Case)
        .where(Case.reported_at >= start, Case.reported_at < end)
        .order_by(Case.reported_at, Case.number)
    )
    for case in session.scalars(statement):
        yield {
            "number": case.number,
            "community": case.community,
            "cell_code": case.cell_code,
            "category": case.category,
            "severity": case.severity,
            "source": case.source,
            "status": case.status,
            "department": case.department,
            "reported_at": case.reported_at,
            "due_at": case.due_at,
            "resolved_at": case.resolved_at,
            "closed_at": case.closed_at,
        }


DATASETS = (
    Dataset(
        "cases",
        "网格事件 (grid cases reported in the month)",
        "本月上报的网格事件（公开列表，不含上报人、描述、照片和位置）。"
        "Cases reported in the month, as the public list shows them.",
        (
            Field("number", "string", "事件编号", "Case number"),
            Field("community", "string", "社区", "Community code"),
            Field("cell_code", "string", "网格", "Grid cell code"),
            Field("category", "string", "类别", "Category"),
            Field("severity", "string", "紧急程度", "Severity"),
            Field("source", "string", "来源", "How it was reported"),
            Field("status", "string", "状态", "Status now"),
            Field("department", "string", "转办部门", "Department it was referred to"),
            Field("reported_at", "datetime", "上报时间", "Reported (UTC)"),
            Field("due_at", "datetime", "办理时限", "Due (UTC)"),
            Field("resolved_at", "datetime", "办结时间", "Resolved (UTC)"),
            Field("closed_at", "datetime", "关闭时间", "Closed (UTC)"),
        ),
        _cases,
        earliest(Case.reported_at),
    ),
)
