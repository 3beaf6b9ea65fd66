"""docs/operations.md documents every environment variable the code reads."""

from __future__ import annotations

import re
from pathlib import Path

from deploy.registry import SERVICES

ROOT = Path(__file__).resolve().parents[2]
READS = [
    re.compile(r'\benv(?:_int|_float|_bool)?\(\s*"([A-Z][A-Z0-9_]+)"'),  # chassis.config readers
    re.compile(r'os\.environ(?:\.get\(|\[)\s*"([A-Z][A-Z0-9_]+)"'),
    re.compile(r'os\.getenv\(\s*"([A-Z][A-Z0-9_]+)"'),
    re.compile(r'_int\(\s*"(GUNICORN_[A-Z0-9_]+)"'),
]


def variables_read() -> set[str]:
    names: set[str] = set()
    for folder in ("services", "gateway", "deploy"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for pattern in READS:
                names.update(pattern.findall(text))
    names.update(f"{service.upper()}_DATABASE_URL" for service in SERVICES)
    return names


def test_operations_guide_documents_every_environment_variable():
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", guide))
    names = variables_read()
    assert {"AMQP_URL", "EVENT_QUORUM_QUEUES", "GUNICORN_WORKERS"} <= names  # the scan works
    assert not names - documented, f"undocumented: {sorted(names - documented)}"


def test_env_example_variables_are_in_the_guide():
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    example = (ROOT / "deploy" / ".env.example").read_text(encoding="utf-8")
    names = {line.split("=", 1)[0] for line in example.splitlines() if line and not line.startswith("#")}
    assert not {n for n in names if f"`{n}`" not in guide}
