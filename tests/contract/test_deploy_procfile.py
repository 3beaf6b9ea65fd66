"""deploy/Procfile: the production topology as processes, for every service."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from deploy import procfile
from deploy.registry import SERVICES
from deploy.stack import DEPLOY_DIR

ENV = {
    "DEPLOY_DIR": "/d",
    "HOST": "127.0.0.1",
    "GATEWAY_PORT": "8080",
    **{f"{s.upper()}_PORT": str(8101 + i) for i, s in enumerate(SERVICES)},
}


def entries() -> dict[str, procfile.Entry]:
    return {entry.name: entry for entry in procfile.parse(DEPLOY_DIR / "Procfile")}


def test_procfile_has_a_web_process_and_a_worker_per_service_and_the_gateway():
    expected = {*(f"{s}-web" for s in SERVICES), *(f"{s}-worker" for s in SERVICES), "gateway"}
    assert set(entries()) == expected


@pytest.mark.parametrize("service", SERVICES)
def test_service_processes_are_the_images_commands(service):
    web = entries()[f"{service}-web"].argv(ENV)
    assert web[:3] == [sys.executable, "-m", "gunicorn"]
    assert web[web.index("--config") + 1] == "/d/gunicorn.conf.py"
    assert web[web.index("--bind") + 1] == f"127.0.0.1:{ENV[f'{service.upper()}_PORT']}"
    assert web[-1] == f"services.{service}.app:create_app()"
    assert entries()[f"{service}-worker"].argv(ENV) == [sys.executable, "-m", f"services.{service}.worker"]


def test_gateway_is_the_gunicorn_entry_of_the_issue():
    assert entries()["gateway"].argv(ENV)[-1] == "gateway.app:create_app()"


def test_a_missing_variable_is_named():
    with pytest.raises(KeyError, match="INTAKE_PORT"):
        entries()["intake-web"].argv({k: v for k, v in ENV.items() if k != "INTAKE_PORT"})


def test_a_malformed_line_is_refused(tmp_path: Path):
    bad = tmp_path / "Procfile"
    bad.write_text("# comment\n\nweb python -m x\n")
    with pytest.raises(ValueError, match="Procfile:3"):
        procfile.parse(bad)
