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
        "陈丽华",
        "花果山社区居民",
        "Resident of Huaguoshan",
    ),
    DemoPerson(
        "resident_chiwan",
        ("resident",),
        ("chiwan",),
        "resident-chiwan-1",
        "黄志强",
        "赤湾社区居民",
        "Resident of Chiwan",
    ),
    DemoPerson(
        "window_clerk",
        ("center_staff",),
        ("huaguoshan",),
        "staff-huaguoshan-1",
        "林晓燕",
        "花果山社区服务中心窗口人员",
        "Window clerk, Huaguoshan service center",
    ),
    DemoPerson(
        "window_clerk_chiwan",
        ("center_staff",),
        ("chiwan",),
        "staff-chiwan-1",
        "张伟",
        "赤湾社区服务中心窗口人员",
        "Window clerk, Chiwan service center",
    ),
    DemoPerson(
        "grid_worker",
        ("grid_worker",),
        ("huaguoshan",),
        "gw-huaguoshan-1",
        "李国强",
        "花果山社区网格员",
        "Grid worker, Huaguoshan",
    ),
    DemoPerson(
        "committee_member",
        ("committee_member",),
        ("huaguoshan",),
        "committee-huaguoshan-1",
        "周淑芬",
        "花果山社区居委会委员",
        "Residents' committee member, Huaguoshan",
    ),
    DemoPerson(
        "committee_member_2",
        ("committee_member",),
        ("huaguoshan",),
        "committee-huaguoshan-2",
        "陈建国",
        "花果山社区居委会委员（议事会召集人）",
        "Residents' committee member, Huaguoshan (convenes deliberations)",
    ),
    DemoPerson(
        "committee_member_chiwan",
        ("committee_member",),
        ("chiwan",),
        "committee-chiwan-1",
        "郑建华",
        "赤湾社区居委会委员",
        "Residents' committee member, Chiwan",
    ),
    DemoPerson(
        "subdistrict_officer",
        ("subdistrict_officer",),
        COMMUNITIES,
        "officer-zhaoshang-1",
        "何志明",
        "招商街道办事处干部",
        "Officer, Zhaoshang subdistrict office",
    ),
    DemoPerson(
        "provider_signatory",
        ("provider_signatory",),
        ("huaguoshan",),
        "provider-sunshine-1",
        "刘慧敏",
        "阳光家庭服务中心签约代表",
        "Signatory, Sunshine Family service center",
    ),
    DemoPerson(
        "evaluator",
        ("evaluator",),
        COMMUNITIES,
        "evaluator-thirdparty-1",
        "吴思远",
        "第三方评估机构评估员",
        "Third-party evaluator",
    ),
    DemoPerson(
        "department",
        ("department",),
        COMMUNITIES,
        "dept-city-management-1",
        "马建军",
        "区城市管理和综合执法局",
        "District city management bureau",
        {"department": "city_management"},
    ),
    DemoPerson(
        "admin",
        ("admin",),
        COMMUNITIES,
        "admin-district-it-1",
        "区信息中心管理员",
        "区信息化管理员",
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
