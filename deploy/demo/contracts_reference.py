"""Reference data for the seven communities, loaded through the service's own handlers.

`load_reference_data(runtime)` adds, once: the 15-package catalogue per community, the
service-center operators and Huaguoshan's 18 community social organizations as
providers (with generated, valid unified social credit codes: demo data, not the
organizations' real codes), and each community's budget for the current fiscal year.
A second call changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlalchemy import select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.config import COMMUNITIES
from services.chassis.protection import PersonalDataCipher
from services.chassis.runtime import Runtime
from services.chassis.unit_of_work import UnitOfWork
from services.contracts import domain
from services.contracts.models import Budget, Provider, ServicePackage
from services.contracts.settings import PersonalDataSettings, personal_data_cipher
from services.contracts.usecases import budgets, catalogue

from .contracts_catalogue import (
    BUDGETS_YUAN,
    CENTER_OPERATORS,
    COMMITTEE_BUDGET_PILOTS,
    HUAGUOSHAN_ORGANIZATIONS,
    PACKAGES,
)

NANSHAN = "440305"  # administrative division code of Nanshan district, Shenzhen
LOADER = Principal(
    sub="reference-data",
    name="招商街道办事处（参考资料）",
    roles=frozenset({"subdistrict_officer"}),
    communities=frozenset(COMMUNITIES),
    claims={},
)


def demo_uscc(category: str, serial: int) -> str:
    """A valid code: civil-affairs registration (5), category, Nanshan, a serial, check."""
    body = f"5{category}{NANSHAN}MJ{serial:07d}"
    return body + domain.uscc_check_character(body)


def _in_transaction(runtime: Runtime, step: Callable[[UnitOfWork], None]) -> None:
    with runtime.unit_of_work(correlation_id="reference-data") as uow:
        step(uow)
        uow.commit()


def _packages(uow: UnitOfWork) -> None:
    have = set(uow.session.execute(select(ServicePackage.community, ServicePackage.code)).all())
    for community in COMMUNITIES:
        for code, name, description, deliverables in PACKAGES:
            if (community, code) not in have:
                catalogue.create_package(
                    uow,
                    LOADER,
                    {
                        "community": community,
                        "code": code,
                        "name": name,
                        "description": description,
                        "deliverables": deliverables,
                    },
                )


def _providers(cipher: PersonalDataCipher, uow: UnitOfWork) -> None:
    have = set(uow.session.scalars(select(Provider.uscc)))
    wanted = [
        (demo_uscc("2", 1000 + i), name, "social_service_agency", None)
        for i, name in enumerate(CENTER_OPERATORS.values())
    ]
    wanted += [
        (demo_uscc("1", 2000 + i), name, "community_social_organization", "huaguoshan")
        for i, name in enumerate(HUAGUOSHAN_ORGANIZATIONS)
    ]
    for code, name, kind, community in wanted:
        if code in have:
            continue
        data = {
            "name": name,
            "uscc": code,
            "kind": kind,
            "bank_name": "招商银行深圳南山支行",
            "bank_account": f"7559{int(code[10:17]):012d}",
        }
        if community:
            data["community"] = community
        catalogue.register_provider(uow, LOADER, data, cipher)


def _budgets(uow: UnitOfWork) -> None:
    year = clock.local_today().year
    have = set(uow.session.scalars(select(Budget.community).where(Budget.fiscal_year == year)))
    for community, (services_yuan, fund_yuan) in BUDGETS_YUAN.items():
        if community in have:
            continue
        mode = "committee_budget" if community in COMMITTEE_BUDGET_PILOTS else "pass_through"
        budgets.create_budget(
            uow,
            LOADER,
            {
                "community": community,
                "fiscal_year": year,
                "mode": mode,
                "services_fen": services_yuan * 100,
                "autonomy_fund_fen": fund_yuan * 100,
            },
        )


def load_reference_data(runtime: Runtime) -> None:
    """Load the catalogue, providers and this year's budgets (idempotent)."""
    cipher = personal_data_cipher(runtime.settings, runtime.service_settings(PersonalDataSettings))
    for step in (_packages, partial(_providers, cipher), _budgets):
        _in_transaction(runtime, step)
