"""Settings: read once from the environment, typed, with Maestro's names and defaults.

Every variable is listed in `SETTINGS` with its default and meaning; the table of
docs/configuration.md is checked against it by a test, so the two cannot drift.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from shared.errors import ConfigurationError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# name -> (default, help). Order is docs/configuration.md's order.
SETTINGS: dict[str, tuple[str, str]] = {
    "MAESTRO_PORT": ("5000", "Port of the HTTP gateway (`discovery serve`)."),
    "MAESTRO_BIND_ADDRESS": (
        "127.0.0.1",
        "Address the gateway binds (`discovery serve`); `0.0.0.0` to listen on every interface.",
    ),
    "MAESTRO_GATEWAY_THREADS": ("8", "waitress threads of the gateway."),
    "MAESTRO_MONGO_URI": ("mongodb://localhost:27017", "MongoDB server holding Maestro's inventory."),
    "MAESTRO_MONGO_DATABASE": ("maestro-client", "Maestro's inventory database."),
    "MAESTRO_DISCOVERY_DATABASE": (
        "maestro-discovery",
        "Discovery's own database: runs, units, pages and what each page wrote.",
    ),
    "MAESTRO_BROKER_URL": (
        "amqp://guest:guest@localhost:5672/%2F",
        "RabbitMQ URL; `stub://` selects the in-process broker (embedded mode and unit tests).",
    ),
    "MAESTRO_AUDIT_URI": ("http://localhost:10900", "Maestro's Audit app."),
    "MAESTRO_WEBSOCKET_URI": ("http://localhost:8000", "Maestro's websocket app (Centrifugo API)."),
    "MAESTRO_WEBSOCKET_SECRET": ("wsSecretKey", "Centrifugo API key (`Authorization: apikey ...`)."),
    "MAESTRO_SERVER_URI": (
        "http://localhost:8888",
        "Maestro's server-app: where `upload_*` connections' files are read (`/users/upload/file`).",
    ),
    "MAESTRO_SECRETJWT": (
        "defaultSecretKey",
        "HS256 key of Maestro's user tokens and of the credentials stored in `connections.conn`.",
    ),
    "MAESTRO_SECRETJWT_PRIVATE": (
        "defaultSecretKeyPrivate",
        "HS256 key of Maestro's service-to-service tokens (inbound and outbound).",
    ),
    "MAESTRO_NOAUTH": ("defaultSecretNoAuthToken", "Value required in the `noauth` claim of private tokens."),
    "MAESTRO_ALLOW_INSECURE_SECRETS": (
        "0",
        "1: start although a secret is one of Maestro's public defaults or a key is shorter than "
        "32 bytes (demos and tests only).",
    ),
    "MAESTRO_SCAN_QTD": ("200", "Items asked per provider page (EC2 accepts 5-1000)."),
    "MAESTRO_HTTP_TIMEOUT": ("10", "Seconds before a call to the Audit or websocket app gives up."),
    "MAESTRO_PROVIDER_TIMEOUT": ("30", "Connect/read timeout, in seconds, of provider API calls."),
    "MAESTRO_PROVIDER_MAX_ATTEMPTS": (
        "8",
        "Attempts per provider call inside botocore (adaptive mode) before the stage's own retry.",
    ),
    "MAESTRO_EGRESS_ALLOW": (
        "",
        "Comma-separated CIDRs that provider calls may reach although they are loopback, private, "
        "link-local or otherwise not public (`10.20.0.0/16,fd00:1::/64`); empty: public addresses only.",
    ),
    "MAESTRO_CHECK_TIMEOUT": (
        "60",
        "Seconds a connection check (`/v1/connections/{id}/check`) may take before it answers 504.",
    ),
    "MAESTRO_LIBCLOUD_ENDPOINT": (
        "",
        "Base URL (scheme://host:port) every libcloud driver calls instead of its provider's host: "
        "a private endpoint or proxy; empty: the provider's own.",
    ),
    "MAESTRO_PROVIDER_CONCURRENCY": (
        "4",
        "Calls at a time to one (account, region, service), across every worker; 0: no limit.",
    ),
    "MAESTRO_AWS_CLIENTS": (
        "256",
        "boto3 clients an api worker process keeps for reuse, one per (connection, region, service) "
        "(about 0.15 MB each; a service's clients share one class and model); the least recently "
        "used goes first.",
    ),
    "MAESTRO_STAGE_MAX_RETRIES": (
        "5",
        "Dramatiq retries of a failed message before it is dead-lettered and its unit failed.",
    ),
    "MAESTRO_STAGE_DB_RETRIES": (
        "30",
        "Further retries of a message that failed because MongoDB was unreachable: a database "
        "outage is waited out (each retry waits up to the longest backoff) before the unit fails.",
    ),
    "MAESTRO_STAGE_MIN_BACKOFF_MS": ("1000", "First retry delay of a failed message (doubles each time)."),
    "MAESTRO_STAGE_MAX_BACKOFF_MS": ("60000", "Longest retry delay of a failed message."),
    "MAESTRO_STAGE_TIME_LIMIT_MS": ("300000", "Time limit of one message in any stage."),
    "MAESTRO_NOTIFY_MAX_RETRIES": (
        "6",
        "Retries of an Audit or websocket delivery before the failure is recorded on the run.",
    ),
    "MAESTRO_AUDIT_CHECKPOINT_MS": (
        "1000",
        "How often notify saves a page's Audit progress while sending it (also on any failure and "
        "at the page's end); 0: after every call. A worker killed outright re-sends at most the "
        "calls since the last save.",
    ),
    "MAESTRO_IMPORT_MAX_BYTES": (
        "52428800",
        "Largest file an import reads or the gateway accepts as an upload (bytes; 50 MiB).",
    ),
    "MAESTRO_IMPORT_MAX_ROWS": (
        "200000",
        "Most items (rows, array elements, resources) one import file may hold.",
    ),
    "MAESTRO_IMPORT_MAX_DEPTH": (
        "32",
        "Deepest nesting of arrays and objects an import file's JSON may have.",
    ),
    "MAESTRO_UPLOAD_QUOTA_BYTES": (
        "524288000",
        "Bytes of uploads one user (or Maestro's private token) may keep at a time (500 MiB).",
    ),
    "MAESTRO_UPLOAD_QUOTA_FILES": (
        "200",
        "Uploads one user (or Maestro's private token) may keep at a time.",
    ),
    "MAESTRO_UPLOAD_TTL_SECONDS": (
        "2592000",
        "Seconds an upload is kept (30 days); an expired upload is deleted and no import reads it.",
    ),
    "MAESTRO_SSH_KNOWN_HOSTS": (
        "",
        "An OpenSSH known_hosts file with the host keys of `ssh_*` connections that pin none "
        "(`host_key`); empty: only pinned keys are trusted.",
    ),
    "MAESTRO_METRICS_HOST": (
        "127.0.0.1",
        "Address a stage worker's Prometheus metrics server binds (`0.0.0.0` to be scraped from "
        "another host or container).",
    ),
    "MAESTRO_METRICS_PORT": (
        "9191",
        "Port of a stage worker's Prometheus metrics server (`GET /metrics`); 0: no metrics server.",
    ),
    "MAESTRO_METRICS_TOKEN": (
        "",
        "Bearer token the gateway's `GET /metrics` requires (`Authorization: Bearer ...`); empty: no token.",
    ),
    "MAESTRO_LOG_LEVEL": ("INFO", "Log level: DEBUG, INFO, WARNING, ERROR."),
    "MAESTRO_LOG_FORMAT": ("auto", "`json`, `console`, or `auto` (console on a terminal, JSON otherwise)."),
}


def _int(env: Mapping[str, str], name: str, minimum: int = 0) -> int:
    raw = env.get(name, SETTINGS[name][0])
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {value}")
    return value


def _port(env: Mapping[str, str], name: str) -> int:
    value = _int(env, name)
    if value > 65535:
        raise ConfigurationError(f"{name} must be at most 65535, got {value}")
    return value


def _str(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, SETTINGS[name][0]).strip()
    if not value:
        raise ConfigurationError(f"{name} must not be empty")
    return value


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, SETTINGS[name][0]).strip().lower()
    if raw in ("1", "true", "yes"):
        return True
    if raw in ("", "0", "false", "no"):
        return False
    raise ConfigurationError(f"{name} must be 0 or 1, got {raw!r}")


def parse_networks(text: str) -> tuple[Network, ...]:
    """A comma-separated CIDR list (`10.0.0.0/8, fd00::/8`) as networks; ValueError if one is bad."""
    networks = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not a CIDR network (such as 10.20.0.0/16)") from None
    return tuple(networks)


def _networks(env: Mapping[str, str], name: str) -> tuple[Network, ...]:
    try:
        return parse_networks(env.get(name, SETTINGS[name][0]))
    except ValueError as exc:
        raise ConfigurationError(f"{name}: {exc}") from None


def _optional_str(env: Mapping[str, str], name: str) -> str:
    return env.get(name, SETTINGS[name][0]).strip()


def _known_hosts(env: Mapping[str, str]) -> str:
    path = _optional_str(env, "MAESTRO_SSH_KNOWN_HOSTS")
    if path and not os.path.isfile(path):
        raise ConfigurationError(f"MAESTRO_SSH_KNOWN_HOSTS names no file: {path!r}")
    return path


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
BROKER_SCHEMES = ("amqp", "amqps", "stub")


def _without_password(url: str) -> str:
    """`url` with its password (if any) replaced, for error messages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


@dataclass(frozen=True)
class Settings:
    """One process's configuration."""

    port: int
    bind_address: str
    gateway_threads: int
    mongo_uri: str
    mongo_database: str
    discovery_database: str
    broker_url: str
    audit_uri: str
    websocket_uri: str
    websocket_secret: str
    server_uri: str
    secret_jwt: str
    secret_jwt_private: str
    noauth: str
    allow_insecure_secrets: bool
    scan_qtd: int
    http_timeout: int
    provider_timeout: int
    provider_max_attempts: int
    provider_concurrency: int
    aws_clients: int
    egress_allow: tuple[Network, ...]
    check_timeout: int
    libcloud_endpoint: str
    stage_max_retries: int
    stage_db_retries: int
    stage_min_backoff_ms: int
    stage_max_backoff_ms: int
    stage_time_limit_ms: int
    notify_max_retries: int
    audit_checkpoint_ms: int
    import_max_bytes: int
    import_max_rows: int
    import_max_depth: int
    upload_quota_bytes: int
    upload_quota_files: int
    upload_ttl_seconds: int
    ssh_known_hosts: str
    metrics_host: str
    metrics_port: int
    metrics_token: str
    log_level: str
    log_format: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from `env` (the process environment by default)."""
        env = os.environ if env is None else env
        log_format = _str(env, "MAESTRO_LOG_FORMAT").lower()
        if log_format not in ("auto", "json", "console"):
            raise ConfigurationError(f"MAESTRO_LOG_FORMAT must be auto, json or console, got {log_format!r}")
        log_level = _str(env, "MAESTRO_LOG_LEVEL").upper()
        if log_level not in LOG_LEVELS:
            raise ConfigurationError(
                f"MAESTRO_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}"
            )
        broker_url = _str(env, "MAESTRO_BROKER_URL")
        if urlsplit(broker_url).scheme not in BROKER_SCHEMES:
            raise ConfigurationError(
                "MAESTRO_BROKER_URL must start with amqp://, amqps:// or stub://, "
                f"got {_without_password(broker_url)!r}"
            )
        scan_qtd = _int(env, "MAESTRO_SCAN_QTD", minimum=5)
        if scan_qtd > 1000:
            raise ConfigurationError(f"MAESTRO_SCAN_QTD must be at most 1000, got {scan_qtd}")
        return cls(
            port=_int(env, "MAESTRO_PORT", minimum=1),
            bind_address=_str(env, "MAESTRO_BIND_ADDRESS"),
            gateway_threads=_int(env, "MAESTRO_GATEWAY_THREADS", minimum=1),
            mongo_uri=_str(env, "MAESTRO_MONGO_URI"),
            mongo_database=_str(env, "MAESTRO_MONGO_DATABASE"),
            discovery_database=_str(env, "MAESTRO_DISCOVERY_DATABASE"),
            broker_url=broker_url,
            audit_uri=_str(env, "MAESTRO_AUDIT_URI").rstrip("/"),
            websocket_uri=_str(env, "MAESTRO_WEBSOCKET_URI").rstrip("/"),
            websocket_secret=_str(env, "MAESTRO_WEBSOCKET_SECRET"),
            server_uri=_str(env, "MAESTRO_SERVER_URI").rstrip("/"),
            secret_jwt=_str(env, "MAESTRO_SECRETJWT"),
            secret_jwt_private=_str(env, "MAESTRO_SECRETJWT_PRIVATE"),
            noauth=_str(env, "MAESTRO_NOAUTH"),
            allow_insecure_secrets=_flag(env, "MAESTRO_ALLOW_INSECURE_SECRETS"),
            scan_qtd=scan_qtd,
            http_timeout=_int(env, "MAESTRO_HTTP_TIMEOUT", minimum=1),
            provider_timeout=_int(env, "MAESTRO_PROVIDER_TIMEOUT", minimum=1),
            provider_max_attempts=_int(env, "MAESTRO_PROVIDER_MAX_ATTEMPTS", minimum=1),
            provider_concurrency=_int(env, "MAESTRO_PROVIDER_CONCURRENCY"),
            aws_clients=_int(env, "MAESTRO_AWS_CLIENTS", minimum=1),
            egress_allow=_networks(env, "MAESTRO_EGRESS_ALLOW"),
            check_timeout=_int(env, "MAESTRO_CHECK_TIMEOUT", minimum=1),
            libcloud_endpoint=_optional_str(env, "MAESTRO_LIBCLOUD_ENDPOINT"),
            stage_max_retries=_int(env, "MAESTRO_STAGE_MAX_RETRIES"),
            stage_db_retries=_int(env, "MAESTRO_STAGE_DB_RETRIES"),
            stage_min_backoff_ms=_int(env, "MAESTRO_STAGE_MIN_BACKOFF_MS", minimum=1),
            stage_max_backoff_ms=_int(env, "MAESTRO_STAGE_MAX_BACKOFF_MS", minimum=1),
            stage_time_limit_ms=_int(env, "MAESTRO_STAGE_TIME_LIMIT_MS", minimum=1000),
            notify_max_retries=_int(env, "MAESTRO_NOTIFY_MAX_RETRIES"),
            audit_checkpoint_ms=_int(env, "MAESTRO_AUDIT_CHECKPOINT_MS"),
            import_max_bytes=_int(env, "MAESTRO_IMPORT_MAX_BYTES", minimum=1),
            import_max_rows=_int(env, "MAESTRO_IMPORT_MAX_ROWS", minimum=1),
            import_max_depth=_int(env, "MAESTRO_IMPORT_MAX_DEPTH", minimum=2),
            upload_quota_bytes=_int(env, "MAESTRO_UPLOAD_QUOTA_BYTES", minimum=1),
            upload_quota_files=_int(env, "MAESTRO_UPLOAD_QUOTA_FILES", minimum=1),
            upload_ttl_seconds=_int(env, "MAESTRO_UPLOAD_TTL_SECONDS", minimum=60),
            ssh_known_hosts=_known_hosts(env),
            metrics_host=_str(env, "MAESTRO_METRICS_HOST"),
            metrics_port=_port(env, "MAESTRO_METRICS_PORT"),
            metrics_token=_optional_str(env, "MAESTRO_METRICS_TOKEN"),
            log_level=log_level,
            log_format=log_format,
        )

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed (tests and the embedded mode)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Settings(**values)

    @property
    def uses_stub_broker(self) -> bool:
        return self.broker_url.startswith("stub:")
