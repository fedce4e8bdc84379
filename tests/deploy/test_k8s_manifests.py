"""The Kubernetes manifests (deploy/k8s) render, are valid, and keep the project's policies.

Offline and fast: `kubectl kustomize` renders each overlay, the built-in kinds are checked
against the Kubernetes schemas that kubernetes-validate ships, the custom resources against
the schemas in crd-schemas/, and the policies below are read from the rendered objects.
`make k8s-tools` (a prerequisite of `make test`) provides kubectl.
"""

import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
CRD_SCHEMAS = Path(__file__).parent / "crd-schemas"
KUBERNETES_VERSION = "1.32.0"
OVERLAYS = ["staging", "production", "production-keda"]
WORKLOADS = {"Deployment", "Job", "StatefulSet", "DaemonSet"}
# Secrets the manifests may reference: created by hand (dataschool-env,
# dataschool-backup-s3) or by the CloudNativePG operator (dataschool-db-app); never rendered.
EXTERNAL_SECRETS = {"dataschool-env", "dataschool-backup-s3", "dataschool-db-app"}


@cache
def render(overlay: str) -> tuple[dict, ...]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail("kubectl is missing: run `make k8s-tools` (installs kubernetes-client)")
    result = subprocess.run(  # noqa: S603
        [kubectl, "kustomize", str(K8S / "overlays" / overlay)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def objects(overlay: str, kind: str) -> list[dict]:
    return [doc for doc in render(overlay) if doc["kind"] == kind]


def named(overlay: str, kind: str, name: str) -> dict:
    [found] = [doc for doc in objects(overlay, kind) if doc["metadata"]["name"] == name]
    return found


def pod_specs(overlay: str):
    for doc in render(overlay):
        if doc["kind"] in WORKLOADS:
            yield doc["metadata"]["name"], doc["spec"]["template"]


def containers(pod_spec: dict) -> list[dict]:
    return pod_spec.get("initContainers", []) + pod_spec["containers"]


def config_value(overlay: str, key: str) -> str:
    [config] = [
        doc["data"]
        for doc in objects(overlay, "ConfigMap")
        if doc["metadata"]["name"].startswith("dataschool-config")
    ]
    return config[key]


@cache
def validate_once(text: str) -> None:
    """The overlays share most objects: validate each distinct one once per run."""
    validate(json.loads(text))


def validate(doc: dict) -> None:
    try:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.SchemaNotFoundError:
        group_version = doc["apiVersion"].replace("/", "_")
        schema_file = CRD_SCHEMAS / f"{group_version}_{doc['kind']}.json"
        assert schema_file.exists(), f"no schema for {doc['kind']}: add {schema_file.name}"
        jsonschema.validate(doc, json.loads(schema_file.read_text()))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_rendered_object_is_valid_against_its_schema(overlay):
    for doc in render(overlay):
        validate_once(json.dumps(doc, sort_keys=True))


def test_the_schema_check_rejects_a_misplaced_field():
    deployment = json.loads(json.dumps(named("staging", "Deployment", "dataschool-web")))
    deployment["spec"]["template"]["spec"]["containers"][0]["readOnlyRootFilesystem"] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(deployment)
    cluster = json.loads(json.dumps(named("staging", "Cluster", "dataschool-db")))
    cluster["spec"]["backup"]["barmanObjectStor"] = cluster["spec"]["backup"].pop(
        "barmanObjectStore"
    )
    with pytest.raises(jsonschema.ValidationError):
        validate(cluster)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_has_cpu_and_memory_requests_and_limits(overlay):
    for workload, template in pod_specs(overlay):
        for container in containers(template["spec"]):
            resources = container.get("resources", {})
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources.get(bound, {})), (
                    f"{workload}/{container['name']} lacks {bound}"
                )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_runs_unprivileged_on_a_read_only_root(overlay):
    for workload, template in pod_specs(overlay):
        pod = template["spec"].get("securityContext", {})
        assert pod.get("runAsNonRoot") is True, workload
        assert pod.get("seccompProfile", {}).get("type") == "RuntimeDefault", workload
        for container in containers(template["spec"]):
            where = f"{workload}/{container['name']}"
            security = container.get("securityContext", {})
            assert security.get("runAsNonRoot", True) is True, where
            assert security.get("runAsUser", pod.get("runAsUser")) not in (None, 0), where
            assert security.get("readOnlyRootFilesystem") is True, where
            assert security.get("allowPrivilegeEscalation") is False, where
            assert security.get("capabilities", {}).get("drop") == ["ALL"], where
            assert "privileged" not in security, where


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_writable_paths_are_empty_dirs_or_the_shared_volume(overlay):
    for workload, template in pod_specs(overlay):
        volumes = {volume["name"]: volume for volume in template["spec"].get("volumes", [])}
        for container in containers(template["spec"]):
            for mount in container.get("volumeMounts", []):
                assert mount["name"] in volumes, f"{workload}: no volume {mount['name']}"
        # Python (uploads) and nginx (buffers, pid) write to /tmp: a read-only root needs one.
        for container in template["spec"]["containers"]:
            mounted = {mount["mountPath"] for mount in container.get("volumeMounts", [])}
            if container["image"].startswith(("ghcr.io/example/dataschool", "nginxinc/")):
                assert "/tmp" in mounted, f"{workload}/{container['name']} has no /tmp"
        tmp_volumes = [volumes[name] for name in volumes if "tmp" in name]
        assert all("emptyDir" in volume for volume in tmp_volumes), workload


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_web_probes_startup_readiness_and_liveness_with_an_allowed_host(overlay):
    web = named(overlay, "Deployment", "dataschool-web")
    allowed_hosts = config_value(overlay, "ALLOWED_HOSTS").split(",")
    for container in web["spec"]["template"]["spec"]["containers"]:
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert probe in container, f"{container['name']} has no {probe}"
    [gunicorn] = [c for c in web["spec"]["template"]["spec"]["containers"] if c["name"] == "web"]
    assert gunicorn["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert gunicorn["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert gunicorn["startupProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        headers = {h["name"]: h["value"] for h in gunicorn[probe]["httpGet"]["httpHeaders"]}
        # Django answers 400 to a Host outside ALLOWED_HOSTS, which would fail the probe.
        assert headers["Host"] in allowed_hosts, probe


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_no_secret_with_data_is_rendered(overlay):
    for doc in objects(overlay, "Secret"):
        assert not doc.get("data") and not doc.get("stringData"), doc["metadata"]["name"]


def test_the_example_secret_is_in_no_kustomization():
    assert (K8S / "secret.example.yaml").exists()
    for kustomization in K8S.rglob("kustomization.yaml"):
        assert "secret.example" not in kustomization.read_text(), kustomization


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_referenced_config_maps_exist_and_secrets_are_the_documented_ones(overlay):
    config_maps = {doc["metadata"]["name"] for doc in objects(overlay, "ConfigMap")}
    for workload, template in pod_specs(overlay):
        spec = template["spec"]
        references = [
            ref
            for container in containers(spec)
            for source in container.get("envFrom", [])
            for ref in source.values()
        ] + [
            env["valueFrom"]["secretKeyRef"]
            for container in containers(spec)
            for env in container.get("env", [])
            if "secretKeyRef" in env.get("valueFrom", {})
        ]
        config_refs = [v["configMap"]["name"] for v in spec.get("volumes", []) if "configMap" in v]
        for ref in references:
            assert ref["name"] in config_maps | EXTERNAL_SECRETS, f"{workload}: {ref['name']}"
        assert set(config_refs) <= config_maps, workload


def _selects(selector: dict, labels: dict) -> bool:
    return selector and all(labels.get(k) == v for k, v in selector.items())


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_autoscalers_and_disruption_budgets_target_existing_deployments(overlay):
    deployments = {doc["metadata"]["name"]: doc for doc in objects(overlay, "Deployment")}
    for deployment in deployments.values():
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert _selects(deployment["spec"]["selector"]["matchLabels"], pod_labels)
    scaled = [
        doc["spec"]["scaleTargetRef"]["name"]
        for doc in objects(overlay, "HorizontalPodAutoscaler") + objects(overlay, "ScaledObject")
    ]
    assert scaled, "no autoscaler"
    assert set(scaled) <= set(deployments)
    assert len(scaled) == len(set(scaled)), "two autoscalers drive one Deployment"
    assert "dataschool-web" in scaled
    for hpa in objects(overlay, "HorizontalPodAutoscaler"):
        assert hpa["apiVersion"] == "autoscaling/v2"
    budgets = objects(overlay, "PodDisruptionBudget")
    assert {"dataschool-web", "dataschool-worker"} <= {b["metadata"]["name"] for b in budgets}
    for budget in budgets:
        selector = budget["spec"]["selector"]["matchLabels"]
        assert any(
            _selects(selector, d["spec"]["template"]["metadata"]["labels"])
            for d in deployments.values()
        ), budget["metadata"]["name"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_autoscaled_deployments_leave_the_replica_count_to_the_autoscaler(overlay):
    # A replicas field would be re-applied on every deploy, undoing the autoscaler's count.
    scaled = {
        doc["spec"]["scaleTargetRef"]["name"]
        for doc in objects(overlay, "HorizontalPodAutoscaler") + objects(overlay, "ScaledObject")
    }
    for name in scaled:
        assert "replicas" not in named(overlay, "Deployment", name)["spec"], name


def test_keda_replaces_the_cpu_autoscaler_of_the_worker():
    assert named("production", "HorizontalPodAutoscaler", "dataschool-worker")
    hpas = objects("production-keda", "HorizontalPodAutoscaler")
    assert [hpa["metadata"]["name"] for hpa in hpas] == ["dataschool-web"]
    [scaled_object] = objects("production-keda", "ScaledObject")
    assert scaled_object["spec"]["scaleTargetRef"]["name"] == "dataschool-worker"
    assert scaled_object["spec"]["triggers"][0]["metadata"]["listName"] == "celery"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_beat_runs_alone_and_is_replaced_not_rolled(overlay):
    beat = named(overlay, "Deployment", "dataschool-beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    targets = {
        d["spec"]["scaleTargetRef"]["name"] for d in objects(overlay, "HorizontalPodAutoscaler")
    }
    assert "dataschool-beat" not in targets


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_migrate_job_is_named_after_the_image_tag(overlay):
    [job] = objects(overlay, "Job")
    image = job["spec"]["template"]["spec"]["containers"][0]["image"]
    tag = image.rsplit(":", 1)[1]
    assert job["metadata"]["name"] == f"dataschool-migrate-{tag}"
    assert re.fullmatch(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?", job["metadata"]["name"])
    web = named(overlay, "Deployment", "dataschool-web")
    images = {c["image"] for c in containers(web["spec"]["template"]["spec"])}
    assert image in images, "the Job migrates for another release than web runs"
    # Its pod template is immutable: nothing in it may be named by a content hash (the
    # generated ConfigMaps), or a config change under the same tag would break the apply.
    hashed = {doc["metadata"]["name"] for doc in objects(overlay, "ConfigMap")}
    assert not [name for name in hashed if name in json.dumps(job["spec"])]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_postgres_has_a_replica_and_archives_to_object_storage(overlay):
    cluster = named(overlay, "Cluster", "dataschool-db")
    assert cluster["spec"]["instances"] >= 2
    store = cluster["spec"]["backup"]["barmanObjectStore"]
    assert store["destinationPath"].startswith("s3://")
    assert store["s3Credentials"]["secretAccessKey"]["name"] in EXTERNAL_SECRETS
    assert named(overlay, "ScheduledBackup", "dataschool-db-nightly")


def test_production_reaches_redis_as_an_external_service():
    redis = named("production", "Service", "redis")
    assert redis["spec"]["type"] == "ExternalName"
    assert not [d for d in objects("production", "Deployment") if "redis" in d["metadata"]["name"]]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_traffic_is_denied_unless_a_network_policy_allows_it(overlay):
    policies = {doc["metadata"]["name"]: doc for doc in objects(overlay, "NetworkPolicy")}
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {}
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny
    [namespace] = objects(overlay, "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_ingress_asks_cert_manager_for_tls_on_the_allowed_host(overlay):
    [ingress] = objects(overlay, "Ingress")
    assert ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"]
    [rule] = ingress["spec"]["rules"]
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
    assert rule["host"] in config_value(overlay, "ALLOWED_HOSTS").split(",")


@pytest.mark.parametrize(
    "conf", [K8S / "base" / "nginx" / "default.conf", ROOT / "docker" / "nginx" / "default.conf"]
)
def test_nginx_sends_protected_files_only_on_an_accel_redirect(conf):
    text = conf.read_text()
    location = re.search(r"location /protected-files/ \{(.*?)\}", text, re.DOTALL)
    assert location, "no /protected-files/ location"
    assert re.search(r"^\s*internal;", location.group(1), re.MULTILINE)
    assert re.search(r"location /static/ \{", text)
