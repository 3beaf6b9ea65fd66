"""A department subscribes to the platform's events with a plain AMQP client (pika).

    pip install pika
    AMQP_URL=amqp://user:pass@rabbitmq.district:5672/ python department_subscriber.py 'grid.case.*'

It declares a durable queue of its own (so nothing is missed while it is offline),
binds it to the platform's topic exchange with the routing keys it wants, and acks each
event after handling it. Events are CloudEvents 1.0 in structured JSON; the `id` is
unique, so a redelivered event can be recognised and skipped.
"""

import json
import os
import sys

import pika

EXCHANGE = os.environ.get("EVENT_EXCHANGE", "community.events")
QUEUE = os.environ.get("DEPARTMENT_QUEUE", "department.city_management.events")


def handle(event: dict) -> None:
    """Do the department's work; here, print one line per event."""
    print(event["type"], event["subject"], event.get("community"), json.dumps(event["data"]), flush=True)


def main(patterns: list[str], limit: int = 0) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(os.environ["AMQP_URL"]))
    channel = connection.channel()
    channel.exchange_declare(EXCHANGE, exchange_type="topic", durable=True)
    channel.queue_declare(QUEUE, durable=True)
    for pattern in patterns:
        channel.queue_bind(QUEUE, EXCHANGE, routing_key=pattern)
    channel.basic_qos(prefetch_count=20)
    handled = 0
    for method, _properties, body in channel.consume(QUEUE, inactivity_timeout=30):
        if method is None:  # nothing for 30 s
            break
        handle(json.loads(body))
        channel.basic_ack(method.delivery_tag)
        handled += 1
        if limit and handled >= limit:
            break
    channel.cancel()
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1:] or ["#"], int(os.environ.get("LIMIT", "0")))
