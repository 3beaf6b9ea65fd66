"""Who may do what in the grid service: every role tuple and role/community check lives here.

- `grid_worker` acts in the cells assigned to them only;
- `center_staff` and `committee_member` manage their community;
- `department` (token claim `department`) sees and updates cases referred to it;
- `subdistrict_officer` works on cases escalated to the subdistrict;
- residents see their own reports in full and everyone else's in the public view;
- subdistrict officers keep the checklist and issue Open311 keys; the committee audits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from services.chassis import scoping
from services.chassis.auth import Principal
from services.chassis.config import DEPARTMENTS
from services.chassis.errors import Forbidden

from ..models import Case

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
# Who may report a case in a community (residents, and staff on their behalf).
REPORTER_ROLES = ("resident", "center_staff", "grid_worker", "committee_member", "department")
# Who reads a community's inspections, rounds, collection counts and cells' workers.
COMMUNITY_READERS = ("center_staff", "committee_member", "subdistrict_officer", "grid_worker")
# Who supervises unmasked reads of personal data.
AUDITORS = ("committee_member", "subdistrict_officer")
# Who keeps the platform-wide checklist and issues Open311 keys.
SUBDISTRICT = ("subdistrict_officer",)


def require_reporter(principal: Principal, community: str) -> Principal:
    """A caller who may report a case in `community`; 403 otherwise."""
    return principal.require(*REPORTER_ROLES, community=community)


def is_staff(principal: Principal) -> bool:
    """Staff (anyone but a plain resident) set severity and source when reporting."""
    return principal.is_admin or bool(principal.roles - {"resident"})


def reporting_role(principal: Principal) -> str:
    """The role a report is recorded under in the case's history."""
    return sorted(principal.roles)[0] if is_staff(principal) else "resident"


def walks_cells(principal: Principal | None) -> bool:
    """Grid workers act in the cells assigned to them (other callers have none)."""
    return principal is not None and "grid_worker" in principal.roles


def require_community_reader(principal: Principal, community: str) -> Principal:
    """Staff of the community or its grid workers (inspections, rounds, counts); 403 otherwise."""
    return principal.require(*COMMUNITY_READERS, community=community)


def sees_cell_workers(principal: Principal | None, community: str) -> bool:
    """Whether a cell's assigned workers are shown (staff of the community only)."""
    return principal is not None and principal.may(COMMUNITY_READERS, community)


def require_auditor(principal: Principal, community: str) -> Principal:
    """Committee members and subdistrict officers read the personal-data audit log."""
    return principal.require(*AUDITORS, community=community)


def require_checklist_editor(principal: Principal) -> Principal:
    """The checklist is platform-wide: subdistrict officers (and admins) change it."""
    return principal.require(*SUBDISTRICT)


def require_open311_issuer(principal: Principal, communities: Collection[str] = ()) -> Principal:
    """Subdistrict officers (of every community named) issue, list and revoke Open311 keys."""
    principal.require(*SUBDISTRICT)
    for community in communities:
        principal.require(*SUBDISTRICT, community=community)
    return principal


def may_assign_cell(role: str) -> bool:
    """Only center staff (or an admin) put a case into a cell when accepting it."""
    return role in ("center_staff", "admin")


def require_contact_reader(principal: Principal, community: str) -> None:
    """Center staff of the community read an Open311 reporter's contact; 403 otherwise."""
    if not principal.may(("center_staff",), community):
        raise Forbidden("Only center staff of the community read reporter contacts.")


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
    if not scoping.in_scope(principal, case.community):
        return False
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


# Who draws and redraws a community's cells (the subdistrict office plans the grid too).
CELL_EDITORS = ("center_staff", "committee_member", "subdistrict_officer")


def require_cell_editor(principal: Principal, community: str) -> Principal:
    """center_staff, committee_member or subdistrict_officer of `community` (or admin)."""
    return principal.require(*CELL_EDITORS, community=community)


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


def require_collection_reader(
    principal: Principal, community: str, cell_id: str, worker_cells: Collection[str]
) -> None:
    """Center staff and committee of the community, or the cell's grid worker; 403 otherwise."""
    if principal.may(("center_staff", "committee_member"), community):
        return
    if "grid_worker" in principal.roles and cell_id in worker_cells:
        return
    raise Forbidden("Collected information is for the community's staff and the cell's grid workers.")


def may_reveal(principal: Principal, community: str, cell_id: str, worker_cells: Collection[str]) -> bool:
    """Roles that may read personal data unmasked (each read is audited)."""
    if principal.is_admin:
        return True
    if "center_staff" in principal.roles and community in principal.communities:
        return True
    return "grid_worker" in principal.roles and cell_id in worker_cells
