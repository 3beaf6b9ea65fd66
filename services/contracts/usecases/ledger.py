"""The double-entry ledger: accounts and transfers between them.

Every entry debits one account (the receiver) and credits another (the giver) with
the same positive amount, so the ledger balances by construction. Balances are kept
on the account rows and changed in the entry's transaction by conditional UPDATEs
taken in account-id order (no deadlock between opposite transfers); the CHECK
`kind = 'subdistrict' OR balance_fen >= 0` makes an overdraft impossible whatever
the code does.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from services.chassis import clock
from services.chassis.unit_of_work import UnitOfWork

from ..domain import InsufficientFunds
from ..models import Account, BudgetLine, LedgerEntry, new_id
from .policy import Actor

SUBDISTRICT = "subdistrict"


def _account(
    uow: UnitOfWork, code: str, kind: str, community: str | None = None, provider_id: str | None = None
) -> Account:
    """The account with `code`, created on first use (safe when two requests race)."""
    dialect = postgresql if uow.database.is_postgres else sqlite
    table = Account.__table__
    uow.session.execute(
        dialect.insert(table)
        .values(
            id=new_id(), code=code, kind=kind, community=community, provider_id=provider_id, balance_fen=0
        )
        .on_conflict_do_nothing(index_elements=[table.c.code])
    )
    return uow.session.scalars(select(Account).where(Account.code == code)).one()


def subdistrict_account(uow: UnitOfWork) -> Account:
    return _account(uow, SUBDISTRICT, "subdistrict")


def committee_account(uow: UnitOfWork, community: str) -> Account:
    return _account(uow, f"committee:{community}", "committee", community=community)


def autonomy_fund_account(uow: UnitOfWork, community: str) -> Account:
    return _account(uow, f"autonomy_fund:{community}", "autonomy_fund", community=community)


def line_account(uow: UnitOfWork, line: BudgetLine) -> Account:
    """The committee's account that holds a budget line's money (chosen when the budget was
    made: its quota for the services line, its autonomy fund for the other)."""
    return uow.session.get_one(Account, line.account_id)


def provider_account(uow: UnitOfWork, provider_id: str) -> Account:
    return _account(uow, f"provider:{provider_id}", "provider", provider_id=provider_id)


def transfer(
    uow: UnitOfWork,
    *,
    kind: str,
    giver: Account,
    receiver: Account,
    amount_fen: int,
    community: str,
    budget_line_id: str,
    actor: Actor,
    contract_id: str | None = None,
    milestone_id: str | None = None,
    memo: str = "",
) -> LedgerEntry:
    """Move `amount_fen` from `giver` to `receiver` as one balanced entry."""
    for account_id in sorted((giver.id, receiver.id)):
        if account_id == giver.id:
            taken = uow.session.execute(
                update(Account)
                .where(
                    Account.id == giver.id,
                    (Account.kind == "subdistrict") | (Account.balance_fen >= amount_fen),
                )
                .values(balance_fen=Account.balance_fen - amount_fen)
                .returning(Account.balance_fen)
            ).first()
            if taken is None:
                raise InsufficientFunds(
                    f"The {giver.kind.replace('_', ' ')} account holds less than {amount_fen} fen."
                )
        else:
            uow.session.execute(
                update(Account)
                .where(Account.id == receiver.id)
                .values(balance_fen=Account.balance_fen + amount_fen)
            )
    entry = LedgerEntry(
        kind=kind,
        debit_account_id=receiver.id,
        credit_account_id=giver.id,
        amount_fen=amount_fen,
        community=community,
        budget_line_id=budget_line_id,
        contract_id=contract_id,
        milestone_id=milestone_id,
        memo=memo,
        created_at=clock.now(),
        created_by=actor.sub,
    )
    uow.session.add(entry)
    uow.flush()
    uow.session.expire(giver)
    uow.session.expire(receiver)
    return entry
