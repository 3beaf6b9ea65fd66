"""deploy/k8s: rendered manifests validate offline and hold what district IT relies on."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from deploy import kustomize
from deploy.registry import SERVICES
from tests.support.environment import unavailable

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
DEPLOY = K8S.parent
KUBERNETES_VERSION = "1.30.0"
TARGETS = ["base", "overlays/dev", "overlays/prod"]


@pytest.fixture(scope="module", params=TARGETS)
def rendered(request) -> tuple[str, dict[tuple[str, str], dict]]:
    resources = kustomize.render(K8S / request.param)
    return request.param, {kustomize.key(r): r for r in resources}


def pods(resources: dict) -> dict[tuple[str, str], dict]:
    return {
        k: r["spec"]["template"]["spec"]
        for k, r in resources.items()
        if k[0] in ("Deployment", "StatefulSet", "Job")
    }


def platform(resources: dict) -> dict[tuple[str, str], dict]:
    """The platform's own pods (not the dev overlay's PostgreSQL, RabbitMQ, Redis)."""
    return {
        k: spec
        for k, spec in pods(resources).items()
        if resources[k]["metadata"]["labels"].get("app.kubernetes.io/component") != "infrastructure"
    }


def test_every_rendered_manifest_is_valid_kubernetes(rendered):
    _, resources = rendered
    for resource in resources.values():
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_validation_really_rejects_a_broken_manifest(rendered):
    _, resources = rendered
    broken = dict(resources[("Deployment", "gateway")])
    broken["spec"] = {**broken["spec"], "replicas": "two"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("target", TARGETS)
def test_our_renderer_agrees_with_kubectl_kustomize(target):
    if shutil.which("kubectl") is None:
        unavailable("kubectl is not installed")  # a failure in CI, which has it
    result = subprocess.run(
        ["kubectl", "kustomize", str(K8S / target)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    theirs = {kustomize.key(r): r for r in yaml.safe_load_all(result.stdout) if r}
    ours = {kustomize.key(r): r for r in kustomize.render(K8S / target)}
    assert ours == theirs


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_web_service_worker_and_migration_job(rendered, service):
    _, resources = rendered
    web = resources[("Deployment", f"{service}-web")]
    assert web["spec"]["template"]["spec"]["containers"][0]["args"] == ["web", service]
    svc = resources[("Service", service)]
    assert svc["spec"]["selector"] == web["spec"]["selector"]["matchLabels"]
    worker = resources[("Deployment", f"{service}-worker")]
    assert worker["spec"]["template"]["spec"]["containers"][0]["args"] == ["worker", service]
    job = resources[("Job", f"{service}-migrate")]
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate", service]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure"
    config = resources[("ConfigMap", "community-config")]["data"]
    assert config[f"{service.upper()}_URL"] == f"http://{service}:8000"


def test_web_processes_are_probed_on_healthz_and_readyz(rendered):
    _, resources = rendered
    names = ["gateway", *(f"{s}-web" for s in SERVICES)]
    for name in names:
        container = resources[("Deployment", name)]["spec"]["template"]["spec"]["containers"][0]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["startupProbe"]["httpGet"]["path"] == "/healthz"


def test_every_platform_container_is_non_root_read_only_with_limits_and_a_tmp(rendered):
    _, resources = rendered
    for name, spec in platform(resources).items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] != 0, name
        assert spec["automountServiceAccountToken"] is False, name
        tmp_volumes = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), name
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert mounts.get("/tmp") in tmp_volumes, name


def test_gateway_and_busiest_services_autoscale(rendered):
    _, resources = rendered
    scaled = {k[1]: r for k, r in resources.items() if k[0] == "HorizontalPodAutoscaler"}
    assert {"gateway", "intake-web", "grid-web"} <= set(scaled)
    for name, hpa in scaled.items():
        target = hpa["spec"]["scaleTargetRef"]
        assert ("Deployment", target["name"]) in resources and target["name"] == name
        assert hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]


def test_referenced_secret_keys_are_all_in_the_template(rendered):
    _, resources = rendered
    template = yaml.safe_load((K8S / "secret.template.yaml").read_text())
    kubernetes_validate.validate(template, KUBERNETES_VERSION, strict=True)
    keys = set(template["stringData"])
    for name, spec in pods(resources).items():
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] == "community-secrets" and ref["key"] in keys, (name, ref)
        for volume in spec.get("volumes", []):
            for item in volume.get("secret", {}).get("items", []):
                assert item["key"] in keys


def test_everything_lives_in_the_platforms_namespace(rendered):
    _, resources = rendered
    for (kind, name), resource in resources.items():
        if kind != "Namespace":
            assert resource["metadata"]["namespace"] == "community", (kind, name)


def test_prod_uses_quorum_queues_and_external_database_and_broker():
    resources = {kustomize.key(r): r for r in kustomize.render(K8S / "overlays/prod")}
    config = resources[("ConfigMap", "community-config")]["data"]
    assert config["EVENT_QUORUM_QUEUES"] == "true"
    assert config["COMMUNITY_ENV"] == "production"
    assert not [
        k
        for k, r in resources.items()
        if r["metadata"].get("labels", {}).get("app.kubernetes.io/component") == "infrastructure"
    ]
    assert all(("Deployment", f"{s}-worker") in resources for s in SERVICES)
    assert resources[("Deployment", "intake-worker")]["spec"]["replicas"] == 2
    assert resources[("HorizontalPodAutoscaler", "gateway")]["spec"]["maxReplicas"] == 20
    gateway = resources[("Deployment", "gateway")]["spec"]["template"]["spec"]
    assert gateway["topologySpreadConstraints"][0]["topologyKey"] == "kubernetes.io/hostname"
    assert gateway["containers"][0]["resources"]["limits"]["cpu"] == "2"
    assert gateway["containers"][0]["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert {k[1] for k in resources if k[0] == "PodDisruptionBudget"} == {
        "gateway",
        *(f"{s}-web" for s in SERVICES),
    }
    images = {c["image"] for spec in pods(resources).values() for c in spec["containers"]}
    assert images == {"community-platform:0.1.0"}


def test_dev_brings_its_own_database_broker_and_redis_from_the_deploy_files():
    resources = {kustomize.key(r): r for r in kustomize.render(K8S / "overlays/dev")}
    assert {("StatefulSet", "postgres"), ("StatefulSet", "rabbitmq"), ("Deployment", "redis")} <= set(
        resources
    )
    assert resources[("ConfigMap", "community-config")]["data"]["EVENT_QUORUM_QUEUES"] == "false"
    init = resources[("ConfigMap", "postgres-init")]["data"]["init-databases.sh"]
    assert init == (DEPLOY / "postgres" / "init-databases.sh").read_text()
    conf = resources[("ConfigMap", "rabbitmq-config")]["data"]["20-community.conf"]
    assert conf == (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text()
    rabbit = resources[("StatefulSet", "rabbitmq")]["spec"]["template"]["spec"]
    assert rabbit["initContainers"][0]["args"][:2] == ["community", "broker-definitions"]
    assert rabbit["initContainers"][0]["image"] == "community-platform:dev"
    assert resources[("Deployment", "gateway")]["spec"]["replicas"] == 1


# -- the renderer's own semantics -----------------------------------------------------


def write(folder: Path, files: dict[str, object]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else yaml.safe_dump(content))
    return folder


DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "app"},
    "spec": {
        "replicas": 3,
        "template": {
            "spec": {
                "containers": [
                    {"name": "web", "image": "repo/app:1", "env": [{"name": "A", "value": "1"}]},
                    {"name": "side", "image": "other:2"},
                ]
            }
        },
    },
}


def test_overlay_merges_config_patches_containers_by_name_and_sets_replicas_and_images(tmp_path):
    write(
        tmp_path / "base",
        {
            "kustomization.yaml": {
                "namespace": "ns",
                "resources": ["app.yaml"],
                "generatorOptions": {"disableNameSuffixHash": True},
                "configMapGenerator": [{"name": "cfg", "literals": ["A=1", "B=2"]}],
            },
            "app.yaml": DEPLOYMENT,
        },
    )
    write(
        tmp_path / "over",
        {
            "kustomization.yaml": {
                "resources": ["../base"],
                "configMapGenerator": [{"name": "cfg", "behavior": "merge", "literals": ["B=3"]}],
                "replicas": [{"name": "app", "count": 1}],
                "images": [{"name": "repo/app", "newName": "reg/app", "newTag": "9"}],
                "patches": [
                    {"path": "patch.yaml"},
                    {
                        "target": {"kind": "Deployment"},
                        "patch": "- op: add\n  path: /spec/paused\n  value: true\n",
                    },
                ],
            },
            "patch.yaml": {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "app"},
                "spec": {
                    "template": {
                        "spec": {"containers": [{"name": "web", "env": [{"name": "B", "value": "2"}]}]}
                    }
                },
            },
        },
    )
    resources = {kustomize.key(r): r for r in kustomize.render(tmp_path / "over")}
    assert resources[("ConfigMap", "cfg")]["data"] == {"A": "1", "B": "3"}
    app = resources[("Deployment", "app")]
    assert app["metadata"]["namespace"] == "ns" and app["spec"]["replicas"] == 1
    assert app["spec"]["paused"] is True
    web, side = app["spec"]["template"]["spec"]["containers"]
    assert web["image"] == "reg/app:9" and side["image"] == "other:2"
    assert web["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]


@pytest.mark.parametrize(
    "kustomization, message",
    [
        ({"resources": ["app.yaml"], "commonLabels": {"a": "b"}}, "unsupported fields"),
        ({"resources": ["app.yaml"], "configMapGenerator": [{"name": "c", "literals": ["A=1"]}]}, "suffix"),
        ({"resources": ["app.yaml"], "replicas": [{"name": "nope", "count": 1}]}, "no such"),
        ({"resources": ["app.yaml", "app.yaml"]}, "defined twice"),
        (
            {"resources": ["app.yaml"], "patches": [{"patch": "- op: add\n  path: /x\n  value: 1\n"}]},
            "needs a target",
        ),
    ],
)
def test_unsupported_or_wrong_kustomizations_are_refused(tmp_path, kustomization, message):
    write(tmp_path, {"kustomization.yaml": kustomization, "app.yaml": DEPLOYMENT})
    with pytest.raises(kustomize.KustomizeError, match=message):
        kustomize.render(tmp_path)
