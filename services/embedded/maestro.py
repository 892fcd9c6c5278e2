"""Maestro-side records for the embedded mode and tests: a datacenter, a user, a connection.

Shaped exactly as Maestro's server stores them (credentials as an HS256 JWT in `conn`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bson import ObjectId
from pymongo.database import Database

from shared.connections import encode_credentials
from shared.ledger import now


def create_connection(
    inventory: Database[dict[str, Any]],
    secret_jwt: str,
    *,
    regions: Sequence[str],
    credentials: Mapping[str, Any],
    provider: str = "AWS",
    service: str = "iam_aws",
    dc: str = "aws-demo",
    owner: Mapping[str, Any] | None = None,
    network: str | None = None,
) -> str:
    """Insert a datacenter and an enabled connection on it; return the connection id.

    `network`: what an import connection declares its hosts' private IPs belong to (a VPC
    id...), stored as Maestro stores the form's extra fields, on the connection.
    """
    user = dict(owner or {"_id": ObjectId(), "name": "Demo Operator", "email": "ops@example.com"})
    user.setdefault("refs", "users")
    dc_id = inventory.datacenters.insert_one(
        {
            "name": dc,
            "provider": provider,
            "regions": list(regions),
            "active": True,
            "roles": [{**user, "role": 7}],
            "created_at": now(),
        }
    ).inserted_id
    extra = {"network": network} if network is not None else {}
    connection_id = inventory.connections.insert_one(
        {
            **extra,
            "name": f"{dc} - {provider}",
            "provider": provider,
            "service": service,
            "dc": dc,
            "dc_id": str(dc_id),
            "regions": list(regions),
            "status": "enabled",
            "active": True,
            "conn": encode_credentials(credentials, secret_jwt),
            "owner_user": {**user, "role": 7},
            "roles": [{**user, "role": 7}],
            "owner": {**user},
            "process": {},
            "created_at": now(),
        }
    ).inserted_id
    return str(connection_id)
