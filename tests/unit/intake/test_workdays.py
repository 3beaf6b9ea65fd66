"""SLA arithmetic in working days (Asia/Shanghai, 2026 official calendar, overrides)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.chassis.clock import local_zone
from services.intake.domain import holidays_cn
from services.intake.domain.workdays import WorkCalendar

OFFICIAL = WorkCalendar.of((d, k) for d, k, _ in holidays_cn.OFFICIAL)


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2026, 3, 3), True),  # an ordinary Tuesday
        (date(2026, 3, 7), False),  # an ordinary Saturday
        (date(2026, 1, 1), False),  # New Year's Day
        (date(2026, 1, 4), True),  # Sunday made a workday
        (date(2026, 2, 14), True),  # Saturday before the Spring Festival, workday
        (date(2026, 2, 16), False),  # Spring Festival eve (Monday)
        (date(2026, 2, 23), False),  # last day of the Spring Festival break (Monday)
        (date(2026, 2, 28), True),  # Saturday after the Spring Festival, workday
        (date(2026, 4, 6), False),  # Qingming Monday
        (date(2026, 5, 5), False),  # Labour Day break Tuesday
        (date(2026, 5, 9), True),  # Saturday workday
        (date(2026, 6, 19), False),  # Dragon Boat Festival
        (date(2026, 9, 20), True),  # Sunday workday before National Day
        (date(2026, 9, 25), False),  # Mid-Autumn Festival
        (date(2026, 10, 7), False),  # National Day break Wednesday
        (date(2026, 10, 10), True),  # Saturday workday
    ],
)
def test_official_2026_calendar(day, working):
    assert OFFICIAL.is_working_day(day) is working


def test_2026_has_the_published_number_of_days_off_and_make_up_days():
    holidays = [d for d, k, _ in holidays_cn.OFFICIAL if k == "holiday"]
    workdays = [d for d, k, _ in holidays_cn.OFFICIAL if k == "workday"]
    assert len(holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert len(workdays) == 1 + 2 + 1 + 2


def test_adding_working_days_skips_weekends():
    # Friday 2026-03-06 + 1 working day = Monday 2026-03-09
    assert OFFICIAL.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    assert OFFICIAL.add_working_days(date(2026, 3, 6), 5) == date(2026, 3, 13)
    assert OFFICIAL.add_working_days(date(2026, 3, 6), 0) == date(2026, 3, 6)


def test_adding_working_days_across_the_spring_festival_counts_the_make_up_saturdays():
    # Friday 13 Feb: Sat 14 (workday) is day 1, then the break 15-23, Tue 24 is day 2
    assert OFFICIAL.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert OFFICIAL.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    # Tue 24 .. Fri 27 are 2..5, Sat 28 (workday) is 6
    assert OFFICIAL.add_working_days(date(2026, 2, 13), 6) == date(2026, 2, 28)


def test_adding_working_days_across_national_day():
    # Wed 30 Sep + 1 = Thu 8 Oct (1-7 off), +3 = Sat 10 Oct (workday)
    assert OFFICIAL.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert OFFICIAL.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert OFFICIAL.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3


def test_due_at_is_the_end_of_the_last_working_day_in_shanghai():
    # opened Friday 2026-03-06 at 23:30 Shanghai (15:30 UTC), 2 working days -> Tue 10 ends
    opened = datetime(2026, 3, 6, 15, 30, tzinfo=UTC)
    due = OFFICIAL.due_at(opened, 2)
    assert due == datetime(2026, 3, 11, 0, 0, tzinfo=local_zone())
    assert due.astimezone(UTC) == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)


def test_opened_just_after_midnight_utc_counts_from_the_shanghai_date():
    # 2026-03-06 17:00 UTC is already Saturday 01:00 in Shanghai
    opened = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)
    assert OFFICIAL.due_at(opened, 1) == datetime(2026, 3, 10, 0, 0, tzinfo=local_zone())


def test_a_later_layer_overrides_the_official_calendar():
    calendar = WorkCalendar.of(((d, k) for d, k, _ in holidays_cn.OFFICIAL), [(date(2026, 3, 9), "holiday")])
    assert calendar.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 10)


def test_case_due_date_uses_the_calendar_and_operator_overrides(desk, token):
    from tests.support.helpers import bearer

    # 2026-03-03 09:00 Shanghai; passport SLA is 3 working days -> Fri 6 Mar ends
    first = desk.post(
        "/cases",
        {"community": "huaguoshan", "business_type": "passport", "summary": "Residence certificate."},
    ).get_json()
    assert first["due_at"] == "2026-03-06T16:00:00+00:00"
    officer = bearer(token("subdistrict_officer", community="huaguoshan"))
    declared = desk.client.put(
        "/calendar/2026-03-05", json={"kind": "holiday", "name": "Typhoon closure"}, headers=officer
    )
    assert declared.status_code == 200, declared.get_json()
    second = desk.post(
        "/cases",
        {"community": "huaguoshan", "business_type": "passport", "summary": "Residence certificate."},
    ).get_json()
    assert second["due_at"] == "2026-03-09T16:00:00+00:00"
    listed = desk.client.get("/calendar?year=2026", headers=desk.staff).get_json()
    assert {"day": "2026-03-05", "kind": "holiday", "name": "Typhoon closure", "source": "override"} in listed
    assert (
        desk.client.put(
            "/calendar/2026-03-05", json={"kind": "holiday", "name": "x"}, headers=desk.staff
        ).status_code
        == 403
    )
