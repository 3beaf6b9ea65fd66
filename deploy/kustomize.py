"""A small renderer for the subset of kustomize that deploy/k8s uses.

No kustomize or kubectl comes from the registries this project installs from, so the
manifests are rendered here to be validated offline; where `kubectl` is installed the
tests check that it renders the same documents. Supported: `resources` (files and
directories), `namespace`, `configMapGenerator` (literals; behavior create, merge,
replace; requires `generatorOptions.disableNameSuffixHash: true`), `replicas`,
`images`, `patches` (strategic merge from a file or inline, JSON 6902 operations with a
`target`). Anything else is refused, never silently ignored.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

Resource = dict[str, Any]
SUPPORTED = {
    "apiVersion",
    "kind",
    "resources",
    "namespace",
    "configMapGenerator",
    "generatorOptions",
    "replicas",
    "images",
    "patches",
}
CLUSTER_SCOPED = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
}
MERGE_KEYS = {"volumeMounts": "mountPath", "ports": "containerPort"}  # else "name"
REPLICATED = {"Deployment", "StatefulSet", "ReplicaSet"}


class KustomizeError(ValueError):
    """The kustomization uses something this renderer does not support, or is wrong."""


def key(resource: Resource) -> tuple[str, str]:
    return resource["kind"], resource["metadata"]["name"]


def render(directory: Path) -> list[Resource]:
    """The resources the kustomization in `directory` produces."""
    directory = Path(directory)
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text()) or {}
    unknown = set(kustomization) - SUPPORTED
    if unknown:
        raise KustomizeError(f"{directory}: unsupported fields {sorted(unknown)}")
    resources: list[Resource] = []
    for entry in kustomization.get("resources", []):
        path = directory / entry
        resources.extend(render(path) if path.is_dir() else _load(path))
    _generate_config_maps(directory, kustomization, resources)
    for patch in kustomization.get("patches", []):
        _apply_patch(directory, patch, resources)
    for rule in kustomization.get("replicas", []):
        _set_replicas(resources, rule)
    for rule in kustomization.get("images", []):
        for resource in resources:
            _set_image(resource, rule)
    if "namespace" in kustomization:
        for resource in resources:
            if resource["kind"] not in CLUSTER_SCOPED:
                resource["metadata"]["namespace"] = kustomization["namespace"]
    seen: set[tuple[str, str]] = set()
    for resource in resources:
        if key(resource) in seen:
            raise KustomizeError(f"{directory}: {key(resource)} defined twice")
        seen.add(key(resource))
    return resources


def _load(path: Path) -> list[Resource]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _generate_config_maps(directory: Path, kustomization: dict[str, Any], resources: list[Resource]) -> None:
    generators = kustomization.get("configMapGenerator", [])
    if generators and not kustomization.get("generatorOptions", {}).get("disableNameSuffixHash"):
        if not _inherits_no_suffix(resources, generators):
            raise KustomizeError(f"{directory}: name suffix hashes are not supported")
    for generator in generators:
        if set(generator) - {"name", "behavior", "literals"}:
            raise KustomizeError(f"{directory}: only literals are supported in generators")
        data = dict(literal.split("=", 1) for literal in generator.get("literals", []))
        behavior = generator.get("behavior", "create")
        existing = next((r for r in resources if key(r) == ("ConfigMap", generator["name"])), None)
        if behavior == "create":
            if existing is not None:
                raise KustomizeError(f"ConfigMap {generator['name']} exists; use behavior merge")
            resources.append(
                {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": generator["name"]},
                    "data": data,
                }
            )
        elif existing is None:
            raise KustomizeError(f"ConfigMap {generator['name']} to {behavior} does not exist")
        elif behavior == "merge":
            existing.setdefault("data", {}).update(data)
        elif behavior == "replace":
            existing["data"] = data
        else:
            raise KustomizeError(f"unknown generator behavior {behavior!r}")


def _inherits_no_suffix(resources: list[Resource], generators: list[dict[str, Any]]) -> bool:
    """Merging into a map the base generated without a suffix keeps it without one."""
    return all(
        g.get("behavior") in ("merge", "replace")
        and any(key(r) == ("ConfigMap", g["name"]) for r in resources)
        for g in generators
    )


def _targets(resources: Iterable[Resource], target: dict[str, Any]) -> list[Resource]:
    unknown = set(target) - {"kind", "name"}
    if unknown:
        raise KustomizeError(f"unsupported patch target fields {sorted(unknown)}")
    return [
        r
        for r in resources
        if r["kind"] == target.get("kind", r["kind"])
        and r["metadata"]["name"] == target.get("name", r["metadata"]["name"])
    ]


def _apply_patch(directory: Path, patch: dict[str, Any], resources: list[Resource]) -> None:
    body = yaml.safe_load((directory / patch["path"]).read_text() if "path" in patch else patch["patch"])
    if isinstance(body, list):
        if "target" not in patch:
            raise KustomizeError("a JSON 6902 patch needs a target")
        matched = _targets(resources, patch["target"])
        if not matched:
            raise KustomizeError(f"patch target {patch['target']} matches nothing")
        for resource in matched:
            for operation in body:
                _json6902(resource, operation)
        return
    matched = _targets(
        resources, patch.get("target") or {"kind": body["kind"], "name": body["metadata"]["name"]}
    )
    if not matched:
        raise KustomizeError(f"patch for {key(body)} matches nothing")
    for resource in matched:
        merged = strategic_merge(resource, body)
        resource.clear()
        resource.update(merged)


def strategic_merge(original: Any, patch: Any, field: str = "") -> Any:
    """Maps merge key by key (null deletes); lists of named maps merge by their merge key."""
    if isinstance(original, dict) and isinstance(patch, dict):
        result = copy.deepcopy(original)
        for name, value in patch.items():
            if value is None:
                result.pop(name, None)
            elif name in result:
                result[name] = strategic_merge(result[name], value, name)
            else:
                result[name] = copy.deepcopy(value)
        return result
    merge_key = MERGE_KEYS.get(field, "name")
    if (
        isinstance(original, list)
        and isinstance(patch, list)
        and original
        and patch
        and all(isinstance(i, dict) and merge_key in i for i in [*original, *patch])
    ):
        result = copy.deepcopy(original)
        for item in patch:
            match = next((r for r in result if r[merge_key] == item[merge_key]), None)
            if match is None:
                result.append(copy.deepcopy(item))
            else:
                result[result.index(match)] = strategic_merge(match, item)
        return result
    return copy.deepcopy(patch)


def _json6902(resource: Resource, operation: dict[str, Any]) -> None:
    op, path = operation["op"], operation["path"]
    if op not in ("add", "replace", "remove"):
        raise KustomizeError(f"unsupported JSON patch operation {op!r}")
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.lstrip("/").split("/")]
    parent: Any = resource
    for part in parts[:-1]:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    last = parts[-1]
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        if op == "add":
            parent.insert(index, copy.deepcopy(operation["value"]))
        elif op == "replace":
            parent[index] = copy.deepcopy(operation["value"])
        else:
            del parent[index]
    elif op == "remove":
        del parent[last]
    else:
        if op == "replace" and last not in parent:
            raise KustomizeError(f"replace at {path}: nothing there")
        parent[last] = copy.deepcopy(operation["value"])


def _set_replicas(resources: list[Resource], rule: dict[str, Any]) -> None:
    matched = [r for r in resources if r["metadata"]["name"] == rule["name"] and r["kind"] in REPLICATED]
    if not matched:
        raise KustomizeError(f"replicas for {rule['name']}: no such workload")
    for resource in matched:
        resource["spec"]["replicas"] = rule["count"]


def _containers(resource: Resource) -> list[dict[str, Any]]:
    template = resource.get("spec", {}).get("template", {})
    if resource["kind"] == "CronJob":
        template = resource["spec"]["jobTemplate"]["spec"]["template"]
    spec = template.get("spec", {})
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def _set_image(resource: Resource, rule: dict[str, Any]) -> None:
    for container in _containers(resource):
        image = container.get("image", "")
        name, tag = _split_image(image)
        if name != rule["name"]:
            continue
        name = rule.get("newName", name)
        tag = str(rule["newTag"]) if "newTag" in rule else tag
        container["image"] = f"{name}:{tag}" if tag else name


def _split_image(image: str) -> tuple[str, str]:
    slash = image.rfind("/")
    colon = image.rfind(":")
    return (image[:colon], image[colon + 1 :]) if colon > slash else (image, "")
