"""A connection check: one small call per resource, to report missing permissions up front.

Run before a first crawl (or after changing a policy), it tells an operator which IAM
actions the connection's credentials lack, instead of a crawl failing unit by unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.api.crawl import clients
from services.api.providers import aws
from shared.catalog import get_provider
from shared.connections import api_region, decode_credentials, load_connection, scope_for
from shared.errors import AccessDeniedError, DiscoveryError
from shared.runtime import Runtime

PROBE_PAGE = 5  # the smallest page most list calls accept


def check_connection(rt: Runtime, connection_id: str, tasks: Sequence[str] | None = None) -> dict[str, Any]:
    """Call each resource of `tasks` once in the connection's first region; what was refused."""
    connection = load_connection(rt.inventory, connection_id, require_enabled=False)
    provider = get_provider(str(connection.get("provider", "")))
    credentials = decode_credentials(connection, rt.settings.secret_jwt, provider.slug)
    labels = [str(r) for r in connection.get("regions") or [] if str(r).strip()]
    label = next((r for r in labels if r.strip().lower() != "all"), "us-east-1")
    results: list[dict[str, Any]] = []
    missing: set[str] = set()
    account: str | None = None
    for task in list(tasks) if tasks else list(provider.tasks()):
        for resource in provider.task(task):
            region = api_region(label) if resource.regional else "us-east-1"

            def client_for(service: str, region: str = region) -> Any:
                return clients.get(rt.settings, connection_id, credentials, region, service)

            if account is None:
                account = aws.account_id(client_for)
            scope = {**scope_for(connection, label, provider.label), "region": region, "account_id": account}
            entry = {"task": task, "resource": resource.key, "region": region, "iam": list(resource.iam)}
            try:
                aws.fetch_page(resource, client_for, None, PROBE_PAGE, scope)
                entry["status"] = "ok"
            except AccessDeniedError as exc:
                entry.update(status="denied", reason=str(exc))
                missing.update(resource.iam)
            except DiscoveryError as exc:
                entry.update(status="error", reason=str(exc))
            results.append(entry)
    return {
        "connection_id": connection_id,
        "account_id": account,
        "ok": not missing and all(r["status"] == "ok" for r in results),
        "missing_permissions": sorted(missing),
        "checks": results,
    }
