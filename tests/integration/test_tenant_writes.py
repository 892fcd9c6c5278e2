"""Tenants through the four stages: imports write only where their tenant may write, read only its uploads.

Alice's File connection shares its ACL template with Sam (read, role 1) and Wes (write,
role 3), so her documents name both. Each of them imports through a connection of their
own, started with their own user tokens through the gateway as Maestro's UI would.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from bson import ObjectId
from falcon import testing

from services.api.gateway.app import create_app
from services.api.providers import files
from services.embedded.maestro import create_connection
from services.embedded.pipeline import EmbeddedPipeline
from shared.connections import encode_credentials
from shared.runtime import Runtime
from tests.unit.test_tenants import as_user

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

Doc = dict[str, Any]
SHARED_ID = "srv-billing-001"


@pytest.fixture(autouse=True)
def fresh_parse_cache() -> None:
    files.clear_cache()


class Tenant:
    """A Maestro user with a File connection of their own, driving it through the gateway."""

    def __init__(self, pipeline: EmbeddedPipeline, name: str) -> None:
        self.pipeline, self.rt = pipeline, pipeline.rt
        self.user: Doc = {"_id": ObjectId(), "name": name, "email": f"{name}@example.com"}
        self.rt.inventory.users.insert_one(dict(self.user))
        self.client = testing.TestClient(create_app(self.rt))
        self.headers = as_user(self.rt.settings, self.user["_id"])
        self.conn = create_connection(
            self.rt.inventory,
            self.rt.settings.secret_jwt,
            regions=[],
            credentials={"artifacts": ["none-yet"]},
            provider="File",
            service="upload_file",
            dc=f"{name}-imports",
            owner=self.user,
        )

    def role(self, level: int) -> Doc:
        return {**self.user, "refs": "users", "role": level}

    def share_with(self, *roles: Doc) -> None:
        """The connection's ACL template (copied onto the documents it creates) names `roles` too."""
        self.rt.inventory.connections.update_one(
            {"_id": ObjectId(self.conn)}, {"$set": {"roles": [self.role(7), *roles]}}
        )

    def upload(self, servers: list[Doc]) -> str:
        body = json.dumps({"version": 1, "servers": servers}).encode()
        result = self.client.simulate_post(
            "/v1/uploads",
            params={"name": "servers.json"},
            body=body,
            headers={**self.headers, "Content-Type": "application/json"},
        )
        assert result.status_code == 201, result.json
        return str(result.json["id"])

    def import_(self, artifacts: list[str]) -> dict[str, Any]:
        """Point the connection at `artifacts` and sync it; the finished run."""
        token = encode_credentials({"artifacts": artifacts}, self.rt.settings.secret_jwt)
        self.rt.inventory.connections.update_one({"_id": ObjectId(self.conn)}, {"$set": {"conn": token}})
        from services.api import crawl as api_crawl

        api_crawl._credentials_cache.clear()
        result = self.client.simulate_put(f"/crawler/File/{self.conn}/server-import", headers=self.headers)
        assert result.status_code == 201, result.json
        return self.pipeline.wait_for_run(result.json["run_id"])


def the_shared_server(rt: Runtime, owner: Tenant) -> Doc:
    doc = rt.inventory.servers.find_one({"unique_id": SHARED_ID, "roles._id": owner.user["_id"]})
    assert doc is not None
    return doc


def test_a_read_only_sharee_can_neither_rename_nor_deactivate_the_owner_s_server(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    alice, sam = Tenant(pipeline, "alice"), Tenant(pipeline, "sam")
    alice.share_with(sam.role(1))
    first = alice.import_([alice.upload([{"name": "billing-db-01", "unique_id": SHARED_ID, "cpu": 8}])])
    assert first["status"] == "succeeded", first["errors"]
    owned = the_shared_server(rt, alice)
    assert owned["roles"][1]["_id"] == sam.user["_id"] and owned["accountant"] == [alice.conn]

    # Sam imports a server with Alice's unique_id, then an import without it.
    renamed = sam.import_([sam.upload([{"name": "pwned", "unique_id": SHARED_ID, "cpu": 1}])])
    assert renamed["status"] == "succeeded", renamed["errors"]
    later = sam.import_([sam.upload([{"name": "something-else", "unique_id": "srv-sam-002"}])])
    assert later["status"] == "succeeded", later["errors"]

    after = the_shared_server(rt, alice)
    assert (after["name"], after["cpu"], after["active"]) == ("billing-db-01", 8, True)
    assert after["accountant"] == [alice.conn] and after["updated_at"] == owned["updated_at"]
    # Sam's own record of that id is Sam's document, not Alice's.
    sams = list(rt.inventory.servers.find({"unique_id": SHARED_ID, "_id": {"$ne": owned["_id"]}}))
    assert [[r["_id"] for r in d["roles"]] for d in sams] == [[sam.user["_id"]]]


def test_a_writer_s_sweep_leaves_a_server_another_connection_still_lists(pipeline: EmbeddedPipeline) -> None:
    rt = pipeline.rt
    alice, wes = Tenant(pipeline, "alice"), Tenant(pipeline, "wes")
    alice.share_with(wes.role(3))
    alice.import_([alice.upload([{"name": "billing-db-01", "unique_id": SHARED_ID}])])

    joined = wes.import_([wes.upload([{"name": "billing-db-01", "unique_id": SHARED_ID}])])
    assert joined["status"] == "succeeded", joined["errors"]
    assert the_shared_server(rt, alice)["accountant"] == [alice.conn, wes.conn]  # a writer may update it

    gone = wes.import_([wes.upload([{"name": "other", "unique_id": "srv-wes-002"}])])
    assert gone["status"] == "succeeded", gone["errors"]
    after = the_shared_server(rt, alice)
    assert after["active"] is True and after["accountant"] == [alice.conn]


def test_a_connection_cannot_import_another_tenant_s_upload(pipeline: EmbeddedPipeline) -> None:
    rt = pipeline.rt
    alice, bob = Tenant(pipeline, "alice"), Tenant(pipeline, "bob")
    secret = alice.upload([{"name": "alice-only", "unique_id": "srv-alice-007"}])
    run = bob.import_([secret])
    assert run["status"] == "failed"
    assert "was not found" in run["errors"][0]["reason"]
    assert rt.inventory.servers.count_documents({"unique_id": "srv-alice-007"}) == 0
