"""Tables of the contracts service (its own database)."""

from __future__ import annotations

from .base import Base, new_id
from .catalogue import PersonalDataAccess, Provider, ProviderStatusChange, ServicePackage
from .contract import Amendment, Contract, ContractStep, Milestone, Signature
from .ledger import Account, Budget, BudgetLine, LedgerEntry, Payment
from .procurement import Bid, CommitteeResolution, OcdsRelease, Tender, TenderStep

__all__ = [
    "Account",
    "Amendment",
    "Base",
    "Bid",
    "Budget",
    "BudgetLine",
    "CommitteeResolution",
    "Contract",
    "ContractStep",
    "LedgerEntry",
    "Milestone",
    "OcdsRelease",
    "Payment",
    "PersonalDataAccess",
    "Provider",
    "ProviderStatusChange",
    "ServicePackage",
    "Signature",
    "Tender",
    "TenderStep",
    "new_id",
]
