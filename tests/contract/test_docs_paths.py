"""The architecture guide and the services' pages name only paths and modules that exist."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "docs/architecture.md",
    "docs/intake.md",
    "docs/contracts.md",
    "docs/grid.md",
    "docs/evaluation.md",
    "docs/governance.md",
]
TOPS = ("services/", "gateway/", "deploy/", "docs/", "tests/", "bench/", "standards/")
CODE = re.compile(r"`([^`\s]+)`")


def _named_paths(text: str) -> set[str]:
    found = set()
    for token in CODE.findall(text):
        token = token.rstrip(".,:;")
        if token.startswith(TOPS) and "<" not in token and "*" not in token:
            found.add(token)
    return found


def _named_modules(text: str) -> set[str]:
    return {
        token.rstrip(".,:;")
        for token in CODE.findall(text)
        if re.fullmatch(r"(services|gateway|deploy)(\.[a-z_][a-z0-9_]*)+", token.rstrip(".,:;"))
    }


def _module_exists(dotted: str) -> bool:
    """A module, or an attribute of one (e.g. `services.intake.usecases.cases.act`)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        name = ".".join(parts[:cut])
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            module = importlib.import_module(name)
            value = module
            for attribute in parts[cut:]:
                if not hasattr(value, attribute):
                    return False
                value = getattr(value, attribute)
            return True
    return False


@pytest.mark.parametrize("page", PAGES)
def test_every_path_a_page_names_exists(page):
    text = (ROOT / page).read_text()
    missing = sorted(p for p in _named_paths(text) if not (ROOT / p).exists())
    assert missing == []


@pytest.mark.parametrize("page", PAGES)
def test_every_module_a_page_names_exists(page):
    text = (ROOT / page).read_text()
    missing = sorted(m for m in _named_modules(text) if not _module_exists(m))
    assert missing == []


def test_the_service_pages_name_their_modules_relative_to_the_service():
    """`usecases/cases.py` in docs/intake.md means services/intake/usecases/cases.py."""
    missing = []
    for service in ("intake", "contracts", "grid", "evaluation", "governance", "notifications"):
        text = (ROOT / f"docs/{service}.md").read_text()
        for token in CODE.findall(text):
            token = token.rstrip(".,:;")
            if re.fullmatch(r"(domain|models|usecases|api)(/[a-z_0-9]+)*(\.py|/)?", token) and "/" in token:
                if not (ROOT / "services" / service / token).exists():
                    missing.append(f"{service}: {token}")
    assert missing == []


def test_the_checks_catch_a_name_that_does_not_exist():
    text = "see `services/chassis/nothing.py` and `services.chassis.clock.no_such_thing`"
    assert _named_paths(text) == {"services/chassis/nothing.py"}
    assert not (ROOT / "services/chassis/nothing.py").exists()
    assert _named_modules(text) == {"services.chassis.clock.no_such_thing"}
    assert not _module_exists("services.chassis.clock.no_such_thing")
    assert _module_exists("services.chassis.clock.local_zone")
