"""Reference data: the 15 service packages and the providers of Zhaoshang subdistrict."""

from __future__ import annotations

from typing import Any


def _d(code: str, description: str, quantity: int, unit: str, period: str) -> dict[str, Any]:
    return {"code": code, "description": description, "quantity": quantity, "unit": unit, "period": period}


# (code, name, description, deliverables): the three the article names come first.
PACKAGES: list[tuple[str, str, str, list[dict[str, Any]]]] = [
    (
        "public_culture",
        "社区公共文化服务",
        "Cultural activities, reading room and clubs for residents.",
        [
            _d("events", "社区文化活动", 4, "场", "month"),
            _d("reading_room_hours", "阅览室开放时数", 160, "小时", "month"),
        ],
    ),
    (
        "grid_inspection",
        "网格化排查和化解服务",
        "Inspect every grid cell, find hazards and disputes, resolve or refer them.",
        [
            _d("cell_inspections", "每网格巡查", 4, "次", "month"),
            _d("hazards_resolved_on_time", "隐患按期化解率", 95, "%", "month"),
        ],
    ),
    (
        "grid_information",
        "网格化信息采集服务",
        "Collect and update population, housing and business information per grid cell.",
        [
            _d("household_updates", "每网格住户信息更新", 1, "轮", "quarter"),
            _d("business_updates", "商户信息核查", 1, "轮", "quarter"),
        ],
    ),
    (
        "elderly_care",
        "长者照顾服务",
        "Visits, meals and activities for elderly residents.",
        [
            _d("home_visits", "独居长者探访", 2, "次/人", "month"),
            _d("group_activities", "长者小组活动", 6, "场", "month"),
        ],
    ),
    (
        "disability_services",
        "残疾人服务",
        "Rehabilitation and social inclusion for the disabled.",
        [
            _d("rehab_sessions", "康复训练", 8, "节", "month"),
            _d("case_reviews", "个案跟进", 20, "人次", "month"),
        ],
    ),
    (
        "youth_family",
        "青少年及家庭服务",
        "After-school care, parenting support and family casework.",
        [
            _d("family_cases", "家庭个案服务", 10, "个", "month"),
            _d("youth_groups", "青少年成长小组", 4, "场", "month"),
        ],
    ),
    (
        "volunteer_management",
        "志愿者管理服务",
        "Recruit, train and record community volunteers.",
        [
            _d("volunteer_hours", "志愿服务时数", 800, "小时", "month"),
            _d("trainings", "志愿者培训", 2, "场", "month"),
        ],
    ),
    (
        "community_education",
        "社区教育服务",
        "Courses and lectures for residents of all ages.",
        [_d("courses", "社区课程", 8, "节", "month")],
    ),
    (
        "employment_assistance",
        "就业援助服务",
        "Job matching and training for unemployed residents.",
        [_d("job_fairs", "招聘对接会", 1, "场", "month"), _d("placements", "推荐就业", 10, "人次", "month")],
    ),
    (
        "legal_aid",
        "法律援助服务",
        "Free legal consultation in the community.",
        [_d("consultations", "法律咨询", 30, "人次", "month"), _d("law_talks", "普法讲座", 1, "场", "month")],
    ),
    (
        "mediation",
        "人民调解服务",
        "Mediate neighbour, family and property disputes.",
        [
            _d("mediations", "纠纷调解", 12, "宗", "month"),
            _d("success_rate", "调解成功率", 90, "%", "quarter"),
        ],
    ),
    (
        "health_promotion",
        "社区健康促进服务",
        "Health talks, screening days and chronic-disease groups.",
        [_d("health_talks", "健康讲座", 2, "场", "month"), _d("screenings", "义诊筛查", 1, "场", "quarter")],
    ),
    (
        "environment",
        "社区环境服务",
        "Waste sorting guidance and neighbourhood clean-ups.",
        [
            _d("sorting_guidance", "垃圾分类督导", 60, "小时", "month"),
            _d("clean_ups", "环境清洁行动", 2, "次", "month"),
        ],
    ),
    (
        "community_safety",
        "社区安全服务",
        "Safety patrols, fire drills and anti-fraud campaigns.",
        [_d("patrols", "安全巡查", 8, "次", "month"), _d("fire_drills", "消防演练", 1, "次", "quarter")],
    ),
    (
        "organization_incubation",
        "社会组织培育服务",
        "Incubate and coach resident organizations until they run on their own.",
        [
            _d("organizations_coached", "培育社区社会组织", 18, "个", "year"),
            _d("capacity_workshops", "能力建设工作坊", 1, "场", "month"),
        ],
    ),
]

# The social service agency running each community's service center.
CENTER_OPERATORS = {
    "huaguoshan": "深圳市阳光家庭综合服务中心（阳光家庭花果山社区服务中心）",
    "chiwan": "深圳市南山区赤湾社区服务社",
    "shuiwan": "深圳市南山区水湾社区服务社",
    "yanshan": "深圳市南山区沿山社区服务社",
    "wenzhuyuan": "深圳市南山区文竹园社区服务社",
    "haiyue": "深圳市南山区海月社区服务社",
    "guiyuan": "深圳市南山区桂园社区服务社",
}

# The 18 community social organizations set up by Huaguoshan's residents.
HUAGUOSHAN_ORGANIZATIONS = [
    "四海情老年大学",
    "花果山社区科技协会",
    "花果山社区残疾人协会",
    "花果山社区义工服务队",
    "花果山社区书画协会",
    "花果山社区合唱团",
    "花果山社区太极拳协会",
    "花果山社区舞蹈队",
    "花果山社区家长学校",
    "花果山社区妇女互助会",
    "花果山社区青少年成长营",
    "花果山社区环保协会",
    "花果山社区平安志愿巡逻队",
    "花果山社区邻里和谐促进会",
    "花果山社区健康促进会",
    "花果山社区读书会",
    "花果山社区乐龄互助社",
    "花果山社区退役军人联谊会",
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
