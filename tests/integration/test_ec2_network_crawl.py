"""network-list through the four stages on moto: one document per network piece, by family."""

from __future__ import annotations

from typing import Any

from services.embedded.pipeline import EmbeddedPipeline
from shared.catalog import RESOURCES
from tests.support.crawls import aws_connection, crawl
from tests.support.stack import moto_client

REGION = "us-east-1"
LABEL = "us-east-1 (N. Virginia)"
ACCOUNT = "123456789012"  # moto's
NETWORK_LIST = [r for r in RESOURCES.values() if r.task == "network-list" and r.provider == "aws"]


def ec2() -> Any:
    return moto_client("ec2", REGION)


def _tags(kind: str, name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]


def seed() -> str:
    """One of each kind in a new VPC (moto adds its default VPC); returns a NACL to delete."""
    client = ec2()
    vpc = client.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=_tags("vpc", "main"))["Vpc"]["VpcId"]
    peer = client.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = client.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")
    subnet_id = subnet["Subnet"]["SubnetId"]
    routes = client.create_route_table(VpcId=vpc, TagSpecifications=_tags("route-table", "public"))
    client.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=peer)
    vgw = client.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    client.attach_vpn_gateway(VpcId=vpc, VpnGatewayId=vgw)
    client.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{REGION}.s3",
        RouteTableIds=[routes["RouteTable"]["RouteTableId"]],
    )
    client.create_network_interface(SubnetId=subnet_id, TagSpecifications=_tags("network-interface", "app"))
    nat_ip = client.allocate_address(Domain="vpc")["AllocationId"]
    client.create_nat_gateway(SubnetId=subnet_id, AllocationId=nat_ip)
    igw = client.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    client.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    client.allocate_address(Domain="vpc", TagSpecifications=_tags("elastic-ip", "spare"))
    hub = client.create_transit_gateway(Description="hub")["TransitGateway"]["TransitGatewayId"]
    acl = client.create_network_acl(VpcId=vpc, TagSpecifications=_tags("network-acl", "doomed"))
    client.create_customer_gateway(
        Type="ipsec.1",
        PublicIp="203.0.113.10",
        BgpAsn=65010,
        TagSpecifications=_tags("customer-gateway", "office"),
    )
    client.create_dhcp_options(DhcpConfigurations=[{"Key": "domain-name", "Values": ["corp.example"]}])
    client.create_egress_only_internet_gateway(VpcId=vpc)
    client.create_transit_gateway_vpc_attachment(TransitGatewayId=hub, VpcId=vpc, SubnetIds=[subnet_id])
    client.create_managed_prefix_list(PrefixListName="office-ranges", AddressFamily="IPv4", MaxEntries=5)
    return str(acl["NetworkAcl"]["NetworkAclId"])


def expected_ids() -> dict[str, set[str]]:
    """The unique_id of every network piece moto lists, by family."""
    client = ec2()

    def arns(kind: str, items: list[dict[str, Any]], key: str) -> set[str]:
        return {f"arn:aws:ec2:{REGION}:{ACCOUNT}:{kind}/{item[key]}" for item in items}

    return {
        "Vpc": arns("vpc", client.describe_vpcs()["Vpcs"], "VpcId"),
        "Subnet": {s["SubnetArn"] for s in client.describe_subnets()["Subnets"]},
        "RouteTable": arns("route-table", client.describe_route_tables()["RouteTables"], "RouteTableId"),
        "VpcPeering": arns(
            "vpc-peering-connection",
            client.describe_vpc_peering_connections()["VpcPeeringConnections"],
            "VpcPeeringConnectionId",
        ),
        "VpnGateway": arns("vpn-gateway", client.describe_vpn_gateways()["VpnGateways"], "VpnGatewayId"),
        "VpcEndpoint": arns("vpc-endpoint", client.describe_vpc_endpoints()["VpcEndpoints"], "VpcEndpointId"),
        "NetworkInterfaces": arns(
            "network-interface",
            client.describe_network_interfaces()["NetworkInterfaces"],
            "NetworkInterfaceId",
        ),
        "NatGateway": arns("natgateway", client.describe_nat_gateways()["NatGateways"], "NatGatewayId"),
        "NetworkAcl": arns("network-acl", client.describe_network_acls()["NetworkAcls"], "NetworkAclId"),
        "InternetGateway": arns(
            "internet-gateway", client.describe_internet_gateways()["InternetGateways"], "InternetGatewayId"
        ),
        "ElasticIp": arns("elastic-ip", client.describe_addresses()["Addresses"], "AllocationId"),
        "TransitGateway": {
            t["TransitGatewayArn"] for t in client.describe_transit_gateways()["TransitGateways"]
        },
        "CustomerGateway": arns(
            "customer-gateway", client.describe_customer_gateways()["CustomerGateways"], "CustomerGatewayId"
        ),
        "DhcpOptions": arns("dhcp-options", client.describe_dhcp_options()["DhcpOptions"], "DhcpOptionsId"),
        "EgressOnlyInternetGateway": arns(
            "egress-only-internet-gateway",
            client.describe_egress_only_internet_gateways()["EgressOnlyInternetGateways"],
            "EgressOnlyInternetGatewayId",
        ),
        "TransitGatewayAttachment": arns(
            "transit-gateway-attachment",
            client.describe_transit_gateway_attachments()["TransitGatewayAttachments"],
            "TransitGatewayAttachmentId",
        ),
        # moto lists AWS's own prefix lists too (OwnerId "AWS"): the crawl keeps the account's.
        "PrefixList": {
            p["PrefixListArn"]
            for p in client.describe_managed_prefix_lists()["PrefixLists"]
            if p["OwnerId"] == ACCOUNT
        },
    }


def test_network_list_crawls_every_kind_and_sweeps_what_vanished(pipeline: EmbeddedPipeline) -> None:
    rt = pipeline.rt
    doomed = seed()
    expected = expected_ids()
    conn_id = aws_connection(rt, [LABEL])

    run = crawl(pipeline, conn_id, ["network-list"])
    assert run["status"] == "succeeded", run["errors"]
    assert len(run["units"]) == len(NETWORK_LIST)  # one per kind in the one region
    # moto answers these calls in one response whatever MaxResults says (paging is tested over
    # recorded pages, tests/unit/test_ec2_network_mapping.py); the stage sends an oversized
    # last response on in page-size slices, each one a page of the unit.
    assert all(u["pages"]["fetched"] == u["pages"]["total"] >= 1 for u in run["units"])
    networks = list(rt.inventory.networks.find())
    found: dict[str, set[str]] = {}
    for doc in networks:
        found.setdefault(doc["family"], set()).add(doc["unique_id"])
        assert doc["accountant"] == [conn_id]
        assert doc["datacenters"]["region"] == LABEL
        assert doc["active"] is True, doc["unique_id"]
    assert {family: found.get(family, set()) for family in expected} == expected
    assert all(ids for ids in found.values())
    names = {doc["name"] for doc in networks}
    assert {"main", "public", "app", "spare", "doomed", "office", "office-ranges"} <= names
    total = len(networks)
    vpc = rt.inventory.networks.find_one({"family": "Vpc", "name": "main"})
    assert vpc is not None and vpc["cidr_block"] == "10.0.0.0/16" and "image_id" not in vpc

    ec2().delete_network_acl(NetworkAclId=doomed)
    again = crawl(pipeline, conn_id, ["network-list"])
    assert again["status"] == "succeeded", again["errors"]
    assert again["documents"] == {"created": 0, "updated": 0, "unchanged": total - 1, "deactivated": 1}
    inactive = [doc["unique_id"] for doc in rt.inventory.networks.find({"active": False})]
    assert inactive == [f"arn:aws:ec2:{REGION}:{ACCOUNT}:network-acl/{doomed}"]
