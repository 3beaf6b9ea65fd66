"""The open-data mechanism: months in the local zone, the months a catalogue lists, cells."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.chassis import clock, open_data
from services.chassis.errors import Unprocessable


def test_a_month_is_its_local_calendar_month_in_utc():
    start, end = open_data.month_bounds("2026-12")
    assert (start, end) == (datetime(2026, 11, 30, 16, tzinfo=UTC), datetime(2026, 12, 31, 16, tzinfo=UTC))
    assert open_data.month_of(datetime(2026, 11, 30, 16, tzinfo=UTC)) == "2026-12"  # midnight in Shenzhen


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "26-01", "2026-1", "0999-01", "2026-01x", ""])
def test_anything_but_yyyy_mm_is_refused_with_the_field_named(month):
    with pytest.raises(Unprocessable) as refused:
        open_data.month_bounds(month)
    assert refused.value.problem_type == "invalid-month"
    assert "path.month" in refused.value.errors


def test_the_catalogue_lists_every_month_from_the_first_to_the_current_one():
    with clock.use(datetime(2027, 2, 10, tzinfo=UTC)):
        assert open_data.months_until_now(datetime(2026, 11, 20, tzinfo=UTC)) == [
            "2026-11",
            "2026-12",
            "2027-01",
            "2027-02",
        ]
        assert open_data.months_until_now(None) == []


def test_cells_are_utc_moments_and_iso_days():
    moment = datetime(2026, 11, 5, 10, 30, 15, 123, tzinfo=UTC)
    assert open_data.cell(moment) == "2026-11-05T10:30:15Z"
    assert open_data.cell(date(2026, 11, 5)) == "2026-11-05"
    assert open_data.cell(12_345) == 12_345 and open_data.cell(None) is None
