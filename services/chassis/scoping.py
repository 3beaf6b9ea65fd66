"""Community scoping in one place: every query a principal runs goes through here.

A token names the communities its holder acts in; an administrator's covers all. List
queries add `within(principal, Model.community)`; a detail read calls `require_in_scope`,
which answers 404 (not 403) so that a record of another community is not confirmed to
exist. The generated test `tests/contract/test_community_scoping.py` walks every list
and detail endpoint with tokens of another community to hold every service to this.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import true

from .auth import Principal
from .errors import NotFound


def in_scope(principal: Principal | None, community: str | None) -> bool:
    """Whether `community` is one the principal acts in (administrators: every one)."""
    if principal is None or community is None:
        return False
    return principal.in_community(community)


def within(principal: Principal, column: Any) -> Any:
    """The WHERE clause keeping rows whose `column` is one of the principal's communities."""
    if principal.is_admin:
        return true()
    return column.in_(sorted(principal.communities))


def scoped(query: Any, principal: Principal, column: Any) -> Any:
    """`query` restricted to the principal's communities."""
    return query.where(within(principal, column))


def require_in_scope(principal: Principal, community: str | None, what: str) -> None:
    """404 unless the record's community is one of the principal's."""
    if not in_scope(principal, community):
        raise NotFound(f"No such {what}.")
