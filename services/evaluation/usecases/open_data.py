"""The evaluation service's open data: the results of the rounds closed in a month
(served by `services.chassis.open_data`). Totals and grades only: never who scored what.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.chassis.open_data import Dataset, Field, earliest

from ..domain.model import CLOSED
from ..models import Round


def _results(session: Session, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
    statement = (
        select(Round)
        .where(Round.status == CLOSED, Round.closed_at >= start, Round.closed_at < end)
        .order_by(Round.closed_at, Round.id)
    )
    for evaluation in session.scalars(statement):
        yield {
            "round_id": evaluation.id,
            "community": evaluation.community,
            "year": evaluation.year,
            "title": evaluation.snapshot.get("title"),
            "contract_id": evaluation.contract_id,
            "period_start": evaluation.period_start,
            "period_end": evaluation.period_end,
            "score_centi": evaluation.score_centi,
            "grade": evaluation.grade,
            "closed_at": evaluation.closed_at,
        }


DATASETS = (
    Dataset(
        "results",
        "考核结果 (evaluation results)",
        "本月结束的考核轮次的总分与等级。Total score and grade of the rounds closed in the month.",
        (
            Field("round_id", "string", "考核轮次", "Round id"),
            Field("community", "string", "社区", "Community code"),
            Field("year", "integer", "考核年度", "Year evaluated"),
            Field("title", "string", "考核方案", "Scheme title"),
            Field("contract_id", "string", "合同", "Contract id (empty: the service center)"),
            Field("period_start", "date", "考核期开始", "Period start"),
            Field("period_end", "date", "考核期结束", "Period end"),
            Field("score_centi", "integer", "总分×100", "Total score × 100 (exact)"),
            Field("grade", "string", "等级", "Grade"),
            Field("closed_at", "datetime", "公布时间", "When the round closed (UTC)"),
        ),
        _results,
        earliest(Round.closed_at, Round.status == CLOSED),
    ),
)
