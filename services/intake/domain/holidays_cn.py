"""Official public holidays and adjusted working days of mainland China (data).

Source: 国务院办公厅关于2026年部分节假日安排的通知 (General Office of the State
Council, 4 November 2025). Add a year here when its notice is published; operators can
also override single days through the API (`PUT /calendar/{day}`).
"""

from __future__ import annotations

from datetime import date, timedelta

from .workdays import HOLIDAY, WORKDAY


def _span(first: date, last: date, name: str) -> list[tuple[date, str, str]]:
    days = (last - first).days + 1
    return [(first + timedelta(days=i), HOLIDAY, name) for i in range(days)]


OFFICIAL_2026: list[tuple[date, str, str]] = [
    *_span(date(2026, 1, 1), date(2026, 1, 3), "元旦 New Year's Day"),
    (date(2026, 1, 4), WORKDAY, "元旦调休 make-up workday"),
    *_span(date(2026, 2, 15), date(2026, 2, 23), "春节 Spring Festival"),
    (date(2026, 2, 14), WORKDAY, "春节调休 make-up workday"),
    (date(2026, 2, 28), WORKDAY, "春节调休 make-up workday"),
    *_span(date(2026, 4, 4), date(2026, 4, 6), "清明节 Qingming Festival"),
    *_span(date(2026, 5, 1), date(2026, 5, 5), "劳动节 Labour Day"),
    (date(2026, 5, 9), WORKDAY, "劳动节调休 make-up workday"),
    *_span(date(2026, 6, 19), date(2026, 6, 21), "端午节 Dragon Boat Festival"),
    *_span(date(2026, 9, 25), date(2026, 9, 27), "中秋节 Mid-Autumn Festival"),
    *_span(date(2026, 10, 1), date(2026, 10, 7), "国庆节 National Day"),
    (date(2026, 9, 20), WORKDAY, "国庆节调休 make-up workday"),
    (date(2026, 10, 10), WORKDAY, "国庆节调休 make-up workday"),
]

OFFICIAL: list[tuple[date, str, str]] = sorted(OFFICIAL_2026)
