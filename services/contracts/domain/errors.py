"""The refusals of the contracts domain.

Plain exceptions carrying `problem_status` / `problem_type` / `detail` / `extra`, so the
chassis answers them as problem+json without the domain knowing about the web. A
refused state change is the chassis' `IllegalTransition` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping

from services.chassis.statemachine import IllegalTransition

__all__ = [
    "AlreadySigned",
    "BudgetExceeded",
    "ContractsError",
    "IllegalTransition",
    "InsufficientFunds",
    "InvalidTerms",
    "NotEligible",
    "NoticePending",
    "OverPayment",
    "ResolutionRequired",
    "SeparationOfDuties",
]


class ContractsError(Exception):
    """Base of the domain's refusals."""

    problem_status = 409
    problem_type = "conflict"

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class AlreadySigned(ContractsError):
    problem_type = "already-signed"


class InsufficientFunds(ContractsError):
    problem_type = "insufficient-funds"


class OverPayment(ContractsError):
    problem_type = "over-payment"


class BudgetExceeded(ContractsError):
    problem_type = "budget-exceeded"


class NotEligible(ContractsError):
    problem_type = "not-eligible"


class ResolutionRequired(ContractsError):
    """The committee approves a tender or an award only on a passed resolution of a meeting."""

    problem_type = "resolution-required"


class NoticePending(ContractsError):
    """The resolution on an award takes effect only once its public notice has concluded."""

    problem_type = "notice-pending"


class SeparationOfDuties(ContractsError):
    """The same person may not both propose and approve a step."""

    problem_status = 403
    problem_type = "separation-of-duties"


class InvalidTerms(ContractsError):
    """Terms that do not add up; answered as 422 with messages by field."""

    problem_status = 422
    problem_type = "validation-failed"

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        first = next(iter(errors.values()))[0]
        super().__init__(first)
        self.errors = dict(errors)
