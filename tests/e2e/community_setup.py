"""What a community needs before the story, set up through the gateway like an operator
would: the desk's business types and a generalist window, a grid cell with its worker,
the purchase catalogue (a package, providers, this year's budget), the committee.

On a platform where `community bootstrap` loaded the reference data (the container
tier), the helpers use what it made, found through the API (the types, window 1, the
cell, the budget, the five seats), and create only what is absent; the story's hazard
form gets the fields the reference form lacks (its personal contact field)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from deploy.demo.cast import invented_name
from deploy.demo.governance_reference import SEATS, seat_holder
from deploy.stack import Stack
from services.contracts.domain import uscc_check_character
from tests.support.helpers import wait_for

from .gateway_client import Gateway

YEAR = datetime.now(ZoneInfo("Asia/Shanghai")).year
GOV = "/api/governance"
# community: (cell code, west, south, east, north): a block on the Shekou peninsula
CELLS = {
    "huaguoshan": ("HGS-01", 113.9050, 22.4870, 113.9080, 22.4900),
    "shuiwan": ("SW-01", 113.9140, 22.4850, 113.9175, 22.4880),
    "haiyue": ("HY-01", 113.9340, 22.5030, 113.9370, 22.5060),
    "guiyuan": ("GY-01", 113.9230, 22.4890, 113.9260, 22.4920),
}
HAZARD_FORM = [
    {
        "code": "kind",
        "datatype": "singlevaluelist",
        "required": True,
        "order": 1,
        "description": "类型 Kind",
        "values": [{"key": "fire_exit", "name": "消防通道"}, {"key": "wiring", "name": "电线"}],
    },
    {
        "code": "phone_note",
        "datatype": "string",
        "required": False,
        "order": 2,
        "description": "联系方式 Contact",
        "personal": True,
    },
]


@dataclass
class Community:
    """Tokens and ids of one community of the story."""

    code: str
    stack: Stack
    ids: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        c, token = (self.code,), self.stack.token
        self.staff = token("center_staff", communities=c, sub=f"staff-{self.code}-e2e")
        self.resident = token("resident", communities=c, sub=f"resident-{self.code}-e2e")
        self.worker = token("grid_worker", communities=c, sub=f"gw-{self.code}-e2e")
        self.member = token("committee_member", communities=c, sub=f"committee-{self.code}-e2e1")
        self.member2 = token("committee_member", communities=c, sub=f"committee-{self.code}-e2e2")
        self.officer = token("subdistrict_officer", sub="officer-e2e")
        self.evaluator = token("evaluator", sub="evaluator-e2e")

    @property
    def point(self) -> tuple[float, float]:
        _, west, south, east, north = CELLS[self.code]
        return round((west + east) / 2, 6), round((south + north) / 2, 6)

    def answers(self, business_type: str) -> dict[str, Any]:
        """Values for what the reference form of a type requires beyond the story's own form
        (nothing where the story created the type)."""
        return dict(self.ids.get("answers", {}).get(business_type, {}))

    def signatory(self, provider_id: str) -> str:
        return self.stack.token(
            "provider_signatory",
            communities=(self.code,),
            sub=f"signatory-{provider_id[:8]}",
            provider_id=provider_id,
        )


def uscc(serial: int) -> str:
    body = f"52440305MJ{serial:07d}"
    return body + uscc_check_character(body)


def set_up_desk(gw: Gateway, community: Community) -> None:
    """Two business types and one generalist window (the reform: every window serves all)."""
    found = gw.get(f"/api/intake/business-types?community={community.code}&page_size=100", community.officer)
    have = {t["code"]: t for t in found.ok()}
    for code, zh, en, department, follow_up, sla, letter, form in (
        ("elderly_health_check", "老年人免费体检预约", "Free health check", "health", False, 0, "C", []),
        ("hazard_report", "安全隐患报告", "Safety hazard report", "emergency", True, 3, "E", HAZARD_FORM),
    ):
        if code in have:
            _add_form_fields(gw, community, have[code], form)
            community.ids.setdefault("answers", {})[code] = _required_answers(have[code]["attributes"], form)
            continue
        gw.post(
            "/api/intake/business-types",
            community.officer,
            {
                "community": community.code,
                "code": code,
                "name_zh": zh,
                "name_en": en,
                "department": department,
                "typical_minutes": 6,
                "needs_follow_up": follow_up,
                "sla_days": sla,
                "ticket_prefix": letter,
                "attributes": form,
            },
        ).ok(201)
    windows = gw.get(f"/api/intake/windows?community={community.code}&page_size=100", community.staff).ok()
    first = next((w for w in windows if w["number"] == 1), None)
    if first is not None:
        assert (first["mode"], first["status"]) == ("generalist", "open"), first
        community.ids["window"] = first["id"]
        return
    window = gw.post(
        "/api/intake/windows",
        community.staff,
        {
            "community": community.code,
            "number": 1,
            "label": "1号窗口",
            "status": "open",
            "mode": "generalist",
        },
    ).ok(201)
    community.ids["window"] = window["id"]


def _add_form_fields(
    gw: Gateway, community: Community, business_type: dict[str, Any], form: list[dict[str, Any]]
) -> None:
    """The story's form fields a reference business type lacks, added after its own."""
    attributes = business_type["attributes"]
    known = {a["code"] for a in attributes}
    missing = [a for a in form if a["code"] not in known]
    if not missing:
        return
    last = max((a["order"] for a in attributes), default=0)
    added = [{**a, "order": last + n} for n, a in enumerate(missing, start=1)]
    path = f"/api/intake/business-types/{business_type['id']}"
    etag = gw.get(path, community.officer).headers["ETag"]
    gw.call(
        "PATCH", path, community.officer, {"attributes": attributes + added}, headers={"If-Match": etag}
    ).ok()


def _required_answers(attributes: list[dict[str, Any]], form: list[dict[str, Any]]) -> dict[str, Any]:
    """A fitting value for each required field of a reference form that the story's lacks."""
    ours = {a["code"] for a in form}
    return {f["code"]: _answer(f) for f in attributes if f["required"] and f["code"] not in ours}


def _answer(definition: dict[str, Any]) -> Any:
    keys = [v["key"] for v in definition.get("values") or []]
    datatype = definition["datatype"]
    if datatype == "singlevaluelist":
        return keys[0]
    if datatype == "multivaluelist":
        return keys[:1]
    if datatype == "datetime":
        return datetime.now(UTC).isoformat()
    return 1 if datatype == "number" else "社区内道路旁"


def set_up_cell(gw: Gateway, community: Community) -> None:
    """The community's cell around its point; the reference data's cell if it is there
    (the story's grid worker is then the worker it assigns)."""
    code, west, south, east, north = CELLS[community.code]
    drawn = gw.get(f"/api/grid/cells/{code}", community.staff)
    if drawn.status == 200:
        assert drawn.body["community"] == community.code, drawn.body
        community.ids["cell"] = drawn.body["id"]
        community.worker = community.stack.token(
            "grid_worker", communities=(community.code,), sub=drawn.body["workers"][0]
        )
        return
    assert drawn.status == 404, (drawn.status, drawn.body)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    gw.post(
        "/api/grid/cells",
        community.staff,
        {
            "code": code,
            "community": community.code,
            "name": f"{code} 网格",
            "boundary": {"type": "Polygon", "coordinates": [ring]},
            "workers": [f"gw-{community.code}-e2e"],
        },
    ).ok(201)


def set_up_purchasing(gw: Gateway, community: Community, serials: tuple[int, int] = (31, 32)) -> None:
    """The package bought, two providers that may bid, and this year's pass-through budget
    (the reference data's budget if the community has one)."""
    packages = gw.get(f"/api/contracts/packages?community={community.code}&page_size=100", community.officer)
    if not any(p["code"] == "center_operation" for p in packages.ok()):
        _add_center_operation(gw, community)
    providers = []
    names = ("深圳市阳光家庭综合服务中心", "深圳市南山区邻里社工服务社")
    for serial, name in zip(serials, names, strict=True):
        providers.append(
            gw.post(
                "/api/contracts/providers",
                community.officer,
                {
                    "name": name,
                    "uscc": uscc(serial),
                    "kind": "social_service_agency",
                    "bank_name": "招商银行深圳南山支行",
                    "bank_account": f"75590000{serial:08d}",
                },
            ).ok(201)["id"]
        )
    community.ids["providers"] = providers
    community.ids["usccs"] = [uscc(serial) for serial in serials]
    budgets = gw.get(
        f"/api/contracts/budgets?community={community.code}&fiscal_year={YEAR}", community.officer
    ).ok()
    if budgets:
        assert budgets[0]["mode"] == "pass_through", budgets[0]  # the story's purchase
        community.ids["budget"] = budgets[0]["id"]
        return
    budget = gw.post(
        "/api/contracts/budgets",
        community.officer,
        {
            "community": community.code,
            "fiscal_year": YEAR,
            "mode": "pass_through",
            "services_fen": 3_000_000_00,
            "autonomy_fund_fen": 200_000_00,
        },
    ).ok(201)
    community.ids["budget"] = budget["id"]


def _add_center_operation(gw: Gateway, community: Community) -> None:
    gw.post(
        "/api/contracts/packages",
        community.officer,
        {
            "community": community.code,
            "code": "center_operation",
            "name": "社区服务中心运营服务",
            "description": "Run the community service center.",
            "deliverables": [
                {
                    "code": "windows",
                    "description": "一窗式服务窗口",
                    "quantity": 5,
                    "unit": "个",
                    "period": "year",
                }
            ],
        },
    ).ok(201)


def hazard_case_at_the_window(
    gw: Gateway, community: Community, attributes: dict[str, Any], summary: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A walk-in hazard report: the ticket is called, served, turns into a case, completes."""
    ticket = gw.post(
        "/api/intake/tickets",
        community.staff,
        {
            "community": community.code,
            "business_type": "hazard_report",
            "channel": "walk_in",
            "attributes": {**community.answers("hazard_report"), **attributes},
        },
    ).ok(201)
    gw.post(f"/api/intake/windows/{community.ids['window']}/call-next", community.staff).ok()
    gw.post(f"/api/intake/tickets/{ticket['id']}/start", community.staff).ok()
    case = gw.post(
        "/api/intake/cases",
        community.staff,
        {"community": community.code, "ticket_id": ticket["id"], "summary": summary},
    ).ok(201)
    gw.post(f"/api/intake/tickets/{ticket['id']}/complete", community.staff).ok()
    return ticket, case


def seat_committee(gw: Gateway, community: Community, prefix: str = "gov") -> list[dict[str, Any]]:
    """Five seats; each test seats its own people (a person holds one seat per term). A
    community whose committee the reference data seated sits with those five."""
    seated = _reference_seats(gw, community)
    if seated:
        return seated
    today = datetime.now(UTC).date()
    seats = []
    for n in range(5):
        sub = f"committee-{community.code}-{prefix}{n}"
        member = gw.post(
            f"{GOV}/members",
            community.officer,
            {
                "community": community.code,
                "person_sub": sub,
                "name": f"委员{n}",
                "position": "chair" if n == 0 else "member",
                "term_start": (today - timedelta(days=400)).isoformat(),
                "term_end": (today + timedelta(days=800)).isoformat(),
            },
        ).ok(201)
        token = community.stack.token("committee_member", communities=(community.code,), sub=sub)
        seats.append({**member, "token": token, "community": community.code})
    return seats


def _reference_seats(gw: Gateway, community: Community) -> list[dict[str, Any]]:
    """The five seats `community bootstrap` fills (chair first), or none if it did not run."""
    members = gw.get(f"{GOV}/members?community={community.code}", community.officer).ok()
    by_name = {m["name"]: m for m in members}
    holders = [seat_holder(community.code, n) for n in range(1, SEATS + 1)]
    seats = [by_name.get(invented_name(sub)) for sub in holders]
    if not all(seats):
        return []
    return [
        {
            **member,
            "token": community.stack.token("committee_member", communities=(community.code,), sub=sub),
            "community": community.code,
        }
        for member, sub in zip(seats, holders, strict=True)
    ]


def pass_resolution(
    gw: Gateway, seats: list[dict[str, Any]], kind: str, tender_id: str, party: str
) -> dict[str, Any]:
    """A meeting of all five: the recused member's vote is refused, three for, one against."""
    chair, code = seats[0]["token"], seats[0]["community"]
    meeting = gw.post(
        f"{GOV}/meetings",
        chair,
        {
            "community": code,
            "title": "居委会会议",
            "starts_at": datetime.now(UTC).isoformat(),
            "place": "赤湾社区居委会会议室",
        },
    ).ok(201)
    gw.call(
        "PUT", f"{GOV}/meetings/{meeting['id']}/attendance", chair, {"member_ids": [s["id"] for s in seats]}
    ).ok()
    item = gw.post(
        f"{GOV}/meetings/{meeting['id']}/items",
        chair,
        {"title": "审议事项", "subject_kind": kind, "subject_id": tender_id, "parties": [party]},
    ).ok(201)
    declared = gw.get(f"{GOV}/interests?community={code}", chair).ok()
    if not any(i["member_id"] == seats[4]["id"] and i["party"] == party for i in declared):
        gw.post(
            f"{GOV}/members/{seats[4]['id']}/interests",
            seats[4]["token"],
            {"kind": "provider", "party": party, "description": "任该机构理事"},
        ).ok(201)
    refused = gw.post(f"{GOV}/items/{item['id']}/votes", seats[4]["token"], {"choice": "for"})
    assert refused.status == 409 and refused.body["type"].endswith("recused-member"), refused.body
    assert refused.body["interest"]["party"] == party
    for n, choice in ((0, "for"), (1, "for"), (2, "for"), (3, "against")):
        gw.post(f"{GOV}/items/{item['id']}/votes", seats[n]["token"], {"choice": choice}).ok(201)
    outcome = gw.post(f"{GOV}/items/{item['id']}/outcome", chair).ok()
    assert (outcome["status"], outcome["eligible"], outcome["eligible_present"]) == ("passed", 4, 4)
    return outcome


def decide_when_recorded(gw: Gateway, member: str, path: str, step: str, refused_as: str) -> Any:
    """`member` approves once contracts has heard of the resolution (refused with `refused_as` until then)."""

    def attempt() -> Any:
        body = {"step": step, "decision": "approve", "reason": "居委会会议决议通过"}
        read = gw.get(path, member).headers["ETag"]  # the revision the member approves
        reply = gw.post(f"{path}/decisions", member, body, headers={"If-Match": read})
        if reply.status == 409 and reply.body["type"].endswith(refused_as):
            return None
        return reply

    return wait_for(attempt, timeout=30, message=f"contracts to record the {step} resolution")


def notice_of(gw: Gateway, community: str, resolution_id: str) -> dict[str, Any]:
    """The public notice of a resolution (read without signing in)."""
    notices = gw.get(f"{GOV}/notices?community={community}&page_size=100").ok()
    return next(n for n in notices if n["resolution_id"] == resolution_id)
