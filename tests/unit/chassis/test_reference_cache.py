"""The reference cache: hits within the time to live, reloads after it, never caches a miss."""

from services.chassis.reference_cache import ReferenceCache


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_loaded_once_within_its_time_to_live_and_again_after_it():
    clock, loads = FakeClock(), []
    cache = ReferenceCache(5.0, clock)

    def load():
        loads.append(clock.now)
        return f"v{len(loads)}"

    assert cache.get("k", load) == "v1"
    clock.now += 4.9
    assert cache.get("k", load) == "v1"
    clock.now += 0.2
    assert cache.get("k", load) == "v2"
    assert len(loads) == 2


def test_a_miss_is_never_cached_so_a_new_entry_shows_at_once():
    cache = ReferenceCache(5.0, FakeClock())
    assert cache.get("k", lambda: None) is None
    assert cache.get("k", lambda: "new") == "new"


def test_clear_forgets_everything_and_zero_seconds_turns_the_cache_off():
    cache = ReferenceCache(5.0, FakeClock())
    cache.get("k", lambda: "old")
    cache.clear()
    assert cache.get("k", lambda: "changed") == "changed"
    off = ReferenceCache(0.0, FakeClock())
    off.get("k", lambda: "a")
    assert off.get("k", lambda: "b") == "b"
