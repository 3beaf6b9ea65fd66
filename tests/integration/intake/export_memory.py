"""Run by test_export_postgres.py in its own process: the intake app on a given database
downloads a list, and the process's peak resident memory during that download is reported.

Input on stdin (JSON): settings, token, path, output file. Output on stdout (JSON): the
resident set before the download and its peak during it (kB, from /proc/self/status after
resetting the peak with /proc/self/clear_refs), and the bytes written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def main() -> None:
    job = json.load(sys.stdin)
    from deploy import registry
    from services.chassis.config import Settings
    from services.chassis.runtime import Runtime

    config = {
        k: Path(v) if v and (k == "data_dir" or k.endswith("_path")) else v
        for k, v in job["settings"].items()
    }
    settings = Settings.from_env("intake", config)
    app = registry.module("intake", "app").create_app(runtime=Runtime(settings, registry.metadata("intake")))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {job['token']}"}
    warm = client.get(job["warm_up"], headers=headers)  # imports and first connections, few rows
    assert warm.status_code == 200, warm.get_data(as_text=True)
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) restarts from now
    before = _status_kb("VmRSS")
    written = 0
    response = client.get(job["path"], headers=headers, buffered=False)
    assert response.status_code == 200, response.status_code
    with open(job["output"], "wb") as output:
        for chunk in response.response:
            output.write(chunk)
            written += len(chunk)
    response.close()
    json.dump({"rss_before_kb": before, "rss_peak_kb": _status_kb("VmHWM"), "bytes": written}, sys.stdout)


if __name__ == "__main__":
    main()
