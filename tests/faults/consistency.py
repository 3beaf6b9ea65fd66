"""What must hold in the services' databases once the stack is quiet again."""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu import Connection
from sqlalchemy import create_engine, pool, text

from deploy.registry import SERVICES
from services.chassis import events
from services.chassis.consumer import handler_name


@contextmanager
def connected(url: str) -> Iterator[Any]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    with connected(url) as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def unsent(database_urls: dict[str, str]) -> int:
    """Outbox rows not yet published, over every service."""
    return sum(unsent_by_service(database_urls).values())


class OutboxWatch:
    """Unsent outbox rows per service, read over one kept connection per database (a lost
    one is replaced at the next read), so that samples can come every few milliseconds."""

    def __init__(self, database_urls: dict[str, str]) -> None:
        self.engines = {
            service: create_engine(
                url.replace("postgresql://", "postgresql+psycopg://", 1), pool_size=1, max_overflow=0
            )
            for service, url in database_urls.items()
        }

    def unsent_by_service(self) -> dict[str, int]:
        counts = {}
        for service, engine in self.engines.items():
            with engine.connect() as connection:
                counts[service] = connection.execute(text(UNSENT)).scalar_one()
        return counts

    def close(self) -> None:
        for engine in self.engines.values():
            engine.dispose()


UNSENT = "SELECT count(*) FROM outbox WHERE sent_at IS NULL"


def unsent_by_service(database_urls: dict[str, str]) -> dict[str, int]:
    """Outbox rows not yet published, per service."""
    return {service: rows(url, UNSENT)[0][0] for service, url in database_urls.items()}


def queued(amqp_url: str, namespace: str) -> dict[str, int]:
    """Messages waiting in each service's queue and dead-letter queue (read on the real broker)."""
    counts: dict[str, int] = {}
    with Connection(amqp_url) as connection:
        channel = connection.channel()
        for service in SERVICES:
            for suffix in ("events", "events.dead"):
                name = f"{namespace}.{service}.{suffix}"
                try:
                    counts[name] = channel.queue_declare(name, passive=True).message_count
                except Exception:  # a service that consumes nothing has no queue
                    channel = connection.channel()
    return counts


def wait_until_quiet(
    database_urls: dict[str, str], amqp_url: str, namespace: str, timeout: float = 120
) -> bool:
    """Until every outbox is sent and every queue empty (retries included)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = queued(amqp_url, namespace)
        if unsent(database_urls) == 0 and not any(waiting.values()):
            time.sleep(2)  # twice in a row: nothing in a retry queue's delay either
            if unsent(database_urls) == 0 and not any(queued(amqp_url, namespace).values()):
                return True
        time.sleep(0.5)
    return False


def problems(database_urls: dict[str, str], amqp_url: str, namespace: str) -> list[str]:
    """Every broken promise: referrals, outbox against inbox, read models, dead letters."""
    found: list[str] = []
    referred = rows(database_urls["intake"], "SELECT id FROM cases WHERE referral_target = 'grid'")
    grid_cases = rows(database_urls["grid"], "SELECT source_ref FROM cases WHERE source = 'intake'")
    referred_ids = sorted(str(r[0]) for r in referred)
    case_refs = sorted(str(r[0]) for r in grid_cases)
    if referred_ids != case_refs:
        found.append(f"referrals {len(referred_ids)} against grid cases from intake {len(case_refs)}")

    published = {}
    for service, url in database_urls.items():
        for event_id, name, sent_at in rows(url, "SELECT event_id, routing_key, sent_at FROM outbox"):
            if sent_at is None:
                found.append(f"{service} outbox: {event_id} never sent")
            published[event_id] = name
    for service in SERVICES:
        consumed = importlib.import_module(f"services.{service}.usecases").CONSUMED
        expected = {
            (event_id, handler_name(handler))
            for event_id, name in published.items()
            for pattern, handlers in consumed.handlers.items()
            if events.topic_matches(pattern, name)
            for handler in handlers
        }
        inbox = set(rows(database_urls[service], "SELECT event_id, handler FROM inbox"))
        if expected != inbox:
            found.append(
                f"{service}: {len(expected - inbox)} events never applied, "
                f"{len(inbox - expected)} unknown in its inbox"
            )

    completed = rows(database_urls["intake"], "SELECT id FROM tickets WHERE status = 'completed'")
    facts = rows(database_urls["evaluation"], "SELECT ticket_id FROM metric_tickets")
    if {str(r[0]) for r in completed} != {str(r[0]) for r in facts}:
        found.append(f"evaluation tickets {len(facts)} against completed intake tickets {len(completed)}")
    for origin in ("intake", "grid"):
        source = {str(r[0]) for r in rows(database_urls[origin], "SELECT id FROM cases")}
        folded = {
            str(r[0])
            for r in rows(
                database_urls["evaluation"], f"SELECT case_id FROM metric_cases WHERE origin = '{origin}'"
            )
        }
        if source != folded:
            found.append(f"evaluation {origin} cases {len(folded)} against {origin}'s {len(source)}")

    for queue, count in queued(amqp_url, namespace).items():
        if count:
            found.append(f"{queue}: {count} messages left")
    return found
