"""The code's boundaries hold: import-linter's contracts (pyproject.toml), no import cycle.

The contracts are also run on a small tree shaped like the platform, once clean and once
with each kind of bad import, to show that they catch what they are meant to catch.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
REAL_SERVICES = ("intake", "contracts", "grid", "evaluation", "governance", "subscriptions", "notifications")
FAKE_SERVICES = ("alpha", "beta")


def _lint_imports(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_import_contracts_hold():
    result = _lint_imports(ROOT / "pyproject.toml", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


# -- the contracts catch what they should, on a tree shaped like the platform ---------------

TEMPLATE_FILES = {
    "domain.py": "from services.chassis.statemachine import StateMachine\nimport dataclasses\n",
    "models.py": "from . import domain\n",
    "events.py": "from . import domain\n",
    "settings.py": "import dataclasses\n",
    "usecases/__init__.py": "from . import policy, work\n",
    "usecases/policy.py": "from .. import domain\n",
    "usecases/work.py": "from .. import events, models\nfrom . import policy\n",
    "api/__init__.py": "from . import resources\n",
    "api/resources.py": "from .. import usecases\nfrom ..usecases import work\n",
    "app.py": "from . import api\n",
    "worker.py": "from . import usecases\n",
}

BAD_IMPORTS = {
    "independent-services": ("services/alpha/usecases/work.py", "from services.beta import events\n"),
    "plain-chassis": ("services/chassis/web.py", "import deploy\n"),
    "pure-domain": ("services/alpha/domain.py", "import sqlalchemy\n"),
    "service-layers": ("services/alpha/domain.py", "from . import models\n"),
    "acyclic-services": ("services/alpha/api/resources.py", "from ..usecases import work\n"),
}
# The acyclic case also needs the other direction (a use case reaching into the API).
BAD_IMPORTS_EXTRA = {
    "acyclic-services": ("services/alpha/usecases/policy.py", "from ..api import resources\n")
}


def _fake_value(value):
    """The real contract's value with each real service replaced by the fake ones."""
    if isinstance(value, list):
        out: list = []
        for item in value:
            for fake in _fake_items(item):
                if fake not in out:
                    out.append(fake)
        return out
    return value


def _fake_items(item: str) -> list[str]:
    for real in REAL_SERVICES:
        if f"services.{real}" in item:
            return [item.replace(f"services.{real}", f"services.{fake}") for fake in FAKE_SERVICES]
    return [item]


def _toml(config: dict) -> str:
    def render(value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return "[" + ", ".join(render(v) for v in value) + "]"
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return str(value)

    lines = ["[tool.importlinter]"]
    lines += [f"{k} = {render(v)}" for k, v in config.items() if k != "contracts"]
    for contract in config["contracts"]:
        lines.append("\n[[tool.importlinter.contracts]]")
        lines += [f"{k} = {render(_fake_value(v))}" for k, v in contract.items()]
    return "\n".join(lines) + "\n"


def _fake_platform(tmp_path: Path) -> Path:
    real = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (tmp_path / "pyproject.toml").write_text(_toml(real))
    files = {
        "services/__init__.py": "",
        "services/chassis/__init__.py": "",
        "services/chassis/statemachine.py": "import dataclasses\n",
        "services/chassis/clock.py": "import datetime\n",
        "services/chassis/web.py": "from . import clock\n",
        "gateway/__init__.py": "from services.chassis import web\n",
        "deploy/__init__.py": "from services.alpha import app\nfrom services.beta import app as b\n",
    }
    for service in FAKE_SERVICES:
        files[f"services/{service}/__init__.py"] = ""
        for name, text in TEMPLATE_FILES.items():
            files[f"services/{service}/{name}"] = text
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_the_contracts_pass_on_a_clean_tree_shaped_like_the_platform(tmp_path):
    tree = _fake_platform(tmp_path)
    result = _lint_imports(tree / "pyproject.toml", tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("contract", sorted(BAD_IMPORTS))
def test_a_bad_import_breaks_its_contract(tmp_path, contract):
    tree = _fake_platform(tmp_path)
    for file, line in (BAD_IMPORTS[contract], BAD_IMPORTS_EXTRA.get(contract, (None, ""))):
        if file:
            with (tree / file).open("a") as handle:
                handle.write(line)
    result = _lint_imports(tree / "pyproject.toml", tree)
    assert result.returncode != 0, result.stdout
    real = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    name = next(c["name"] for c in real if c["id"] == contract)
    assert f"{name} BROKEN" in " ".join(result.stdout.split()), result.stdout


# -- no import cycle among the project's modules ---------------------------------------------


def module_graph(root: Path) -> dict[str, set[str]]:
    """Every module of services/, gateway/ and deploy/ with the project modules it imports.

    All imports count: at the top, inside functions, and under `if TYPE_CHECKING:`.
    """
    modules: dict[str, Path] = {}
    for top in ("services", "gateway", "deploy"):
        for path in (root / top).rglob("*.py"):
            if "migrations" in path.parts and "versions" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if all(part.isidentifier() for part in parts):
                modules[".".join(parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                subs = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
                targets = subs if len(subs) == len(node.names) else [*subs, base]
            else:
                continue
            found.update(t for t in targets if t in modules and t != name)
        graph[name] = found
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components of size > 1 (each one an import cycle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_among_the_projects_modules():
    graph = module_graph(ROOT)
    assert len(graph) > 100
    assert strongly_connected(graph) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path):
    for name, text in {
        "services/__init__.py": "",
        "services/a.py": "from services import b\n",
        "services/b.py": "def f():\n    from . import c\n",
        "services/c.py": "import typing\nif typing.TYPE_CHECKING:\n    from services.a import x\n",
        "gateway/__init__.py": "",
        "deploy/__init__.py": "",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert strongly_connected(module_graph(tmp_path)) == [["services.a", "services.b", "services.c"]]
