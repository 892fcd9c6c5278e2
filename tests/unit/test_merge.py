"""Merge rules: what a page writes given what Maestro already stores."""

from __future__ import annotations

import datetime as dt

from bson import ObjectId

from services.persist.merge import plan_page, to_mongo_precision, update_for

NOW = dt.datetime(2026, 11, 28, 12, 0, 0, tzinfo=dt.UTC)
CONN = "6560f0f0f0f0f0f0f0f0f0f0"
OTHER_CONN = "6560f0f0f0f0f0f0f0f0f0f1"


def discovered(**overrides: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "unique_id": "arn:aws:ec2:us-east-1:123:instance/i-1",
        "name": "web-01",
        "ipv4_private": "10.0.0.1",
        "ipv4_public": "54.0.0.1",
        "ebs_optimized": False,
        "active": True,
        "status": "Active",
        "roles": [{"_id": ObjectId(), "role": 7}],
        "owner": {"refs": "connections", "_id": ObjectId(CONN)},
        "accountant": [CONN],
        "checksum": "aaa",
    }
    doc.update(overrides)
    return doc


def stored_from(doc: dict[str, object], **overrides: object) -> dict[str, object]:
    stored = {k: v for k, v in doc.items() if v is not None}
    stored.update({"_id": ObjectId(), "created_at": NOW, "updated_at": NOW})
    stored.update(overrides)
    return stored


def test_new_document_is_created_without_none_fields() -> None:
    plan = plan_page("servers", [discovered(ipv4_public=None)], {}, CONN, NOW)
    assert plan.counts == {"created": 1, "updated": 0, "unchanged": 0}
    (change,) = plan.changes
    assert change["op"] == "created"
    document = change["document"]
    assert "ipv4_public" not in document
    assert document["ebs_optimized"] is False  # False is data
    assert document["created_at"] == NOW and document["updated_at"] == NOW
    assert document["_id"] == change["_id"]


def test_unchanged_document_is_not_rewritten() -> None:
    doc = discovered()
    plan = plan_page("servers", [doc], {doc["unique_id"]: stored_from(doc)}, CONN, NOW)  # type: ignore[dict-item]
    assert plan.changes == [] and plan.refresh == []
    assert plan.counts["unchanged"] == 1
    assert plan.seen == [doc["unique_id"]]


def test_changed_field_is_diffed_with_before_and_after() -> None:
    old = discovered()
    new = discovered(ipv4_public="54.0.0.2", checksum="bbb")
    plan = plan_page("servers", [new], {old["unique_id"]: stored_from(old)}, CONN, NOW)  # type: ignore[dict-item]
    (change,) = plan.changes
    assert change["op"] == "updated"
    assert change["fields"] == {"ipv4_public": {"before": "54.0.0.1", "after": "54.0.0.2"}}
    update = update_for(change)
    assert update["$set"] == {"ipv4_public": "54.0.0.2", "checksum": "bbb", "updated_at": NOW}


def test_field_gone_from_the_cloud_is_unset() -> None:
    old = discovered()
    new = discovered(ipv4_public=None, checksum="bbb")
    plan = plan_page("servers", [new], {old["unique_id"]: stored_from(old)}, CONN, NOW)  # type: ignore[dict-item]
    (change,) = plan.changes
    assert change["fields"] == {"ipv4_public": {"before": "54.0.0.1", "after": None}}
    assert update_for(change)["$unset"] == {"ipv4_public": ""}


def test_user_fields_roles_and_owner_are_never_touched() -> None:
    old = discovered()
    stored = stored_from(
        old, description="set by a user", roles=[{"_id": ObjectId(), "role": 3}], checksum="tombstone"
    )
    new = discovered(name="web-01-renamed", checksum="ccc")
    plan = plan_page("servers", [new], {old["unique_id"]: stored}, CONN, NOW)  # type: ignore[dict-item]
    (change,) = plan.changes
    assert set(change["fields"]) == {"name"}
    update = update_for(change)
    assert "description" not in update["$set"] and "roles" not in update["$set"]
    assert "owner" not in update["$set"]


def test_tombstone_with_no_owned_change_only_restores_the_checksum() -> None:
    doc = discovered()
    stored = stored_from(doc, checksum="tombstone", description="user note")
    plan = plan_page("servers", [doc], {doc["unique_id"]: stored}, CONN, NOW)  # type: ignore[dict-item]
    assert plan.changes == []
    assert plan.refresh == [{"_id": stored["_id"], "checksum": "aaa"}]
    assert plan.counts["unchanged"] == 1


def test_inactive_document_seen_again_is_reactivated() -> None:
    doc = discovered()
    stored = stored_from(doc, active=False)
    plan = plan_page("servers", [doc], {doc["unique_id"]: stored}, CONN, NOW)  # type: ignore[dict-item]
    (change,) = plan.changes
    assert change["fields"] == {"active": {"before": False, "after": True}}


def test_second_connection_is_added_to_the_accountant_without_dropping_the_first() -> None:
    doc = discovered(accountant=[OTHER_CONN])
    stored = stored_from(discovered())
    plan = plan_page("servers", [doc], {doc["unique_id"]: stored}, OTHER_CONN, NOW)  # type: ignore[dict-item]
    (change,) = plan.changes
    assert update_for(change)["$addToSet"] == {"accountant": {"$each": [OTHER_CONN]}}


def test_false_and_zero_are_written_when_they_change() -> None:
    old = discovered(ebs_optimized=True, cpu=2)
    new = discovered(ebs_optimized=False, cpu=0, checksum="bbb")
    plan = plan_page("servers", [new], {old["unique_id"]: stored_from(old)}, CONN, NOW)  # type: ignore[dict-item]
    (change,) = plan.changes
    assert update_for(change)["$set"]["ebs_optimized"] is False
    assert update_for(change)["$set"]["cpu"] == 0


def test_duplicate_items_in_a_page_count_once() -> None:
    first = discovered(name="first")
    second = discovered(name="second")
    plan = plan_page("servers", [first, second], {}, CONN, NOW)
    (change,) = plan.changes
    assert change["document"]["name"] == "second"


def test_datetimes_are_compared_at_millisecond_precision() -> None:
    launch = dt.datetime(2026, 1, 1, 0, 0, 0, 123456, tzinfo=dt.UTC)
    old = discovered(metas={"launch_time": launch})
    stored = stored_from(to_mongo_precision(old), checksum="other")
    new = discovered(metas={"launch_time": launch}, checksum="other2")
    plan = plan_page("servers", [new], {old["unique_id"]: stored}, CONN, NOW)  # type: ignore[dict-item]
    assert plan.changes == []


def test_the_same_new_resource_planned_twice_gets_one_id_per_tenant() -> None:
    """Two pages creating the same resource at once (one image listed in two regions) write
    one document: the second insert meets the first's _id instead of making a twin."""
    tenant, other = ObjectId(), ObjectId()
    first = plan_page("images", [discovered()], {}, CONN, NOW, tenant=tenant).changes[0]
    second = plan_page("images", [discovered()], {}, OTHER_CONN, NOW, tenant=tenant).changes[0]
    elsewhere = plan_page("images", [discovered()], {}, CONN, NOW, tenant=other).changes[0]

    assert first["op"] == second["op"] == "created"
    assert first["_id"] == second["_id"]
    assert elsewhere["_id"] != first["_id"]
