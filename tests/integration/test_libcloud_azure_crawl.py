"""Azure through the four stages: the real libcloud ARM driver against recorded ARM responses.

The replay server answers both of the driver's hosts (Azure AD's token endpoint and the
Resource Manager API), as `MAESTRO_LIBCLOUD_ENDPOINT` sends them there.
"""

from __future__ import annotations

from typing import Any

from services.embedded.maestro import create_connection
from services.embedded.pipeline import EmbeddedPipeline
from shared import schema
from shared.catalog import PROVIDERS
from tests.support.clouds import azure
from tests.support.crawls import crawl, succeeded_units
from tests.support.replay import ReplayServer

TASKS = ["server-list", "volumes-list", "snapshot-list", "images-list", "network-list"]
RESOURCES = [r.key for r in PROVIDERS["azure"].resources]
COLLECTIONS = {"servers", "volumes", "snapshots", "images", "networks"}
Cloud = tuple[EmbeddedPipeline, ReplayServer]


def connection(pipeline: EmbeddedPipeline, credentials: dict[str, str] | None = None) -> str:
    rt = pipeline.rt
    return create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=[],
        credentials=credentials or azure.CREDENTIALS,
        provider="Azure",
        service="sub_azure",
        dc="azure-demo",
    )


def documents(pipeline: EmbeddedPipeline, collection: str) -> list[dict[str, Any]]:
    return list(pipeline.rt.inventory[collection].find())


def by_name(pipeline: EmbeddedPipeline, collection: str) -> dict[str, dict[str, Any]]:
    return {doc["name"]: doc for doc in documents(pipeline, collection)}


def everything_stored(pipeline: EmbeddedPipeline) -> str:
    """Every document of the inventory and the ledger, as text."""
    rt = pipeline.rt
    found = [str(doc) for name in COLLECTIONS for doc in rt.inventory[name].find()]
    for name in rt.ledger.list_collection_names():
        found.extend(str(doc) for doc in rt.ledger[name].find())
    return "\n".join(found)


def test_every_task_crawls_every_page_and_servers_get_their_ips(
    cloud_pipeline: Cloud,
) -> None:
    pipeline, replay = cloud_pipeline
    listings = azure.routes(replay)
    conn_id = connection(pipeline)

    run = crawl(pipeline, conn_id, TASKS, provider="azure")

    assert run["status"] == "succeeded", run
    units = succeeded_units(run, RESOURCES)
    assert {u["region"] for u in units.values()} == {"global"}  # one unit per subscription
    assert replay.unmatched == []
    # Both pages of every paged listing were read (page two asked by its $skiptoken).
    for name in ("vms", "disks", "snapshots", "vnets", "nics", "public_ips"):
        first, second = listings[name]
        listed = 2 if name == "vnets" else 1  # subnets are read from the virtual networks
        assert first.hits == listed and second.hits == listed, name
    assert replay.hits(azure.TOKEN_PATH)  # signed in on the replay server, not on Azure AD

    servers = by_name(pipeline, "servers")
    assert set(servers) == {"test-node-1", "test-node-2"}
    web = servers["test-node-2"]
    assert web["ipv4_private"] == "10.0.1.5" and web["ipv4_public"] == "20.71.35.12"
    assert servers["test-node-1"]["ipv4_private"] == "10.0.0.1"  # a VM without a public IP
    assert servers["test-node-1"].get("ipv4_public") is None
    vm_id = f"{azure.RG}/providers/Microsoft.Compute/virtualMachines/test-node-2"
    assert web["unique_id"] == f"azure:{azure.SUBSCRIPTION}:node:{vm_id}"
    assert web["datacenters"]["region"] == "westeurope"
    assert web["datacenters"]["instance"] == "Standard_D2s_v3"
    assert web["datacenters"]["provider"] == "Azure" and web["datacenters"]["name"] == "azure-demo"
    assert web["hostname"] == "web-02" and web["environment"] == "production"
    # cpu and memory from the VM sizes of each VM's location, each catalogue asked once
    assert (web["cpu"], web["memory"]) == (2, 8)
    assert (servers["test-node-1"]["cpu"], servers["test-node-1"]["memory"]) == (1, 1.75)
    assert {location: route.hits for location, route in listings["sizes"].items()} == {
        "eastus": 1,
        "westeurope": 1,
    }

    assert len(documents(pipeline, "volumes")) == 4
    assert len(documents(pipeline, "snapshots")) == 5
    assert set(by_name(pipeline, "images")) == {"web-image"}
    families: dict[str, int] = {}
    for doc in documents(pipeline, "networks"):
        families[doc["family"]] = families.get(doc["family"], 0) + 1
    assert families == {
        "VirtualNetwork": 2,
        "Subnet": 2,
        "NetworkInterface": 2,
        "PublicIpAddress": 2,
        "SecurityGroup": 1,
        "RouteTable": 1,
    }
    for collection in COLLECTIONS:
        for doc in documents(pipeline, collection):
            assert doc["active"] is True and doc["accountant"] == [conn_id]
            assert doc["unique_id"].startswith(f"azure:{azure.SUBSCRIPTION}:")
            document = {k: v for k, v in doc.items() if k not in ("_id", "created_at", "updated_at")}
            assert schema.validate(collection, document) == [], (collection, doc["name"])

    for secret in (azure.SECRET, azure.CLIENT):
        assert secret not in everything_stored(pipeline)
    for request in replay.requests:  # the secret went only to the token endpoint
        if request.path != azure.TOKEN_PATH:
            assert azure.SECRET.encode() not in request.body


def test_a_recrawl_deactivates_exactly_what_is_gone(cloud_pipeline: Cloud) -> None:
    pipeline, replay = cloud_pipeline
    listings = azure.routes(replay)
    conn_id = connection(pipeline)
    assert (
        crawl(pipeline, conn_id, ["volumes-list", "network-list"], provider="azure")["status"] == "succeeded"
    )

    # The disk on page two is deleted: that page now answers as ARM does, empty.
    _, page_two = listings["disks"]
    page_two.body = {"value": []}
    run = crawl(pipeline, conn_id, ["volumes-list", "network-list"], provider="azure")

    assert run["status"] == "succeeded"
    inactive = {d["name"] for c in ("volumes", "networks") for d in documents(pipeline, c) if not d["active"]}
    assert inactive == {"test-node-2-data"}


def test_bad_credentials_fail_the_run_before_any_listing(cloud_pipeline: Cloud) -> None:
    pipeline, replay = cloud_pipeline
    refusal = {
        "error": "invalid_client",
        "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
        "in the request is the client secret value, not the client secret ID.",
        "error_codes": [7000215],
    }
    replay.route("POST", azure.TOKEN_PATH, refusal, status=401)
    azure.routes(replay)
    conn_id = connection(pipeline)

    run = crawl(pipeline, conn_id, TASKS, provider="azure")

    assert run["status"] == "failed"
    assert run["units"] == [] and run["pages"]["fetched"] == 0
    [error] = run["errors"]
    assert "refused" in error["reason"] and "HTTP 401 Unauthorized" in error["reason"]
    assert "Invalid client secret" not in error["reason"]  # Azure AD's answer stays out
    assert azure.SECRET not in str(run) and azure.CLIENT not in str(run)
    assert [r.path for r in replay.requests] == [azure.TOKEN_PATH]  # nothing listed
    assert all(not documents(pipeline, c) for c in COLLECTIONS)


def test_a_listing_the_subscription_cannot_read_skips_only_its_unit(cloud_pipeline: Cloud) -> None:
    pipeline, replay = cloud_pipeline
    missing = {"error": {"code": "ResourceNotFound", "message": "The resource type could not be found."}}
    replay.route("GET", azure.ROUTE_TABLES, missing, status=404)
    azure.routes(replay)
    conn_id = connection(pipeline)

    run = crawl(pipeline, conn_id, ["network-list"], provider="azure")

    units = {u["resource"]: u for u in run["units"]}
    assert units["azure.route_tables"]["status"] == "skipped"
    assert "not available" in units["azure.route_tables"]["reason"]
    others = [key for key in units if key != "azure.route_tables"]
    succeeded_units(run, others)
    families = {doc["family"] for doc in documents(pipeline, "networks")}
    assert "RouteTable" not in families and "VirtualNetwork" in families
