"""Analytics and the pooling report computed from a scripted morning at the desk."""

from __future__ import annotations

from tests.support.helpers import assert_problem, bearer

PERIOD = "community=huaguoshan&from=2026-03-01&to=2026-03-31"


def _morning(desk):
    """Two windows; four tickets served with known waits and service times, one no-show."""
    one, two = desk.window(1), desk.window(2)
    for _ in range(5):
        desk.ticket()
        desk.clock.advance(minutes=1)
    # now 09:05; waits 5, 4 minutes for the first two
    desk.serve(one["id"], minutes=10)  # wait 300, service 600 (09:05-09:15)
    desk.serve(two["id"], minutes=2)  # wait 14*60-... see below
    third = desk.call_next(one["id"])
    desk.post(f"/tickets/{third['id']}/no-show")
    desk.serve(one["id"], minutes=4)
    desk.serve(two["id"], minutes=6)
    return one, two


def _report_on_the_morning(desk, token, report, role):
    """GET /analytics/<report> for the period, as `role`, after `_morning`."""
    _morning(desk)
    response = desk.client.get(
        f"/analytics/{report}?{PERIOD}", headers=bearer(token(role, community="huaguoshan"))
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_summary_reports_arrivals_waits_service_no_shows_and_ratings(desk, token):
    body = _report_on_the_morning(desk, token, "summary", "committee_member")
    assert body["arrivals"] == 5 and body["completed"] == 4 and body["no_shows"] == 1
    assert body["no_show_rate"] == 0.2
    assert body["service_seconds"]["count"] == 4
    assert body["service_seconds"]["mean"] == (600 + 120 + 240 + 360) / 4
    assert body["by_business_type"][0]["business_type"] == "general"
    assert body["by_hour"] == [{"hour": 9, "arrivals": 5, "wait_seconds": body["wait_seconds"]}]
    windows = {w["window_number"]: w for w in body["by_window"]}
    assert set(windows) == {1, 2}
    assert 0 < windows[1]["utilisation"] <= 1
    assert body["satisfaction"] == {
        "count": 0,
        "mean_score": None,
        "distribution": {str(s): 0 for s in range(1, 6)},
    }


def test_pooling_report_compares_layouts_beside_measured_waits(desk, token):
    body = _report_on_the_morning(desk, token, "pooling", "subdistrict_officer")
    assert body["staff"] == 2 and body["arrivals"] == 5 and body["open_days"] == 1
    pooled, dedicated = body["pooled"], body["dedicated"]
    assert pooled["windows"] == 2 and pooled["stable"] is True
    assert dedicated["layout"] == "per_department"
    assert dedicated["queues"][0]["business_types"] == ["general"]
    assert pooled["predicted_mean_wait_seconds"] <= dedicated["predicted_mean_wait_seconds"]
    assert body["measured"]["wait_seconds"]["count"] == 5


def test_analytics_period_must_be_ordered_and_bounded(desk, token):
    officer = bearer(token("subdistrict_officer", community="huaguoshan"))
    body = assert_problem(
        desk.client.get(
            "/analytics/pooling?community=huaguoshan&from=2026-03-31&to=2026-03-01", headers=officer
        ),
        422,
        field="query.to",
    )
    assert body["errors"]["query.to"] == ["Must not be before 'from'."]
    assert_problem(
        desk.client.get("/analytics/summary?community=huaguoshan&from=2026-03-01", headers=officer),
        422,
        field="query.to",
    )


def test_residents_get_no_analytics(desk):
    assert_problem(desk.client.get(f"/analytics/summary?{PERIOD}", headers=desk.resident), 403)
