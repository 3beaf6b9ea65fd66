"""The reconnect backoff: doubling from the first delay, capped, jittered, reset on success."""

from __future__ import annotations

import random

import pytest

from services.chassis.backoff import Backoff


def test_delays_double_up_to_the_cap_with_jitter_between_half_and_all():
    backoff = Backoff(first=0.05, cap=0.5, rng=random.Random(7))
    ceilings = [0.05, 0.1, 0.2, 0.4, 0.5, 0.5, 0.5]
    for ceiling in ceilings:
        assert ceiling / 2 <= backoff.next_delay() <= ceiling


def test_reset_starts_again_from_the_first_delay():
    backoff = Backoff(first=0.05, cap=0.5, rng=random.Random(7))
    for _ in range(6):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() <= 0.05


@pytest.mark.parametrize(("first", "cap"), [(0, 1), (2, 1), (-1, 1)])
def test_a_first_delay_outside_zero_to_cap_is_refused(first, cap):
    with pytest.raises(ValueError, match="0 < first <= cap"):
        Backoff(first=first, cap=cap)
