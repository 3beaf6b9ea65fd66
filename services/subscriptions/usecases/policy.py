"""Who may do what in the subscriptions service.

Administrators keep the grants and may act for any department; a `department` principal
reads its own grants and makes, reads and changes its own subscriptions only. A
department is named by its token's `department` claim (its subject when there is none).
"""

from __future__ import annotations

from services.chassis.auth import Principal
from services.chassis.errors import Forbidden, Unprocessable

DEPARTMENTS = ("department",)


def department_of(principal: Principal) -> str:
    """The department a department principal acts for."""
    return str(principal.claims.get("department") or principal.sub)


def require_admin(principal: Principal) -> None:
    """Grants are kept by the platform's administrators."""
    if not principal.is_admin:
        raise Forbidden("只有管理员可以管理授权。 (Only administrators keep the grants.)")


def acting_department(principal: Principal, named: str | None) -> str:
    """The department a request acts for: one's own, or the one an administrator names."""
    if principal.is_admin:
        if not named:
            raise Unprocessable(
                "管理员须指明部门。 (An administrator names the department.)",
                errors={"department": ["Missing data for required field."]},
            )
        return named
    principal.require(*DEPARTMENTS)
    own = department_of(principal)
    if named and named != own:
        raise Forbidden(f"只能管理本部门的订阅。 (You act for the department {own!r} only.)")
    return own


def require_owner(principal: Principal, department: str) -> None:
    """A subscription is seen and changed by its department and the administrators."""
    if principal.is_admin:
        return
    principal.require(*DEPARTMENTS)
    if department_of(principal) != department:
        raise Forbidden("这不是本部门的订阅。 (This subscription belongs to another department.)")
