"""Meeting records, the pure parts: which stored document a source's document meets, what a
join writes, and what leaving writes. Documents are translated from recorded EC2 responses,
Terraform state and Ansible facts (ids rewritten so that they describe the same machine)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bson import ObjectId

from services.persist.meeting import (
    MEETING_INDEXES,
    foreign_by_id,
    meet,
    network_ip,
    split_existing,
    strong_id,
)
from services.persist.merge import NOT_JOINED, plan_page, update_for
from services.persist.stale import leave
from shared.catalog import get_mapping
from shared.importers import ansible, terraform
from shared.mapping import translate
from shared.scope import Scope
from tests.support.imports import FACTS, FACTS_IP, STATE_INSTANCE, TFSTATE, rewrite
from tests.support.recorded import make_scope, recorded_items

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
INSTANCE, IP, VPC = "i-080fa601c0642aaad", "10.0.1.4", "vpc-c57b58e8f2f7eb543"  # recorded web-01
ARN = f"arn:aws:ec2:us-east-1:123456789012:instance/{INSTANCE}"
AWS = make_scope()
AWS_2 = make_scope(connection_id="65f000000000000000000011", dc_id=ObjectId("65f000000000000000000013"))
TF = make_scope(connection_id="65f000000000000000000021", provider="Terraform", region_label="global")
ANSIBLE = make_scope(connection_id="65f000000000000000000031", provider="Ansible", region_label="global")


def crawled() -> dict[str, Any]:
    """The stored document the AWS crawl wrote for the recorded instance."""
    docs, _ = translate(get_mapping("aws.ec2.instances"), recorded_items("aws.ec2.instances"), AWS)
    plan = plan_page("servers", docs, {}, AWS["connection_id"], NOW)
    (doc,) = [c["document"] for c in plan.changes if c["unique_id"] == ARN]
    return dict(doc)


def untagged() -> dict[str, Any]:
    """The crawled document as if the instance had no Role and Environment tags."""
    return {k: v for k, v in crawled().items() if k not in ("role", "environment")}


def terraform_doc() -> dict[str, Any]:
    items = terraform.parse(rewrite(TFSTATE, {STATE_INSTANCE: INSTANCE}), "terraform.tfstate")["servers"]
    docs, _ = translate(get_mapping("import.terraform.servers"), items, TF)
    (doc,) = [d for d in docs if d["unique_id"] == ARN]
    return doc


def ansible_doc(network: str | None, ip: str = IP) -> dict[str, Any]:
    scope = {k: v for k, v in ANSIBLE.items() if k != "network"} | ({"network": network} if network else {})
    items = ansible.parse(rewrite(FACTS, {FACTS_IP: ip}), "vm.json")["servers"]
    docs, _ = translate(get_mapping("import.ansible.servers"), items, scope)
    return docs[0]


def joined(stored: dict[str, Any], doc: dict[str, Any], scope: dict[str, Any]) -> dict[str, Any]:
    source = {"resource": "import.terraform.servers", "dc_id": scope["dc_id"], "region": "global"}
    plan = plan_page("servers", [doc], {}, scope["connection_id"], NOW, {doc["unique_id"]: stored}, source)
    (change,) = plan.changes
    return change


def after(stored: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """`stored` with a change's top-level and `sources.<c>` keys applied (what update_for sets)."""
    result = {**stored, "sources": dict(stored.get("sources") or {})}
    for key, diff in change["fields"].items():
        if key.startswith("sources."):
            connection = key.split(".")[1]
            if diff["after"] is None:
                result["sources"].pop(connection, None)
            else:
                result["sources"][connection] = diff["after"]
        elif diff["after"] is None:
            result.pop(key, None)
        else:
            result[key] = diff["after"]
    return result


def test_a_document_with_the_crawls_arn_is_joined_by_another_kind_of_source_only() -> None:
    stored = crawled()
    tf, aws, aws_2 = (Scope.from_payload(scope) for scope in (TF, AWS, AWS_2))
    assert foreign_by_id(stored, tf) is True
    assert foreign_by_id(stored, aws) is False  # its own primary
    assert foreign_by_id(stored, aws_2) is False  # another AWS connection co-owns it, as before
    own, joins = split_existing({ARN: stored}, tf, "servers")
    assert (own, joins) == ({}, {ARN: stored})
    assert split_existing({ARN: stored}, tf, "applications") == ({ARN: stored}, {})


def test_strong_ids_and_network_ips_are_read_from_the_translated_documents() -> None:
    stored = crawled()
    assert strong_id("servers", stored) == INSTANCE and strong_id("servers", terraform_doc()) == INSTANCE
    assert network_ip("servers", stored) == (IP, VPC)
    assert network_ip("servers", ansible_doc(VPC)) == (IP, VPC)
    assert network_ip("servers", ansible_doc(None)) is None  # no network: never an IP match
    assert strong_id("applications", stored) is None and network_ip("volumes", stored) is None


def test_every_declared_meeting_key_is_indexed_with_the_sources_joined() -> None:
    assert MEETING_INDEXES == {
        "servers": ("joined_by", "datacenters.instance_id", "ipv4_private"),
        "volumes": ("joined_by", "volume_id"),
    }


def test_facts_meet_by_private_ip_only_within_the_same_network_and_an_active_document() -> None:
    stored = crawled()
    conn = ANSIBLE["connection_id"]
    assert meet("servers", conn, ansible_doc(VPC), [stored]) is stored
    assert meet("servers", conn, ansible_doc("vpc-0other"), [stored]) is None
    assert meet("servers", conn, ansible_doc(None), [stored]) is None
    assert meet("servers", conn, ansible_doc(VPC, ip="10.0.1.99"), [stored]) is None
    assert meet("servers", conn, ansible_doc(VPC), [{**stored, "active": False}]) is None
    # A document naming another instance is another machine, whatever its IP.
    other = {**stored, "datacenters": {**stored["datacenters"], "instance_id": "i-0ffffffffffffffff"}}
    nitro = ansible_doc(VPC)
    nitro["datacenters"] = {**nitro["datacenters"], "instance_id": INSTANCE}
    assert meet("servers", conn, nitro, [other]) is None
    # A document the connection writes as a primary is never met by it under another id.
    assert meet("servers", conn, ansible_doc(VPC), [{**stored, "accountant": [conn]}]) is None


def test_a_join_fills_only_gaps_and_records_what_it_filled() -> None:
    stored, doc = untagged(), terraform_doc()
    change = joined(stored, doc, TF)
    conn = TF["connection_id"]
    entry = change["fields"][f"sources.{conn}"]["after"]
    assert entry["unique_id"] == ARN and entry["checksum"] == doc["checksum"]
    filled = set(entry["fields"])
    assert {"role", "environment"} <= filled and all(
        stored.get(key) is None and doc[key] is not None for key in filled
    )
    touched = {k for k in change["fields"] if not k.startswith("sources.")}
    assert touched == filled | {"accountant"}
    assert not touched & NOT_JOINED - {"accountant"}  # name, datacenters, status stay the crawl's
    assert change["fields"]["accountant"]["after"] == [AWS["connection_id"], conn]
    assert change["checksum"] is None  # the primary's checksum stays
    update = update_for(change)
    assert update["$addToSet"] == {"accountant": {"$each": [conn]}, "joined_by": conn}
    assert update["$set"][f"sources.{conn}"] == entry and "checksum" not in update["$set"]


def test_a_joined_source_seen_again_unchanged_writes_nothing_nor_does_the_primary() -> None:
    stored, doc = crawled(), terraform_doc()
    met = after(stored, joined(stored, doc, TF))
    plan = plan_page("servers", [doc], {}, TF["connection_id"], NOW, {ARN: met}, {})
    assert plan.changes == [] and plan.counts["unchanged"] == 1
    aws_docs, _ = translate(get_mapping("aws.ec2.instances"), recorded_items("aws.ec2.instances"), AWS)
    again = plan_page("servers", aws_docs, {ARN: met}, AWS["connection_id"], NOW)
    assert [c for c in again.changes if c["unique_id"] == ARN] == [] and again.refresh == []


def test_the_primary_never_unsets_a_field_a_joined_source_filled_but_overrides_its_value() -> None:
    stored, doc = untagged(), terraform_doc()
    met = after(stored, joined(stored, doc, TF))
    conn = TF["connection_id"]
    filled = met["sources"][conn]["fields"]
    aws_doc = {k: v for k, v in stored.items() if k not in ("_id", "created_at", "updated_at")}
    aws_doc |= {"checksum": "changed", "role": "db"}
    for key in filled:
        aws_doc.setdefault(key, None)
    (change,) = plan_page("servers", [aws_doc], {ARN: met}, AWS["connection_id"], NOW).changes
    unset = [k for k, d in change["fields"].items() if d["after"] is None]
    assert unset == []
    assert change["fields"]["role"] == {"before": met["role"], "after": "db"}
    assert change["fields"][f"sources.{conn}.fields"]["after"] == [k for k in filled if k != "role"]


def test_an_instance_disk_from_the_state_joins_the_crawled_volume_without_its_family() -> None:
    volume = "vol-91c65a1fb78695987"  # the recorded data-01
    docs, _ = translate(get_mapping("aws.ec2.volumes"), recorded_items("aws.ec2.volumes"), AWS)
    plan = plan_page("volumes", docs, {}, AWS["connection_id"], NOW)
    (stored,) = [dict(c["document"]) for c in plan.changes if c["document"].get("volume_id") == volume]
    assert stored.get("family") is None
    state = rewrite(TFSTATE, {STATE_INSTANCE: INSTANCE, "vol-0f1e2d3c4b5a69788": volume})
    items = terraform.parse(state, "terraform.tfstate")["volumes"]
    tf_docs, _ = translate(get_mapping("import.terraform.volumes"), items, TF)
    (doc,) = [d for d in tf_docs if d["volume_id"] == volume]
    assert doc["unique_id"] == stored["unique_id"] and doc["family"] == "TerraformInstance"
    own, joins = split_existing({doc["unique_id"]: stored}, Scope.from_payload(TF), "volumes")
    source = {"resource": "import.terraform.volumes", "dc_id": TF["dc_id"], "region": "global"}
    plan = plan_page("volumes", [doc], own, TF["connection_id"], NOW, joins, source)
    (change,) = plan.changes
    assert "family" not in change["fields"] and "datacenters" not in change["fields"]
    assert change["fields"]["accountant"]["after"] == [AWS["connection_id"], TF["connection_id"]]


def test_leaving_drops_the_source_and_deactivates_only_without_sources_left() -> None:
    both = [AWS["connection_id"], TF["connection_id"]]
    assert leave({"accountant": both}, TF["connection_id"]) == {
        "accountant": {"before": both, "after": [AWS["connection_id"]]}
    }
    assert leave({"accountant": [TF["connection_id"]]}, TF["connection_id"]) == {
        "accountant": {"before": [TF["connection_id"]], "after": []},
        "active": {"before": True, "after": False},
    }


def test_a_source_leaving_is_pulled_from_joined_by_with_its_entry() -> None:
    """`joined_by` (the index of joined documents) follows `sources`, in the same update."""
    conn = TF["connection_id"]
    change = {
        "op": "updated",
        "fields": {f"sources.{conn}": {"before": {"unique_id": ARN}, "after": None}},
        "checksum": None,
        "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    }
    update = update_for(change)
    assert update["$unset"] == {f"sources.{conn}": ""}
    assert update["$pull"] == {"joined_by": conn}
    # A joined source's fields being updated is no join or leave.
    change["fields"] = {f"sources.{conn}.fields": {"before": ["role"], "after": []}}
    assert "joined_by" not in str(update_for(change))
