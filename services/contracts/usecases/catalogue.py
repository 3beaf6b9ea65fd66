"""The service-package catalogue and the register of providers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import Conflict
from services.chassis.protection import PersonalDataCipher
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..models import Provider, ProviderStatusChange, ServicePackage, new_id
from . import ledger, personal_data, policy
from .common import get


def create_package(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> ServicePackage:
    """Add a service package to a community's catalogue (subdistrict or its committee)."""
    community = data["community"]
    policy.package_author(principal, community)
    exists = uow.session.scalars(
        select(ServicePackage).where(
            ServicePackage.community == community, ServicePackage.code == data["code"]
        )
    ).first()
    if exists is not None:
        raise Conflict(f"{community} already has a package {data['code']!r}.", type="duplicate-package")
    package = ServicePackage(
        community=community,
        code=data["code"],
        name=data["name"],
        description=data.get("description", ""),
        deliverables=data["deliverables"],
        active=True,
        created_at=clock.now(),
    )
    uow.session.add(package)
    uow.flush()
    return package


def register_provider(
    uow: UnitOfWork, principal: Principal, data: dict[str, Any], cipher: PersonalDataCipher
) -> Provider:
    """Register a social organization as a provider (subdistrict officers); its contact
    person sealed with `cipher`."""
    policy.subdistrict_officer(principal)
    uscc = domain.normalize_uscc(data["uscc"])
    problem = domain.uscc_problem(uscc)
    if problem:
        raise domain.InvalidTerms({"uscc": [f"Not a unified social credit code: {problem}."]})
    if uow.session.scalars(select(Provider).where(Provider.uscc == uscc)).first() is not None:
        raise Conflict(f"A provider with the code {uscc} is already registered.", type="duplicate-provider")
    provider = Provider(
        id=new_id(),
        name=data["name"],
        uscc=uscc,
        kind=data["kind"],
        status="active",
        community=data.get("community"),
        bank_name=data.get("bank_name"),
        bank_account=data.get("bank_account"),
        created_at=clock.now(),
        version=1,
    )
    personal_data.seal_contact(cipher, provider, data.get("contact_name"), data.get("contact_phone"))
    uow.session.add(provider)
    uow.flush()
    ledger.provider_account(uow, provider.id)
    return provider


def change_provider_status(
    uow: UnitOfWork, principal: Principal, provider_id: str, data: dict[str, Any]
) -> Provider:
    """Suspend, reinstate or bar a provider, with the reason kept in its history."""
    actor = policy.subdistrict_officer(principal)
    provider = get(uow, Provider, provider_id, lock=True, what="provider")
    action = domain.PROVIDER_ACTION_FOR_STATUS[data["status"]]
    target = domain.PROVIDER_STATUS.target(provider.status, action)
    uow.session.add(
        ProviderStatusChange(
            provider_id=provider.id,
            from_status=provider.status,
            to_status=target,
            reason=data["reason"],
            actor_sub=actor.sub,
            actor_name=actor.name,
            at=clock.now(),
        )
    )
    provider.status = target
    provider.version += 1
    uow.flush()
    return provider


def provider_history(uow: UnitOfWork, provider_id: str) -> list[ProviderStatusChange]:
    return list(
        uow.session.scalars(
            select(ProviderStatusChange)
            .where(ProviderStatusChange.provider_id == provider_id)
            .order_by(ProviderStatusChange.id)
        )
    )


def provider_name(uow: UnitOfWork, provider_id: str) -> str | None:
    provider = uow.session.get(Provider, provider_id)
    return provider.name if provider else None


def eligible_provider(uow: UnitOfWork, provider_id: str) -> Provider:
    provider = get(uow, Provider, provider_id, what="provider")
    if provider.status != "active":
        raise domain.NotEligible(f"The provider is {provider.status} and may not take part.")
    return provider


def packages_of(uow: UnitOfWork, community: str, codes: list[str]) -> list[ServicePackage]:
    """The community's active packages with these codes, in the order given; 422 if unknown."""
    found = {
        p.code: p
        for p in uow.session.scalars(
            select(ServicePackage).where(
                ServicePackage.community == community,
                ServicePackage.code.in_(codes),
                ServicePackage.active.is_(True),
            )
        )
    }
    missing = [c for c in codes if c not in found]
    if missing:
        raise domain.InvalidTerms(
            {"package_codes": [f"Not in {community}'s active catalogue: {', '.join(missing)}."]}
        )
    return [found[c] for c in codes]
