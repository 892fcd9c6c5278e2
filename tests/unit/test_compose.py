"""docker-compose.yml and the Dockerfile: every stage runs, every command parses, no typos.

No Docker engine is needed: the files are read as data and checked against the code they
start (the CLI's parser, the stages, the settings). `docker compose config` runs too where
a compose client is installed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.cli import _parser
from shared.contracts import STAGES
from shared.secrets import PUBLIC_DEFAULTS
from shared.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
INFRA = ("rabbitmq", "mongo")
GATEWAY = "gateway"
# `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`...
_INTERPOLATED = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def compose() -> Doc:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), "docker-compose.yml is not a mapping"
    return loaded


@pytest.fixture(scope="module")
def services(compose: Doc) -> dict[str, Doc]:
    found = compose.get("services")
    assert isinstance(found, dict) and found, "docker-compose.yml has no services"
    return found


def command_of(service: Doc) -> list[str]:
    """A service's command as an argument list (the exec form; a string is split on spaces)."""
    command = service.get("command")
    if isinstance(command, str):
        return command.split()
    assert isinstance(command, list) and all(isinstance(arg, str) for arg in command), command
    return command


def parse(command: list[str]) -> argparse.Namespace:
    """`command` parsed by the `discovery` CLI; a test failure (not an exit) if it doesn't parse."""
    try:
        return _parser().parse_args(command)
    except SystemExit:
        pytest.fail(f"`discovery {' '.join(command)}` does not parse")


def worker_services(services: dict[str, Doc]) -> dict[str, Doc]:
    """The services whose command is `worker ...`, by name."""
    return {
        name: service
        for name, service in services.items()
        if "command" in service and command_of(service)[:1] == ["worker"]
    }


def environment_of(service: Doc) -> dict[str, str]:
    """A service's environment as a mapping (compose accepts a mapping or `KEY=value` items)."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(key): "" if value is None else str(value) for key, value in env.items()}


def dockerfile_instruction(name: str) -> list[str]:
    """The exec-form (JSON) arguments of the Dockerfile's last `name` instruction."""
    found = [
        line.split(None, 1)[1]
        for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()
        if line.split(None, 1)[:1] == [name] and len(line.split(None, 1)) == 2
    ]
    assert found, f"the Dockerfile has no {name}"
    value = json.loads(found[-1])
    assert isinstance(value, list), f"{name} must use the exec form (a JSON list)"
    return value


# -- the stages ------------------------------------------------------------------------


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_every_stage_has_a_worker_service(services: dict[str, Doc], stage: str) -> None:
    runs = [name for name, s in worker_services(services).items() if command_of(s)[:2] == ["worker", stage]]
    assert runs, f"no service runs `discovery worker {stage}`"


def test_every_worker_command_parses_with_the_cli(services: dict[str, Doc]) -> None:
    workers = worker_services(services)
    assert workers
    for name, service in workers.items():
        args = parse(command_of(service))
        assert args.command == "worker", name
        assert args.stage in STAGES, name
        assert args.processes >= 1 and args.threads >= 1, name


def test_each_stage_runs_under_its_own_name(services: dict[str, Doc]) -> None:
    """`docker compose up --scale translate=4` scales the translate stage, nothing else."""
    for name, service in worker_services(services).items():
        assert command_of(service)[1] == name, f"service {name!r} runs stage {command_of(service)[1]!r}"


def test_the_gateway_serves(services: dict[str, Doc]) -> None:
    gateway = services[GATEWAY]
    args = parse(command_of(gateway))
    assert args.command == "serve"
    port = SETTINGS["MAESTRO_PORT"][0]
    assert any(str(p).endswith(f":{port}") for p in gateway.get("ports", [])), gateway.get("ports")


def test_the_gateway_healthcheck_asks_healthz(services: dict[str, Doc]) -> None:
    test = services[GATEWAY]["healthcheck"]["test"]
    text = " ".join(test) if isinstance(test, list) else str(test)
    assert f"http://127.0.0.1:{SETTINGS['MAESTRO_PORT'][0]}/healthz" in text
    assert "urllib" in text


@pytest.mark.parametrize("field", ["container_name", "ports"])
def test_workers_can_be_scaled(services: dict[str, Doc], field: str) -> None:
    for name, service in worker_services(services).items():
        assert field not in service, f"worker {name!r} has {field}: it could not be scaled"


def test_workers_are_restarted(services: dict[str, Doc]) -> None:
    """A Dramatiq master exits when one of its processes is killed: something must restart it."""
    for name, service in worker_services(services).items():
        assert service.get("restart") == "unless-stopped", name


def test_discovery_services_share_one_image(services: dict[str, Doc]) -> None:
    ours = {GATEWAY, *worker_services(services)}
    images = {services[name].get("image") for name in ours}
    builds = {json.dumps(services[name].get("build"), sort_keys=True) for name in ours}
    assert len(images) == 1 and len(builds) == 1, (images, builds)
    assert services[GATEWAY].get("build") is not None


# -- the servers they need -------------------------------------------------------------


@pytest.mark.parametrize("name", INFRA)
def test_servers_have_healthchecks(services: dict[str, Doc], name: str) -> None:
    check = services[name].get("healthcheck") or {}
    assert check.get("test"), f"{name} has no healthcheck"
    assert not check.get("disable"), f"{name}'s healthcheck is disabled"


def test_rabbitmq_and_mongo_images(services: dict[str, Doc]) -> None:
    assert str(services["rabbitmq"]["image"]).startswith("rabbitmq:3-management")
    assert services["mongo"]["image"] == "mongo:7"
    assert any(str(v).endswith(":/data/db") for v in services["mongo"].get("volumes", []))


def test_mounted_files_exist(services: dict[str, Doc]) -> None:
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = str(volume).split(":", 1)[0]
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which does not exist"


@pytest.mark.parametrize("needs", INFRA)
def test_discovery_services_wait_for_healthy_servers(services: dict[str, Doc], needs: str) -> None:
    for name in [GATEWAY, *worker_services(services)]:
        depends = services[name].get("depends_on")
        assert isinstance(depends, dict), f"{name}: depends_on must name conditions"
        assert (depends.get(needs) or {}).get("condition") == "service_healthy", f"{name} -> {needs}"


# -- the environment -------------------------------------------------------------------


def test_every_maestro_variable_is_a_setting(compose: Doc, services: dict[str, Doc]) -> None:
    """A typo in a variable name would silently leave the default in force."""
    names: set[str] = set()
    for service in services.values():
        names.update(k for k in environment_of(service) if k.startswith("MAESTRO_"))
    names.update(_INTERPOLATED.findall(COMPOSE.read_text(encoding="utf-8")))
    maestro = {n for n in names if n.startswith("MAESTRO_")}
    assert maestro, "no MAESTRO_* variable in docker-compose.yml"
    assert sorted(maestro - set(SETTINGS)) == []


def test_discovery_services_reach_the_compose_servers(services: dict[str, Doc]) -> None:
    for name in [GATEWAY, *worker_services(services)]:
        env = environment_of(services[name])
        assert env.get("MAESTRO_BROKER_URL", "").startswith("amqp://guest:guest@rabbitmq:5672/"), name
        assert env.get("MAESTRO_MONGO_URI") == "mongodb://mongo:27017", name
        assert env.get("MAESTRO_LOG_FORMAT") == "json", name


SECRETS = ("MAESTRO_SECRETJWT", "MAESTRO_SECRETJWT_PRIVATE", "MAESTRO_NOAUTH", "MAESTRO_WEBSOCKET_SECRET")


@pytest.mark.parametrize("name", [GATEWAY, "api", "translate", "persist", "notify"])
def test_secrets_must_be_given(services: dict[str, Doc], name: str) -> None:
    """No secret falls back to Maestro's public default: compose stops with a message instead."""
    env = environment_of(services[name])
    for secret in SECRETS:
        value = env.get(secret, "")
        assert value.startswith(f"${{{secret}:?"), (name, secret, value)
        assert SETTINGS[secret][0] not in value, (name, secret)
    assert "MAESTRO_ALLOW_INSECURE_SECRETS" not in env, name
    for secret in SECRETS:
        assert secret in PUBLIC_DEFAULTS  # what the services refuse is what compose won't default to


def test_the_gateway_listens_in_its_container_and_is_published_on_loopback(
    services: dict[str, Doc],
) -> None:
    """`serve` binds 127.0.0.1 unless told: inside a container it must be told, explicitly."""
    gateway = services[GATEWAY]
    assert SETTINGS["MAESTRO_BIND_ADDRESS"][0] == "127.0.0.1"
    assert environment_of(gateway).get("MAESTRO_BIND_ADDRESS") == "0.0.0.0"
    assert parse(command_of(gateway)).host is None  # the setting decides, not a flag
    assert all(str(p).startswith("127.0.0.1:") for p in gateway.get("ports", [])), gateway.get("ports")
    for name in worker_services(services):
        assert "MAESTRO_BIND_ADDRESS" not in environment_of(services[name]), name


# -- metrics ---------------------------------------------------------------------------

PROMETHEUS = ROOT / "deploy" / "prometheus.yml"
DASHBOARD = ROOT / "deploy" / "grafana-dashboard.json"
MONITORING = ("prometheus", "grafana")
_METRIC = re.compile(r"\b((?:discovery|dramatiq)_[a-z_]+)")


def metrics_port_of(service: Doc) -> str:
    return environment_of(service).get("MAESTRO_METRICS_PORT") or SETTINGS["MAESTRO_METRICS_PORT"][0]


def test_workers_serve_metrics_to_the_compose_network(services: dict[str, Doc]) -> None:
    """Loopback (the default) would hide a worker's metrics from Prometheus's container."""
    for name, service in worker_services(services).items():
        env = environment_of(service)
        assert env.get("MAESTRO_METRICS_HOST") == "0.0.0.0", name
        port = metrics_port_of(service)
        assert port.isdigit() and int(port) > 0, (name, port)
        exposed = [str(p).split("/")[0] for p in service.get("expose", [])]
        assert port in exposed, (name, exposed)


def test_the_metrics_token_is_passed_through(services: dict[str, Doc]) -> None:
    env = environment_of(services[GATEWAY])
    assert env.get("MAESTRO_METRICS_TOKEN") == "${MAESTRO_METRICS_TOKEN:-}"


@pytest.mark.parametrize("name", MONITORING)
def test_monitoring_is_an_optional_profile_on_loopback(services: dict[str, Doc], name: str) -> None:
    service = services[name]
    assert service.get("profiles") == ["monitoring"], name
    assert all(str(p).startswith("127.0.0.1:") for p in service.get("ports", [])), service.get("ports")


def test_prometheus_scrapes_the_gateway_and_every_worker(services: dict[str, Doc]) -> None:
    config = yaml.safe_load(PROMETHEUS.read_text(encoding="utf-8"))
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    gateway = jobs[GATEWAY]
    assert gateway.get("metrics_path", "/metrics") == "/metrics"
    targets = [t for static in gateway["static_configs"] for t in static["targets"]]
    assert targets == [f"{GATEWAY}:{SETTINGS['MAESTRO_PORT'][0]}"]
    for name, service in worker_services(services).items():
        found = [(d["names"], d["port"]) for d in jobs[name]["dns_sd_configs"]]
        assert found == [([name], int(metrics_port_of(service)))], name
    mounted = [str(v) for v in services["prometheus"]["volumes"]]
    assert "./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in mounted


def exposed_metric_names() -> set[str]:
    """Every sample name the code exposes: the stages', the ledger's and Dramatiq's."""
    from dramatiq.middleware import prometheus as dramatiq_prometheus

    from shared import metrics, run_metrics

    names = {f"{c._name}_total" for c in vars(metrics).values() if type(c).__name__ == "Counter"}
    names |= {f"{run_metrics.PREFIX}{family}_total" for family in run_metrics.COUNTERS}
    names |= {f"{run_metrics.PREFIX}{run_metrics.DURATION}_{s}" for s in ("bucket", "sum", "count")}
    names.add(f"{run_metrics.PREFIX}runs_running")
    source = Path(dramatiq_prometheus.__file__).read_text(encoding="utf-8")
    for name in re.findall(r'"(dramatiq_[a-z_]+)"', source):
        histogram = "duration" in name  # Dramatiq's one histogram
        names |= {f"{name}_{s}" for s in ("bucket", "sum", "count")} if histogram else {name}
    return names


def test_the_dashboard_uses_only_metrics_the_code_exposes() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    exprs = [t["expr"] for p in panels for t in p["targets"]]
    used = {name for expr in exprs for name in _METRIC.findall(expr)}
    known = exposed_metric_names()
    assert len(known) > 15 and "discovery_runs_total" in known and "dramatiq_messages_total" in known
    assert sorted(used - known) == []
    # Every family of ours is on a panel.
    ours = {n for n in known if n.startswith("discovery_") and not n.endswith(("_sum", "_count"))}
    assert sorted(ours - used) == []
    assert all(p["datasource"]["uid"] == "${datasource}" for p in panels)


# -- the image -------------------------------------------------------------------------


def test_dockerfile_entrypoint_is_the_console_script() -> None:
    assert dockerfile_instruction("ENTRYPOINT") == ["discovery"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert "discovery" in scripts


def test_dockerfile_default_command_parses() -> None:
    assert parse(dockerfile_instruction("CMD")).command == "serve"


def test_dockerfile_runs_as_a_user_and_installs_no_extras() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    users = [line.split()[1] for line in text.splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0"), users
    assert "pip install" in text
    assert not re.search(r"pip install[^\n]*\[", text), "the image must not install extras"


# -- a compose client, where there is one ----------------------------------------------


def _compose_client() -> list[str] | None:
    """`docker compose` (plugin) or `docker-compose`, if one answers `version`."""
    candidates = []
    if shutil.which("docker"):
        candidates.append(["docker", "compose"])
    if shutil.which("docker-compose"):
        candidates.append(["docker-compose"])
    for client in candidates:
        probe = subprocess.run([*client, "version"], capture_output=True, text=True, timeout=60)
        if probe.returncode == 0:
            return client
    return None


def test_compose_config_is_valid() -> None:
    client = _compose_client()
    if client is None:
        pytest.skip("no compose client here (neither the `docker compose` plugin nor docker-compose)")
    result = subprocess.run(
        [*client, "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
