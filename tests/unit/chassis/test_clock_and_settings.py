"""One clock, one local zone, one settings reader, consumed events declared at the handler."""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from services.chassis import clock
from services.chassis.config import Settings, read_settings
from services.chassis.consumer import ConsumedEvents, consumes


def test_the_clock_is_moved_by_tests_and_put_back():
    start = datetime(2026, 3, 1, 15, 59, tzinfo=UTC)
    manual = clock.ManualClock(start)
    with clock.use(manual):
        assert clock.now() == start
        assert clock.local_today() == date(2026, 3, 1)
        manual.advance(timedelta(minutes=2))  # 16:01 UTC is past midnight in Shenzhen
        assert clock.local_today() == date(2026, 3, 2)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_stack_moves_every_processs_clock_by_the_offset_file(monkeypatch, tmp_path):
    offset = tmp_path / "clock-offset"
    monkeypatch.setenv(clock.OFFSET_FILE_ENV, str(offset))
    assert abs(clock.system_now() - datetime.now(UTC)) < timedelta(minutes=1)  # no file: no offset
    offset.write_text(str(8 * 86400))
    ahead = clock.system_now() - datetime.now(UTC)
    assert timedelta(days=8) - timedelta(minutes=1) < ahead <= timedelta(days=8)
    offset.write_text("not a number")
    assert abs(clock.system_now() - datetime.now(UTC)) < timedelta(minutes=1)


def test_local_midnight_is_in_utc():
    assert clock.local_midnight(date(2026, 1, 1)) == datetime(2025, 12, 31, 16, tzinfo=UTC)
    assert str(clock.local_zone()) == "Asia/Shanghai"


@dataclass(frozen=True)
class Knobs:
    sweep_seconds: float = 60.0
    batch: int = 10
    enabled: bool = False
    folder: Path | None = None
    delays: tuple[float, ...] = (1.0, 5.0)


def _settings(**extra):
    return Settings.from_env("toy", extra)


def test_settings_come_from_override_then_environment_then_default(monkeypatch):
    monkeypatch.setenv("TOY_BATCH", "25")
    monkeypatch.setenv("TOY_ENABLED", "yes")
    monkeypatch.setenv("TOY_DELAYS", "0.5, 2")
    monkeypatch.setenv("TOY_FOLDER", "/srv/toy")
    knobs = read_settings(Knobs, _settings(sweep_seconds=3))
    assert knobs == Knobs(sweep_seconds=3, batch=25, enabled=True, folder=Path("/srv/toy"), delays=(0.5, 2.0))


def test_a_bad_setting_names_its_variable(monkeypatch):
    monkeypatch.setenv("TOY_BATCH", "many")
    with pytest.raises(ValueError, match="TOY_BATCH"):
        read_settings(Knobs, _settings())


def test_consumed_events_are_collected_from_their_handlers():
    module = types.ModuleType("toy_usecases")

    @consumes("grid.case.resolved", "close the desk's case")
    def on_resolved(uow, event):
        return None

    @consumes("intake.ticket.*", "count tickets")
    @consumes("intake.case.*", "count cases")
    def on_any(uow, event):
        return None

    for handler in (on_resolved, on_any):
        handler.__module__ = module.__name__
        setattr(module, handler.__name__, handler)
    module.imported = consumes  # imported names are not handlers of this module

    consumed = ConsumedEvents.of(module)
    assert consumed.handlers == {
        "grid.case.resolved": [on_resolved],
        "intake.case.*": [on_any],
        "intake.ticket.*": [on_any],
    }
    assert consumed.purposes["intake.case.*"] == "count cases"
    assert consumed.consumes("intake.ticket.called") and not consumed.consumes("grid.case.opened")
