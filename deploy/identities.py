"""Demo identities of the embedded platform: one person per role, with ready tokens.

`make run` prints them and the web UI's sign-in page offers them (embedded mode only;
production signs in through the district's OpenID Connect provider). The names are
invented; the subjects match the demo data (grid workers `gw-<community>-<n>` are
assigned to the demo cells; the provider signatory signs for the provider that runs
Huaguoshan's service center, its `provider_id` claim looked up in the data; the second
Huaguoshan committee member drafted the purchase awaiting the first one's approval).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from services.chassis import auth
from services.chassis.config import COMMUNITIES, Settings


@dataclass(frozen=True)
class DemoPerson:
    key: str
    roles: tuple[str, ...]
    communities: tuple[str, ...]
    sub: str
    name: str
    title_zh: str
    title_en: str
    claims: Mapping[str, str] = field(default_factory=dict)


PEOPLE = (
    DemoPerson(
        "resident",
        ("resident",),
        ("huaguoshan",),
        "resident-huaguoshan-1",
        "陳麗華",
        "花果山社區居民",
        "Resident of Huaguoshan",
    ),
    DemoPerson(
        "resident_chiwan",
        ("resident",),
        ("chiwan",),
        "resident-chiwan-1",
        "黃志強",
        "赤灣社區居民",
        "Resident of Chiwan",
    ),
    DemoPerson(
        "window_clerk",
        ("center_staff",),
        ("huaguoshan",),
        "staff-huaguoshan-1",
        "林曉燕",
        "花果山社區服務中心窗口人員",
        "Window clerk, Huaguoshan service center",
    ),
    DemoPerson(
        "window_clerk_chiwan",
        ("center_staff",),
        ("chiwan",),
        "staff-chiwan-1",
        "張偉",
        "赤灣社區服務中心窗口人員",
        "Window clerk, Chiwan service center",
    ),
    DemoPerson(
        "grid_worker",
        ("grid_worker",),
        ("huaguoshan",),
        "gw-huaguoshan-1",
        "李國強",
        "花果山社區網格員",
        "Grid worker, Huaguoshan",
    ),
    DemoPerson(
        "committee_member",
        ("committee_member",),
        ("huaguoshan",),
        "committee-huaguoshan-1",
        "周淑芬",
        "花果山社區居委會委員",
        "Residents' committee member, Huaguoshan",
    ),
    DemoPerson(
        "committee_member_2",
        ("committee_member",),
        ("huaguoshan",),
        "committee-huaguoshan-2",
        "陳建國",
        "花果山社區居委會委員（議事會召集人）",
        "Residents' committee member, Huaguoshan (convenes deliberations)",
    ),
    DemoPerson(
        "committee_member_chiwan",
        ("committee_member",),
        ("chiwan",),
        "committee-chiwan-1",
        "鄭建華",
        "赤灣社區居委會委員",
        "Residents' committee member, Chiwan",
    ),
    DemoPerson(
        "subdistrict_officer",
        ("subdistrict_officer",),
        COMMUNITIES,
        "officer-zhaoshang-1",
        "何志明",
        "招商街道辦事處幹部",
        "Officer, Zhaoshang subdistrict office",
    ),
    DemoPerson(
        "provider_signatory",
        ("provider_signatory",),
        ("huaguoshan",),
        "provider-sunshine-1",
        "劉慧敏",
        "陽光家庭服務中心簽約代表",
        "Signatory, Sunshine Family service center",
    ),
    DemoPerson(
        "evaluator",
        ("evaluator",),
        COMMUNITIES,
        "evaluator-thirdparty-1",
        "吳思遠",
        "第三方評估機構評估員",
        "Third-party evaluator",
    ),
    DemoPerson(
        "department",
        ("department",),
        COMMUNITIES,
        "dept-city-management-1",
        "馬建軍",
        "區城市管理和綜合執法局",
        "District city management bureau",
        {"department": "city_management"},
    ),
    DemoPerson(
        "admin",
        ("admin",),
        COMMUNITIES,
        "admin-district-it-1",
        "區信息中心管理員",
        "區信息化管理員",
        "District IT administrator",
    ),
)


def demo_identities(
    settings: Settings,
    claims_by_key: Mapping[str, Mapping[str, str]] | None = None,
    ttl: timedelta = timedelta(days=30),
) -> list[dict[str, Any]]:
    """Every demo person with a token signed by the local key (`claims_by_key` adds claims)."""
    identities = []
    for person in PEOPLE:
        claims = {**person.claims, **(claims_by_key or {}).get(person.key, {})}
        token = auth.issue_token(
            settings,
            sub=person.sub,
            roles=person.roles,
            communities=person.communities,
            name=person.name,
            ttl=ttl,
            **claims,
        )
        identities.append(
            {
                "key": person.key,
                "roles": list(person.roles),
                "communities": list(person.communities),
                "sub": person.sub,
                "name": person.name,
                "title_zh": person.title_zh,
                "title_en": person.title_en,
                "claims": claims,
                "token": token,
            }
        )
    return identities
