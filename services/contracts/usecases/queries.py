"""Read-side queries: one record for a caller who may read it, and filtered, ordered
selects (served by the tables' indexes) for the paginated lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from services.chassis import scoping
from services.chassis.auth import Principal
from services.chassis.errors import Forbidden
from services.chassis.unit_of_work import UnitOfWork

from ..models import (
    Account,
    Budget,
    Contract,
    LedgerEntry,
    OcdsRelease,
    Payment,
    Provider,
    ServicePackage,
    Tender,
)
from . import policy
from .common import get


def package(uow: UnitOfWork, principal: Principal, package_id: Any) -> ServicePackage:
    found = get(uow, ServicePackage, package_id, what="package")
    policy.require_reader(principal, found.community)
    return found


def provider(uow: UnitOfWork, provider_id: Any) -> Provider:
    """A provider (the register is public; its private details are masked by projection)."""
    return get(uow, Provider, provider_id, what="provider")


def budget(uow: UnitOfWork, principal: Principal, budget_id: Any) -> Budget:
    found = get(uow, Budget, budget_id, what="budget")
    policy.require_reader(principal, found.community)
    return found


def tender(uow: UnitOfWork, principal: Principal, tender_id: Any) -> Tender:
    """A purchase, for the community's readers; a provider's signatory reads one its provider
    is invited to, or one that has been published (to bid on it)."""
    found = get(uow, Tender, tender_id, what="tender")
    published = found.published_at is not None
    if not policy.provider_may_read_tender(principal, found.invited_provider_ids, published):
        policy.require_reader(principal, found.community)
    return found


def contract(uow: UnitOfWork, principal: Principal, contract_id: Any) -> Contract:
    """A contract, for the community's readers and for its provider."""
    found = get(uow, Contract, contract_id, what="contract")
    policy.require_reader(principal, found.community, found.provider_id)
    return found


def payment(uow: UnitOfWork, principal: Principal, payment_id: Any) -> Payment:
    found = get(uow, Payment, payment_id, what="payment")
    policy.require_reader(principal, found.community)
    return found


def account_entries(uow: UnitOfWork, principal: Principal, account_id: Any) -> Select[Any]:
    """The entries of an account the caller may read, newest first."""
    account = get(uow, Account, account_id, what="account")
    policy.require_ledger_reader(principal, account.community)
    return entries(account.id)


def process_releases(uow: UnitOfWork, tender_id: str | None) -> list[OcdsRelease]:
    """The stored OCDS releases of one contracting process, oldest first."""
    return list(uow.session.scalars(releases_of(tender_id))) if tender_id else []


def readable_community(principal: Principal, community: str | None) -> str | None:
    """The community filter a caller may use (403 for one they do not belong to)."""
    if community is not None and not policy.may_read_community(principal, community):
        raise Forbidden(f"You may not read records of the community {community!r}.")
    return community


def _scoped(statement: Select[Any], column: Any, principal: Principal, community: str | None) -> Select[Any]:
    statement = scoping.scoped(statement, principal, column)  # the one community helper
    if community is not None:
        return statement.where(column == community)
    return statement


def packages(principal: Principal, args: dict[str, Any]) -> Select[Any]:
    statement = select(ServicePackage).order_by(ServicePackage.community, ServicePackage.code)
    if "active" in args:
        statement = statement.where(ServicePackage.active.is_(args["active"]))
    return _scoped(
        statement, ServicePackage.community, principal, readable_community(principal, args.get("community"))
    )


def providers(args: dict[str, Any]) -> Select[Any]:
    statement = select(Provider).order_by(Provider.name)
    for name in ("kind", "status", "community"):
        if name in args:
            statement = statement.where(getattr(Provider, name) == args[name])
    if args.get("q"):
        statement = statement.where(Provider.name.contains(args["q"]))
    return statement


def budgets(principal: Principal, args: dict[str, Any]) -> Select[Any]:
    statement = select(Budget).order_by(Budget.fiscal_year.desc(), Budget.community)
    if "fiscal_year" in args:
        statement = statement.where(Budget.fiscal_year == args["fiscal_year"])
    return _scoped(
        statement, Budget.community, principal, readable_community(principal, args.get("community"))
    )


def tenders(principal: Principal, args: dict[str, Any]) -> Select[Any]:
    statement = select(Tender).order_by(Tender.created_at.desc())
    if "status" in args:
        statement = statement.where(Tender.status == args["status"])
    return _scoped(
        statement, Tender.community, principal, readable_community(principal, args.get("community"))
    )


def contracts(principal: Principal, args: dict[str, Any]) -> Select[Any]:
    statement = select(Contract).order_by(Contract.created_at.desc())
    for name in ("status", "provider_id"):
        if name in args:
            statement = statement.where(getattr(Contract, name) == str(args[name]))
    if policy.reads_own_provider_only(principal) and not args.get("community"):
        return statement.where(Contract.provider_id == policy.own_provider(principal))
    return _scoped(
        statement, Contract.community, principal, readable_community(principal, args.get("community"))
    )


def payments(principal: Principal, args: dict[str, Any]) -> Select[Any]:
    statement = select(Payment).order_by(Payment.paid_at.desc())
    if "contract_id" in args:
        statement = statement.where(Payment.contract_id == str(args["contract_id"]))
    return _scoped(
        statement, Payment.community, principal, readable_community(principal, args.get("community"))
    )


def accounts(principal: Principal, args: dict[str, Any]) -> Select[Any]:
    statement = select(Account).where(Account.kind.in_(("committee", "autonomy_fund")))
    statement = statement.order_by(Account.community, Account.kind)
    return _scoped(
        statement, Account.community, principal, readable_community(principal, args.get("community"))
    )


def entries(account_id: str) -> Select[Any]:
    return (
        select(LedgerEntry)
        .where((LedgerEntry.debit_account_id == account_id) | (LedgerEntry.credit_account_id == account_id))
        .order_by(LedgerEntry.id.desc())
    )


def releases(community: str | None, since: datetime | None) -> Select[Any]:
    statement = select(OcdsRelease).order_by(OcdsRelease.date, OcdsRelease.id)
    if community is not None:
        statement = statement.where(OcdsRelease.community == community)
    if since is not None:
        statement = statement.where(OcdsRelease.date >= since)
    return statement


def releases_of(tender_id: str) -> Select[Any]:
    return select(OcdsRelease).where(OcdsRelease.tender_id == tender_id).order_by(OcdsRelease.seq)
