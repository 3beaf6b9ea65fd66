"""CPU of a hall display read answered 200 versus 304 (conditional GET), in process.

The embedded platform (SQLite, in-memory bus, reference data, no workers) in a temporary
folder; `GET /api/intake/display?community=huaguoshan` through the gateway (werkzeug test
client, no HTTP server, rate limits off), N times without and N times with the ETag of the first answer.
Process CPU per request (`time.process_time`), the best of ROUNDS rounds.

Run: python bench/conditional.py [--requests 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PATH = "/api/intake/display?community=huaguoshan"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from werkzeug.test import Client

    from deploy import embedded

    with tempfile.TemporaryDirectory() as folder:
        platform = embedded.build(
            Path(folder),
            {"log_level": "WARNING", "rate_limits_enabled": False},
            start_workers=False,
            reference_data=True,
        )
        try:
            client = Client(platform.gateway)
            first = client.get(PATH)
            assert first.status_code == 200, first.status_code
            tag = first.headers["ETag"]
            print(f"answer: {len(first.get_data())} bytes, {len(first.get_json())} windows, ETag {tag}")
            cases = {"200 (no tag)": {}, "304 (If-None-Match)": {"If-None-Match": tag}}
            best = {name: float("inf") for name in cases}
            statuses = {name: set() for name in cases}
            for _ in range(args.rounds):
                for name, headers in cases.items():
                    started = time.process_time()
                    for _ in range(args.requests):
                        answer = client.get(PATH, headers=headers)
                        answer.get_data()
                        statuses[name].add(answer.status_code)
                    best[name] = min(best[name], (time.process_time() - started) / args.requests)
            assert statuses == {"200 (no tag)": {200}, "304 (If-None-Match)": {304}}, statuses
            for name, seconds in best.items():
                print(f"{name:22} {seconds * 1e3:.3f} ms CPU per request")
        finally:
            platform.stop()


if __name__ == "__main__":
    main()
