"""Notifications benchmark: from intake's commit of a ticket call to the SMS provider's request.

On real RabbitMQ and PostgreSQL, in one process (one CLOCK_MONOTONIC): a publisher runtime
with intake's tables commits `intake.ticket.called` into its outbox (its relay woken by the
commit); the notifications worker (relay, consumer, dispatcher every
`NOTIFICATIONS_DISPATCH_SECONDS`) records the delivery for the ticket's watcher and sends it
through the Alibaba Cloud SMS adapter (signed) to a local stand-in, which notes when each
request arrived.

  latency     one call at a time: commit → stand-in received the SendSms request (p50, p99)
  throughput  a burst of calls committed at once: events/s through the rules to the hand-off
              to the channel (first commit → last request received)

Run: python bench/notifications.py [--samples 200] [--burst 1000]
Needs RabbitMQ on 127.0.0.1:5672 and PostgreSQL on 127.0.0.1:5432 (as CI has them).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kombu import Connection  # noqa: E402
from sqlalchemy import create_engine, pool, text  # noqa: E402

from services.chassis import auth  # noqa: E402
from services.chassis.config import Settings  # noqa: E402
from services.chassis.runtime import Runtime  # noqa: E402
from services.chassis.worker import Worker  # noqa: E402
from services.intake import events as intake_events  # noqa: E402
from services.intake import models as intake_models  # noqa: E402
from services.notifications import domain  # noqa: E402
from services.notifications import models as notify_models  # noqa: E402
from services.notifications import worker as notify_worker  # noqa: E402
from services.notifications.models import Consent, ContactPoint, Preference, Watch  # noqa: E402
from services.notifications.settings import personal_data_cipher  # noqa: E402
from tests.unit.notifications.standin import StandIn  # noqa: E402

AMQP = "amqp://guest:guest@127.0.0.1:5672//"
ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def runtime(service: str, metadata, url: str, namespace: str, folder: Path, **extra) -> Runtime:  # noqa: ANN001
    settings = Settings.from_env(
        service,
        {
            "data_dir": folder,
            "database_url": url,
            "amqp_url": AMQP,
            "bus_namespace": namespace,
            "jwt_private_key_path": folder / "jwt-private.pem",
            "jwt_public_key_path": folder / "jwt-public.pem",
            **extra,
        },
    )
    made = Runtime(settings, metadata)
    metadata.create_all(made.database.engine)
    return made


def watchers(notify: Runtime, count: int) -> list[str]:
    """`count` people, each with a verified mobile, consent to queue notices and a watched ticket."""
    cipher = personal_data_cipher(notify.settings)
    now = datetime.now(UTC)
    tickets = [str(uuid.uuid4()) for _ in range(count)]
    with notify.unit_of_work() as uow:
        for n, ticket_id in enumerate(tickets):
            person, contact_id, mobile = f"bench-{n}", str(uuid.uuid4()), f"139{n:08d}"
            uow.session.add(
                ContactPoint(
                    id=contact_id,
                    person_sub=person,
                    kind="mobile",
                    created_at=now,
                    verified_at=now,
                    value_sealed=cipher.encrypt(mobile, record=contact_id, field="value"),
                    value_masked=domain.mask_contact("mobile", mobile),
                    lookup_hash=cipher.lookup_hash(mobile, kind="contact-mobile"),
                    code_attempts=0,
                )
            )
            uow.session.add(Preference(person_sub=person, language="zh-Hans", channels=["sms"], muted=[]))
            uow.session.add(
                Consent(
                    id=str(uuid.uuid4()),
                    person_sub=person,
                    purpose="queue",
                    language="zh-Hans",
                    wording=domain.consent_wording("queue", "zh-Hans"),
                    given_at=now,
                )
            )
            uow.session.add(
                Watch(
                    id=str(uuid.uuid4()),
                    person_sub=person,
                    target_kind="ticket",
                    target_id=ticket_id,
                    ahead=None,
                    ahead_told=False,
                    created_at=now,
                )
            )
        uow.commit()
    return tickets


def call(intake: Runtime, ticket_id: str, number: str) -> float:
    """Commit the call of a ticket (with its event in intake's outbox); the commit's moment."""
    now = datetime.now(UTC)
    with intake.unit_of_work() as uow:
        uow.emit(
            intake_events.TICKET_CALLED,
            subject=ticket_id,
            community="huaguoshan",
            data={
                "ticket_id": ticket_id,
                "number": number,
                "business_type": "elderly_health_check",
                "channel": "portal",
                "priority": False,
                "issued_at": now.isoformat(),
                "window_id": str(uuid.uuid4()),
                "window_number": 1,
                "called_at": now.isoformat(),
                "wait_seconds": 0,
            },
        )
        uow.commit()
        return time.monotonic()


def received_at(provider: StandIn) -> dict[str, float]:
    with provider.lock:
        return {json.loads(r.query["TemplateParam"])["number"]: r.at for r in provider.received}


def wait_for(provider: StandIn, numbers: set[str], timeout: float = 120.0) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = received_at(provider)
        if numbers <= seen.keys():
            return seen
        time.sleep(0.002)
    raise SystemExit(f"only {len(received_at(provider))} of {len(numbers)} requests arrived")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--burst", type=int, default=1000)
    args = parser.parse_args()
    namespace = f"bench{uuid.uuid4().hex[:8]}"
    names = {s: f"bench_notify_{s}_{uuid.uuid4().hex[:8]}" for s in ("intake", "notifications")}
    admin = create_engine(ADMIN, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names.values():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    folder = Path(tempfile.mkdtemp())
    auth.generate_key_pair(folder / "jwt-private.pem", folder / "jwt-public.pem")
    base = ADMIN.rsplit("/", 1)[0]
    workers: list[Worker] = []
    with StandIn({"Code": "OK", "Message": "OK"}) as provider:
        try:
            intake = runtime(
                "intake", intake_models.Base.metadata, f"{base}/{names['intake']}", namespace, folder
            )
            notify = runtime(
                "notifications",
                notify_models.Base.metadata,
                f"{base}/{names['notifications']}",
                namespace,
                folder,
                aliyun_endpoint=provider.url + "/",
                aliyun_access_key_id="bench",
                aliyun_access_key_secret="bench",
            )
            tickets = watchers(notify, args.samples + args.burst)
            workers = [Worker(intake), notify_worker.build_worker(notify)]
            for worker in workers:
                worker.start()
                assert worker.wait_ready(30)
            latencies = []
            for n, ticket_id in enumerate(tickets[: args.samples]):
                committed = call(intake, ticket_id, f"L{n:03d}")
                latencies.append(wait_for(provider, {f"L{n:03d}"})[f"L{n:03d}"] - committed)
            burst = {f"B{n:04d}": ticket_id for n, ticket_id in enumerate(tickets[args.samples :])}
            started = time.monotonic()
            for number, ticket_id in burst.items():
                call(intake, ticket_id, number)
            committing = time.monotonic() - started
            seen = wait_for(provider, set(burst))
            elapsed = max(seen[n] for n in burst) - started
            with notify.database.engine.connect() as connection:
                first, last_recorded, last_sent = connection.execute(
                    text(
                        "SELECT min(created_at), max(created_at), max(sent_at) FROM deliveries "
                        "WHERE params->>'number' LIKE 'B%'"
                    )
                ).one()
            recorded = (last_recorded - first).total_seconds()
            sent = (last_sent - first).total_seconds()
        finally:
            for worker in workers:
                worker.stop()
            with Connection(AMQP) as connection:
                channel = connection.channel()
                for suffix in ("events", "events.dead", "events.retry.1", "events.retry.2"):
                    try:
                        channel.queue_delete(f"{namespace}.notifications.{suffix}")
                    except Exception:  # noqa: BLE001 - not declared in this run
                        channel = connection.channel()
                try:
                    channel.exchange_delete(f"{namespace}.community.events")
                except Exception:  # noqa: BLE001
                    pass
            with admin.connect() as connection:
                for name in names.values():
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    ms = 1000
    print(f"{'commit of the call → SendSms at the stand-in':<48}{'p50 ms':>10}{'p99 ms':>10}")
    print(
        f"{f'one at a time ({args.samples} calls)':<48}{statistics.median(latencies) * ms:>10.1f}"
        f"{percentile(latencies, 99) * ms:>10.1f}"
    )
    print(f"burst of {args.burst} calls: {args.burst / elapsed:,.0f} events/s through rules to the channel")
    print(f"  committing the {args.burst} calls took {committing:.2f} s")
    print(
        f"  of which: consumer recorded them all in {recorded:.2f} s, "
        f"the dispatcher sent the last {sent:.2f} s after the first was recorded"
    )


if __name__ == "__main__":
    main()
