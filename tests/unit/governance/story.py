"""The governance tests' story: a committee of five in huaguoshan, its meetings and residents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.support.helpers import bearer

# A Monday, 10:00 in Shenzhen: the notice period counts from the next day.
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TERM = (date(2024, 1, 1), date(2028, 12, 31))
PROVIDER = "52440300MJL123456X"  # the credit code of the community social organisation bidding


@dataclass
class Committee:
    """Five members (one linked per token) in huaguoshan; the subdistrict keeps the roster."""

    client: Any
    token: Any
    officer: dict[str, str] = field(default_factory=dict)
    members: list[dict[str, Any]] = field(default_factory=list)
    tokens: list[dict[str, str]] = field(default_factory=list)

    def ok(self, response: Any, status: int = 200) -> Any:
        assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
        return response.get_json()

    def seat(self, sub: str, position: str = "member", term: tuple[date, date] = TERM) -> dict[str, Any]:
        body = {
            "community": "huaguoshan",
            "person_sub": sub,
            "name": f"委员{sub}",
            "position": position,
            "term_start": term[0].isoformat(),
            "term_end": term[1].isoformat(),
        }
        return self.ok(self.client.post("/members", json=body, headers=self.officer), 201)

    def setup(self, size: int = 5) -> Committee:
        self.officer = bearer(self.token("subdistrict_officer", sub="officer-1"))
        for n in range(size):
            sub = f"member-{n}"
            self.members.append(self.seat(sub, "chair" if n == 0 else "member"))
            self.tokens.append(bearer(self.token("committee_member", sub=sub)))
        return self

    def declare(self, n: int, party: str = PROVIDER) -> dict[str, Any]:
        body = {"kind": "provider", "party": party, "description": "担任该机构理事"}
        return self.ok(
            self.client.post(
                f"/members/{self.members[n]['id']}/interests", json=body, headers=self.tokens[n]
            ),
            201,
        )

    def meeting(self, present: list[int]) -> dict[str, Any]:
        body = {
            "community": "huaguoshan",
            "title": "第三次居委会会议",
            "starts_at": MONDAY.isoformat(),
            "place": "居委会会议室",
        }
        meeting = self.ok(self.client.post("/meetings", json=body, headers=self.tokens[0]), 201)
        ids = [self.members[n]["id"] for n in present]
        self.ok(
            self.client.put(
                f"/meetings/{meeting['id']}/attendance", json={"member_ids": ids}, headers=self.tokens[0]
            )
        )
        return meeting

    def item(
        self, meeting: dict[str, Any], kind: str, subject_id: str | None, parties: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        body = {"title": "审议事项", "subject_kind": kind, "subject_id": subject_id, "parties": list(parties)}
        return self.ok(
            self.client.post(f"/meetings/{meeting['id']}/items", json=body, headers=self.tokens[0]), 201
        )

    def vote(self, item: dict[str, Any], n: int, choice: str = "for") -> Any:
        return self.client.post(f"/items/{item['id']}/votes", json={"choice": choice}, headers=self.tokens[n])

    def close(self, item: dict[str, Any]) -> Any:
        return self.client.post(f"/items/{item['id']}/outcome", headers=self.tokens[0])

    def resident(self, n: int) -> dict[str, str]:
        return bearer(self.token("resident", sub=f"resident-{n}"))


def working_days_later(start: datetime, days: int) -> datetime:
    """`days` calendar days later (the tests move the clock by hand)."""
    return start + timedelta(days=days)
