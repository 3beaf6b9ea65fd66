"""Tables of the contracts service (its own database)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import DeclarativeBase

from services.chassis.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


def new_id() -> str:
    return str(uuid.uuid4())


from .catalogue import Provider, ProviderStatusChange, ServicePackage  # noqa: E402
from .contract import Amendment, Contract, ContractStep, Milestone, Signature  # noqa: E402
from .ledger import Account, Budget, BudgetLine, LedgerEntry, Payment  # noqa: E402
from .procurement import Bid, OcdsRelease, Tender, TenderStep  # noqa: E402

__all__ = [
    "Account",
    "Amendment",
    "Base",
    "Bid",
    "Budget",
    "BudgetLine",
    "Contract",
    "ContractStep",
    "LedgerEntry",
    "Milestone",
    "OcdsRelease",
    "Payment",
    "Provider",
    "ProviderStatusChange",
    "ServicePackage",
    "Signature",
    "Tender",
    "TenderStep",
    "new_id",
]
