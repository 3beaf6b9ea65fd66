"""deploy/compose.yaml: valid Compose, health checks and start order, secrets only from .env."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from deploy.registry import SERVICES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / ".env.example"
SCHEMA = ROOT / "standards" / "compose" / "compose-spec.json"
_VARIABLE = re.compile(
    r"\$(?:\$|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?])?(?P<arg>[^}]*)\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)
ENTRYPOINT_COMMANDS = {"web", "worker", "gateway", "migrate", "community"}


class InterpolationError(ValueError):
    pass


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's variable substitution: $$, ${V}, ${V:-default}, ${V-default}, ${V:?err}."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("name") or match.group("bare")
        op, arg, current = match.group("op"), match.group("arg") or "", env.get(name)
        unset_or_empty = not current
        if op in (":-", "-") and (unset_or_empty if op == ":-" else current is None):
            return arg
        if op in (":?", "?") and (unset_or_empty if op == ":?" else current is None):
            raise InterpolationError(arg or f"{name} is required")
        return current or ""

    return _VARIABLE.sub(replace, value)


def variables_used(text: str) -> set[str]:
    return {m.group("name") or m.group("bare") for m in _VARIABLE.finditer(text) if m.group(0) != "$$"}


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def filled_env() -> dict[str, str]:
    """The example with every empty secret filled in, as an operator would."""
    return {key: value or f"secret-{key.lower()}" for key, value in env_example().items()}


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def compose(raw) -> dict[str, Any]:
    return interpolate(raw, filled_env())


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text())


def is_job(service: dict[str, Any]) -> bool:
    return service.get("restart") == "no"


def test_compose_file_is_valid_against_the_compose_specification(raw, compose, schema):
    jsonschema.Draft7Validator(schema).validate(raw)
    jsonschema.Draft7Validator(schema).validate(compose)


def test_schema_check_really_rejects_a_broken_file(raw, schema):
    broken = json.loads(json.dumps(raw))
    broken["services"]["gateway"]["depends_on"]["redis"]["condition"] = "service_ready"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)


def test_every_long_running_container_has_a_health_check(compose):
    for name, service in compose["services"].items():
        if is_job(service):
            continue
        check = service.get("healthcheck")
        assert check and not check.get("disable") and check.get("test"), name


def test_start_order_waits_for_health_and_finished_jobs(compose):
    services = compose["services"]
    for name, service in services.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in services, (name, target)
            condition = rule["condition"]
            if is_job(services[target]):
                assert condition == "service_completed_successfully", (name, target)
            else:
                assert condition == "service_healthy", (name, target)
                assert services[target].get("healthcheck"), target


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_a_migration_job_a_web_process_and_a_worker(compose, service):
    services = compose["services"]
    migrate, web, worker = (
        services[f"migrate-{service}"],
        services[f"{service}-web"],
        services[f"{service}-worker"],
    )
    assert is_job(migrate) and migrate["command"] == ["migrate", service]
    assert web["command"] == ["web", service] and worker["command"] == ["worker", service]
    for process in (web, worker):
        assert process["depends_on"][f"migrate-{service}"]["condition"] == ("service_completed_successfully")
        assert process["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
        assert process["read_only"] is True and "ALL" in process["cap_drop"]
    url_variable = f"{service.upper()}_DATABASE_URL"
    for process in (migrate, web, worker):
        env = process["environment"]
        assert env[url_variable].startswith(f"postgresql://{service}:secret-")
        assert env[url_variable].endswith(f"@postgres:5432/{service}")
        assert not [key for key in env if key.endswith("_DATABASE_URL") and key != url_variable]
    assert web["environment"]["AMQP_URL"].startswith(f"amqp://{service}:secret-rabbitmq_")
    # the database makes the role with the password the service logs in with (and the
    # broker's definitions the user with the one its AMQP_URL carries)
    database_password = web["environment"][url_variable].split(":", 2)[2].split("@", 1)[0]
    assert services["postgres"]["environment"][f"{service.upper()}_DB_PASSWORD"] == database_password
    broker_password = web["environment"]["AMQP_URL"].split(":", 2)[2].split("@", 1)[0]
    definitions = services["broker-definitions"]["environment"]
    assert definitions[f"RABBITMQ_{service.upper()}_PASSWORD"] == broker_password


def test_gateway_is_published_on_8080_and_routes_to_every_service(compose):
    gateway = compose["services"]["gateway"]
    assert gateway["command"] == ["gateway"]
    assert gateway["ports"] == ["8080:8000"]
    for service in SERVICES:
        assert gateway["environment"][f"{service.upper()}_URL"] == f"http://{service}-web:8000"
        assert gateway["depends_on"][f"{service}-web"]["condition"] == "service_healthy"
    assert gateway["environment"]["REDIS_URL"].endswith("@redis:6379/0")
    assert gateway["depends_on"]["redis"]["condition"] == "service_healthy"


def test_platform_containers_run_the_one_image_with_entrypoint_commands(compose):
    images = set()
    for name, service in compose["services"].items():
        if "build" not in service:
            continue
        images.add(service["image"])
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert (DEPLOY / service["build"]["context"] / service["build"]["dockerfile"]).exists()
        assert service["command"][0] in ENTRYPOINT_COMMANDS, name
    assert images == {"community-platform:local"}


def test_broker_and_database_get_their_configuration_files(compose):
    for name in ("postgres", "rabbitmq"):
        for volume in compose["services"][name]["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (DEPLOY / source).exists(), source
            else:
                assert source in compose["volumes"], source
    definitions = compose["services"]["broker-definitions"]
    assert definitions["command"][:2] == ["community", "broker-definitions"]
    assert compose["services"]["rabbitmq"]["depends_on"]["broker-definitions"]["condition"] == (
        "service_completed_successfully"
    )


def test_every_variable_is_documented_in_env_example():
    documented = env_example()
    used = variables_used(COMPOSE.read_text())
    assert used <= set(documented), sorted(used - set(documented))
    explained = False  # a comment in the paragraph above each variable
    for line in ENV_EXAMPLE.read_text().splitlines():
        if not line.strip():
            explained = False
        elif line.startswith("#"):
            explained = True
        else:
            assert explained, f"{line} has no comment explaining it"
    assert not set(documented) - used, "documented but unused: " + str(set(documented) - used)


def test_no_secret_is_committed():
    example = env_example()
    secrets = [key for key in example if key.endswith("PASSWORD")]
    assert len(secrets) >= 1 + 4 + 1 + 4 + 2 + 1
    assert all(example[key] == "" for key in secrets)
    text = COMPOSE.read_text()
    assert not re.search(r"://[^:/\s]+:[^$@\s{][^@\s]*@", text), "a literal password in a URL"
    assert not (DEPLOY / ".env").exists() or ".env" in (ROOT / ".gitignore").read_text()


def test_missing_secret_stops_compose_before_anything_starts(raw):
    env = filled_env()
    env["GRID_DB_PASSWORD"] = ""
    with pytest.raises(InterpolationError, match="set GRID_DB_PASSWORD"):
        interpolate(raw, env)
