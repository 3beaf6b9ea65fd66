"""Erlang C and the M/M/c formulas against published values."""

from __future__ import annotations

import math

import pytest

from services.intake.domain import queueing
from services.intake.domain.queueing import Stream


def test_erlang_c_of_three_servers_and_two_erlangs_is_four_ninths():
    # Wolfram Language documentation, ErlangC, "Basic Examples": ErlangC[3, 2] = 4/9.
    assert queueing.erlang_c(3, 2.0) == pytest.approx(4 / 9, abs=1e-12)


def test_erlang_c_call_centre_example():
    # "The Erlang-C formula" worked example (Mitan Ltd, PhoneCalc documentation, widely
    # reproduced): 360 calls per half hour, 4 minutes average duration (A = 48 erlangs),
    # 55 agents: probability of waiting 0.2387, average speed of answer 8.2 seconds,
    # 84.6 % of calls answered within the 15 second target.
    rate = 360 / 1800
    assert queueing.erlang_c(55, 48.0) == pytest.approx(0.2387, abs=5e-5)
    assert queueing.mean_wait(rate, 240.0, 55) == pytest.approx(8.2, abs=0.05)
    assert queueing.service_level(rate, 240.0, 55, 15) == pytest.approx(0.846, abs=5e-4)


def test_erlang_c_with_one_server_is_the_utilisation_and_mm1_wait():
    # M/M/1: P(wait) = rho, Wq = rho / (mu - lambda) (Kleinrock, Queueing Systems I, 3.2)
    assert queueing.erlang_c(1, 0.75) == pytest.approx(0.75)
    assert queueing.mean_wait(0.75 / 60, 60.0, 1) == pytest.approx(0.75 * 60 / 0.25)


def test_unstable_queue_waits_forever():
    assert queueing.erlang_c(2, 2.0) == 1.0
    assert math.isinf(queueing.mean_wait(1 / 30, 60.0, 2))


def test_erlang_b_matches_the_classic_table():
    # Erlang B table: 10 erlangs on 10 trunks block 21.5 % (e.g. ITU-T E.521 tables)
    assert queueing.erlang_b(10, 10.0) == pytest.approx(0.2146, abs=1e-4)


def test_pooling_the_same_staff_never_waits_longer_than_splitting_them():
    streams = [
        Stream("a", ("a",), 0.8 / 600, 600.0),
        Stream("b", ("b",), 0.5 / 300, 300.0),
        Stream("c", ("c",), 0.3 / 900, 900.0),
    ]
    counts = queueing.allocate(streams, 4)
    assert sum(counts) == 4 and min(counts) >= 1
    dedicated = queueing.weighted_wait(list(zip(streams, counts, strict=True)))
    pooled = queueing.merge("all", streams)
    assert queueing.mean_wait(pooled.arrival_rate, pooled.mean_service, 4) < dedicated


def test_allocation_gives_each_stream_enough_windows_to_be_stable():
    streams = [Stream("busy", ("busy",), 2.5 / 600, 600.0), Stream("calm", ("calm",), 0.1 / 600, 600.0)]
    counts = queueing.allocate(streams, 2)
    assert counts == [3, 1]  # more windows than staff: the dedicated layout cannot cope
