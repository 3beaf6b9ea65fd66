"""`community simulate` replays a measured day through both layouts."""

from __future__ import annotations

import json

from click.testing import CliRunner

from services.intake.cli import COMMANDS, simulate

GOOD_PASSPORT = {"applicant_id": "440305199001011234", "household_size": 1, "kind": "new"}


def _simulate(*options):
    """`community simulate` over March in huaguoshan, with `options`."""
    return CliRunner().invoke(
        simulate, ["--community", "huaguoshan", "--from", "2026-03-01", "--to", "2026-03-31", *options]
    )


def _busy_morning(desk):
    windows = [desk.window(n)["id"] for n in (1, 2)]
    for i in range(12):
        if i % 3:
            desk.ticket()
        else:
            desk.ticket("passport", attributes=GOOD_PASSPORT)
        desk.clock.advance(minutes=2)
    for i in range(12):
        desk.serve(windows[i % 2], minutes=4 + (i % 4))


def test_simulate_replays_the_busiest_day(desk, monkeypatch):
    _busy_morning(desk)
    monkeypatch.setenv("INTAKE_DATABASE_URL", str(desk.harness.runtime.settings.database_url))
    result = _simulate("--replications", "5", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["day"] == "2026-03-03" and report["arrivals"] == 12 and report["staff"] == 2
    assert report["dedicated_layout"] == "per_department"
    by_layout = {row["layout"]: row for row in report["layouts"]}
    assert by_layout["pooled"]["windows"] == 2
    assert by_layout["pooled"]["mean_wait_seconds"] <= by_layout["dedicated"]["mean_wait_seconds"]
    assert by_layout["dedicated"]["unserved"] == 0


def test_simulate_without_history_says_so(desk, monkeypatch):
    monkeypatch.setenv("INTAKE_DATABASE_URL", str(desk.harness.runtime.settings.database_url))
    result = _simulate()
    assert result.exit_code == 1
    assert "No measured arrivals" in result.output
    synthetic = _simulate("--synthetic", "40", "--windows", "2", "--replications", "3")
    assert synthetic.exit_code == 0, synthetic.output
    assert "pooled" in synthetic.output and "synthetic" in synthetic.output


def test_the_command_is_offered_to_the_community_cli():
    assert COMMANDS == [simulate]
