"""Websocket app (Centrifugo v2 server API): tell the owner's browsers a task's sync finished.

The browser shows `notify` as a toast and re-fetches the connection page on the
`connections-<id>` event, which refreshes the per-task status labels.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from shared.apps_http import Answer, Unreachable
from shared.connections import tenant_id
from shared.errors import DeliveryError
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)

Doc = dict[str, Any]


def build_publish(connection: Mapping[str, Any], task: str, state: str) -> Doc:
    """The Centrifugo `publish` command for one finished task of `connection`.

    CredentialsError when the connection has no owner (no channel to publish on).
    """
    conn_id = str(connection["_id"])
    return {
        "method": "publish",
        "params": {
            "channel": f"maestro-{tenant_id(connection)}",
            "data": {
                "notify": {
                    "title": connection.get("dc"),
                    "msg": f"Finish Sync - [{connection.get('provider') or ''}] {task}",
                    "type": state,
                },
                "event": {"caller": ["connections-update", f"connections-{conn_id}"]},
            },
        },
    }


def publish(rt: Runtime, command: Mapping[str, Any]) -> None:
    """Send one command to Centrifugo; DeliveryError if it didn't take it."""
    try:
        answer = rt.http.request(
            "POST",
            f"{rt.settings.websocket_uri}/api",
            body=json.dumps(dict(command)).encode("utf-8"),
            headers={
                "Authorization": f"apikey {rt.settings.websocket_secret}",
                "Content-Type": "application/json",
            },
            timeout=rt.settings.http_timeout,
        )
    except Unreachable as exc:
        raise DeliveryError(f"websocket app unreachable: {exc}") from exc
    if answer.status >= 300:  # a redirect is not followed with our key
        raise DeliveryError(f"websocket app answered {answer.status}")
    error = _api_error(answer)
    if error is not None:  # Centrifugo reports command errors in a 200 body
        raise DeliveryError(f"websocket app refused the publish: {error}")
    log.info("websocket_published", channel=command["params"]["channel"])


def _api_error(answer: Answer) -> Any:
    try:
        body = answer.json()
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None
