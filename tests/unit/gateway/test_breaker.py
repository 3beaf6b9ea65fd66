"""Circuit breaker states and round-robin order with ejection."""

from __future__ import annotations

import time

from gateway.upstreams import CircuitBreaker, Replica, ReplicaSet


def test_breaker_opens_after_the_threshold_then_lets_one_trial_through():
    breaker = CircuitBreaker(failures=3, reset_seconds=0.2)
    for _ in range(2):
        breaker.failure()
    assert breaker.state == "closed" and breaker.allows()
    breaker.failure()
    assert breaker.state == "open" and not breaker.allows()
    assert 0 < breaker.retry_after() <= 0.2
    time.sleep(0.25)
    assert breaker.state == "half_open"
    assert breaker.allows()
    assert not breaker.allows()  # only one trial at a time
    breaker.failure()
    assert breaker.state == "open"
    time.sleep(0.25)
    assert breaker.allows()
    breaker.success()
    assert breaker.state == "closed" and breaker.allows() and breaker.allows()


def _replica(name: str) -> Replica:
    return Replica("intake", f"http://{name}:8000", CircuitBreaker(5, 10))


def test_round_robin_starts_at_the_next_replica_each_time():
    replicas = ReplicaSet("intake", [_replica("a"), _replica("b"), _replica("c")])
    firsts = [replicas.candidates()[0].host for _ in range(6)]
    assert firsts == ["a", "b", "c", "a", "b", "c"]


def test_unhealthy_replicas_are_skipped_unless_none_is_healthy():
    a, b = _replica("a"), _replica("b")
    replicas = ReplicaSet("intake", [a, b])
    a.healthy = False
    assert [r.host for r in replicas.candidates()] == ["b"]
    b.healthy = False
    assert {r.host for r in replicas.candidates()} == {"a", "b"}


def test_replica_parses_its_base_url():
    replica = Replica("grid", "http://grid.internal:8003/prefix/", CircuitBreaker(1, 1))
    assert (replica.host, replica.port, replica.path_prefix) == ("grid.internal", 8003, "/prefix")
