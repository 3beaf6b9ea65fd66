"""Shenzhen writes Simplified Chinese (zh-Hans): no Traditional-only character in the reference
and demo data, the catalogue texts and templates the services seed, or the web UI's strings and
pages. The files are found by walking their directories, so what is added later is covered."""

from __future__ import annotations

import re
from pathlib import Path

import hanzidentifier

ROOT = Path(__file__).resolve().parents[2]
# Where the platform's own Chinese lives: reference and demo data (deploy/), what the services
# seed and return (services/), the UI's dictionaries, scripts and pages (gateway/).
WALKED = ["deploy", "services", "gateway/web", "gateway/static/web", "gateway/static/docs"]
SUFFIXES = {".py", ".json", ".js", ".html", ".yaml", ".yml", ".csv", ".md", ".mako", ".txt"}
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def traditional_only(text: str) -> list[str]:
    """The characters of text that only Traditional Chinese writes (区 passes, 區 does not)."""
    return [c for c in HAN.findall(text) if hanzidentifier.identify(c) == hanzidentifier.TRADITIONAL]


def walked_files() -> list[Path]:
    files = []
    for top in WALKED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                files.append(path)
    return files


def test_the_identifier_tells_traditional_from_simplified():
    assert traditional_only("花果山社區居民，1號窗口（專窗）") == ["區", "號", "專"]
    assert traditional_only("花果山社区居民，1号窗口（专窗）消防安全隐患 开课款 陈丽华") == []


def test_the_walk_covers_data_dictionaries_and_pages():
    names = {path.relative_to(ROOT).as_posix() for path in walked_files()}
    for expected in (
        "deploy/demo/cast.py",
        "deploy/demo/intake_reference.py",
        "deploy/identities.py",
        "gateway/static/web/i18n/zh-CN.json",
        "gateway/web/console/index.html",
        "services/intake/domain/holidays_cn.py",
    ):
        assert expected in names


def test_no_traditional_only_character_in_data_or_ui_strings():
    found = {}
    for path in walked_files():
        characters = traditional_only(path.read_text(encoding="utf-8"))
        if characters:
            found[path.relative_to(ROOT).as_posix()] = "".join(sorted(set(characters)))
    assert found == {}
