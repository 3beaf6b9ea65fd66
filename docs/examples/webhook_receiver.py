"""A department's webhook receiver: it checks the Standard Webhooks signature, then handles the event.

    WEBHOOK_SECRET=whsec_... python webhook_receiver.py 8443   # behind your TLS terminator

The platform POSTs each CloudEvent (JSON) with the headers `webhook-id` (the CloudEvent
id: the same on every retry, so skip what you have handled), `webhook-timestamp` (Unix
seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`,
several space-separated during a secret rotation). Answer 2xx quickly; anything else (or
no answer within 10 s) is retried with backoff, and later events of the same case wait.
The `standardwebhooks` package (PyPI) does the same check: `Webhook(secret).verify(body, headers)`.
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE_SECONDS = 5 * 60
handled: set[str] = set()  # a real receiver keeps this in its database


def verify(secret: str, headers: dict[str, str], body: bytes, now: float | None = None) -> dict:
    """The event, if one of the signatures is the platform's and the timestamp is fresh."""
    message_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs((now or time.time()) - int(timestamp)) > TOLERANCE_SECONDS:
        raise ValueError("stale or future timestamp")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    for signature in headers["webhook-signature"].split():
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(base64.b64decode(value), expected):
            return json.loads(body)
    raise ValueError("no matching signature")


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            event = verify(
                os.environ["WEBHOOK_SECRET"], {k.lower(): v for k, v in self.headers.items()}, body
            )
        except (KeyError, ValueError):
            self.send_response(401)
            self.end_headers()
            return
        if event["id"] not in handled:
            print(event["type"], event["subject"], event.get("community"), flush=True)
            handled.add(event["id"])
        self.send_response(204)
        self.end_headers()


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", int(sys.argv[1] if len(sys.argv) > 1 else 8443)), Receiver).serve_forever()
