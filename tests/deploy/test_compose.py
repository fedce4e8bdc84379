"""docker-compose.yml and the Dockerfile agree with each other and with the nginx config.

No Docker daemon runs in the tests: these read the files and check the wiring that a typo
would break (a volume nginx does not see, a stage that does not exist).
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def mounts(service: dict) -> dict[str, str]:
    """Container path -> volume name."""
    return {m.split(":")[1]: m.split(":")[0] for m in service.get("volumes", [])}


def test_nginx_is_the_only_published_service_and_is_built_from_the_dockerfile_stage():
    services = compose()["services"]
    published = [name for name, service in services.items() if service.get("ports")]
    assert published == ["nginx"]
    assert services["nginx"]["build"]["target"] == "nginx"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM \S+ AS nginx$", dockerfile, re.MULTILINE)
    assert "COPY docker/nginx/default.conf /etc/nginx/conf.d/default.conf" in dockerfile
    # The application image stays the default (last) stage.
    assert dockerfile.rstrip().splitlines()[-1] == "FROM app AS runtime"


def test_nginx_reads_the_volumes_web_writes_uploads_and_protected_files_to():
    services = compose()["services"]
    web, nginx = services["web"], services["nginx"]
    environment = web["environment"]
    web_mounts, nginx_mounts = mounts(web), mounts(nginx)
    conf = (ROOT / "docker" / "nginx" / "default.conf").read_text()
    for setting, location in (
        ("MEDIA_ROOT", "/media/"),
        ("PROTECTED_MEDIA_ROOT", "/protected-files/"),
    ):
        volume = web_mounts[environment[setting]]
        alias = re.search(rf"location {location} \{{[^}}]*alias ([^;]+);", conf).group(1)
        assert nginx_mounts[alias.rstrip("/")] == volume, setting
    assert all(m.endswith(":ro") for m in nginx["volumes"])
    assert environment["PROTECTED_FILES_X_ACCEL"] == "true"
    assert environment["PROTECTED_FILES_X_ACCEL_PREFIX"] == "/protected-files/"


def test_nginx_proxies_to_the_web_service_port():
    conf = (ROOT / "docker" / "nginx" / "default.conf").read_text()
    assert "server web:8000;" in conf
    assert "8000" in compose()["services"]["web"]["expose"]
