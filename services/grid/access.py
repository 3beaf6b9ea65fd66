"""Who may do what with cases: roles, community scope, assigned cells, departments.

- `grid_worker` acts in the cells assigned to them only;
- `center_staff` and `committee_member` manage their community;
- `department` (token claim `department`) sees and updates cases referred to it;
- `subdistrict_officer` works on cases escalated to the subdistrict;
- residents see their own reports in full and everyone else's in the public view.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from services.chassis.auth import Principal
from services.chassis.config import DEPARTMENTS
from services.chassis.errors import Forbidden

from .models import Case

# Roles that may take each lifecycle action (besides admin); scope is checked apart.
ACTION_ROLES: dict[str, tuple[str, ...]] = {
    "accept": ("center_staff", "grid_worker"),
    "start": ("center_staff", "grid_worker", "department", "subdistrict_officer"),
    "resolve": ("center_staff", "grid_worker", "department", "subdistrict_officer"),
    "verify": ("center_staff", "committee_member"),
    "close": ("center_staff",),
    "reject": ("center_staff",),
    "mark_duplicate": ("center_staff", "grid_worker"),
    "refer": ("center_staff",),
    "escalate": ("center_staff", "committee_member", "grid_worker"),
    "note": ("center_staff", "grid_worker", "committee_member", "department", "subdistrict_officer"),
}
COMMUNITY_STAFF = ("center_staff", "committee_member", "subdistrict_officer")


def department_of(principal: Principal) -> str | None:
    """The department code a `department` token carries (None for other callers)."""
    code = principal.claims.get("department")
    if "department" in principal.roles and isinstance(code, str) and code in DEPARTMENTS:
        return code
    return None


@dataclass(frozen=True)
class Scope:
    """Which cases a caller may see in full, as sets the list query can filter on."""

    all: bool
    communities: frozenset[str]
    cell_ids: frozenset[str]
    department: str | None
    reporter: str | None

    @property
    def empty(self) -> bool:
        return not (self.all or self.communities or self.cell_ids or self.department or self.reporter)


def scope_of(principal: Principal, worker_cells: Collection[str]) -> Scope:
    """The cases `principal` may read in full."""
    manages = bool(principal.roles.intersection(COMMUNITY_STAFF))
    staff = frozenset(principal.communities) if manages else frozenset()
    cells = frozenset(worker_cells) if "grid_worker" in principal.roles else frozenset()
    return Scope(
        all=principal.is_admin,
        communities=staff,
        cell_ids=cells,
        department=department_of(principal),
        reporter=principal.sub if "resident" in principal.roles else None,
    )


def sees_in_full(principal: Principal, case: Case, worker_cells: Collection[str]) -> bool:
    """True when the caller may see the case's description, photos, address and history."""
    scope = scope_of(principal, worker_cells)
    return (
        scope.all
        or case.community in scope.communities
        or (case.cell_id is not None and case.cell_id in scope.cell_ids)
        or (
            scope.department is not None
            and case.department == scope.department
            and principal.in_community(case.community)
        )
        or (case.reporter_sub is not None and case.reporter_sub == principal.sub)
    )


def acting_role(principal: Principal, case: Case, action: str, worker_cells: Collection[str]) -> str:
    """The role under which `principal` may take `action` on `case`; 403 otherwise."""
    if principal.is_admin:
        return "admin"
    if action == "reopen":
        if case.reporter_sub is not None and case.reporter_sub == principal.sub:
            return "reporter"
        raise Forbidden("Only the person who reported a case may reopen it.")
    roles = ACTION_ROLES[action]
    for role in roles:
        if role in principal.roles and _in_scope(principal, role, case, worker_cells):
            return role
    if not principal.roles.intersection(roles):
        raise Forbidden(
            f"To {action.replace('_', ' ')} a case you need one of the roles: {', '.join(roles)}."
        )
    raise Forbidden(f"This case is outside what your roles cover ({_scope_hint(principal)}).")


def _in_scope(principal: Principal, role: str, case: Case, worker_cells: Collection[str]) -> bool:
    if role in ("center_staff", "committee_member"):
        return case.community in principal.communities
    if role == "grid_worker":
        return case.cell_id is not None and case.cell_id in worker_cells
    if role == "department":
        code = department_of(principal)
        return code is not None and case.department == code and case.community in principal.communities
    if role == "subdistrict_officer":
        return case.community in principal.communities and case.escalation_level >= 1
    return False


def _scope_hint(principal: Principal) -> str:
    if "grid_worker" in principal.roles:
        return "a grid worker acts in assigned cells only"
    if "department" in principal.roles:
        return "a department acts on cases referred to it"
    if "subdistrict_officer" in principal.roles:
        return "the subdistrict acts on escalated cases"
    return "your communities"


def require_community_manager(principal: Principal, community: str) -> Principal:
    """center_staff or committee_member of `community` (or admin)."""
    return principal.require("center_staff", "committee_member", community=community)


def require_cell_worker(
    principal: Principal, community: str, cell_id: str, worker_cells: Collection[str]
) -> str:
    """center_staff of the community, or a grid worker assigned to the cell; else 403."""
    if principal.is_admin:
        return "admin"
    if "center_staff" in principal.roles and community in principal.communities:
        return "center_staff"
    if "grid_worker" in principal.roles and cell_id in worker_cells:
        return "grid_worker"
    if principal.roles.intersection({"center_staff", "grid_worker"}):
        raise Forbidden("A grid worker acts in assigned cells only; center staff in their communities.")
    raise Forbidden("This needs one of the roles: center_staff, grid_worker.")


def may_reveal(principal: Principal, community: str, cell_id: str, worker_cells: Collection[str]) -> bool:
    """Roles that may read personal data unmasked (each read is audited)."""
    if principal.is_admin:
        return True
    if "center_staff" in principal.roles and community in principal.communities:
        return True
    return "grid_worker" in principal.roles and cell_id in worker_cells
