"""The people who act in the demo history, as principals (handlers) or tokens (HTTP).

The offered demo identities (deploy/identities.py) act under their own subjects, so the
person who signs in as the Huaguoshan committee member finds their own past approvals;
the rest of the cast (other communities' committee members, window clerks, grid workers,
the operators' signatories) are invented here with subjects of the same patterns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from services.chassis import auth
from services.chassis.auth import Principal
from services.chassis.config import COMMUNITIES, Settings

from ..identities import PEOPLE

SURNAMES = "陈林黄张李王吴刘蔡杨许郑谢郭洪曾邱廖赖徐周叶苏庄"
GIVEN = (
    "志明",
    "淑芬",
    "建华",
    "美玲",
    "俊杰",
    "丽娟",
    "国强",
    "秀英",
    "家豪",
    "晓燕",
    "文华",
    "玉兰",
    "振宇",
    "佩珊",
    "永昌",
    "惠敏",
)


def invented_name(key: str) -> str:
    """A stable invented name for a subject (demo data, nobody real)."""
    seed = sum(ord(c) * (i + 1) for i, c in enumerate(key))
    return SURNAMES[seed % len(SURNAMES)] + GIVEN[(seed // 7) % len(GIVEN)]


@dataclass(frozen=True)
class Person:
    """Someone of the cast: a token subject with roles in some communities."""

    sub: str
    roles: tuple[str, ...]
    communities: tuple[str, ...]
    name: str = ""
    claims: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def principal(self) -> Principal:
        return Principal(
            sub=self.sub,
            name=self.name or invented_name(self.sub),
            roles=frozenset(self.roles),
            communities=frozenset(self.communities),
            claims=dict(self.claims),
        )


def _offered(key: str) -> Person:
    person = next(p for p in PEOPLE if p.key == key)
    return Person(person.sub, person.roles, person.communities, person.name, dict(person.claims))


def committee_member(community: str, number: int = 1) -> Person:
    for person in PEOPLE:
        if person.sub == f"committee-{community}-{number}":
            return _offered(person.key)
    sub = f"committee-{community}-{number}"
    return Person(sub, ("committee_member",), (community,), invented_name(sub))


def officer() -> Person:
    return _offered("subdistrict_officer")


def evaluator() -> Person:
    return _offered("evaluator")


def grid_worker(community: str, number: int) -> Person:
    sub = f"gw-{community}-{number}"
    return Person(sub, ("grid_worker",), (community,), invented_name(sub))


def center_staff(community: str, number: int = 1) -> Person:
    sub = f"staff-{community}-{number}"
    known = next((p for p in PEOPLE if p.sub == sub), None)
    return Person(sub, ("center_staff",), (community,), known.name if known else "")


def signatory(provider_id: str, sub: str) -> Person:
    return Person(
        sub, ("provider_signatory",), tuple(COMMUNITIES), invented_name(sub), {"provider_id": provider_id}
    )


@cache
def staff(community: str, number: int) -> Principal:
    """The clerk at window `number` of a community's hall."""
    return center_staff(community, number).principal


@cache
def resident(community: str, sub: str) -> Principal:
    return resident_person(community, sub).principal


class Tokens:
    """Bearer tokens for the cast, signed with the platform's local key."""

    def __init__(self, settings: Settings, ttl: timedelta = timedelta(hours=2)) -> None:
        self.settings, self.ttl = settings, ttl
        self._issued: dict[str, str] = {}

    def __call__(self, person: Person) -> str:
        if person.sub not in self._issued:
            self._issued[person.sub] = auth.issue_token(
                self.settings,
                sub=person.sub,
                roles=person.roles,
                communities=person.communities,
                name=person.name or invented_name(person.sub),
                ttl=self.ttl,
                **person.claims,
            )
        return self._issued[person.sub]


def resident_person(community: str, sub: str) -> Person:
    return Person(sub, ("resident",), (community,))
