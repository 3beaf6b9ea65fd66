"""A department follows the platform's events over HTTP (Server-Sent Events) and resumes.

    TOKEN=... python sse_client.py 'https://community.district/api/events/stream?types=grid.case.*'

It keeps the last `id:` it handled in a file; after any disconnect (or a restart of this
program, or of the gateway) it reconnects with `Last-Event-ID`, and the gateway replays
every matching event after that one from its archive (30 days by default). To start
from a moment instead, add `&since=2026-03-02T09:00:00%2B08:00` to the URL.
"""

import http.client
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

POSITION = Path(os.environ.get("SSE_POSITION_FILE", "sse-last-event-id.txt"))


def follow(url: str, token: str) -> None:
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    while True:
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        if POSITION.exists():
            headers["Last-Event-ID"] = POSITION.read_text().strip()
        connection = kind(parts.netloc, timeout=60)
        try:
            connection.request("GET", f"{parts.path}?{parts.query}", headers=headers)
            response = connection.getresponse()
            if response.status != 200:
                print("refused:", response.status, response.read()[:300], file=sys.stderr)
                time.sleep(30)
                continue
            fields: dict[str, str] = {}
            for raw in response:
                line = raw.decode().rstrip("\n")
                if line:
                    name, _, value = line.partition(": ")
                    fields[name] = value
                    continue
                if "data" in fields and "event" not in fields:
                    event = json.loads(fields["data"])
                    print(event["type"], event["subject"], event.get("community"), flush=True)
                    POSITION.write_text(fields["id"])  # after handling: nothing lost, maybe one twice
                fields = {}
        except OSError as error:
            print("disconnected:", error, file=sys.stderr)
        finally:
            connection.close()
        time.sleep(3)  # the stream's `retry:` hint


if __name__ == "__main__":
    follow(sys.argv[1], os.environ["TOKEN"])
