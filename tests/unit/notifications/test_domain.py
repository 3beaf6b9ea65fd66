"""The pure rules: templates rendered safely in one SMS segment, quiet hours, contacts, codes."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from services.notifications import domain

LONGEST = {
    "number": "V999",
    "ahead": 20,
    "window": 99,
    "case_number": "GC-2026-000123",
    "status": "已重新打开",
    "contract_number": "HT-2026-0007",
    "signed": 2,
    "year": 2026,
}


@pytest.mark.parametrize("name", sorted(domain.TRIGGERS))
@pytest.mark.parametrize("language", domain.LANGUAGES)
def test_every_template_fits_one_sms_segment(name, language):
    assert domain.sms_segments(domain.render(name, language, LONGEST)) == 1


def test_values_are_plain_text_and_escaped_in_markup():
    hostile = {"number": "<b>A1</b>\x07", "window": "3"}
    assert domain.render("ticket.called", "en", hostile) == "Ticket <b>A1</b>: please go to window 3."
    assert domain.render("ticket.called", "en", hostile, markup=True).startswith(
        "Ticket &lt;b&gt;A1&lt;/b&gt;"
    )
    assert domain.render("ticket.called", "en", {"number": "x" * 500, "window": "3"}).count("x") == 40


def test_sms_segments_count_ucs2_and_gsm():
    assert domain.sms_segments("好" * 70) == 1 and domain.sms_segments("好" * 71) == 2
    assert domain.sms_segments("a" * 160) == 1 and domain.sms_segments("a" * 161) == 2


def test_quiet_hours_may_run_over_midnight_and_end_at_their_end():
    start, end = time(22, 0), time(7, 30)
    assert domain.in_quiet_hours(datetime(2026, 12, 3, 23, 0), start, end)
    assert domain.in_quiet_hours(datetime(2026, 12, 4, 7, 29), start, end)
    assert not domain.in_quiet_hours(datetime(2026, 12, 4, 7, 30), start, end)
    assert not domain.in_quiet_hours(datetime(2026, 12, 4, 12, 0), time(0, 0), time(0, 0))
    assert domain.quiet_hours_end(datetime(2026, 12, 3, 23, 0), start, end) == datetime(2026, 12, 4, 7, 30)


def test_contacts_are_normalised_and_masked():
    assert domain.normalise_contact("mobile", "+86 139-1234-5678") == "13912345678"
    assert domain.normalise_contact("email", "Li.Ming@Example.COM") == "Li.Ming@example.com"
    assert domain.mask_contact("email", "li.ming@example.com") == "l***@example.com"


def test_a_code_is_checked_against_its_salted_hash_only():
    code = domain.new_code()
    stored = domain.code_hash(code, "contact-1")
    assert code not in stored and domain.code_matches(code, "contact-1", stored)
    assert not domain.code_matches(code, "contact-2", stored)


def test_unknown_trigger_names_are_refused():
    with pytest.raises(domain.NotificationError, match="ticket.teleported"):
        domain.trigger("ticket.teleported")
