"""The default catalogue of business types (事项) every community service center starts with.

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


ID_NUMBER = _field("id_number", "string", "身份证号码 ID card number", personal=True)
DOCUMENTS = _list(
    "documents",
    "已带材料 Documents brought",
    {
        "id_card": "身份证",
        "hukou": "户口簿",
        "residence_permit": "居住证",
        "lease": "租赁合同",
        "photo": "证件照",
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
        "社会保险参保登记",
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
                "险种 Scheme",
                {"pension": "养老", "medical": "医疗", "unemployment": "失业"},
                multi=True,
                order=2,
            ),
            DOCUMENTS,
        ],
    ),
    (
        "unemployment_registration",
        "失业登记",
        "Unemployment registration",
        "labour",
        12,
        True,
        5,
        "A",
        [
            ID_NUMBER,
            _field("last_employer_left_on", "datetime", "离职日期 Date the last job ended", order=2),
            DOCUMENTS,
        ],
    ),
    (
        "employment_assistance",
        "就业困难人员认定",
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
                "类别 Category",
                {
                    "disabled": "残疾人",
                    "long_term_unemployed": "长期失业",
                    "low_income": "低保家庭",
                    "older_worker": "大龄失业",
                },
                order=2,
            ),
            DOCUMENTS,
        ],
    ),
    (
        "retiree_registration",
        "退休人员社会化管理登记",
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
        "生育登记",
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
        "计划生育情况证明",
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
        "老年人免费体检预约",
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
        "最低生活保障申请",
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
        "高龄老人津贴申领",
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
        "临时救助申请",
        "Temporary hardship assistance",
        "civil_affairs",
        20,
        True,
        5,
        "B",
        [ID_NUMBER, HOUSEHOLD, _field("situation", "text", "困难情况 Situation", order=3, personal=True)],
    ),
    (
        "elderly_meal_service",
        "长者助餐登记",
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
        "残疾人证申办",
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
                "残疾类别 Kind",
                {
                    "visual": "视力",
                    "hearing": "听力",
                    "physical": "肢体",
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
        "残疾人两项补贴",
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
        "居住登记与居住证",
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
        "户籍证明开具",
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
        "公共租赁住房申请",
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
        "住房租赁补贴申请",
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
        "学位申请居住证明",
        "Residence proof for school places",
        "education",
        8,
        True,
        5,
        "D",
        [ID_NUMBER, _list("stage", "学段 Stage", {"primary": "小学", "junior": "初中"}, order=2)],
    ),
    (
        "environment_complaint",
        "市容环境投诉",
        "Street and environment complaint",
        "city_management",
        6,
        True,
        3,
        "E",
        [
            _list(
                "kind",
                "类型 Kind",
                {"litter": "垃圾", "illegal_stall": "占道经营", "noise": "噪音", "illegal_building": "违建"},
                order=1,
            ),
            _field("place", "string", "地点 Place", order=2),
        ],
    ),
    (
        "hazard_report",
        "安全隐患报告",
        "Safety hazard report",
        "emergency",
        5,
        True,
        3,
        "E",
        [
            _list(
                "kind",
                "类型 Kind",
                {
                    "manhole": "井盖",
                    "railing": "栏杆",
                    "wiring": "电线",
                    "fire_exit": "消防通道",
                    "slope": "边坡",
                },
                order=1,
            ),
            _field("place", "string", "地点 Place", order=2),
        ],
    ),
    (
        "water_supply_issue",
        "供水问题反映",
        "Water supply problem",
        "water",
        5,
        True,
        3,
        "E",
        [_field("place", "string", "地点 Place", order=1)],
    ),
    (
        "legal_aid",
        "法律援助咨询",
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
                {"wages": "欠薪", "family": "婚姻家庭", "tenancy": "租赁", "injury": "工伤"},
                order=1,
            )
        ],
    ),
    (
        "self_employed_guidance",
        "个体工商户登记指引",
        "Guidance for self-employed registration",
        "market_regulation",
        10,
        False,
        0,
        "F",
        [_field("trade", "string", "经营范围 Trade", order=1)],
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
