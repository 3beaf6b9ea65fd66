"""A Python client generated from the merged document plays the desk story through the gateway.

`openapi-python-client` (a maintained generator, dev extra) builds a client package from
`/api/docs/openapi.json` in the test's temporary folder, without the network; the
clerk then adds a business type, opens a window, issues a ticket, calls it, starts and
completes it, only through the generated functions and models. A document that lies about a body, a
parameter or a status makes the generated code fail here.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from deploy.registry import SERVICES
from services.chassis import clock
from tests.unit.gateway.support import UpstreamServer, inprocess_gateway

WORKING_MOMENT = datetime(2026, 12, 2, 2, 30, tzinfo=UTC)  # Wednesday 10:30 in Shenzhen
PACKAGE = "generated_platform_client"


def _generate(document: Path, folder: Path) -> None:
    """Run the generator (its ruff post-hook needs the venv's bin on PATH)."""
    scripts = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(
        [
            str(scripts / "openapi-python-client"),
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
        ],
        check=True,
        cwd=folder,
        env=env,
        timeout=180,
        capture_output=True,
    )


def _load(folder: Path) -> ModuleType:
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))


@pytest.fixture
def platform_url(service, key_dir, tmp_path):
    apps = {name: service(name, log_level="WARNING").app for name in SERVICES}
    gateway = inprocess_gateway(key_dir, tmp_path, apps)
    with clock.use(clock.ManualClock(WORKING_MOMENT)), UpstreamServer(gateway) as server:
        yield server.url


def test_a_generated_client_plays_the_desk_story(platform_url, token, tmp_path):
    document = tmp_path / "openapi.json"
    with urllib.request.urlopen(f"{platform_url}/api/docs/openapi.json", timeout=30) as answer:  # noqa: S310
        document.write_bytes(answer.read())
    _generate(document, tmp_path)
    package = _load(tmp_path)
    api = importlib.import_module(f"{PACKAGE}.api.intake_tickets")
    catalogue = importlib.import_module(f"{PACKAGE}.api.intake_catalogue")
    models = importlib.import_module(f"{PACKAGE}.models")
    for module in ("post_api_intake_tickets", "post_api_intake_windows_window_id_call_next"):
        importlib.import_module(f"{api.__name__}.{module}")
    clerk = package.AuthenticatedClient(
        base_url=platform_url, token=token("center_staff", community="huaguoshan", sub="clerk-gen")
    )

    adding = importlib.import_module(f"{catalogue.__name__}.post_api_intake_business_types")
    business_type = adding.sync(
        client=clerk,
        body=models.IntakeBusinessType(
            community=models.IntakeBusinessTypeCommunity("huaguoshan"),
            code="senior_card",
            name_zh="老年人优待证",
            name_en="Senior citizen card",
            department=models.IntakeBusinessTypeDepartment("civil_affairs"),
            typical_minutes=10,
            sla_days=5,
        ),
    )
    assert isinstance(business_type, models.IntakeBusinessType), business_type

    opening = importlib.import_module(f"{catalogue.__name__}.post_api_intake_windows")
    window = opening.sync(
        client=clerk,
        body=models.IntakeWindow(
            community=models.IntakeWindowCommunity("huaguoshan"),
            number=42,
            mode=models.IntakeWindowMode("generalist"),
            status=models.IntakeWindowStatus("open"),
            staff_on_duty="clerk-gen",
        ),
    )
    assert isinstance(window, models.IntakeWindow), window

    issuing = importlib.import_module(f"{api.__name__}.post_api_intake_tickets")
    ticket = issuing.sync(
        client=clerk,
        body=models.IntakeTicketCreate(
            community=models.IntakeTicketCreateCommunity("huaguoshan"),
            business_type=business_type.code,
            channel=models.IntakeTicketCreateChannel("walk_in"),
        ),
    )
    assert isinstance(ticket, models.IntakeTicket), ticket
    assert ticket.status == "waiting"

    calling = importlib.import_module(f"{api.__name__}.post_api_intake_windows_window_id_call_next")
    called = calling.sync(window_id=window.id, client=clerk)
    assert isinstance(called, models.IntakeCallResult), called
    assert called.ticket.id == ticket.id and called.ticket.status == "called"

    starting = importlib.import_module(f"{api.__name__}.post_api_intake_tickets_ticket_id_start")
    started = starting.sync(ticket_id=ticket.id, client=clerk)
    assert isinstance(started, models.IntakeTicket) and started.status == "serving", started

    completing = importlib.import_module(f"{api.__name__}.post_api_intake_tickets_ticket_id_complete")
    completed = completing.sync(ticket_id=ticket.id, client=clerk)
    assert isinstance(completed, models.IntakeTicket) and completed.status == "completed", completed

    refused = completing.sync(ticket_id=ticket.id, client=clerk)
    assert isinstance(refused, models.IntakeProblem), refused
    assert refused.status == 409 and refused.type_ == "urn:community:problem:illegal-transition"
