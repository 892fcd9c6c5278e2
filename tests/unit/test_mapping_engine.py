"""The mapping engine: load-time validation, field semantics, envelope, checksum, coverage.

`recorded_items` (tests/support/recorded.py) finds the recorded fixtures of any resource
through the catalogue, so the coverage test below runs over every catalogue resource's
mapping without a hand-kept list.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from bson import ObjectId

from shared.catalog import RESOURCES, get_mapping
from shared.errors import MappingError, UnknownTaskError
from shared.mapping import SCOPE_PREFIX, CompiledMapping, Vocabulary, compile_mapping, resolve, translate
from shared.mapping_specs import BUILTIN_TRANSFORMS
from shared.mappings.aws_tags import TAG_READER
from shared.resource import DriverCall
from tests.support.recorded import make_scope, recorded_items

# Sources a recorder cannot produce, per resource, with the reason. Each must really be
# absent from the fixtures (else it is dropped from here) and is checked another way
# (test_ec2_mapping checks every EC2 source path against botocore's output shape).
NOT_RECORDED: dict[str, dict[str, str]] = {
    "aws.ec2.instances": {
        "PlatformDetails": "moto 5 does not return PlatformDetails",
        "BootMode": "moto 5 does not return an instance's BootMode",
        "NetworkInterfaces[].PrivateDnsName": "moto 5's network interfaces carry no PrivateDnsName",
    },
    "aws.docdb.db_clusters": {"Tags[Name]": "AWS's published DocumentDB examples carry no Name tag"},
    # Facts recorded on the machine running the recorder (tools/record_ansible_facts.py).
    "import.ansible.servers": {"_derived.ipv4_public": "the recording machine has no public IPv4"},
    "import.ansible.volumes": {
        "_derived.volume_id": "the recording machine has no EBS volume",
        "model": "its virtio disk reports no model",
    },
}
# Resources no listing can reach yet, so nothing can be recorded for them.
UNREACHABLE: dict[str, str] = {}
# Targets only an edge case fills, one no recorded resource has: their own tests cover them.
EDGE_TARGETS: dict[str, str] = {
    "extra.tags": "tags longer than Maestro's 100 characters (test_ec2_mapping, test_ec2_storage_mapping)",
    "extra.description": "snapshot descriptions over Maestro's 300 characters (test_ec2_storage_mapping)",
}


def definition(**fields: Any) -> dict[str, Any]:
    """A small servers mapping with the given fields (name and unique_id by default)."""
    base = {"name": {"path": "Name"}, "unique_id": {"path": "Id"}}
    return {"item_id": {"path": "Id"}, "required": ["name", "unique_id"], "fields": {**base, **fields}}


# Built-in transforms, and `{"tag": KEY}` read from AWS's `Tags`.
VOCABULARY = Vocabulary(tags=TAG_READER)


def compiled(definition: dict[str, Any], collection: str = "servers") -> CompiledMapping:
    return compile_mapping(definition, name="test.thing", collection=collection, vocabulary=VOCABULARY)


# --- validation when a mapping is loaded -------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": {"pth": "Role"}}, r"'test.thing', field 'role'.*unknown op 'pth'"),
        ({"role": {"path": "Role", "transfrom": "x"}}, r"field 'role'.*unknown op 'transfrom'"),
        ({"role": {"path": "Role", "tag": "Role"}}, r"field 'role'.*exactly one op"),
        (
            {"role": {"path": "Role", "transform": "capitalise"}},
            r"field 'role'.*unknown transform 'capitalise'",
        ),
        ({"hostnme": {"path": "Host"}}, r"field 'hostnme'.*unknown target field"),
        ({"os": {"fields": {"distro": {"path": "D"}}}}, r"field 'os'.*unknown target field 'distro'"),
        ({"owner": {"const": "me"}}, r"field 'owner'.*set by the engine"),
        ({"created_at": {"path": "LaunchTime"}}, r"field 'created_at'.*persist"),
        ({"role": {"scope": "regoin"}}, r"field 'role'.*unknown scope key 'regoin'"),
        ({"role": {"path": "A..B"}}, r"field 'role'.*bad path"),
        ({"role": {"format": "{a}-{b}", "args": {"a": {"path": "A"}}}}, r"field 'role'.*differ"),
        ({"storage": {"each": "Disks"}}, r"field 'storage\[\]'.*fields must be"),
        (
            {"storage": {"each": "Disks", "fields": {"name": {"pth": "N"}}}},
            r"field 'storage\[\].name'.*unknown op 'pth'",
        ),
        (
            {"metas": {"fields": {"x": {"path": "X", "lookup": ["a"]}}}},
            r"field 'metas.x'.*lookup must be a table",
        ),
        ({"datacenters": {"fields": {"provider": {"path": "P"}}}}, r"field 'datacenters'.*engine sets"),
        ({"role": {"const": "x", "default": "y"}}, r"field 'role'.*unknown op 'default'"),
        ({"role": "Role"}, r"field 'role'.*must be a dict"),
    ],
)
def test_a_malformed_mapping_fails_when_loaded_naming_mapping_and_field(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(MappingError, match=message):
        compiled(definition(**fields))


def test_mapping_level_errors_name_the_mapping() -> None:
    with pytest.raises(MappingError, match=r"'test.thing': unknown collection 'servrs'"):
        compiled(definition(), collection="servrs")
    with pytest.raises(MappingError, match="field 'hostname': required but not mapped"):
        compiled({**definition(), "required": ["name", "hostname"]})
    with pytest.raises(MappingError, match=r"'test.thing': unknown keys \['feilds'\]"):
        compiled({**definition(), "feilds": {}})
    with pytest.raises(MappingError, match=r"'test.thing': unknown keys \['collection'\]"):
        compiled({**definition(), "collection": "servers"})
    with pytest.raises(MappingError, match=r"field 'family': set by the mapping's owner"):
        compile_mapping(
            definition(family={"const": "Vpc"}), name="t", collection="networks", constants={"family": "Vpc"}
        )
    with pytest.raises(UnknownTaskError, match=r"no resource 'aws\.ec2\.instance'"):
        get_mapping("aws.ec2.instance")


def test_every_catalogue_resource_has_its_mapping_compiled() -> None:
    for resource in RESOURCES.values():
        mapping = get_mapping(resource.key)
        assert (mapping.name, mapping.collection) == (resource.key, resource.collection)


def test_the_owner_sets_its_constants_on_every_document() -> None:
    mapping = compile_mapping(definition(), name="t", collection="networks", constants={"family": "Vpc"})
    docs, rejected = translate(mapping, [{"Name": "a", "Id": "1"}], make_scope())
    assert rejected == [] and docs[0]["family"] == "Vpc"


# --- field semantics -----------------------------------------------------------------------


def body(fields: dict[str, Any], item: dict[str, Any], **scope: Any) -> dict[str, Any]:
    return compiled(definition(**fields)).body(item, make_scope(**scope))


def test_falsy_values_are_data_only_none_missing_and_empty_strings_are_absent() -> None:
    doc = body(
        {
            "ebs_optimized": {"path": "Ebs.Optimized"},
            "metas": {
                "fields": {
                    "zero": {"path": "Count"},
                    "off": {"path": "Flag"},
                    "empty": {"path": "Text"},
                    "gone": {"path": "Missing"},
                }
            },
        },
        {"Name": "a", "Id": "i-1", "Ebs": {"Optimized": False}, "Count": 0, "Flag": False, "Text": ""},
    )
    assert doc["ebs_optimized"] is False
    assert doc["metas"] == {"zero": 0, "off": False}  # Maestro's validators refuse ""


def test_an_empty_string_at_the_top_level_is_unset() -> None:
    mapping = compiled(
        {"fields": {"name": {"path": "Name"}, "unique_id": {"path": "Id"}, "hostname": {"path": "Host"}}}
    )
    docs, rejected = translate(mapping, [{"Name": "a", "Id": "i-1", "Host": ""}], make_scope())
    assert rejected == [] and docs[0]["hostname"] is None


def test_fits_falls_through_to_a_shorter_value_and_shorten_keeps_head_and_tail() -> None:
    mapping = compiled(
        {
            "fields": {
                "name": {"path": "Name", "shorten": 12},
                "unique_id": {"path": "Id"},
                "size": {"const": 8},
                "volume_id": {"first": [{"path": "Id", "fits": 30}, {"path": "Short", "fits": 30}]},
            },
        },
        collection="volumes",
    )
    long_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/disks/data-1"
    items = [{"Name": "data-disk-of-the-database", "Id": long_id, "Short": "data-1"}]
    docs, rejected = translate(mapping, items, make_scope())
    assert rejected == []
    assert (docs[0]["name"], docs[0]["volume_id"], docs[0]["unique_id"]) == (
        "data-dis…ase",
        "data-1",
        long_id,
    )
    docs, _ = translate(mapping, [{**items[0], "Short": "s" * 31}], make_scope())
    assert docs[0]["volume_id"] is None


@pytest.mark.parametrize(
    ("transform", "value", "expected"),
    [
        ("maestro_bool", True, "true"),
        ("maestro_bool", False, "false"),
        ("root_device", True, "root"),
        ("root_device", False, "secondary"),
        ("iso_time", dt.datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=dt.UTC), "2024-05-01T10:00:00Z"),
        (
            "iso_time",
            dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2024-05-01T10:00:00Z",
        ),
        ("iso_time", "2024-05-01T10:00:00.000+00:00", "2024-05-01T10:00:00Z"),
    ],
)
def test_maestro_string_transforms(transform: str, value: Any, expected: str) -> None:
    assert BUILTIN_TRANSFORMS[transform](value) == expected


def test_absent_top_level_fields_are_none_and_absent_sub_fields_are_dropped() -> None:
    doc = body(
        {
            "hostname": {"path": "Host.Name"},
            "os": {"fields": {"base": {"path": "Os"}}},
            "metas": {"fields": {"a": {"path": "A"}, "b": {"path": "B"}}},
        },
        {"Name": "a", "Id": "i-1", "Host": "not-an-object", "A": 1},
    )
    assert "hostname" in doc and doc["hostname"] is None
    assert doc["os"] is None  # a sub-document with nothing in it is absent as a whole
    assert doc["metas"] == {"a": 1}


def test_tag_lookup_ignores_key_case_and_keeps_the_value_unchanged() -> None:
    item = {"Name": "n", "Id": "i-1", "Tags": [{"Key": "role", "Value": "web-01 MyHost"}]}
    assert body({"role": {"tag": "ROLE"}}, item)["role"] == "web-01 MyHost"
    assert body({"role": {"tag": "Environment"}}, item)["role"] is None


def test_first_takes_the_first_non_none_value() -> None:
    spec = {"hostname": {"first": [{"tag": "Name", "transform": "none_if_blank"}, {"path": "Id"}]}}
    tag = {"Key": "Name", "Value": ""}
    item = {"Name": "n", "Id": "i-1", "Tags": [tag]}
    assert body(spec, item)["hostname"] == "i-1"
    tag["Value"] = "box"
    assert body(spec, item)["hostname"] == "box"


def test_lookup_then_default() -> None:
    spec = {
        "active": {"path": "State", "lookup": {"gone": False}, "default": True},
        "status": {"path": "State", "lookup": {"up": "Active"}},
    }
    assert body(spec, {"Name": "n", "Id": "1", "State": "gone"})["active"] is False
    up = body(spec, {"Name": "n", "Id": "1", "State": "up"})
    assert (up["active"], up["status"]) == (True, "Active")
    odd = body(spec, {"Name": "n", "Id": "1", "State": ["unhashable"]})
    assert (odd["active"], odd["status"]) == (True, None)


def test_each_format_equals_parent_and_scope() -> None:
    spec = {
        "unique_id": {
            "format": "arn:{region}:{id}",
            "args": {"region": {"scope": "region"}, "id": {"path": "Id"}},
        },
        "storage": {
            "each": "Disks",
            "default": [],
            "fields": {
                "name": {"path": "Dev"},
                "size": {"path": "Spec.Size"},
                "root": {"equals": [{"path": "Dev"}, {"parent": "Root"}]},
            },
        },
    }
    doc = body(
        spec,
        {
            "Name": "n",
            "Id": "i-1",
            "Root": "/a",
            "Disks": [{"Dev": "/a", "Spec": {"Size": 0}}, {"Dev": "/b"}, "junk"],
        },
        region="eu-west-1",
    )
    assert doc["unique_id"] == "arn:eu-west-1:i-1"
    assert doc["storage"] == [{"name": "/a", "size": 0, "root": True}, {"name": "/b", "root": False}]
    assert body(spec, {"Name": "n", "Id": "i-1"})["storage"] == []


def test_sources_list_every_target_and_what_it_reads() -> None:
    mapping = compiled(
        definition(
            role={"tag": "Role"},
            storage={"each": "Disks", "fields": {"root": {"equals": [{"path": "Dev"}, {"parent": "Root"}]}}},
            metas={"fields": {"kind": {"const": "x"}, "where": {"scope": "region"}}},
        )
    )
    assert mapping.sources == {
        "name": {"Name"},
        "unique_id": {"Id"},
        "role": {"Tags[Role]"},
        "storage[].root": {"Disks[].Dev", "Root"},
        "metas.kind": frozenset(),
        "metas.where": {"scope:region"},
    }


def test_resolve_reads_source_and_target_paths() -> None:
    data = {
        "A": {"B": 0},
        "L": [{"X": 1}, {"X": None}, {"X": 2}],
        "Tags": [{"Key": "name", "Value": "web-01"}],
    }
    assert resolve(data, "A.B") == [0]
    assert resolve(data, "L[].X") == [1, 2]
    assert resolve(data, "Tags[Name]", TAG_READER) == ["web-01"]
    assert resolve(data, "A.C") == []
    assert resolve({"Tags": [{"Key": "k.io/x", "Value": "v"}]}, "Tags[k.io/x]", TAG_READER) == ["v"]
    with pytest.raises(ValueError, match="needs the mapping's tag reader"):
        resolve(data, "Tags[Name]")


def test_a_tag_op_needs_a_tag_reader() -> None:
    with pytest.raises(MappingError, match="field 'role': a tag op needs a tag reader"):
        compile_mapping(definition(role={"tag": "Role"}), name="test.thing", collection="servers")


# --- envelope, checksum, rejects ----------------------------------------------------------


def ec2_items() -> list[dict[str, Any]]:
    items = recorded_items("aws.ec2.instances")
    assert len(items) >= 8
    return items


def test_the_envelope_comes_from_the_scope() -> None:
    scope = make_scope()
    docs, rejected = translate(get_mapping("aws.ec2.instances"), ec2_items()[:2], scope)
    assert rejected == []
    doc = docs[0]
    assert doc["owner"] == {
        "refs": "connections",
        "name": "My AWS Account",
        "_id": ObjectId(scope["connection_id"]),
    }
    assert doc["accountant"] == [scope["connection_id"]]
    assert doc["roles"] == scope["roles"] and doc["roles"] is not scope["roles"]
    doc["roles"][0]["role"] = 1  # one document's roles are its own
    assert scope["roles"][0]["role"] == 7 and docs[1]["roles"][0]["role"] == 7
    base = {
        "_id": scope["dc_id"],
        "name": "My AWS Account",
        "provider": "AWS",
        "region": "us-east-1 (N. Virginia)",
    }
    assert base.items() <= doc["datacenters"].items()
    assert "created_at" not in doc and "updated_at" not in doc


def test_a_mapping_may_take_the_region_from_the_item_else_the_scope_gives_it() -> None:
    mapping = compiled(definition(datacenters={"fields": {"region": {"path": "Location"}}}))
    scope = make_scope()
    docs, _ = translate(
        mapping, [{"Name": "a", "Id": "1", "Location": "westeurope"}, {"Name": "b", "Id": "2"}], scope
    )
    assert [doc["datacenters"]["region"] for doc in docs] == ["westeurope", scope["region_label"]]
    assert docs[0]["datacenters"]["_id"] == scope["dc_id"]


def test_a_scope_without_datacenter_id_leaves_it_out() -> None:
    docs, _ = translate(get_mapping("aws.ec2.instances"), ec2_items()[:1], make_scope(dc_id=None))
    assert "_id" not in docs[0]["datacenters"]


def checksums(items: list[dict[str, Any]], **scope: Any) -> list[str]:
    docs, rejected = translate(get_mapping("aws.ec2.instances"), items, make_scope(**scope))
    assert rejected == []
    return [doc["checksum"] for doc in docs]


def test_checksum_is_stable_and_ignores_key_order() -> None:
    items = ec2_items()
    first = checksums(items)
    assert first == checksums(copy.deepcopy(items))
    reordered = [dict(reversed(list(item.items()))) for item in items]
    assert checksums(reordered) == first
    assert len(set(first)) == len(first)


def test_checksum_ignores_roles_owner_and_accountant() -> None:
    items = ec2_items()
    other_acl = [{"_id": ObjectId(), "name": "Bob", "refs": "teams", "role": 3}]
    assert checksums(items, roles=other_acl, connection_id=str(ObjectId())) == checksums(items)


def test_checksum_changes_with_the_resource() -> None:
    items = ec2_items()
    changed = copy.deepcopy(items)
    changed[0]["PrivateIpAddress"] = "10.9.9.9"
    before, after = checksums(items), checksums(changed)
    assert before[0] != after[0]
    assert before[1:] == after[1:]


def test_rejected_items_get_a_reason_and_the_others_go_through() -> None:
    items = copy.deepcopy(ec2_items()[:4])
    del items[0]["InstanceId"]  # no id: no unique_id (and no Name fallback)
    items[0]["Tags"] = []
    items[1]["PrivateIpAddress"] = "10.0.0.999"
    items.append("not an instance")  # type: ignore[arg-type]
    docs, rejected = translate(get_mapping("aws.ec2.instances"), items, make_scope())
    assert [doc["datacenters"]["instance_id"] for doc in docs] == [
        items[2]["InstanceId"],
        items[3]["InstanceId"],
    ]
    assert [r["item"] for r in rejected] == [0, items[1]["InstanceId"], 4]
    assert "'unique_id' is missing (read from InstanceId, OwnerId, scope:region)" in rejected[0]["reason"]
    assert "'name' is missing" in rejected[0]["reason"]
    assert "ipv4_private is not an IP address ('10.0.0.999')" in rejected[1]["reason"]
    assert "not an object" in rejected[2]["reason"]


def test_translation_does_not_touch_its_input() -> None:
    items = ec2_items()
    before = copy.deepcopy(items)
    translate(get_mapping("aws.ec2.instances"), items, make_scope())
    assert items == before


# --- every mapping: each mapped field is filled by its fixtures at least once --------------


def filled(values: list[Any]) -> bool:
    return any(value is not None and value != "" for value in values)


# Mappings of libcloud resources read what the real drivers make of replayed responses:
# their own tests (tests/unit/test_libcloud_*_mappings.py) check every field is filled.
NOT_LIBCLOUD = sorted(key for key, r in RESOURCES.items() if not isinstance(r.call, DriverCall))


@pytest.mark.parametrize("name", NOT_LIBCLOUD)
def test_each_mapped_field_is_filled_by_its_fixtures(name: str) -> None:
    if name in UNREACHABLE:
        pytest.skip(UNREACHABLE[name])
    mapping = get_mapping(name)
    items = recorded_items(name)
    assert items, f"no recorded fixtures for {name}: record some (see tools/)"
    scope = make_scope()
    docs, rejected = translate(mapping, items, scope)
    assert rejected == []
    allowed = NOT_RECORDED.get(name, {})
    all_sources = set().union(*mapping.sources.values())
    assert set(allowed) <= all_sources, "NOT_RECORDED names a source the mapping doesn't read"
    unread, empty = [], []
    for target, sources in mapping.sources.items():
        excused = (bool(sources) and sources <= set(allowed)) or target in EDGE_TARGETS
        if not excused and not any(filled(resolve(doc, target, mapping.tags)) for doc in docs):
            empty.append(target)
        for source in sources - set(allowed):
            if source.startswith(SCOPE_PREFIX):
                present = filled(resolve(scope, source.removeprefix(SCOPE_PREFIX)))
            else:
                present = any(filled(resolve(item, source, mapping.tags)) for item in items)
            if not present:
                unread.append(f"{target} <- {source}")
    assert not empty, f"{name}: targets never filled by the fixtures: {empty}"
    assert not unread, f"{name}: sources never present in the fixtures: {unread}"
    for source in allowed:
        assert not any(resolve(item, source, mapping.tags) for item in items), (
            f"{source} is recorded now: drop it from NOT_RECORDED"
        )
