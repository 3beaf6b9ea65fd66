"""The default catalogue of business types (事項) every community service center starts with.

Departments are `services.chassis.config.DEPARTMENTS` codes. Ticket letters: A labour
and social security, B civil affairs, elderly and disability, C health and family
planning, D residence, housing and certificates, E reports and complaints, F legal,
market and other referrals; V is kept for priority tickets.
"""

from __future__ import annotations

from typing import Any


def _list(
    code: str,
    description: str,
    values: dict[str, str],
    required: bool = True,
    multi: bool = False,
    order: int = 1,
) -> dict[str, Any]:
    return {
        "code": code,
        "datatype": "multivaluelist" if multi else "singlevaluelist",
        "required": required,
        "order": order,
        "description": description,
        "values": [{"key": k, "name": n} for k, n in values.items()],
    }


def _field(
    code: str, datatype: str, description: str, required: bool = True, order: int = 1, personal: bool = False
) -> dict[str, Any]:
    return {
        "code": code,
        "datatype": datatype,
        "required": required,
        "order": order,
        "description": description,
        "personal": personal,
    }


ID_NUMBER = _field("id_number", "string", "身份證號碼 ID card number", personal=True)
DOCUMENTS = _list(
    "documents",
    "已帶材料 Documents brought",
    {
        "id_card": "身份證",
        "hukou": "戶口簿",
        "residence_permit": "居住證",
        "lease": "租賃合同",
        "photo": "證件照",
    },
    required=False,
    multi=True,
    order=9,
)
HOUSEHOLD = _field("household_size", "number", "家庭人口 Household size", order=2)

# code, zh, en, department, minutes, follow-up, SLA working days, letter, attributes
CATALOGUE: list[tuple[str, str, str, str, int, bool, int, str, list[dict[str, Any]]]] = [
    (
        "social_insurance_enrolment",
        "社會保險參保登記",
        "Social insurance enrolment",
        "labour",
        8,
        False,
        0,
        "A",
        [
            ID_NUMBER,
            _list(
                "scheme",
                "險種 Scheme",
                {"pension": "養老", "medical": "醫療", "unemployment": "失業"},
                multi=True,
                order=2,
            ),
            DOCUMENTS,
        ],
    ),
    (
        "unemployment_registration",
        "失業登記",
        "Unemployment registration",
        "labour",
        12,
        True,
        5,
        "A",
        [
            ID_NUMBER,
            _field("last_employer_left_on", "datetime", "離職日期 Date the last job ended", order=2),
            DOCUMENTS,
        ],
    ),
    (
        "employment_assistance",
        "就業困難人員認定",
        "Employment-difficulty certification",
        "labour",
        15,
        True,
        10,
        "A",
        [
            ID_NUMBER,
            _list(
                "category",
                "類別 Category",
                {
                    "disabled": "殘疾人",
                    "long_term_unemployed": "長期失業",
                    "low_income": "低保家庭",
                    "older_worker": "大齡失業",
                },
                order=2,
            ),
            DOCUMENTS,
        ],
    ),
    (
        "retiree_registration",
        "退休人員社會化管理登記",
        "Retiree community registration",
        "labour",
        10,
        False,
        0,
        "A",
        [ID_NUMBER, DOCUMENTS],
    ),
    (
        "birth_registration",
        "生育登記",
        "Birth registration",
        "health",
        10,
        False,
        0,
        "C",
        [
            ID_NUMBER,
            _list(
                "child_order",
                "孩次 Child order",
                {"first": "一孩", "second": "二孩", "third": "三孩"},
                order=2,
            ),
            DOCUMENTS,
        ],
    ),
    (
        "family_planning_certificate",
        "計劃生育情況證明",
        "Family-planning status certificate",
        "health",
        8,
        True,
        3,
        "C",
        [ID_NUMBER, _field("purpose", "string", "用途 Purpose", order=2)],
    ),
    (
        "elderly_health_check",
        "老年人免費體檢預約",
        "Free health check for older residents",
        "health",
        5,
        False,
        0,
        "C",
        [_field("preferred_date", "datetime", "希望日期 Preferred date", order=1)],
    ),
    (
        "minimum_living_allowance",
        "最低生活保障申請",
        "Minimum living allowance (dibao)",
        "civil_affairs",
        25,
        True,
        20,
        "B",
        [
            ID_NUMBER,
            HOUSEHOLD,
            _field("monthly_income_yuan", "number", "家庭月收入(元) Monthly household income", order=3),
            DOCUMENTS,
        ],
    ),
    (
        "senior_allowance",
        "高齡老人津貼申領",
        "Allowance for residents aged 80+",
        "civil_affairs",
        8,
        True,
        10,
        "B",
        [ID_NUMBER, DOCUMENTS],
    ),
    (
        "temporary_assistance",
        "臨時救助申請",
        "Temporary hardship assistance",
        "civil_affairs",
        20,
        True,
        5,
        "B",
        [ID_NUMBER, HOUSEHOLD, _field("situation", "text", "困難情況 Situation", order=3, personal=True)],
    ),
    (
        "elderly_meal_service",
        "長者助餐登記",
        "Meal service for older residents",
        "civil_affairs",
        6,
        False,
        0,
        "B",
        [_list("meal", "用餐 Meals", {"lunch": "午餐", "dinner": "晚餐"}, multi=True, order=1)],
    ),
    (
        "disability_card",
        "殘疾人證申辦",
        "Disability card application",
        "disability",
        15,
        True,
        15,
        "B",
        [
            ID_NUMBER,
            _list(
                "disability_kind",
                "殘疾類別 Kind",
                {
                    "visual": "視力",
                    "hearing": "聽力",
                    "physical": "肢體",
                    "intellectual": "智力",
                    "mental": "精神",
                },
                order=2,
            ),
            DOCUMENTS,
        ],
    ),
    (
        "disability_subsidy",
        "殘疾人兩項補貼",
        "Disability living and nursing subsidies",
        "disability",
        12,
        True,
        10,
        "B",
        [ID_NUMBER, DOCUMENTS],
    ),
    (
        "residence_permit",
        "居住登記與居住證",
        "Residence registration and permit",
        "public_security",
        10,
        True,
        7,
        "D",
        [
            ID_NUMBER,
            _field("address", "string", "居住地址 Address", order=2, personal=True),
            _field("moved_in", "datetime", "入住日期 Moved in", order=3),
            DOCUMENTS,
        ],
    ),
    (
        "household_certificate",
        "戶籍證明開具",
        "Household registration certificate",
        "public_security",
        8,
        True,
        3,
        "D",
        [ID_NUMBER, _field("purpose", "string", "用途 Purpose", order=2)],
    ),
    (
        "public_rental_housing",
        "公共租賃住房申請",
        "Public rental housing application",
        "housing",
        20,
        True,
        20,
        "D",
        [ID_NUMBER, HOUSEHOLD, DOCUMENTS],
    ),
    (
        "rent_subsidy",
        "住房租賃補貼申請",
        "Rent subsidy application",
        "housing",
        15,
        True,
        15,
        "D",
        [ID_NUMBER, HOUSEHOLD, DOCUMENTS],
    ),
    (
        "school_residence_proof",
        "學位申請居住證明",
        "Residence proof for school places",
        "education",
        8,
        True,
        5,
        "D",
        [ID_NUMBER, _list("stage", "學段 Stage", {"primary": "小學", "junior": "初中"}, order=2)],
    ),
    (
        "environment_complaint",
        "市容環境投訴",
        "Street and environment complaint",
        "city_management",
        6,
        True,
        3,
        "E",
        [
            _list(
                "kind",
                "類型 Kind",
                {"litter": "垃圾", "illegal_stall": "占道經營", "noise": "噪音", "illegal_building": "違建"},
                order=1,
            ),
            _field("place", "string", "地點 Place", order=2),
        ],
    ),
    (
        "hazard_report",
        "安全隱患報告",
        "Safety hazard report",
        "emergency",
        5,
        True,
        3,
        "E",
        [
            _list(
                "kind",
                "類型 Kind",
                {
                    "manhole": "井蓋",
                    "railing": "欄杆",
                    "wiring": "電線",
                    "fire_exit": "消防通道",
                    "slope": "邊坡",
                },
                order=1,
            ),
            _field("place", "string", "地點 Place", order=2),
        ],
    ),
    (
        "water_supply_issue",
        "供水問題反映",
        "Water supply problem",
        "water",
        5,
        True,
        3,
        "E",
        [_field("place", "string", "地點 Place", order=1)],
    ),
    (
        "legal_aid",
        "法律援助諮詢",
        "Legal aid consultation",
        "justice",
        20,
        True,
        10,
        "F",
        [
            _list(
                "matter",
                "事由 Matter",
                {"wages": "欠薪", "family": "婚姻家庭", "tenancy": "租賃", "injury": "工傷"},
                order=1,
            )
        ],
    ),
    (
        "self_employed_guidance",
        "個體工商戶登記指引",
        "Guidance for self-employed registration",
        "market_regulation",
        10,
        False,
        0,
        "F",
        [_field("trade", "string", "經營範圍 Trade", order=1)],
    ),
]

# Chiwan still runs the old way, one window per department group (for the pooling report).
CHIWAN_DEDICATED = [
    [
        "social_insurance_enrolment",
        "unemployment_registration",
        "employment_assistance",
        "retiree_registration",
    ],
    [
        "minimum_living_allowance",
        "senior_allowance",
        "temporary_assistance",
        "elderly_meal_service",
        "disability_card",
        "disability_subsidy",
    ],
    ["birth_registration", "family_planning_certificate", "elderly_health_check"],
    [
        "residence_permit",
        "household_certificate",
        "public_rental_housing",
        "rent_subsidy",
        "school_residence_proof",
    ],
    ["environment_complaint", "hazard_report", "water_supply_issue", "legal_aid", "self_employed_guidance"],
]
WINDOWS_PER_COMMUNITY = {"huaguoshan": 5, "chiwan": 5}
DEFAULT_WINDOWS = 3
