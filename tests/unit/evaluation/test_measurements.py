"""The metrics read model: events in, measurements out, no double counting, rebuild."""

import json

import pytest

from services.chassis.events import MalformedEvent
from services.evaluation.usecases import readmodel
from tests.support.helpers import assert_problem
from tests.unit.evaluation import producers, story
from tests.unit.evaluation.conftest import feeder

URL = "/measurements?community=huaguoshan&year=2026"


def measured(harness, headers, url=URL):
    response = harness.client.get(url, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["metrics"]


def test_story_events_produce_the_expected_metrics(evaluation, people, feed):
    events = story.events()
    assert feed(*events) == len(events)
    assert measured(evaluation, people["committee"]) == story.EXPECTED


def test_same_events_twice_and_equivalent_events_change_nothing(evaluation, people, feed):
    events = story.events()
    feed(*events)
    logged = evaluation.count("metric_events")
    assert feed(*events) == 0  # the inbox has seen every id
    feed(*[story.equivalent(e) for e in events])  # same facts, new ids
    assert measured(evaluation, people["committee"]) == story.EXPECTED
    assert evaluation.count("metric_events") == 2 * logged  # the raw log keeps both


def test_period_from_to_counts_local_days(evaluation, people, feed):
    feed(*story.events())
    march = measured(
        evaluation, people["subdistrict"], "/measurements?community=huaguoshan&from=2026-03-01&to=2026-03-31"
    )
    assert march["tickets_served"] == 9.0
    new_year = measured(
        evaluation, people["subdistrict"], "/measurements?community=huaguoshan&from=2026-01-01&to=2026-01-01"
    )
    assert new_year["tickets_served"] == 1.0  # 16:30 UTC on 31 December is 1 January here


def test_contract_filter_limits_milestones(evaluation, people, feed):
    feed(*story.events())
    other = measured(
        evaluation, people["committee"], URL + "&contract_id=0b6a3c58-7a0e-4d0e-b0a5-2f0b1c9d6e77"
    )
    assert (other["milestones_due"], other["milestone_met_rate"]) == (0.0, None)


def test_empty_period_has_counts_of_zero_and_no_rates(evaluation, people):
    values = measured(evaluation, people["evaluator"])
    assert values["tickets_served"] == 0.0 and values["wait_p90_seconds"] is None
    assert values["case_on_time_rate"] is None and values["satisfaction_mean"] is None


@pytest.mark.parametrize(
    "query, field",
    [
        ("community=huaguoshan", "year"),
        ("community=huaguoshan&year=2026&from=2026-01-01&to=2026-02-01", "year"),
        ("community=huaguoshan&from=2026-01-01", "to"),
        ("community=huaguoshan&from=2026-02-01&to=2026-01-01", "to"),
        ("community=huaguoshan&from=2026-13-01&to=2026-12-31", "query.from"),
        ("year=2026", "query.community"),
        ("community=atlantis&year=2026", "query.community"),
    ],
)
def test_bad_measurement_queries_are_422(evaluation, people, query, field):
    response = evaluation.client.get(f"/measurements?{query}", headers=people["committee"])
    problem = assert_problem(response, 422, type_suffix=":validation-failed")
    assert field in problem["errors"] or f"query.{field}" in problem["errors"], problem


@pytest.mark.parametrize("who", ["resident", "chiwan_committee"])
def test_measurements_are_for_staff_of_the_community(evaluation, people, who):
    assert_problem(evaluation.client.get(URL, headers=people[who]), 403)


def test_event_without_community_is_dead_lettered_and_stores_nothing(evaluation, feed):
    event = story.events()[0]
    event.pop("community")
    with pytest.raises(MalformedEvent, match="has no community"):
        feed(event)
    assert evaluation.count("metric_events") == 0 and evaluation.count("inbox") == 0


def test_event_missing_a_promised_field_is_refused(evaluation, feed):
    event = producers.ticket("huaguoshan", story.at(3, 1), 10)
    del event["data"]["wait_seconds"]
    with pytest.raises(MalformedEvent, match="wait_seconds is missing"):
        feed(event)
    assert evaluation.count("metric_tickets") == 0


def test_rebuild_from_the_raw_log_gives_the_same_metrics(evaluation, people, feed):
    events = story.events()
    feed(*events)
    with evaluation.runtime.database.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM metric_tickets")
        connection.exec_driver_sql("UPDATE metric_cases SET reopened = 0")
    assert measured(evaluation, people["committee"]) != story.EXPECTED
    replayed = readmodel.rebuild(evaluation.runtime.database)
    assert replayed == len(events)
    assert measured(evaluation, people["committee"]) == story.EXPECTED


def test_import_of_an_archive_goes_through_the_same_log(service, people):
    fresh = service("evaluation")
    events = story.events()
    lines = [json.dumps(e) for e in events] + [""]
    wanted = {n for n in ("intake", "grid", "contracts")}
    with fresh.runtime.unit_of_work() as uow:
        added = readmodel.import_events(uow, lines, lambda name: name.split(".")[0] in wanted)
        uow.commit()
    assert added == len(events)
    assert measured(fresh, people["committee"]) == story.EXPECTED
    with fresh.runtime.unit_of_work() as uow:
        assert readmodel.record(uow, events[0]) is False  # already logged: not projected again
    feeder(fresh)(*events[:3])
    assert measured(fresh, people["committee"]) == story.EXPECTED


def test_rebuild_command_replays_the_log_and_imports_an_archive(service, people, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from deploy import cli

    harness = service("evaluation")
    events = story.events()
    feeder(harness)(*events[:10])
    archive = tmp_path / "events.jsonl"
    archive.write_text("\n".join(json.dumps(e) for e in events) + "\n", encoding="utf-8")
    with harness.runtime.database.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM metric_tickets")
    monkeypatch.setenv("EVALUATION_DATABASE_URL", str(harness.runtime.database.url))
    cli.extensions()
    result = CliRunner().invoke(cli.main, ["evaluation-rebuild", "--from-file", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"added {len(events) - 10} new event(s)" in result.output
    assert f"rebuilt the read model from {len(events)} logged event(s)" in result.output
    assert measured(harness, people["committee"]) == story.EXPECTED


def test_rebuild_command_refuses_a_broken_archive_line(service, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from deploy import cli

    harness = service("evaluation")
    archive = tmp_path / "events.jsonl"
    archive.write_text('{"not": "an event"}\n', encoding="utf-8")
    monkeypatch.setenv("EVALUATION_DATABASE_URL", str(harness.runtime.database.url))
    cli.extensions()
    result = CliRunner().invoke(cli.main, ["evaluation-rebuild", "--from-file", str(archive)])
    assert result.exit_code == 1
    assert "line 1: missing or empty attribute 'specversion'" in result.output
    assert harness.count("metric_events") == 0


def projection_rows(harness):
    """Every row of every projection table, sorted (to compare two ways of building them)."""
    with harness.runtime.database.engine.connect() as connection:
        return {
            model.__tablename__: sorted(
                tuple(str(v) for v in row) for row in connection.execute(model.__table__.select()).all()
            )
            for model in readmodel.PROJECTIONS
        }


def test_rebuild_writes_exactly_the_rows_the_consumer_wrote(evaluation, feed):
    events = story.events()
    feed(*events, *[story.equivalent(e) for e in reversed(events)])
    consumed = projection_rows(evaluation)
    assert all(consumed.values())
    readmodel.rebuild(evaluation.runtime.database)
    assert projection_rows(evaluation) == consumed
