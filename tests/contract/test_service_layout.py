"""Every service has the template's shape (docs/architecture.md, "A service's modules")."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from services.chassis.consumer import ConsumedEvents
from services.chassis.events import EventType

ROOT = Path(__file__).resolve().parents[2]
SERVICES_DIR = ROOT / "services"
SERVICES = sorted(
    p.name for p in SERVICES_DIR.iterdir() if (p / "__init__.py").exists() and p.name != "chassis"
)
# name -> a file (`.py`), a folder (`/`), or either
REQUIRED = {
    "__init__.py": "file",
    "domain": "either",
    "models": "either",
    "usecases": "folder",
    "api": "folder",
    "events.py": "file",
    "app.py": "file",
    "worker.py": "file",
    "migrations": "folder",
}
OPTIONAL = {"cli.py", "settings.py"}  # settings: only a service with knobs of its own


def _present(service: Path, name: str, kind: str) -> bool:
    if kind == "file":
        return (service / name).is_file()
    if kind == "folder":
        return (service / name / "__init__.py").is_file() or (service / name / "env.py").is_file()
    return (service / f"{name}.py").is_file() or (service / name / "__init__.py").is_file()


def test_the_platform_has_its_services():
    assert {"intake", "contracts", "grid", "evaluation"} <= set(SERVICES)


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_has_the_templates_modules_and_nothing_else(service):
    folder = SERVICES_DIR / service
    missing = [name for name, kind in REQUIRED.items() if not _present(folder, name, kind)]
    assert missing == []
    assert (folder / "usecases" / "policy.py").is_file()
    allowed = {n.removesuffix(".py") for n in REQUIRED} | {n.removesuffix(".py") for n in OPTIONAL}
    extra = sorted(
        p.name
        for p in folder.iterdir()
        if p.name != "__pycache__" and p.name.removesuffix(".py") not in allowed
    )
    assert extra == []


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_exposes_the_templates_entry_points(service):
    def part(name: str):
        return importlib.import_module(f"services.{service}.{name}")

    assert callable(part("app").create_app)
    assert callable(part("worker").build_worker)
    assert callable(part("api").blueprints)
    assert isinstance(part("usecases").CONSUMED, ConsumedEvents)
    events = part("events")
    assert events.PUBLISHES and all(isinstance(e, EventType) for e in events.PUBLISHES)
    assert not hasattr(events, "CONSUMES"), "consumed events are declared at their handlers"


def _code_files():
    for top in ("services", "gateway", "deploy", "bench"):
        for path in (ROOT / top).rglob("*.py"):
            if "versions" not in path.parts:
                yield path


def test_the_local_time_zone_is_named_once():
    places = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in _code_files()
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if "Asia/Shanghai" in line and not line.lstrip().startswith("#")
    ]
    assert len(places) == 1 and places[0].startswith("services/chassis/clock.py:"), places
    zone_made = [str(p.relative_to(ROOT)) for p in _code_files() if "ZoneInfo(" in p.read_text()]
    assert zone_made == ["services/chassis/clock.py"]


def test_a_refused_transition_has_one_problem_type_everywhere():
    """Only the chassis' state machine names a transition problem; no service makes its own."""
    offenders = []
    for path in _code_files():
        if path.relative_to(ROOT).parts[:2] == ("services", "chassis"):
            continue
        text = path.read_text()
        for match in re.finditer(r"problem_type\s*=\s*[\"']([^\"']+)", text):
            if "transition" in match.group(1):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(1)}")
        for match in re.finditer(r"^class (\w*Transition\w*)\((?!.*Schema)", text, re.M):
            offenders.append(f"{path.relative_to(ROOT)}: class {match.group(1)}")
    assert offenders == []
