"""The nginx configuration `make cluster` renders is valid and keeps its promises."""

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")


@pytest.fixture
def rendered(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "deploy" / "cluster"))
    try:
        spec = importlib.util.spec_from_file_location("cluster_run", ROOT / "deploy/cluster/run.py")
        run = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(run)
    finally:
        sys.path.remove(str(ROOT / "deploy" / "cluster"))
    monkeypatch.setattr(run.cluster, "VAR", tmp_path)
    monkeypatch.setenv("PROTECTED_MEDIA_ROOT", str(tmp_path / "protected"))
    run.render_nginx()
    return tmp_path / "nginx"


def test_the_config_sends_static_files_itself_and_retries_only_idempotent_requests(rendered):
    conf = (rendered / "nginx.conf").read_text()
    proxy = (rendered / "proxy_params.conf").read_text()

    assert "location /static/" in conf and "brotli_static on;" in conf
    assert "public, max-age=31536000, immutable" in conf
    protected = re.search(r"location /protected-files/ \{\s*internal;\s*alias (\S+);", conf)
    assert protected and protected.group(1) == f"{rendered.parent}/protected/"
    assert "max_fails=2 fail_timeout=5s" in conf
    assert "proxy_next_upstream error timeout http_502 http_503;" in proxy
    directives = [line for line in proxy.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in directives if "non_idempotent" in line]
    assert not re.findall(r"@[A-Z_]+@", conf.replace("@NAME@", ""))  # every placeholder filled


@pytest.mark.skipif(not shutil.which("nginx") or not BROTLI.exists(), reason="needs make nginx")
def test_nginx_accepts_the_config(rendered):
    result = subprocess.run(  # noqa: S603 (fixed argument list)
        ["nginx", "-t", "-p", str(rendered), "-c", str(rendered / "nginx.conf"), "-e", "stderr"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
