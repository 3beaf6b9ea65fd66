"""An export of 100 000 tickets on PostgreSQL streams as XLSX in bounded memory and opens
with openpyxl with every row; the same list as CSV starts with a BOM and reads in Chinese."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from tests.support.helpers import key_settings

pytestmark = pytest.mark.postgres

TICKETS = 100_000
PEAK_GROWTH_MB = 100
ROOT = Path(__file__).resolve().parents[3]

FILL = text(
    """
    INSERT INTO tickets (id, community, local_date, number, business_type, original_business_type,
        channel, priority, attributes, status, queue_key, issued_at, finished_at, local_hour,
        wait_seconds, service_seconds, transfers, version)
    SELECT gen_random_uuid()::text, 'huaguoshan', DATE '2025-01-01' + g / 1000,
        'A' || lpad((g % 1000)::text, 4, '0'), 'general', 'general', 'walk_in', false,
        '{"备注": "社区服务"}'::jsonb, 'completed', ts, ts, ts + interval '5 minutes', 9, 60, 300, 0, 1
    FROM generate_series(1, :n) AS g,
        LATERAL (SELECT TIMESTAMPTZ '2025-01-01 01:00+00' + g * interval '1 minute') AS t(ts)
    """
)


def test_an_export_of_100000_tickets_streams_in_bounded_memory(service, token, key_dir, tmp_path):
    harness = service("intake", backend="postgres")
    with harness.runtime.database.engine.begin() as connection:
        connection.execute(FILL, {"n": TICKETS})
    staff = token("center_staff", community="huaguoshan")
    settings = {
        "data_dir": str(tmp_path),
        "database_url": harness.runtime.settings.database_url,
        "amqp_url": "memory://",
        **{key: (str(value) if value is not None else None) for key, value in key_settings(key_dir).items()},
    }
    output = tmp_path / "tickets.xlsx"
    job = {
        "settings": settings,
        "token": staff,
        "warm_up": "/tickets?community=huaguoshan&format=xlsx&status=waiting",
        "path": "/tickets?community=huaguoshan&format=xlsx",
        "output": str(output),
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.integration.intake.export_memory"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    measured = json.loads(run.stdout)
    growth_mb = (measured["rss_peak_kb"] - measured["rss_before_kb"]) / 1024
    assert growth_mb < PEAK_GROWTH_MB, measured
    assert measured["bytes"] == output.stat().st_size > 0

    sheet = openpyxl.load_workbook(output, read_only=True).active
    rows = sheet.iter_rows(max_col=3, values_only=True)
    header = next(rows)
    assert header[:3] == ("id", "community", "number")
    assert sum(1 for _ in rows) == TICKETS

    page = harness.client.get(
        "/tickets?community=huaguoshan&format=csv&since=2025-01-01T01:00:00Z&until=2025-01-01T02:00:00Z",
        headers={"Authorization": f"Bearer {staff}"},
    )
    body = page.get_data()
    assert body.startswith(b"\xef\xbb\xbf") and len(body.decode("utf-8").splitlines()) == 1 + 59
    assert '{""备注"":""***""}' in body.decode("utf-8")  # the Chinese key as written, the value masked
