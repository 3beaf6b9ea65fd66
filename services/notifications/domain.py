"""What the notifications service knows: triggers, purposes, contact points, templates, timing.

Standard library only. A trigger is something that happened which a person may be told
about; each belongs to one consent purpose, is urgent or not (urgent ones ignore quiet
hours and rate limits) and has one template per language. Contact values are checked
here and never leave the service in clear (sealed at rest, masked in answers).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from html import escape

CHANNELS = ("sms", "email", "wechat", "inbox")
EXTERNAL_CHANNELS = ("sms", "email", "wechat")
CONTACT_KINDS = {"mobile": "sms", "email": "email", "wechat": "wechat"}
LANGUAGES = ("zh-Hans", "en")


class NotificationError(Exception):
    """A refused request: the chassis turns `problem_status` / `problem_type` into problem+json."""

    problem_status = 422
    problem_type = "validation-failed"

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.errors = {field: [detail]} if field else None


class CodeRefused(NotificationError):
    problem_status = 422
    problem_type = "verification-code-refused"


class ContactTaken(NotificationError):
    problem_status = 409
    problem_type = "contact-belongs-to-another-person"


# -- purposes and their consent wording (PIPL: purpose-bound, the exact text shown) --------

PURPOSES = {
    "queue": (
        "我同意社区服务中心使用我登记的联系方式，仅为告知我的排号进度（前面还有几位、请到几号窗口）发送消息；"
        "我可随时撤回此同意，撤回后立即停止发送。",
        "I agree that the community service centre may use the contact points I registered only "
        "to tell me how my queue ticket progresses (how many are ahead, which window to go to); "
        "I may withdraw this consent at any time and sending stops at once.",
    ),
    "cases": (
        "我同意社区使用我登记的联系方式，仅为告知我所办事项或所报问题的办理进展发送消息；我可随时撤回此同意。",
        "I agree that the community may use my registered contact points only to tell me how my "
        "case or report progresses; I may withdraw this consent at any time.",
    ),
    "work": (
        "我同意平台使用我登记的联系方式，仅为提醒我待办的工作（待签合同、待决事项、评分、即将超期）发送消息；"
        "我可随时撤回此同意。",
        "I agree that the platform may use my registered contact points only to remind me of work "
        "waiting for me (signatures, decisions, scoring, deadlines); "
        "I may withdraw this consent at any time.",
    ),
}


def consent_wording(purpose: str, language: str) -> str:
    """The exact wording shown for a purpose in a language (recorded with the consent)."""
    zh, en = PURPOSES[purpose]
    return zh if language == "zh-Hans" else en


# -- triggers --------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    name: str
    purpose: str
    urgent: bool
    zh: str
    en: str


TRIGGERS = {
    t.name: t
    for t in (
        Trigger(
            "ticket.ahead",
            "queue",
            False,
            "{number}号：您前面还有{ahead}位，请准备前往大厅。",
            "Ticket {number}: {ahead} ahead of you. Please head to the hall.",
        ),
        Trigger(
            "ticket.called",
            "queue",
            True,
            "{number}号：请到{window}号窗口办理。",
            "Ticket {number}: please go to window {window}.",
        ),
        Trigger(
            "ticket.no_show",
            "queue",
            False,
            "{number}号已过号，如需办理请重新取号。",
            "Ticket {number} was called but missed; please take a new ticket.",
        ),
        Trigger(
            "case.updated",
            "cases",
            False,
            "您的事项{case_number}状态更新：{status}。",
            "Your case {case_number} is now: {status}.",
        ),
        Trigger(
            "contract.signature_waiting",
            "work",
            False,
            "合同{contract_number}已有{signed}方签署，请尽快完成其余签署。",
            "Contract {contract_number}: {signed} of 3 parties signed; the other signatures are awaited.",
        ),
        Trigger(
            "round.scoring_open",
            "work",
            False,
            "{year}年度评估已开放评分，请按时评分。",
            "Scoring is open for the {year} evaluation.",
        ),
    )
}


def trigger(name: str) -> Trigger:
    if name not in TRIGGERS:
        raise NotificationError(f"未知的通知类型 {name!r}。 (Unknown trigger; known: {', '.join(TRIGGERS)}.)")
    return TRIGGERS[name]


STAFF_TRIGGERS = ("contract.signature_waiting", "round.scoring_open")


def staff_trigger(name: str) -> Trigger:
    """A trigger staff subscribe to per community (422 for an unknown or a resident's one)."""
    found = trigger(name)
    if name not in STAFF_TRIGGERS:
        raise NotificationError(
            f"“{name}”不是可按社区订阅的工作提醒。 "
            f"(Not a staff trigger; known: {', '.join(STAFF_TRIGGERS)}.)",
            "trigger",
        )
    return found


def render(name: str, language: str, params: dict[str, object], *, markup: bool = False) -> str:
    """The message text; values are plain text (escaped when it goes into markup)."""
    template = TRIGGERS[name].zh if language == "zh-Hans" else TRIGGERS[name].en
    values = {k: (escape(str(v)) if markup else _plain(str(v))) for k, v in params.items()}
    return template.format(**values)


def _plain(value: str) -> str:
    """Text for SMS and plain mail: control characters out, at most 40 characters per value."""
    return "".join(ch for ch in value if ch >= " ")[:40]


def sms_segments(text: str) -> int:
    """SMS segments: 70 UCS-2 characters (67 when split) or 160 GSM-7 (153 when split)."""
    single, multi = (160, 153) if text.isascii() else (70, 67)
    return 1 if len(text) <= single else -(-len(text) // multi)


# -- contact points ----------------------------------------------------------------------

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$")
OPENID = re.compile(r"^[A-Za-z0-9_-]{28}$")


def normalise_contact(kind: str, value: str) -> str:
    """The contact in its one stored form, or a 422 naming what is wrong."""
    text = value.strip()
    if kind == "mobile":
        digits = text.replace(" ", "").replace("-", "")
        digits = digits[3:] if digits.startswith("+86") else digits
        if not MOBILE.match(digits):
            raise NotificationError(
                "手机号无法验证：需为中国大陆 11 位手机号（1 开头，第二位 3–9）。 "
                "(The number cannot be verified: a mainland mobile number of 11 digits is needed.)",
                "value",
            )
        return digits
    if kind == "email":
        if not EMAIL.match(text) or ".." in text:
            raise NotificationError("电子邮箱地址格式不正确。 (The e-mail address is malformed.)", "value")
        local, domain = text.rsplit("@", 1)
        return f"{local}@{domain.lower()}"
    if not OPENID.match(text):
        raise NotificationError(
            "微信 openid 格式不正确（28 位）。 (The WeChat openid is malformed.)", "value"
        )
    return text


def mask_contact(kind: str, value: str) -> str:
    if kind == "mobile":
        return f"{value[:3]}****{value[-4:]}"
    if kind == "email":
        local, domain = value.split("@", 1)
        return f"{local[:1]}***@{domain}"
    return f"{value[:4]}…{value[-2:]}"


# -- verification codes -------------------------------------------------------------------

CODE_DIGITS = 6


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def code_matches(code: str, salt: str, stored: str) -> bool:
    return hmac.compare_digest(code_hash(code.strip(), salt), stored)


# -- timing: quiet hours, rate limits, the queue -------------------------------------------


def in_quiet_hours(local: datetime, start: time, end: time) -> bool:
    """Whether a local time falls in the quiet hours (which may run over midnight)."""
    at = local.time()
    if start == end:
        return False
    return start <= at < end if start < end else at >= start or at < end


def quiet_hours_end(local: datetime, start: time, end: time) -> datetime:
    """The first local moment after the quiet hours that hold `local`."""
    candidate = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + timedelta(days=1)


def estimated_wait_seconds(ahead: int, mean_service_seconds: float, windows: int) -> int:
    """Tickets ahead served by the windows at work, each taking the mean service time."""
    return int(round((ahead + 1) * mean_service_seconds / max(1, windows)))


VERIFICATION = (
    "您的验证码是{code}，{minutes}分钟内有效。如非本人操作请忽略。",
    "Your verification code is {code}, valid for {minutes} minutes. Ignore this if it was not you.",
)
SUBJECTS = ("社区服务通知", "Community services notice")


def verification_text(language: str, code: str, minutes: int) -> str:
    zh, en = VERIFICATION
    return (zh if language == "zh-Hans" else en).format(code=code, minutes=minutes)


def subject(language: str) -> str:
    return SUBJECTS[0] if language == "zh-Hans" else SUBJECTS[1]


STATUS_WORDS = {
    "resolved": ("已办结", "resolved"),
    "closed": ("已关闭", "closed"),
    "accepted": ("已受理", "accepted"),
    "reopened": ("已重新打开", "reopened"),
    "referred": ("已转办", "referred"),
    "overdue": ("已超期", "overdue"),
}


def localise_params(params: dict[str, object], language: str) -> dict[str, object]:
    """Status words in the reader's language; every other value as recorded."""
    status = params.get("status")
    if isinstance(status, str) and status in STATUS_WORDS:
        zh, en = STATUS_WORDS[status]
        return {**params, "status": zh if language == "zh-Hans" else en}
    return params
