"""The CloudEvents envelope: what is built, what is refused, what parsing rejects."""

import json

import pytest

from services.chassis import events
from tests.support.helpers import check_with_cloudevents_sdk
from tests.unit.chassis.toy import NOTE_ADDED

NOTE_ID = "0b6a3c58-7a0e-4d0e-b0a5-2f0b1c9d6e77"


def _build(**overrides):
    kwargs = dict(
        source="/services/toy",
        subject=NOTE_ID,
        community="huaguoshan",
        data={"note_id": NOTE_ID, "title": "hello"},
        sequence=3,
        correlation_id="req-1",
    )
    kwargs.update(overrides)
    return events.build(NOTE_ADDED, **kwargs)


def test_built_event_has_every_attribute_of_the_design():
    event = _build()
    assert event["specversion"] == "1.0"
    assert event["type"] == "toy.note.added.v1"
    assert event["source"] == "/services/toy"
    assert event["subject"] == NOTE_ID
    assert event["datacontenttype"] == "application/json"
    assert event["community"] == "huaguoshan"
    assert event["correlationid"] == "req-1"
    assert event["sequence"] == "3"
    assert event["time"].endswith("+00:00")
    assert events.parse(events.encode(event)) == event
    check_with_cloudevents_sdk(event)


def test_payload_with_an_undeclared_property_is_refused():
    with pytest.raises(events.InvalidEvent, match="Additional properties"):
        _build(data={"note_id": NOTE_ID, "title": "hi", "phone": "13800138000"})


def test_payload_of_the_wrong_type_is_refused():
    with pytest.raises(events.InvalidEvent, match="note_id"):
        _build(data={"note_id": "not-a-uuid", "title": "hi"})


def test_event_over_64_kib_is_refused():
    big = events.EventType("toy.blob.stored", "big", events.payload({"blob": events.string(100_000)}))
    with pytest.raises(events.InvalidEvent, match="larger than 65536"):
        events.build(
            big, source="/services/toy", subject="x", community=None, data={"blob": "x" * 70_000}, sequence=1
        )


def test_event_names_must_follow_service_aggregate_verb():
    with pytest.raises(ValueError, match="<service>.<aggregate>.<verb>"):
        events.EventType("evaluation.completed", "two parts only")


def _envelope(**attributes):
    return json.dumps({"specversion": "1.0", "id": "1", "source": "/s", "type": "a.b.c.v1", **attributes})


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"not json", "body is not JSON"),
        (b"[1, 2]", "body is not a JSON object"),
        (_envelope(id=""), "missing or empty attribute 'id'"),
        (_envelope(specversion="0.3"), "unsupported specversion '0.3'"),
        (_envelope(type="nonsense"), "type 'nonsense' is not"),
        (_envelope(time="yesterday"), "time 'yesterday' is not RFC 3339"),
        (_envelope(**{"Bad-Name": 1}), "attribute name 'Bad-Name'"),
        (_envelope(community=["huaguoshan"]), "attribute 'community' must not be a JSON object or array"),
        (_envelope(correlationid={"id": 1}), "attribute 'correlationid' must not be a JSON object"),
    ],
)
def test_parse_rejects_what_is_not_a_cloudevent(body, reason):
    with pytest.raises(events.MalformedEvent, match=reason.replace("(", r"\(").replace(")", r"\)")):
        events.parse(body)


@pytest.mark.parametrize(
    "pattern, key, matches",
    [
        ("grid.case.resolved", "grid.case.resolved", True),
        ("grid.case.*", "grid.case.resolved", True),
        ("grid.*", "grid.case.resolved", False),
        ("grid.#", "grid.case.resolved", True),
        ("#", "intake.ticket.called", True),
        ("intake.case.*", "intake.ticket.called", False),
    ],
)
def test_topic_patterns_match_like_rabbitmq(pattern, key, matches):
    assert events.topic_matches(pattern, key) is matches


def test_the_sdk_check_refuses_a_bad_event():
    event = _build()
    with pytest.raises(Exception, match="specversion"):
        check_with_cloudevents_sdk(dict(event, specversion="0.9"))
