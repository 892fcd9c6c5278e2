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
) -> str:
    """Insert a datacenter and an enabled connection on it; return the connection id."""
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
    connection_id = inventory.connections.insert_one(
        {
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
