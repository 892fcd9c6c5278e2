"""A connection check: one small call per resource, to report missing permissions up front.

Run before a first crawl (or after changing a policy), it tells an operator which IAM
actions the connection's credentials lack, instead of a crawl failing unit by unit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from services.api.crawl import plan_units
from services.api.providers import FetchRequest, adapter_for
from shared.catalog import get_provider, iam_actions
from shared.connections import load_connection, provider_credentials
from shared.errors import (
    AccessDeniedError,
    CredentialsError,
    DiscoveryError,
    PermanentProviderError,
    TransientProviderError,
)
from shared.runtime import Runtime

PROBE_PAGE = 5  # the smallest page most list calls accept


class CheckAbandonedError(DiscoveryError):
    """The check's deadline passed: nobody waits for the rest of it."""


def check_connection(
    rt: Runtime,
    connection_id: str,
    tasks: Sequence[str] | None = None,
    deadline: float | None = None,
    on_check: Callable[[dict[str, Any], int, int], None] | None = None,
) -> dict[str, Any]:
    """Call each resource of `tasks` once in the connection's first region; what was refused.

    `deadline` (time.monotonic()): no provider call starts after it. A connection whose
    credentials or endpoint are refused before any call is reported with that `error`.
    `on_check(entry, done, total)` is told of each check as it ends (a progress display).
    """
    connection = load_connection(rt.inventory, connection_id, require_enabled=False)
    provider = get_provider(str(connection.get("provider", "")))
    credentials = provider_credentials(connection, rt.settings.secret_jwt, provider)
    adapter = adapter_for(provider)
    try:
        plan = adapter.plan(rt.settings, connection, provider, credentials, None)
    except (CredentialsError, PermanentProviderError, TransientProviderError) as exc:
        return {
            "connection_id": connection_id,
            "account_id": None,
            "ok": False,
            "missing_permissions": [],
            "checks": [],
            "error": str(exc),
        }
    results: list[dict[str, Any]] = []
    missing: set[str] = set()
    # Each resource once: in the connection's first region, or as crawled once per account.
    probes = plan_units(
        connection,
        provider,
        list(tasks) if tasks else list(provider.tasks()),
        plan.regions[:1] or ["global"],
        plan.account,
    )
    for probe in probes:
        resource = probe.resource
        entry = {
            "task": probe.task,
            "resource": resource.key,
            "region": probe.region,
            "iam": list(iam_actions(resource)),
        }
        request = FetchRequest(
            connection_id=connection_id,
            provider=provider,
            resource=resource,
            credentials=credentials,
            region=probe.region,
            scope=probe.scope.to_payload(),
            cursor=None,
            page_size=PROBE_PAGE,
        )
        if deadline is not None and time.monotonic() > deadline:
            raise CheckAbandonedError(f"the check of connection {connection_id} ran out of time")
        try:
            adapter.fetch(rt.settings, request)
            entry["status"] = "ok"
        except AccessDeniedError as exc:
            entry.update(status="denied", reason=str(exc))
            missing.update(iam_actions(resource) or [f"{resource.call.client}.{resource.call.operation}"])
        except DiscoveryError as exc:
            entry.update(status="error", reason=str(exc))
        results.append(entry)
        if on_check is not None:
            on_check(entry, len(results), len(probes))
    return {
        "connection_id": connection_id,
        "account_id": plan.account,
        "ok": not missing and all(r["status"] == "ok" for r in results),
        "missing_permissions": sorted(missing),
        "checks": results,
    }
