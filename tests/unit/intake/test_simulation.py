"""The discrete-event simulation of a day at the windows."""

from __future__ import annotations

import random

from services.intake.domain.simulation import ServiceSampler, SimWindow, compare, simulate


def test_single_window_first_come_first_served_waits_are_exact():
    sampler = ServiceSampler({"a": [60.0]})
    result = simulate([(0, "a"), (10, "a"), (20, "a")], [SimWindow()], sampler, random.Random(1))
    assert result.waits == (0, 50, 100)


def test_dedicated_window_leaves_other_types_waiting_while_pooled_one_serves_them():
    sampler = ServiceSampler({"a": [100.0], "b": [100.0]})
    arrivals = [(0, "a"), (1, "a"), (2, "b")]
    dedicated = simulate(
        arrivals, [SimWindow(frozenset({"a"})), SimWindow(frozenset({"b"}))], sampler, random.Random(1)
    )
    pooled = simulate(arrivals, [SimWindow(), SimWindow()], sampler, random.Random(1))
    assert sorted(dedicated.waits) == [0, 0, 99]
    assert sorted(pooled.waits) == [0, 0, 98]  # b waits for the first window to free
    unbalanced = [(0, "a"), (1, "a"), (2, "a"), (3, "b")]
    d = simulate(
        unbalanced, [SimWindow(frozenset({"a"})), SimWindow(frozenset({"b"}))], sampler, random.Random(1)
    )
    p = simulate(unbalanced, [SimWindow(), SimWindow()], sampler, random.Random(1))
    assert d.mean > p.mean


def test_a_type_no_window_serves_is_reported_unserved():
    sampler = ServiceSampler({"a": [10.0]})
    result = simulate([(0, "b")], [SimWindow(frozenset({"a"}))], sampler, random.Random(1))
    assert result.unserved == 1 and result.waits == ()


def test_compare_is_reproducible_with_the_same_seed():
    rng = random.Random(7)
    arrivals = sorted((rng.uniform(0, 8 * 3600), rng.choice("abc")) for _ in range(200))
    sampler = ServiceSampler({"a": [300, 600, 900], "b": [120, 240], "c": [600, 1200]})
    layouts = {
        "dedicated": [SimWindow(frozenset({k})) for k in "abc"],
        "pooled": [SimWindow() for _ in range(3)],
    }
    first = compare(arrivals, layouts, sampler, replications=5, seed=3)
    again = compare(arrivals, layouts, sampler, replications=5, seed=3)
    assert first == again
    assert first[1].mean_wait < first[0].mean_wait
