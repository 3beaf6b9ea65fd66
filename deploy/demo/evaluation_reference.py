"""Reference data: the default evaluation scheme of every community's service center.

`load_reference_data(runtime)` creates, through the service's own use case, a draft
scheme for the current local year per community, for the service center
(no contract). A second call changes nothing. Contract-linked schemes are created
through the API by whoever signs the contract.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.config import COMMUNITIES, COMMUNITY_NAMES
from services.chassis.runtime import Runtime
from services.evaluation.models import Scheme
from services.evaluation.usecases import schemes


def _party(code: str, name: str, weight: str) -> dict[str, Any]:
    return {"code": code, "name": name, "weight": weight, "source": "party"}


def _metric(
    code: str, name: str, weight: str, metric: str, formula: str, target: str, **bounds: str
) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "weight": weight,
        "source": "metric",
        "metric": metric,
        "formula": formula,
        "target": target,
        **bounds,
    }


def default_definition(community_name: str = "") -> dict[str, Any]:
    """The default template: five dimensions; committee 0.5, subdistrict 0.2, survey 0.2,
    third party 0.1."""
    return {
        "title": f"{community_name}社区服务中心年度多元化绩效评估".strip(),
        "parties": [
            {"party": "committee", "weight": "0.5"},
            {"party": "subdistrict", "weight": "0.2"},
            {"party": "resident_survey", "weight": "0.2"},
            {"party": "third_party", "weight": "0.1"},
        ],
        "grade_bands": {"excellent": "90", "good": "80", "pass": "60"},
        "survey": {"mode": "ratings", "min_responses": 30},
        "dimensions": [
            {
                "code": "process",
                "name": "过程与管理",
                "weight": "0.2",
                "children": [
                    _party("P1", "制度建设与内部管理", "0.4"),
                    _party("P2", "居委会参与与信息公开", "0.3"),
                    _metric(
                        "P3",
                        "窗口等候时间（90分位）",
                        "0.3",
                        "wait_p90_seconds",
                        "inverse_linear",
                        "900",
                        worst="3600",
                    ),
                ],
            },
            {
                "code": "output",
                "name": "服务产出",
                "weight": "0.25",
                "children": [
                    _party("O1", "购买服务项目按约完成", "0.3"),
                    _metric("O2", "个案按时办结率", "0.4", "case_on_time_rate", "ratio", "0.95"),
                    _metric("O3", "网格巡查覆盖率", "0.3", "inspection_coverage", "ratio", "1"),
                ],
            },
            {
                "code": "outcome",
                "name": "服务成效",
                "weight": "0.2",
                "children": [
                    _party("E1", "社区问题化解与社会组织培育", "0.4"),
                    _party("E2", "居民参与社区事务", "0.3"),
                    _metric("E3", "个案重开率", "0.3", "reopen_rate", "inverse_linear", "0.05", worst="0.3"),
                ],
            },
            {
                "code": "satisfaction",
                "name": "居民满意度",
                "weight": "0.2",
                "children": [
                    _metric("S1", "居民评价均分", "0.6", "satisfaction_mean", "linear", "4.5", floor="1"),
                    _party("S2", "服务态度与作风", "0.4"),
                ],
            },
            {
                "code": "finance",
                "name": "财务合规",
                "weight": "0.15",
                "children": [
                    _party("F1", "资金按预算使用", "0.5"),
                    _party("F2", "账目规范与审计意见", "0.5"),
                ],
            },
        ],
    }


def load_reference_data(runtime: Runtime) -> None:
    """Create each community's default service-center scheme for this year, once."""
    year = clock.local_today().year
    for community in COMMUNITIES:
        key = schemes.series_key(community, year, None)
        with runtime.unit_of_work() as uow:
            if uow.session.scalar(select(Scheme.id).where(Scheme.series_key == key)):
                continue
            loader = Principal(
                sub="reference-data",
                name="Reference data",
                roles=frozenset({"committee_member"}),
                communities=frozenset({community}),
                claims={},
            )
            data = {
                "community": community,
                "year": year,
                "contract_id": None,
                **default_definition(COMMUNITY_NAMES[community]),
            }
            schemes.create_scheme(uow, loader, data)
            uow.commit()
