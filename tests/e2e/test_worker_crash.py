"""A worker killed in the middle of the story loses nothing and applies nothing twice.

Shuiwan's desk refers a stream of hazards to grid. The grid worker is killed (SIGKILL:
no chance to finish) while it consumes the referrals, and killed again while its relay
publishes the resolutions. Referrals wait in grid's durable queue, resolutions in grid's
outbox; after each restart every referral becomes exactly one grid case and every
resolution reaches the desk exactly once.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from tests.support.helpers import wait_for

from .community_setup import YEAR, Community, hazard_case_at_the_window, set_up_cell, set_up_desk
from .gateway_client import Gateway, check_event, of_type

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]
REFERRALS = 12


def refer_hazards(gw: Gateway, sw: Community, count: int, into: list[str]) -> None:
    """The desk serves `count` hazard reports, rates each, and refers each case to grid."""
    lon, lat = sw.point
    for _ in range(count):
        ticket, case = hazard_case_at_the_window(gw, sw, {"kind": "wiring"}, "电线私拉乱接")
        gw.post(
            "/api/intake/feedback", sw.staff, {"target_kind": "ticket", "target_id": ticket["id"], "score": 4}
        ).ok(201)
        gw.post(
            f"/api/intake/cases/{case['id']}/refer",
            sw.staff,
            {"target": "grid", "category": "hazard_electrical", "severity": "high", "lon": lon, "lat": lat},
        ).ok()
        into.append(case["id"])


def reported_for(events: Any, case_ids: list[str]) -> list[dict[str, Any]]:
    wanted = set(case_ids)
    return [e for e in of_type(events.events, "grid.case.reported") if e["data"]["source_ref"] in wanted]


def test_grid_worker_killed_mid_story_loses_nothing_and_applies_nothing_twice(
    stack, gateway, exchange_events
):
    sw = Community("shuiwan", stack)
    set_up_desk(gateway, sw)
    set_up_cell(gateway, sw)
    referred: list[str] = []
    producer = threading.Thread(target=refer_hazards, args=(gateway, sw, REFERRALS, referred))
    producer.start()
    wait_for(
        lambda: len(reported_for(exchange_events, referred)) >= 2,
        timeout=60,
        message="grid consuming the first referrals",
    )
    stack.kill_worker("grid")  # mid-stream: unacknowledged referrals go back to the queue
    producer.join(120)
    assert not producer.is_alive() and len(referred) == REFERRALS
    time.sleep(1)
    assert len(reported_for(exchange_events, referred)) < REFERRALS, "nothing was in flight"
    stack.restart_worker("grid")

    wait_for(
        lambda: len({e["data"]["source_ref"] for e in reported_for(exchange_events, referred)}) == REFERRALS,
        timeout=90,
        message="every referral in grid",
    )
    cases = gateway.get("/api/grid/cases?community=shuiwan&source=intake&page_size=100", sw.staff).ok()
    assert sorted(c["source_ref"] for c in cases) == sorted(referred)  # one case each
    per_referral: dict[str, set[str]] = {}
    for event in reported_for(exchange_events, referred):
        per_referral.setdefault(event["data"]["source_ref"], set()).add(event["data"]["case_id"])
    assert all(len(ids) == 1 for ids in per_referral.values()), per_referral

    resolve_with_a_crash_in_the_middle(gateway, sw, stack, exchange_events, cases)

    for case in cases:  # per aggregate, in order, across both crashes
        steps = {
            e["type"].rsplit(".", 2)[-2]: e["sequence"]
            for e in exchange_events.events
            if e["subject"] == case["id"]
        }
        assert steps == {"reported": "1", "accepted": "2", "resolved": "3"}, steps
    wait_for(
        lambda: (
            {e["data"]["case_id"] for e in of_type(exchange_events.events, "intake.case.resolved")}
            >= set(referred)
        ),
        timeout=60,
        message="the desk learning every resolution",
    )
    for case_id in referred:
        case = gateway.get(f"/api/intake/cases/{case_id}", sw.staff).ok()
        assert case["status"] == "resolved", case
        assert [s["action"] for s in case["steps"]].count("resolve") == 1
    back = [
        e
        for e in of_type(exchange_events.events, "intake.case.resolved")
        if e["data"]["case_id"] in set(referred)
    ]
    assert len({e["id"] for e in back}) == REFERRALS  # exactly one resolution each
    assert len({e["subject"] for e in back}) == REFERRALS
    measured = wait_for(
        lambda: (lambda m: m if m["tickets_served"] == REFERRALS else None)(
            gateway.get(f"/api/evaluation/measurements?community=shuiwan&year={YEAR}", sw.member).ok()[
                "metrics"
            ]
        ),
        timeout=60,
        message="evaluation's counts",
    )
    assert measured["satisfaction_count"] == REFERRALS
    for event in exchange_events.events:
        check_event(event)


def resolve_with_a_crash_in_the_middle(
    gw: Gateway, sw: Community, stack: Any, events: Any, cases: list[dict[str, Any]]
) -> None:
    """Resolve every grid case; the grid worker (its relay) dies halfway."""
    half = len(cases) // 2
    first = {c["id"] for c in cases[:half]}
    for index, case in enumerate(cases):
        if index == half:
            wait_for(
                lambda: any(
                    e["data"]["case_id"] in first for e in of_type(events.events, "grid.case.resolved")
                ),
                timeout=30,
                message="relay at work",
            )
            stack.kill_worker("grid")
        gw.post(f"/api/grid/cases/{case['id']}/accept", sw.worker).ok()
        gw.post(f"/api/grid/cases/{case['id']}/resolve", sw.worker, {"note": "已整改"}).ok()
    time.sleep(2)
    resolved = {e["data"]["case_id"] for e in of_type(events.events, "grid.case.resolved")}
    waiting = [c for c in cases[half:] if c["id"] not in resolved]
    assert waiting, "the resolutions after the crash should wait in grid's outbox"
    stack.restart_worker("grid")
    wait_for(
        lambda: (
            {c["id"] for c in cases}
            <= {e["data"]["case_id"] for e in of_type(events.events, "grid.case.resolved")}
        ),
        timeout=60,
        message="every resolution published",
    )
