"""`make run`: the embedded platform in one process, as a user starts it.

The first start loads the demo data (reference data and a history played through the
services) and prints the demo identities' tokens; a second start on the same data folder
loads nothing, finds everything (and a ticket taken before the restart) where it was.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deploy.registry import SERVICES

ROOT = Path(__file__).resolve().parents[2]
YEAR = datetime.now(ZoneInfo("Asia/Shanghai")).year
# What each service holds, counted through the gateway: (path, query)
COUNTED = {
    "intake.tickets": ("/api/intake/tickets", {}),
    "intake.cases": ("/api/intake/cases", {}),
    "intake.feedback": ("/api/intake/feedback", {}),
    "intake.business_types": ("/api/intake/business-types", {"community": "huaguoshan"}),
    "contracts.tenders": ("/api/contracts/tenders", {}),
    "contracts.contracts": ("/api/contracts/contracts", {}),
    "contracts.payments": ("/api/contracts/payments", {}),
    "contracts.providers": ("/api/contracts/providers", {}),
    "grid.cells": ("/api/grid/cells", {}),
    "grid.inspections": ("/api/grid/inspections", {"community": "huaguoshan"}),
    "grid.cases": ("/api/grid/cases", {}),
    "evaluation.schemes": ("/api/evaluation/schemes", {}),
    "evaluation.rounds": ("/api/evaluation/rounds", {}),
}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(url, token=None, method="GET", body=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null"), error.headers


def _get(url, token=None):
    status, body, _ = _call(url, token)
    return status, body


class Embedded:
    def __init__(self, data_dir, port, *extra, timeout=300):
        self.data_dir, self.port = data_dir, port
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "deploy.cli",
                "up",
                "--port",
                str(port),
                "--data-dir",
                str(data_dir),
                *extra,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output = []
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            if "Press Ctrl-C to stop." in line:
                self.seconds = time.monotonic() - started
                return
        self.process.kill()
        pytest.fail("embedded platform did not start:\n" + "".join(self.output[-60:]))

    @property
    def text(self):
        return "".join(self.output)

    def total(self, token, path, query):
        query = "&".join(f"{k}={v}" for k, v in {**query, "page_size": 1}.items())
        status, body, headers = _call(f"{self.url}{path}?{query}", token)
        assert status == 200, (path, body)
        return json.loads(headers["X-Pagination"])["total"]

    def counts(self, token):
        return {name: self.total(token, path, query) for name, (path, query) in COUNTED.items()}

    def settled_counts(self, token):
        """The counts once two readings a second apart agree (consumers may still run)."""
        before = self.counts(token)
        for _ in range(30):
            time.sleep(1)
            now = self.counts(token)
            if now == before:
                return now
            before = now
        pytest.fail(f"the counts keep changing: {before}")

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=60)
        self.output.extend(self.process.stdout.readlines())
        return code


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "var"


def test_make_run_serves_every_service_through_the_gateway_and_stops_cleanly(data_dir):
    platform = Embedded(data_dir, _free_port(), "--no-demo")
    try:
        assert any(platform.url in line for line in platform.output)
        for service in SERVICES:
            status, body = _get(f"{platform.url}/api/{service}/readyz")
            assert (status, body["service"]) == (200, service)
            status, body = _get(f"{platform.url}/api/{service}/healthz")
            assert status == 200, body
        status, body = _get(f"{platform.url}/auth/config")
        assert (status, body) == (200, {"mode": "demo"})
    finally:
        code = platform.stop()
    assert code == 0, platform.text
    assert "Stopped." in platform.text and "Loading the demo data" not in platform.text
    assert sorted(p.name for p in data_dir.glob("*.db")) == sorted(f"{s}.db" for s in SERVICES)
    assert not (data_dir / "demo-data.json").exists()


def test_an_interrupted_first_load_is_not_played_again_over_partial_data(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "demo-data.partial").write_text("2026-11-26T06:00:00+00:00")
    platform = Embedded(data_dir, _free_port(), timeout=120)
    try:
        status, body = _get(f"{platform.url}/api/grid/cells")
    finally:
        assert platform.stop() == 0, platform.text
    assert "only partly loaded" in platform.text and f"delete {data_dir}" in platform.text
    assert "Loading the demo data" not in platform.text
    assert (status, body) == (200, [])  # nothing loaded over what is there
    assert not (data_dir / "demo-data.json").exists()


@pytest.fixture(scope="module")
def first_start(tmp_path_factory):
    """`make run` on an empty data folder; what it loaded, read through the gateway."""
    data_dir = tmp_path_factory.mktemp("demo") / "var"
    platform = Embedded(data_dir, _free_port())
    seen = {"data_dir": data_dir}
    try:
        status, identities = _get(f"{platform.url}/auth/demo-identities")
        assert status == 200
        tokens = {i["key"]: i["token"] for i in identities}
        seen.update(identities=identities, counts=platform.settled_counts(tokens["admin"]))
        seen["live"] = open_work(platform.url, tokens)
        status, ticket, _ = _call(
            f"{platform.url}/api/intake/tickets",
            tokens["resident"],
            "POST",
            {
                "community": "huaguoshan",
                "business_type": "legal_aid",
                "channel": "portal",
                "attributes": {"matter": "tenancy"},
            },
        )
        assert status == 201, ticket
        seen["ticket"] = ticket
        seen["key"] = (data_dir / "keys" / "jwt-public.pem").read_bytes()
        seen["marker"] = (data_dir / "demo-data.json").read_text()
    finally:
        seen["code"] = platform.stop()
        seen["output"] = platform.text
    return seen


def open_work(url, tokens):
    """The work the demo leaves for a live demo, as the people who would do it see it."""

    def get(path, who):
        status, body = _get(f"{url}{path}", tokens[who])
        assert status == 200, (path, body)
        return body

    return {
        "waiting": get(
            "/api/intake/tickets?community=huaguoshan&status=waiting&page_size=100", "window_clerk"
        ),
        "my_tickets": get("/api/intake/tickets?mine=true", "resident"),
        "hall": get("/api/intake/display?community=huaguoshan", "window_clerk"),
        "rounds": get(f"/api/evaluation/rounds?community=huaguoshan&year={YEAR}", "committee_member"),
        "contracts": get("/api/contracts/contracts", "provider_signatory"),  # its own
        "tenders": get("/api/contracts/tenders?community=huaguoshan", "committee_member"),
        "grid_cases": get("/api/grid/cases?community=huaguoshan&status=open&page_size=100", "grid_worker"),
        "pooling": {
            c: get(
                f"/api/intake/analytics/pooling?community={c}&from={YEAR}-01-01&to={YEAR}-12-31",
                "subdistrict_officer",
            )
            for c in ("huaguoshan", "chiwan")
        },
    }


def test_first_start_loads_the_demo_data_and_prints_a_token_per_role(first_start):
    output = first_start["output"]
    assert first_start["code"] == 0, output
    assert "Loading the demo data (first start only)..." in output
    assert "Demo data loaded in" in output
    for identity in first_start["identities"]:
        assert identity["key"] in output and identity["token"] in output
    counts = first_start["counts"]
    assert counts["intake.business_types"] == 23
    assert counts["intake.tickets"] > 2000 and counts["intake.feedback"] > 500
    assert counts["intake.cases"] > 200
    assert (counts["contracts.contracts"], counts["contracts.tenders"]) == (9, 10)
    assert counts["contracts.providers"] == 25 and counts["contracts.payments"] >= 15
    assert counts["grid.cells"] == 30 and counts["grid.inspections"] == 6 * 3
    assert counts["grid.cases"] > 20
    assert (counts["evaluation.schemes"], counts["evaluation.rounds"]) == (8, 2)
    marker = json.loads(first_start["marker"])
    assert marker["tickets"] > 2000 and marker["chiwan_result"]


def test_the_demo_leaves_work_for_each_role_and_the_pooling_report_has_history(first_start):
    live = first_start["live"]
    assert len(live["waiting"]) >= 8
    window_1 = next(row for row in live["hall"] if row["window_number"] == 1)
    assert window_1["ticket_number"] is None  # the demo clerk's window can call the next
    assert any(t["owner_sub"] == "resident-huaguoshan-1" for t in live["my_tickets"])
    (evaluation,) = live["rounds"]
    assert evaluation["status"] == "scoring" and evaluation["contract_id"]
    signatory = next(i for i in first_start["identities"] if i["key"] == "provider_signatory")
    by_status = {c["status"]: c for c in live["contracts"]}
    assert by_status["signing"]["parties_signed"] == ["committee"]
    assert by_status["signing"]["provider_id"] == signatory["claims"]["provider_id"]
    assert by_status["active"]["id"] == evaluation["contract_id"]
    pending = [t for t in live["tenders"] if t["status"] == "pending_approval"]
    assert pending and "approve_tender" in pending[0]["allowed_actions"]
    assert live["grid_cases"], "no open grid case in the grid worker's cells"
    huaguoshan, chiwan = live["pooling"]["huaguoshan"], live["pooling"]["chiwan"]
    assert huaguoshan["dedicated"]["layout"] == "per_department"  # all generalist windows
    assert chiwan["dedicated"]["layout"] == "current_windows"  # still dedicated
    assert huaguoshan["arrivals"] > 500 and chiwan["arrivals"] > 500
    assert chiwan["measured"]["wait_seconds"]["mean"] > huaguoshan["measured"]["wait_seconds"]["mean"]
    department = next(i for i in first_start["identities"] if i["key"] == "department")
    assert department["claims"] == {"department": "city_management"}


def test_a_second_start_loads_nothing_and_finds_everything_where_it_was(first_start):
    data_dir = first_start["data_dir"]
    second = Embedded(data_dir, _free_port(), timeout=120)
    try:
        status, identities = _get(f"{second.url}/auth/demo-identities")
        tokens = {i["key"]: i["token"] for i in identities}
        counts = second.settled_counts(tokens["admin"])
        ticket = first_start["ticket"]
        status, kept = _get(f"{second.url}/api/intake/tickets/{ticket['id']}", tokens["resident"])
    finally:
        assert second.stop() == 0, second.text
    assert "Loading the demo data" not in second.text
    expected = {**first_start["counts"]}
    expected["intake.tickets"] += 1  # the ticket taken before the restart
    assert counts == expected
    assert status == 200 and (kept["number"], kept["status"]) == (ticket["number"], "waiting")
    assert (data_dir / "demo-data.json").read_text() == first_start["marker"]
    assert (data_dir / "keys" / "jwt-public.pem").read_bytes() == first_start["key"]
    provider = next(i for i in identities if i["key"] == "provider_signatory")
    assert (
        provider["claims"]
        == next(i for i in first_start["identities"] if i["key"] == "provider_signatory")["claims"]
    )
