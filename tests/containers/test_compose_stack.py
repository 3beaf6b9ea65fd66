"""The compose stack a district starts with `make up`, exercised in order: the image's
confinement, the reference data bootstrap, the platform story through the gateway on the
bootstrapped platform with its CloudEvents on the broker, a second bootstrap that changes
nothing, a killed worker that loses nothing, and `make down` / `make up` keeping the data
in the volumes. The tests share one stack and run in order."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest

from tests.e2e.community_setup import (
    Community,
    hazard_case_at_the_window,
    set_up_cell,
    set_up_desk,
    set_up_purchasing,
)
from tests.e2e.gateway_client import Gateway, check_event
from tests.e2e.test_platform_story import (
    PERSONAL,
    a_hazard_goes_to_grid_and_comes_back_resolved,
    a_resident_is_served_at_the_generalist_window,
    published,
    the_contract_is_bought_signed_and_paid,
    the_evaluation_releases_the_final_milestone,
)
from tests.support.helpers import wait_for

from .conftest import ContainerStack

# The first test carries the package fixture: every image built from nothing (the base
# from Debian's packages, the wheelhouse, the platform) and `make up` to ready, which on a
# new machine sharing its two cores takes longer than the suite's 300 s per test.
pytestmark = pytest.mark.timeout(1800)

APP_PROCESSES = ("gateway", "intake-web", "intake-worker", "grid-web", "grid-worker", "evaluation-worker")
STORY: dict[str, Any] = {}  # what the story made, read again after the worker crash and the restart


@pytest.fixture(scope="module")
def gateway(container_stack: ContainerStack) -> Gateway:
    return Gateway(container_stack.gateway_url)


@pytest.fixture(scope="module")
def haiyue(container_stack: ContainerStack) -> Community:
    """The story's community: Haiyue buys through the subdistrict (a pass-through budget in
    the reference data, as the story's purchase needs; Huaguoshan pilots the committee's
    quota there) and its hall has generalist windows."""
    return Community("haiyue", container_stack)  # type: ignore[arg-type]  # a Stack's token()


@pytest.fixture
def exchange_events(container_stack: ContainerStack, subscribe):
    """Every event published on the stack's exchange from now on."""
    return subscribe(container_stack.broker_url, "community.events")


def test_the_image_runs_as_non_root_with_a_read_only_root_filesystem(container_stack):
    for process in APP_PROCESSES:
        name = container_stack.container(process)
        config = container_stack.podman(
            "inspect", "--format", "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}", name
        ).stdout.split()
        assert config == ["10001:10001", "true"], (process, config)
        assert container_stack.podman("exec", name, "id", "-u").stdout.strip() == "10001"
        written = container_stack.podman("exec", name, "touch", "/opt/app/written", check=False)
        assert written.returncode != 0 and "Read-only file system" in written.stderr, written


def test_the_image_was_built_from_the_wheelhouse_with_no_network(container_stack):
    plan = container_stack.make("-n", "image")
    assert "podman build --quiet --network none" in plan and "deploy/Dockerfile" in plan
    assert container_stack.times["image"] > 0  # `make image` ran (and passed) in this tier
    packages = container_stack.podman(
        "run",
        "--rm",
        "--network",
        "none",
        "localhost/community-platform:local",
        "sh",
        "-c",
        "pip --version || echo no-pip",
    ).stdout
    assert "no-pip" in packages  # the build's installer does not stay in the image


def test_the_bootstrap_loads_the_reference_data(container_stack, gateway):
    """Run once on the new stack, before the story: the seven communities' reference data
    is in place (here: Chiwan's dedicated windows and catalogue)."""
    staff = container_stack.token("center_staff", communities=("chiwan",), sub="staff-chiwan-tier")
    output = container_stack.make("bootstrap", timed="bootstrap")
    assert "evaluation: reference data in place" in output
    types = gateway.get("/api/intake/business-types?community=chiwan", staff).ok()
    windows = gateway.get("/api/intake/windows?community=chiwan", staff).ok()
    assert len(types) >= 10 and {w["mode"] for w in windows} == {"dedicated"}
    STORY.update(bootstrapped=True)


def test_the_platform_story_through_the_gateway(container_stack, gateway, haiyue, exchange_events):
    """The e2e story's own steps (tests/e2e/test_platform_story.py), on the containers
    after the bootstrap: the setup helpers use its reference data (types, window 1, cell,
    budget, committee) and add only what the story needs beyond it."""
    assert STORY.get("bootstrapped"), "the bootstrap ran first"
    started = time.monotonic()
    set_up_desk(gateway, haiyue)
    set_up_cell(gateway, haiyue)
    set_up_purchasing(gateway, haiyue)
    ticket = a_resident_is_served_at_the_generalist_window(gateway, haiyue, exchange_events)
    a_hazard_goes_to_grid_and_comes_back_resolved(gateway, haiyue, exchange_events)
    try:
        contract = the_contract_is_bought_signed_and_paid(
            gateway, haiyue, exchange_events, container_stack.move_clock
        )
    finally:
        container_stack.move_clock(timedelta(0))
    the_evaluation_releases_the_final_milestone(gateway, haiyue, exchange_events, contract)

    story = exchange_events.events
    services = {e["type"].split(".")[0] for e in story}
    assert services == {"intake", "grid", "governance", "contracts", "evaluation"}
    for event in story:
        check_event(event)
    assert PERSONAL.encode() not in b"\n".join(exchange_events.raw)
    gateway_log = container_stack.podman("logs", container_stack.container("gateway"))
    assert "ACCESS_REFUSED" not in gateway_log.stdout + gateway_log.stderr  # its event stream's queue
    STORY.update(ticket=ticket["id"], contract=contract["id"])
    container_stack.record("story", time.monotonic() - started)


def test_a_second_bootstrap_changes_nothing(container_stack, gateway, haiyue, exchange_events):
    """After the story: the catalogues, windows and cells (the story's community's too) are
    as they were, and nothing is written, so nothing published."""
    assert STORY.get("ticket"), "the story ran first"
    chiwan = container_stack.token("center_staff", communities=("chiwan",), sub="staff-chiwan-tier")
    reads = [
        (f"/api/intake/business-types?community={code}&page_size=100", staff)
        for code, staff in (("chiwan", chiwan), (haiyue.code, haiyue.staff))
    ]
    reads += [
        (f"/api/intake/windows?community={code}", staff)
        for code, staff in (("chiwan", chiwan), (haiyue.code, haiyue.staff))
    ]
    reads += [
        (f"/api/grid/cells?community={haiyue.code}", haiyue.staff),
        (f"/api/contracts/budgets?community={haiyue.code}", haiyue.officer),
    ]
    before = [gateway.get(path, token).ok() for path, token in reads]
    seen = len(exchange_events.events)
    container_stack.make("bootstrap")
    assert [gateway.get(path, token).ok() for path, token in reads] == before
    assert len(exchange_events.events) == seen  # nothing written, so nothing published


def test_make_token_prints_a_token_the_gateway_accepts(container_stack, gateway):
    token = container_stack.make("token").strip().splitlines()[-1]
    assert jwt.decode(token, options={"verify_signature": False})["roles"] == ["admin"]
    assert gateway.get("/api/intake/business-types?community=chiwan", token).status == 200
    assert gateway.get("/api/intake/business-types?community=chiwan", token + "x").status == 401


def test_a_killed_worker_loses_nothing(container_stack, gateway, haiyue, exchange_events):
    """grid's worker is killed; a hazard referred meanwhile waits in grid's queue and
    becomes a grid case once the worker is started again."""
    set_up_desk_window = haiyue.ids.get("window")
    assert set_up_desk_window, "the story set up the desk"
    worker = container_stack.container("grid-worker")
    container_stack.podman("kill", worker)
    container_stack.podman("wait", worker, check=False)
    _, case = hazard_case_at_the_window(gateway, haiyue, {"kind": "wiring"}, "电线老化")
    lon, lat = haiyue.point
    gateway.post(
        f"/api/intake/cases/{case['id']}/refer",
        haiyue.staff,
        {"target": "grid", "category": "hazard_fire", "severity": "high", "lon": lon, "lat": lat},
    ).ok()
    published(exchange_events, "intake.case.referred", case_id=case["id"])
    state = container_stack.podman("inspect", "--format", "{{.State.Status}}", worker).stdout.strip()
    if state != "running":  # the restart policy may have been quicker than the test
        assert not of_grid_case(exchange_events, case["id"])
        container_stack.podman("start", worker)
    reported = published(exchange_events, "grid.case.reported", timeout=90, source_ref=case["id"])
    assert len(reported) == 1
    STORY["referred_case"] = case["id"]


def of_grid_case(events: Any, case_id: str) -> list[dict[str, Any]]:
    return [
        e
        for e in events.events
        if e["type"].startswith("grid.case.reported") and e["data"].get("source_ref") == case_id
    ]


def test_make_down_and_up_keep_the_data(container_stack, gateway, haiyue):
    assert STORY.get("ticket") and STORY.get("contract"), "the story ran first"
    container_stack.make("down")
    assert not container_stack.podman(
        "ps", "--quiet", "--filter", "label=io.podman.compose.project=community-tier"
    ).stdout.strip()
    container_stack.make("up", timed="up_again")
    ticket = gateway.get(f"/api/intake/tickets/{STORY['ticket']}", haiyue.resident).ok()
    assert ticket["status"] == "completed"
    contract = gateway.get(f"/api/contracts/contracts/{STORY['contract']}", haiyue.member).ok()
    assert contract["status"] == "completed" and contract["paid_fen"] == contract["value_fen"]
    cases = wait_for(
        lambda: gateway.get(f"/api/intake/cases/{STORY['referred_case']}", haiyue.staff).ok(),
        message="the referred case after the restart",
    )
    assert cases["status"] == "referred"


def test_the_operations_guide_shows_the_commands_this_tier_ran(container_stack):
    """docs/operations.md's podman section lists exactly the `make` targets run here."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text()
    section = guide.split("### Containers with podman", 1)[1].split("\n### ", 1)[0]
    commands = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    shown = {line.split()[1] for line in commands.splitlines() if line.startswith("make ")}
    assert shown == container_stack.ran, (shown, container_stack.ran)
    for step in ("`make image`", "`make up`", "`make bootstrap`"):
        assert f"| {step} |" in section, step  # with the time it took here
