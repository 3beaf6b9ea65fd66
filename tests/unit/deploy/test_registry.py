"""The registry of services, and the gateway's own list of the services behind it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from deploy import registry
from gateway.settings import UPSTREAMS

CHASSIS = Path(__file__).resolve().parents[3] / "services" / "chassis"


def test_the_gateway_routes_to_every_service_the_deployment_runs():
    assert UPSTREAMS == registry.SERVICES


def test_an_unknown_service_is_refused():
    with pytest.raises(ValueError, match="unknown service 'billing'"):
        registry.module("billing", "app")


def test_every_service_has_its_migrations_folder():
    for service in registry.SERVICES:
        assert (registry.migrations(service) / "env.py").is_file()


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted(CHASSIS.glob("*.py")), ids=lambda p: p.name)
def test_the_chassis_imports_no_service_gateway_or_deploy(path):
    own = {f"services.{name}" for name in registry.SERVICES} | {"services.SERVICES"}
    refused = {
        name
        for name in _imported(path)
        if name.split(".")[0] in ("gateway", "deploy") or any(name.startswith(o) for o in own)
    }
    assert not refused, f"{path.name} imports {sorted(refused)}"
