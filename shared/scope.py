"""The scope: the secret-free context a page travels with between stages.

Who owns what the page finds (the connection's tenant and roles), and where it was found
(the data centre, the region, the account, the network). The api stage makes it when it
plans a run's units; it travels in messages and unit records as `to_payload()`'s dict and
is read back with `from_payload`. Mappings read its values with `{"scope": KEY}`
(`mapping_keys`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from typing import Any

from bson import ObjectId

from shared.connections import api_region, object_id, tenant_id
from shared.contracts import ContractError

Doc = dict[str, Any]

# Applied by the mapping engine to every document (`roles`), not read as a value.
_NOT_MAPPED = frozenset({"roles"})


@dataclass(frozen=True)
class Scope:
    """Where a page's items come from and whom they belong to."""

    connection_id: str
    tenant_id: ObjectId
    dc: str
    dc_id: ObjectId | None
    provider: str  # the provider's label, as Maestro spells it (`AWS`)
    region: str  # the API region, `global`, or `all`
    region_label: str  # Maestro's region string (`us-east-1 (N. Virginia)`)
    roles: Sequence[Doc]
    # An import connection may declare the network its hosts' private IPs belong to (a VPC
    # id, ...): persist meets records by private IP only within one network.
    network: str | None = None
    account_id: str | None = None

    @classmethod
    def mapping_keys(cls) -> frozenset[str]:
        """The keys a mapping may read (`{"scope": KEY}`)."""
        return frozenset(f.name for f in fields(cls)) - _NOT_MAPPED

    @classmethod
    def for_connection(
        cls,
        connection: Mapping[str, Any],
        region_label: str,
        provider_label: str,
        account_id: str | None = None,
    ) -> Scope:
        """The scope of a connection's units in `region_label` (`global`: crawled once)."""
        roles = []
        for role in connection.get("roles") or []:
            role = dict(role)
            if "_id" in role and not isinstance(role["_id"], ObjectId):
                role["_id"] = object_id(str(role["_id"]))
            roles.append(role)
        dc_id = connection.get("dc_id")
        network = connection.get("network")
        return cls(
            connection_id=str(connection["_id"]),
            tenant_id=tenant_id(connection),
            dc=connection.get("dc") or "",
            dc_id=object_id(str(dc_id)) if dc_id else None,
            provider=provider_label,
            region=api_region(region_label) if region_label != "all" else "all",
            region_label=region_label,
            roles=roles,
            network=network.strip() if isinstance(network, str) and network.strip() else None,
            account_id=account_id,
        )

    def to_payload(self) -> Doc:
        """The scope as messages and unit records carry it (`network` only when set)."""
        payload: Doc = {f.name: getattr(self, f.name) for f in fields(self)}
        payload["roles"] = [dict(role) for role in self.roles]
        if self.network is None:
            del payload["network"]
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Scope:
        """The scope a message or unit record carries; ContractError if it isn't one."""
        names = {f.name for f in fields(cls)}
        required = {f.name for f in fields(cls) if f.default is MISSING}
        missing = sorted(required - set(payload))
        extra = sorted(set(payload) - names)
        if missing or extra:
            raise ContractError(f"scope: missing {missing}, unexpected {extra}")
        return cls(**{name: payload[name] for name in names if name in payload})
