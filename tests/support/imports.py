"""Helpers for import tests: the recorded files, uploads, import and AWS connections of one tenant.

Meeting records happen within a tenant (the connection's owner), so the connections a
test makes share one owner. moto gives instances random ids: the recorded Terraform state
and Ansible facts name the instance AWS gave when they were recorded, so a test rewrites
those ids to moto's (`rewrite`) - the rest of the file stays as recorded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bson import ObjectId

from services.api import crawl as api_crawl
from services.embedded.maestro import create_connection
from shared import uploads
from shared.connections import encode_credentials
from shared.runtime import Runtime
from tests.support.crawls import ACCESS_KEY, SECRET_KEY

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
TFSTATE = FIXTURES / "terraform" / "estate.tfstate"
FACTS = FIXTURES / "ansible" / "localhost.json"
FACTS_EC2 = FIXTURES / "ansible" / "localhost-ec2-nitro.json"
# What the recorded files name: the state's first aws_instance, its root volume, the
# Nitro host's DMI asset tag, the recorded host's private IPv4 and machine id.
STATE_INSTANCE = "i-0a1b2c3d4e5f60718"
STATE_ROOT_VOLUME = "vol-01a2b3c4d5e6f7081"
FACTS_INSTANCE = "i-0a1b2c3d4e5f60718"
FACTS_IP = "192.0.2.2"
FACTS_MACHINE = "3d1219c7c4c5404aaa1f6d2a48adfda4"


def tenant() -> dict[str, Any]:
    return {"_id": ObjectId(), "name": "Estate Operator", "email": "estate@example.com"}


def aws(rt: Runtime, owner: Mapping[str, Any], regions: list[str]) -> str:
    return create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=regions,
        credentials={"access": ACCESS_KEY, "secret": SECRET_KEY},
        owner=owner,
    )


def importer(
    rt: Runtime,
    provider: str,
    artifacts: list[str],
    owner: Mapping[str, Any],
    network: str | None = None,
) -> str:
    """An upload connection of `provider` ("Ansible" or "Terraform") over `artifacts`."""
    return create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=[],
        credentials={"artifacts": artifacts},
        provider=provider,
        service=f"upload_{provider.lower()}",
        dc=f"{provider.lower()}-estate",
        owner=owner,
        network=network,
    )


def upload(rt: Runtime, name: str, data: bytes) -> str:
    return str(uploads.store(rt.ledger, name, "application/json", data)["_id"])


def set_artifacts(rt: Runtime, connection_id: str, artifacts: list[str]) -> None:
    """The connection now imports `artifacts` (as an operator editing it in Maestro)."""
    token = encode_credentials({"artifacts": artifacts}, rt.settings.secret_jwt)
    rt.inventory.connections.update_one({"_id": ObjectId(connection_id)}, {"$set": {"conn": token}})
    api_crawl._credentials_cache.clear()


def rewrite(path: Path, replacements: Mapping[str, str]) -> bytes:
    text = path.read_text()
    for old, new in replacements.items():
        assert old in text, f"{path.name} does not name {old}"
        text = text.replace(old, new)
    return text.encode()


def without(state: bytes, address: str, index: Any) -> bytes:
    """The state without one resource instance (`module.web.aws_instance.app`, index 1)."""
    document = json.loads(state)
    for resource in document["resources"]:
        name = ".".join(p for p in (resource.get("module"), resource["type"], resource["name"]) if p)
        if name == address:
            kept = [i for i in resource["instances"] if i.get("index_key") != index]
            assert len(kept) < len(resource["instances"]), f"{address}[{index}] is not in the state"
            resource["instances"] = kept
    document["serial"] = int(document.get("serial", 0)) + 1
    return json.dumps(document, indent=2).encode()
