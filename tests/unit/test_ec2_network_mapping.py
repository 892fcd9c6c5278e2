"""The network-list mappings over recorded EC2 responses (moto, `python tools/record.py <key>`)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import botocore.session
import pytest

from services.api.providers.aws import fetch_page
from shared import aws_calls, schema
from shared.catalog import RESOURCES, get_mapping, iam_actions
from shared.mapping import SCOPE_PREFIX, translate
from shared.mappings import aws_ec2_network as network
from shared.mappings import aws_tags
from shared.resource import Resource
from tests.support.recorded import in_output_shape, make_scope, recorded_items, recorded_pages

ACCOUNT = "123456789012"  # moto's account: the one the recorded OwnerIds name
SPLIT_TOKEN = "recorded-split-page-2"  # tools/recording.py
NETWORK_RESOURCES = [r for r in RESOURCES.values() if r.task == "network-list" and r.provider == "aws"]
Docs = dict[str, dict[str, Any]]


def scope() -> dict[str, Any]:
    return make_scope(account_id=ACCOUNT)


def documents(mapping: str, items: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    items = recorded_items(mapping) if items is None else items
    docs, rejected = translate(get_mapping(mapping), items, scope())
    assert rejected == []
    assert len(docs) == len(items)
    return docs


def by_name(mapping: str) -> Docs:
    return {doc["name"]: doc for doc in documents(mapping)}


def one_translated(mapping: str, item: dict[str, Any]) -> dict[str, Any]:
    (doc,) = documents(mapping, [item])
    return doc


def recorded(mapping: str, field: str, value: Any) -> dict[str, Any]:
    """A deep copy of the first recorded item whose `field` is `value`."""
    found = [item for item in recorded_items(mapping) if item.get(field) == value]
    assert found, f"no recorded {mapping} item with {field}={value!r}"
    return copy.deepcopy(found[0])


def test_a_name_tag_longer_than_maestro_takes_gives_way_to_the_id() -> None:
    item = recorded("aws.ec2.subnets", "CidrBlock", "10.0.2.0/24")
    item["Tags"] = [{"Key": "Name", "Value": "production-private-us-east-1b-a"}]  # 31: networks take 30
    doc = one_translated("aws.ec2.subnets", item)
    assert (doc["name"], doc["tags"]) == (
        item["SubnetId"],
        [{"key": "Name", "value": item["Tags"][0]["Value"]}],
    )


def arn(kind: str, resource_id: str) -> str:
    return f"arn:aws:ec2:us-east-1:{ACCOUNT}:{kind}/{resource_id}"


# --- the resources in the catalogue -------------------------------------------------------


def test_network_list_has_one_family_per_kind() -> None:
    families = {r.key: r.family for r in NETWORK_RESOURCES}
    assert families == {
        "aws.ec2.vpcs": "Vpc",
        "aws.ec2.subnets": "Subnet",
        "aws.ec2.route_tables": "RouteTable",
        "aws.ec2.vpc_peering_connections": "VpcPeering",
        "aws.ec2.vpn_gateways": "VpnGateway",
        "aws.ec2.vpc_endpoints": "VpcEndpoint",
        "aws.ec2.network_interfaces": "NetworkInterfaces",
        "aws.ec2.nat_gateways": "NatGateway",
        "aws.ec2.network_acls": "NetworkAcl",
        "aws.ec2.internet_gateways": "InternetGateway",
        "aws.ec2.elastic_ips": "ElasticIp",
        "aws.ec2.transit_gateways": "TransitGateway",
        "aws.ec2.customer_gateways": "CustomerGateway",
        "aws.ec2.dhcp_options": "DhcpOptions",
        "aws.ec2.egress_only_internet_gateways": "EgressOnlyInternetGateway",
        "aws.ec2.transit_gateway_attachments": "TransitGatewayAttachment",
        "aws.ec2.prefix_lists": "PrefixList",
    }
    for resource in NETWORK_RESOURCES:
        assert resource.collection == "networks"
        enrich = ("ec2_own_prefix_lists",) if resource.key == "aws.ec2.prefix_lists" else ()
        assert (resource.provider, resource.regional, resource.enrich) == ("aws", True, enrich)
        (action,) = iam_actions(resource)
        operation = "".join(p.capitalize() for p in resource.call.operation.split("_"))
        assert action == f"ec2:{operation}"
        assert get_mapping(resource.key).collection == "networks"
        doc = documents(resource.key)[0]
        assert doc["family"] == resource.family


# --- each kind ---------------------------------------------------------------------------------


def test_vpcs_keep_their_cidr_as_cidr_block() -> None:
    docs = by_name("aws.ec2.vpcs")
    main = docs["main"]
    item = recorded("aws.ec2.vpcs", "CidrBlock", "10.0.0.0/16")
    assert main["unique_id"] == arn("vpc", item["VpcId"])
    assert main["cidr_block"] == "10.0.0.0/16"
    assert "image_id" not in main  # the original's bug
    assert main["ipv6_cidr_block_association_set"][0]["Ipv6Pool"] == "Amazon"
    assert (main["is_default"], main["instance_tenancy"], main["dhcp_options_id"]) == (
        False,
        "default",
        "default",
    )
    assert (main["state"], main["status"], main["active"]) == ("available", "Available", True)
    assert main["tags"] == [{"key": "Name", "value": "main"}, {"key": "Environment", "value": "production"}]
    assert main["environment"] == "production"
    assert main["datacenters"]["vpc_id"] == item["VpcId"]
    default = recorded("aws.ec2.vpcs", "IsDefault", True)
    assert docs[default["VpcId"]]["is_default"] is True  # untagged: named by its id
    assert docs[default["VpcId"]]["environment"] is None


def test_subnets_use_the_arn_ec2_returns_and_fall_back_to_their_id_for_a_name() -> None:
    docs = by_name("aws.ec2.subnets")
    public = docs["public"]
    item = recorded("aws.ec2.subnets", "CidrBlock", "10.0.1.0/24")
    assert public["unique_id"] == item["SubnetArn"] == arn("subnet", item["SubnetId"])
    assert (public["cidr_block"], public["availability_zone"]) == ("10.0.1.0/24", "us-east-1a")
    assert public["available_ip_address_count"] == 249
    assert (public["map_public_ip_on_launch"], public["assign_ipv6_address_on_creation"]) == (True, False)
    assert public["datacenters"]["zone"] == "us-east-1a"
    assert public["datacenters"]["subnet_id"] == item["SubnetId"]
    assert public["datacenters"]["vpc_id"] == item["VpcId"]
    nameless = recorded("aws.ec2.subnets", "CidrBlock", "10.0.2.0/24")  # its Name tag is ""
    assert nameless["SubnetId"] in docs
    assert {"key": "Name"} in docs[nameless["SubnetId"]]["tags"]  # kept, without Maestro's refused ""
    without_arn = {k: v for k, v in item.items() if k != "SubnetArn"}
    assert one_translated("aws.ec2.subnets", without_arn)["unique_id"] == item["SubnetArn"]


def test_route_tables_keep_routes_and_associations() -> None:
    doc = by_name("aws.ec2.route_tables")["public-routes"]
    (table,) = [i for i in recorded_items("aws.ec2.route_tables") if i["Tags"]]
    assert doc["unique_id"] == arn("route-table", table["RouteTableId"])
    assert {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": table["Routes"][2]["GatewayId"],
            "Origin": "CreateRoute", "State": "active"} in doc["routes"]  # fmt: skip
    assert doc["associations"][0]["SubnetId"]
    assert (doc.get("status"), doc.get("state"), doc["active"]) == (None, None, True)  # no state
    assert doc["environment"] == "production"


def test_peering_connections_take_their_state_from_status_code() -> None:
    docs = documents("aws.ec2.vpc_peering_connections")
    active = next(d for d in docs if d["state"] == "active")
    rejected = next(d for d in docs if d["state"] == "rejected")
    assert active["name"] == "main-peer"
    assert (active["status"], active["active"]) == ("Active", True)
    assert (rejected["status"], rejected["active"]) == ("Rejected", False)
    requester = active["requester"]
    assert active["unique_id"].startswith(
        f"arn:aws:ec2:us-east-1:{requester['OwnerId']}:vpc-peering-connection/pcx-"
    )
    assert active["vpc_id"] == requester["VpcId"] == active["datacenters"]["vpc_id"]
    assert active["datacenters"]["peer_vpc_id"] == active["accepter"]["VpcId"]
    assert active["datacenters"]["peer_region"] == "us-east-1"


def test_vpn_gateways_are_named_in_the_crawled_account() -> None:
    docs = documents("aws.ec2.vpn_gateways")
    (office,) = [d for d in docs if d["name"] == "office-vpn"]
    (deleted,) = [d for d in docs if d["state"] == "deleted"]
    assert office["unique_id"] == arn("vpn-gateway", office["vpn_gateway_id"])
    assert (office["type"], office["amazon_side_asn"], office["availability_zone"]) == (
        "ipsec.1",
        64512,
        "us-east-1a",
    )
    assert office["vpc_attachments"][0]["State"] == "attached"
    assert (office["status"], office["active"]) == ("Available", True)
    assert (deleted["status"], deleted["active"]) == ("Deleted", False)
    assert office["datacenters"]["zone"] == "us-east-1a"


def test_vpc_endpoints_of_both_types() -> None:
    docs = documents("aws.ec2.vpc_endpoints")
    gateway = next(d for d in docs if d["vpc_endpoint_type"] == "Gateway")
    interface = next(d for d in docs if d["vpc_endpoint_type"] == "Interface")
    assert gateway["name"] == "s3-endpoint" and gateway["route_table_ids"]
    assert gateway["service_name"] == "com.amazonaws.us-east-1.s3"
    assert interface["name"].startswith("vpce-")
    assert interface["unique_id"] == arn("vpc-endpoint", interface["name"])
    assert interface["subnet_ids"] == interface["datacenters"]["subnet_ids"]
    assert interface["dns_entries"] and interface["network_interface_ids"] and interface["groups"]
    assert interface["private_dns_enabled"] is True
    assert (interface["status"], interface["active"]) == ("Available", True)
    assert interface["metas"]["creation_timestamp"]


def test_network_interfaces_read_their_tag_set() -> None:
    docs = documents("aws.ec2.network_interfaces")
    (app,) = [d for d in docs if d["name"] == "app-eni"]
    assert app["environment"] == "production"
    assert app["tags"] == [{"key": "Name", "value": "app-eni"}, {"key": "Environment", "value": "production"}]
    item = next(i for i in recorded_items("aws.ec2.network_interfaces") if i["TagSet"])
    assert app["unique_id"] == arn("network-interface", item["NetworkInterfaceId"])
    assert (app["private_ip_address"], app["description"], app["public_ip"]) == (
        "10.0.2.10",
        "app interface",
        app["association"]["PublicIp"],
    )
    assert app["source_dest_check"] is True and app["requester_managed"] is False
    assert (app["status"], app["active"]) == ("Available", True)
    (attached,) = [d for d in docs if d.get("attachment")]
    assert (
        attached["instance_id"]
        == attached["attachment"]["InstanceId"]
        == attached["datacenters"]["instance_id"]
    )
    assert (attached["state"], attached["status"]) == ("in-use", "Active")
    unnamed = [d for d in docs if d["name"].startswith("eni-")]
    assert any(d["description"] is None for d in unnamed)  # "" is no description


def test_nat_gateways_deleted_are_inactive() -> None:
    docs = documents("aws.ec2.nat_gateways")
    (main,) = [d for d in docs if d["name"] == "main-nat"]
    (deleted,) = [d for d in docs if d["state"] == "deleted"]
    item = next(i for i in recorded_items("aws.ec2.nat_gateways") if i["Tags"])
    assert main["unique_id"] == arn("natgateway", item["NatGatewayId"])
    assert main["nat_gateway_addresses"][0]["PublicIp"]
    assert (main["status"], main["active"]) == ("Available", True)
    assert (deleted["status"], deleted["active"]) == ("Deleted", False)
    assert main["datacenters"]["vpc_id"] == main["vpc_id"]
    assert main["metas"]["create_time"]


def test_network_acls_keep_false_and_their_entries() -> None:
    docs = documents("aws.ec2.network_acls")
    (private,) = [d for d in docs if d["name"] == "private-acl"]
    assert private["is_default"] is False
    assert private["entries"] == [
        {
            "CidrBlock": "10.0.0.0/16",
            "Egress": False,
            "PortRange": {"From": 443, "To": 443},
            "Protocol": "6",
            "RuleAction": "allow",
            "RuleNumber": 100,
        }
    ]
    assert sum(d["is_default"] for d in docs) == 3  # one per VPC
    assert all(d["active"] is True and d.get("status") is None for d in docs)


def test_internet_gateways_name_their_vpc() -> None:
    docs = documents("aws.ec2.internet_gateways")
    (attached,) = [d for d in docs if d["name"] == "main-igw"]
    (detached,) = [d for d in docs if d["name"] != "main-igw"]
    assert attached["vpc_id"] == attached["attachments"][0]["VpcId"] == attached["datacenters"]["vpc_id"]
    assert (detached["vpc_id"], detached["attachments"], detached["tags"]) == (None, [], [])
    assert detached["unique_id"] == arn("internet-gateway", detached["name"])


def test_elastic_ips_are_keyed_by_allocation_id() -> None:
    docs = documents("aws.ec2.elastic_ips")
    assert len(docs) == 4
    for doc in docs:
        assert doc["unique_id"] == arn("elastic-ip", doc["allocation_id"])
        assert doc["public_ip"] and doc["domain"] == "vpc"
    (held,) = [d for d in docs if d["instance_id"]]
    assert held["datacenters"]["instance_id"] == held["instance_id"]
    (app,) = [d for d in docs if d["name"] == "app-ip"]
    assert app["instance_id"] is None  # EC2's "" for an address on an interface
    assert app["private_ip_address"] == "10.0.2.10"


def test_transit_gateways_use_the_arn_ec2_returns() -> None:
    docs = documents("aws.ec2.transit_gateways")
    (hub,) = [d for d in docs if d["name"] == "hub"]
    (bare,) = [d for d in docs if d["name"] != "hub"]
    item = recorded("aws.ec2.transit_gateways", "Description", "hub")
    assert hub["unique_id"] == item["TransitGatewayArn"] == arn("transit-gateway", item["TransitGatewayId"])
    assert (hub["name"], hub["description"], hub["amazon_side_asn"]) == ("hub", "hub", 64513)
    assert (hub["status"], hub["active"]) == ("Available", True)
    assert (bare["name"], bare["description"], bare["tags"]) == (bare["transit_gateway_id"], None, [])


def test_customer_gateways_keep_asn_ip_and_type() -> None:
    docs = documents("aws.ec2.customer_gateways")
    (office,) = [d for d in docs if d["name"] == "office-cgw"]
    (deleted,) = [d for d in docs if d["state"] == "deleted"]
    assert office["unique_id"] == arn("customer-gateway", office["customer_gateway_id"])
    assert (office["bgp_asn"], office["ip_address"], office["type"]) == ("65010", "203.0.113.10", "ipsec.1")
    assert (office["status"], office["active"], office["environment"]) == ("Available", True, "production")
    assert office["tags"] == [
        {"key": "Name", "value": "office-cgw"},
        {"key": "Environment", "value": "production"},
    ]
    assert office["datacenters"]["ip_address"] == "203.0.113.10"
    assert (deleted["status"], deleted["active"], deleted["tags"]) == ("Deleted", False, [])
    assert deleted["name"] == deleted["customer_gateway_id"]


def test_dhcp_option_sets_keep_their_configurations() -> None:
    docs = documents("aws.ec2.dhcp_options")
    (corp,) = [d for d in docs if d["name"] == "corp-dhcp"]
    (bare,) = [d for d in docs if d["name"] != "corp-dhcp"]
    assert corp["unique_id"] == arn("dhcp-options", corp["dhcp_options_id"])
    assert {"Key": "domain-name", "Values": [{"Value": "corp.example"}]} in corp["dhcp_configurations"]
    assert (corp["environment"], corp["active"], corp.get("status"), corp.get("state")) == (
        "production",
        True,
        None,
        None,
    )  # no state
    assert corp["datacenters"]["dhcp_options_id"] == corp["dhcp_options_id"]
    assert (bare["name"], bare["tags"]) == (bare["dhcp_options_id"], [])


def test_egress_only_internet_gateways_name_their_vpc() -> None:
    docs = documents("aws.ec2.egress_only_internet_gateways")
    (tagged,) = [d for d in docs if d["name"] == "v6-egress"]
    (bare,) = [d for d in docs if d["name"] != "v6-egress"]
    assert tagged["unique_id"] == arn(
        "egress-only-internet-gateway", tagged["egress_only_internet_gateway_id"]
    )
    assert tagged["vpc_id"] == tagged["attachments"][0]["VpcId"] == tagged["datacenters"]["vpc_id"]
    assert tagged["attachments"][0]["State"] == "attached"
    assert (tagged["active"], tagged["environment"]) == (True, "production")
    assert bare["name"] == bare["egress_only_internet_gateway_id"] and bare["vpc_id"] != tagged["vpc_id"]


def test_transit_gateway_attachments_name_their_gateway_and_resource() -> None:
    docs = documents("aws.ec2.transit_gateway_attachments")
    (main,) = [d for d in docs if d["name"] == "hub-main"]
    (bare,) = [d for d in docs if d["name"] != "hub-main"]
    assert main["unique_id"] == arn("transit-gateway-attachment", main["transit_gateway_attachment_id"])
    assert main["transit_gateway_id"].startswith("tgw-") and main["resource_id"].startswith("vpc-")
    assert (main["resource_type"], main["resource_owner_id"], main["transit_gateway_owner_id"]) == (
        "vpc",
        ACCOUNT,
        ACCOUNT,
    )
    assert main["datacenters"]["transit_gateway_id"] == main["transit_gateway_id"]
    assert main["datacenters"]["resource_id"] == main["resource_id"]
    assert main["association"]["State"] == "associated"
    assert (main["state"], main["status"], main["active"]) == ("available", "Available", True)
    assert main["metas"]["creation_time"]
    assert (bare["tags"], bare["environment"]) == ([], None)  # moto sends no Tags key at all


def test_prefix_lists_use_their_arn_and_own_name() -> None:
    docs = documents("aws.ec2.prefix_lists")
    (office,) = [d for d in docs if d["name"] == "office"]
    (v6,) = [d for d in docs if d["name"] != "office"]
    item = recorded("aws.ec2.prefix_lists", "PrefixListName", "office-ranges")
    assert office["unique_id"] == item["PrefixListArn"] == arn("prefix-list", item["PrefixListId"])
    assert (office["address_family"], office["max_entries"], office["version"]) == ("IPv4", 5, 1)
    assert (office["owner_id"], office["prefix_list_name"]) == (ACCOUNT, "office-ranges")
    assert (office["state"], office["status"], office["active"]) == ("create-complete", "Available", True)
    assert v6["name"] == "v6-ranges"  # untagged: its own name, not its id
    assert v6["address_family"] == "IPv6" and v6["datacenters"]["prefix_list_id"] == v6["prefix_list_id"]
    assert all(i["OwnerId"] != "AWS" for i in recorded_items("aws.ec2.prefix_lists"))


def test_prefix_lists_drop_the_ones_aws_owns() -> None:
    resource = RESOURCES["aws.ec2.prefix_lists"]
    own = recorded_items("aws.ec2.prefix_lists")
    aws_owned = {**copy.deepcopy(own[0]), "OwnerId": "AWS", "PrefixListName": "com.amazonaws.us-east-1.s3"}

    class Client:
        def describe_managed_prefix_lists(self, **params: Any) -> dict[str, Any]:
            return {"PrefixLists": [aws_owned, *copy.deepcopy(own)]}

    assert crawl(resource, Client(), page_size=100) == own


# --- status tables -----------------------------------------------------------------------------


def with_state(mapping: str, path: str, state: str) -> dict[str, Any]:
    item = copy.deepcopy(recorded_items(mapping)[0])
    *parents, key = path.split(".")
    target = item
    for parent in parents:
        target = target[parent]
    target[key] = state
    return one_translated(mapping, item)


@pytest.mark.parametrize(
    ("mapping", "path", "state", "status", "active"),
    [
        ("aws.ec2.vpcs", "State", "pending", "Pending", True),
        ("aws.ec2.subnets", "State", "failed", "Error", False),
        ("aws.ec2.subnets", "State", "unavailable", "Error", True),
        ("aws.ec2.vpc_peering_connections", "Status.Code", "pending-acceptance", "Pending", True),
        ("aws.ec2.vpc_peering_connections", "Status.Code", "deleted", "Deleted", False),
        ("aws.ec2.vpc_peering_connections", "Status.Code", "failed", "Error", False),
        ("aws.ec2.vpc_peering_connections", "Status.Code", "expired", "Expired", False),
        ("aws.ec2.vpn_gateways", "State", "deleting", "Deleted", False),
        ("aws.ec2.vpc_endpoints", "State", "pendingAcceptance", "Pending", True),
        ("aws.ec2.vpc_endpoints", "State", "Rejected", "Rejected", False),
        ("aws.ec2.vpc_endpoints", "State", "expired", "Expired", False),
        ("aws.ec2.vpc_endpoints", "State", "Deleting", "Deleted", False),
        ("aws.ec2.network_interfaces", "Status", "detaching", "Active", True),
        ("aws.ec2.nat_gateways", "State", "failed", "Error", False),
        ("aws.ec2.nat_gateways", "State", "deleting", "Deleted", False),
        ("aws.ec2.nat_gateways", "State", "pending", "Pending", True),
        ("aws.ec2.transit_gateways", "State", "modifying", "Available", True),
        ("aws.ec2.transit_gateways", "State", "deleted", "Deleted", False),
        ("aws.ec2.customer_gateways", "State", "pending", "Pending", True),
        ("aws.ec2.customer_gateways", "State", "deleting", "Deleted", False),
        ("aws.ec2.transit_gateway_attachments", "State", "pendingAcceptance", "Pending", True),
        ("aws.ec2.transit_gateway_attachments", "State", "modifying", "Available", True),
        ("aws.ec2.transit_gateway_attachments", "State", "rejected", "Rejected", False),
        ("aws.ec2.transit_gateway_attachments", "State", "failed", "Error", False),
        ("aws.ec2.transit_gateway_attachments", "State", "deleted", "Deleted", False),
        ("aws.ec2.prefix_lists", "State", "create-in-progress", "Pending", True),
        ("aws.ec2.prefix_lists", "State", "modify-failed", "Error", True),
        ("aws.ec2.prefix_lists", "State", "create-failed", "Error", False),
        ("aws.ec2.prefix_lists", "State", "delete-complete", "Deleted", False),
        ("aws.ec2.prefix_lists", "State", "delete-failed", "Error", True),
        ("aws.ec2.vpcs", "State", "something-new", None, True),  # no guess
    ],
)
def test_status_and_active_tables(
    mapping: str, path: str, state: str, status: str | None, active: bool
) -> None:
    doc = with_state(mapping, path, state)
    assert (doc["state"], doc["status"], doc["active"]) == (state, status, active)


# --- every document --------------------------------------------------------------------------


def test_every_document_validates_and_every_unique_id_is_an_arn_of_its_own() -> None:
    seen: set[str] = set()
    for resource in NETWORK_RESOURCES:
        for doc in documents(resource.key):
            assert schema.validate("networks", doc) == [], doc["name"]
            assert schema.warnings("networks", doc) == [], doc["name"]
            assert doc["unique_id"].startswith(f"arn:aws:ec2:us-east-1:{ACCOUNT}:")
            assert doc["unique_id"] not in seen
            seen.add(doc["unique_id"])
            assert isinstance(doc["tags"], list) and isinstance(doc["active"], bool)
            assert "" not in (doc["name"], doc.get("status"), doc["environment"])
    assert len(seen) > 30


@pytest.mark.parametrize("resource", NETWORK_RESOURCES, ids=lambda r: r.key)
def test_every_source_path_exists_in_botocore_output(resource: Resource) -> None:
    model = botocore.session.get_session().get_service_model("ec2")
    operation = "".join(p.capitalize() for p in resource.call.operation.split("_"))
    result_key = aws_calls.pagination(resource.call).result_key
    item_shape = model.operation_model(operation).output_shape.members[result_key].member
    sources = set().union(*get_mapping(resource.key).sources.values())
    unknown = [s for s in sources if not s.startswith(SCOPE_PREFIX) and not in_output_shape(s, item_shape)]
    assert unknown == []


# --- pagination over the recorded pages ------------------------------------------------------


class ReplayClient:
    """An EC2 client answering one operation from recorded pages, by NextToken."""

    def __init__(self, resource: Resource, pages: list[dict[str, Any]]) -> None:
        self.calls: list[dict[str, Any]] = []
        self.pages = pages
        setattr(self, resource.call.operation, self._answer)

    def _answer(self, **params: Any) -> dict[str, Any]:
        self.calls.append(params)
        return self.pages[1] if params.get("NextToken") == SPLIT_TOKEN else self.pages[0]


def crawl(resource: Resource, client: Any, page_size: int) -> list[dict[str, Any]]:
    """Every item of the resource, page after page, as the api stage fetches them."""
    items: list[dict[str, Any]] = []
    cursor = None
    client_for: Callable[[str], Any] = lambda name: client  # noqa: E731
    for _ in range(10):
        page = fetch_page(resource, client_for, cursor, page_size, scope())
        items.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return items
    raise AssertionError("pagination never ended")


PAGINATED = [r for r in NETWORK_RESOURCES if aws_calls.pagination(r.call).limit_key]


@pytest.mark.parametrize("resource", PAGINATED, ids=lambda r: r.key)
def test_paginated_calls_follow_next_token_over_two_recorded_pages(resource: Resource) -> None:
    pages = recorded_pages(resource.key)
    assert len(pages) == 2 and pages[0]["NextToken"] == SPLIT_TOKEN and "NextToken" not in pages[1]
    client = ReplayClient(resource, pages)
    items = crawl(resource, client, page_size=200)
    limit = min(200, resource.call.max_page_size or 200)
    assert client.calls == [{"MaxResults": limit}, {"MaxResults": limit, "NextToken": SPLIT_TOKEN}]
    assert items == recorded_items(resource.key)


def test_route_tables_ask_for_at_most_the_api_maximum() -> None:
    resource = RESOURCES["aws.ec2.route_tables"]
    assert aws_calls.request_params(resource.call, None, 1000) == {"MaxResults": 100}
    assert aws_calls.request_params(RESOURCES["aws.ec2.vpcs"].call, None, 1000) == {"MaxResults": 1000}
    for key, maximum in (("aws.ec2.egress_only_internet_gateways", 255), ("aws.ec2.prefix_lists", 100)):
        assert aws_calls.request_params(RESOURCES[key].call, None, 1000) == {"MaxResults": maximum}


@pytest.mark.parametrize("key", ["aws.ec2.vpn_gateways", "aws.ec2.elastic_ips", "aws.ec2.customer_gateways"])
def test_unpaginated_calls_are_one_page_without_a_limit(key: str) -> None:
    resource = RESOURCES[key]
    client = ReplayClient(resource, recorded_pages(resource.key))
    items = crawl(resource, client, page_size=200)
    assert client.calls == [{}]
    assert items == recorded_items(resource.key) and len(items) >= 2


def test_tag_helpers() -> None:
    tags = [{"Key": "name", "Value": "a"}, {"Key": "Environment", "Value": " "}]
    assert aws_tags.tag_value(tags, "Name") == "a"  # key case-insensitive
    assert aws_tags.tag_value(tags, "Environment") is None  # blank is none
    assert aws_tags.tag_value(None, "Name") is None
    assert network.attached_vpc_id([{"State": "available", "VpcId": "vpc-1"}]) == "vpc-1"
    assert network.attached_vpc_id([]) is None
