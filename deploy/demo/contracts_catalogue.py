"""Reference data: the 15 service packages and the providers of Zhaoshang subdistrict."""

from __future__ import annotations

from typing import Any


def _d(code: str, description: str, quantity: int, unit: str, period: str) -> dict[str, Any]:
    return {"code": code, "description": description, "quantity": quantity, "unit": unit, "period": period}


# (code, name, description, deliverables): the three the article names come first.
PACKAGES: list[tuple[str, str, str, list[dict[str, Any]]]] = [
    (
        "public_culture",
        "社區公共文化服務",
        "Cultural activities, reading room and clubs for residents.",
        [
            _d("events", "社區文化活動", 4, "場", "month"),
            _d("reading_room_hours", "閱覽室開放時數", 160, "小時", "month"),
        ],
    ),
    (
        "grid_inspection",
        "網格化排查和化解服務",
        "Inspect every grid cell, find hazards and disputes, resolve or refer them.",
        [
            _d("cell_inspections", "每網格巡查", 4, "次", "month"),
            _d("hazards_resolved_on_time", "隱患按期化解率", 95, "%", "month"),
        ],
    ),
    (
        "grid_information",
        "網格化信息採集服務",
        "Collect and update population, housing and business information per grid cell.",
        [
            _d("household_updates", "每網格住戶信息更新", 1, "輪", "quarter"),
            _d("business_updates", "商戶信息核查", 1, "輪", "quarter"),
        ],
    ),
    (
        "elderly_care",
        "長者照顧服務",
        "Visits, meals and activities for elderly residents.",
        [
            _d("home_visits", "獨居長者探訪", 2, "次/人", "month"),
            _d("group_activities", "長者小組活動", 6, "場", "month"),
        ],
    ),
    (
        "disability_services",
        "殘疾人服務",
        "Rehabilitation and social inclusion for the disabled.",
        [
            _d("rehab_sessions", "康復訓練", 8, "節", "month"),
            _d("case_reviews", "個案跟進", 20, "人次", "month"),
        ],
    ),
    (
        "youth_family",
        "青少年及家庭服務",
        "After-school care, parenting support and family casework.",
        [
            _d("family_cases", "家庭個案服務", 10, "個", "month"),
            _d("youth_groups", "青少年成長小組", 4, "場", "month"),
        ],
    ),
    (
        "volunteer_management",
        "志願者管理服務",
        "Recruit, train and record community volunteers.",
        [
            _d("volunteer_hours", "志願服務時數", 800, "小時", "month"),
            _d("trainings", "志願者培訓", 2, "場", "month"),
        ],
    ),
    (
        "community_education",
        "社區教育服務",
        "Courses and lectures for residents of all ages.",
        [_d("courses", "社區課程", 8, "節", "month")],
    ),
    (
        "employment_assistance",
        "就業援助服務",
        "Job matching and training for unemployed residents.",
        [_d("job_fairs", "招聘對接會", 1, "場", "month"), _d("placements", "推薦就業", 10, "人次", "month")],
    ),
    (
        "legal_aid",
        "法律援助服務",
        "Free legal consultation in the community.",
        [_d("consultations", "法律諮詢", 30, "人次", "month"), _d("law_talks", "普法講座", 1, "場", "month")],
    ),
    (
        "mediation",
        "人民調解服務",
        "Mediate neighbour, family and property disputes.",
        [
            _d("mediations", "糾紛調解", 12, "宗", "month"),
            _d("success_rate", "調解成功率", 90, "%", "quarter"),
        ],
    ),
    (
        "health_promotion",
        "社區健康促進服務",
        "Health talks, screening days and chronic-disease groups.",
        [_d("health_talks", "健康講座", 2, "場", "month"), _d("screenings", "義診篩查", 1, "場", "quarter")],
    ),
    (
        "environment",
        "社區環境服務",
        "Waste sorting guidance and neighbourhood clean-ups.",
        [
            _d("sorting_guidance", "垃圾分類督導", 60, "小時", "month"),
            _d("clean_ups", "環境清潔行動", 2, "次", "month"),
        ],
    ),
    (
        "community_safety",
        "社區安全服務",
        "Safety patrols, fire drills and anti-fraud campaigns.",
        [_d("patrols", "安全巡查", 8, "次", "month"), _d("fire_drills", "消防演練", 1, "次", "quarter")],
    ),
    (
        "organization_incubation",
        "社會組織培育服務",
        "Incubate and coach resident organizations until they run on their own.",
        [
            _d("organizations_coached", "培育社區社會組織", 18, "個", "year"),
            _d("capacity_workshops", "能力建設工作坊", 1, "場", "month"),
        ],
    ),
]

# The social service agency running each community's service center.
CENTER_OPERATORS = {
    "huaguoshan": "深圳市陽光家庭綜合服務中心（陽光家庭花果山社區服務中心）",
    "chiwan": "深圳市南山區赤灣社區服務社",
    "shuiwan": "深圳市南山區水灣社區服務社",
    "yanshan": "深圳市南山區沿山社區服務社",
    "wenzhuyuan": "深圳市南山區文竹園社區服務社",
    "haiyue": "深圳市南山區海月社區服務社",
    "guiyuan": "深圳市南山區桂園社區服務社",
}

# The 18 community social organizations set up by Huaguoshan's residents.
HUAGUOSHAN_ORGANIZATIONS = [
    "四海情老年大學",
    "花果山社區科技協會",
    "花果山社區殘疾人協會",
    "花果山社區義工服務隊",
    "花果山社區書畫協會",
    "花果山社區合唱團",
    "花果山社區太極拳協會",
    "花果山社區舞蹈隊",
    "花果山社區家長學校",
    "花果山社區婦女互助會",
    "花果山社區青少年成長營",
    "花果山社區環保協會",
    "花果山社區平安志願巡邏隊",
    "花果山社區鄰里和諧促進會",
    "花果山社區健康促進會",
    "花果山社區讀書會",
    "花果山社區樂齡互助社",
    "花果山社區退役軍人聯誼會",
]

# Purchased-services line and autonomy fund per community, in yuan (converted to fen).
BUDGETS_YUAN = {
    "huaguoshan": (3_200_000, 300_000),
    "chiwan": (2_600_000, 200_000),
    "shuiwan": (2_400_000, 200_000),
    "yanshan": (2_100_000, 200_000),
    "wenzhuyuan": (1_900_000, 200_000),
    "haiyue": (2_800_000, 200_000),
    "guiyuan": (2_300_000, 200_000),
}
# Huaguoshan pilots the fixed quota the article plans; the others buy through the subdistrict.
COMMITTEE_BUDGET_PILOTS = ("huaguoshan",)
