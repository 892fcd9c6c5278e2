"""Record the `network-list` EC2 responses from moto's server into tests/fixtures/aws/.

The fixtures are real responses: this script builds a small network in moto (two VPCs, one
with an IPv6 block, subnets, a peering connection, VPN gateways, VPC endpoints, route
tables, network interfaces, NAT gateways, network ACLs, internet gateways, Elastic IPs and
a transit gateway, tagged or not, some deleted) and dumps what boto3 returns.

Format: `ec2_<operation>_page<N>.json`, the parsed boto3 response minus `ResponseMetadata`,
timestamps as ISO-8601 strings (loaders restore them, see tests/unit/test_mapping_engine.py).

moto ignores `MaxResults` on every one of these calls, so it never returns a second page.
For the paginated calls the recorder splits moto's one response into two pages, items
untouched and in order, and marks the first with a `NextToken` (`SPLIT_TOKEN`): the shape
EC2 pages in, so the tests can drive our pagination over recorded items. The unpaginated
calls (`describe_vpn_gateways`, `describe_addresses`, `describe_customer_gateways`) are
stored whole.

The kinds added later (customer gateways, DHCP option sets, egress-only internet gateways,
transit gateway attachments, managed prefix lists: `ADDED_CALLS`) are recorded through the
api stage's own `fetch_page` (list call and enrichers: the prefix lists AWS owns are dropped),
then split the same way. `--only added` writes those files alone and leaves the others as
they are (tests assert on their contents).

Usage: `.venv/bin/python tools/record_ec2_network_fixtures.py [--out tests/fixtures/aws]
[--only all|original|added]`
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import boto3
from recording import ACCOUNT, isoformat, run, tags  # tools/recording.py

REGION = "us-east-1"
IMAGE = "ami-0c55b159cbfafe1f0"  # any id: moto launches it without the image existing
SPLIT_TOKEN = "recorded-split-page-2"
# (operation, result key, paginated): the calls of network-list.
CALLS = (
    ("describe_vpcs", "Vpcs", True),
    ("describe_subnets", "Subnets", True),
    ("describe_route_tables", "RouteTables", True),
    ("describe_network_acls", "NetworkAcls", True),
    ("describe_internet_gateways", "InternetGateways", True),
    ("describe_nat_gateways", "NatGateways", True),
    ("describe_vpc_endpoints", "VpcEndpoints", True),
    ("describe_vpc_peering_connections", "VpcPeeringConnections", True),
    ("describe_network_interfaces", "NetworkInterfaces", True),
    ("describe_transit_gateways", "TransitGateways", True),
    ("describe_vpn_gateways", "VpnGateways", False),
    ("describe_addresses", "Addresses", False),
)
# (catalogue resource, operation, result key, paginated): recorded after enrichment.
ADDED_CALLS = (
    ("aws.ec2.customer_gateways", "describe_customer_gateways", "CustomerGateways", False),
    ("aws.ec2.dhcp_options", "describe_dhcp_options", "DhcpOptions", True),
    (
        "aws.ec2.egress_only_internet_gateways",
        "describe_egress_only_internet_gateways",
        "EgressOnlyInternetGateways",
        True,
    ),
    (
        "aws.ec2.transit_gateway_attachments",
        "describe_transit_gateway_attachments",
        "TransitGatewayAttachments",
        True,
    ),
    ("aws.ec2.prefix_lists", "describe_managed_prefix_lists", "PrefixLists", True),
)


def _tags(resource_type: str, **tags: str) -> list[dict[str, Any]]:
    return [{"ResourceType": resource_type, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def build_account(endpoint: str) -> None:
    """Create the network the fixtures show (moto's default VPC stays, with one subnet)."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    # moto's default VPC comes with one subnet per zone: keep one, to keep the fixtures small.
    default_subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])
    for subnet in default_subnets["Subnets"][1:]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])

    main = ec2.create_vpc(
        CidrBlock="10.0.0.0/16",
        AmazonProvidedIpv6CidrBlock=True,
        TagSpecifications=_tags("vpc", Name="main", Environment="production"),
    )["Vpc"]["VpcId"]
    peer = ec2.create_vpc(CidrBlock="10.1.0.0/16", InstanceTenancy="dedicated")["Vpc"]["VpcId"]

    public = ec2.create_subnet(
        VpcId=main,
        CidrBlock="10.0.1.0/24",
        AvailabilityZone="us-east-1a",
        TagSpecifications=_tags("subnet", Name="public", Environment="production"),
    )["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=public, MapPublicIpOnLaunch={"Value": True})
    private = ec2.create_subnet(
        VpcId=main,
        CidrBlock="10.0.2.0/24",
        AvailabilityZone="us-east-1b",
        TagSpecifications=_tags("subnet", Name=""),  # an empty Name: the id stands in
    )["Subnet"]["SubnetId"]

    accepted = ec2.create_vpc_peering_connection(
        VpcId=main,
        PeerVpcId=peer,
        TagSpecifications=_tags("vpc-peering-connection", Name="main-peer", Environment="production"),
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=accepted)
    rejected = ec2.create_vpc_peering_connection(VpcId=main, PeerVpcId=peer)
    ec2.reject_vpc_peering_connection(
        VpcPeeringConnectionId=rejected["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    )

    vgw = ec2.create_vpn_gateway(
        Type="ipsec.1",
        AvailabilityZone="us-east-1a",
        AmazonSideAsn=64512,
        TagSpecifications=_tags("vpn-gateway", Name="office-vpn", Environment="production"),
    )["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpcId=main, VpnGatewayId=vgw)
    gone_vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.delete_vpn_gateway(VpnGatewayId=gone_vgw)

    igw = ec2.create_internet_gateway(
        TagSpecifications=_tags("internet-gateway", Name="main-igw", Environment="production")
    )["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=main)
    ec2.create_internet_gateway()  # detached, untagged

    routes = ec2.create_route_table(
        VpcId=main, TagSpecifications=_tags("route-table", Name="public-routes", Environment="production")
    )["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=routes, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=routes, SubnetId=public)

    acl = ec2.create_network_acl(
        VpcId=main, TagSpecifications=_tags("network-acl", Name="private-acl", Environment="production")
    )["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=100,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="10.0.0.0/16",
        PortRange={"From": 443, "To": 443},
    )

    web = ec2.create_security_group(GroupName="web", Description="web tier", VpcId=main)["GroupId"]
    eni = ec2.create_network_interface(
        SubnetId=private,
        Description="app interface",
        Groups=[web],
        PrivateIpAddress="10.0.2.10",
        TagSpecifications=_tags("network-interface", Name="app-eni", Environment="production"),
    )["NetworkInterface"]["NetworkInterfaceId"]

    nat_ip = ec2.allocate_address(
        Domain="vpc", TagSpecifications=_tags("elastic-ip", Name="nat-ip", Environment="production")
    )["AllocationId"]
    ec2.create_nat_gateway(
        SubnetId=public,
        AllocationId=nat_ip,
        TagSpecifications=_tags("natgateway", Name="main-nat", Environment="production"),
    )
    gone_nat_ip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    gone_nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=gone_nat_ip)
    ec2.delete_nat_gateway(NatGatewayId=gone_nat["NatGateway"]["NatGatewayId"])
    eni_ip = ec2.allocate_address(Domain="vpc", TagSpecifications=_tags("elastic-ip", Name="app-ip"))
    ec2.associate_address(AllocationId=eni_ip["AllocationId"], NetworkInterfaceId=eni)
    # An instance: its own interface shows an attachment, and an address held by an instance.
    instance = ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, SubnetId=private)
    instance_ip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=instance_ip, InstanceId=instance["Instances"][0]["InstanceId"])

    ec2.create_vpc_endpoint(
        VpcId=main,
        ServiceName=f"com.amazonaws.{REGION}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[routes],
        TagSpecifications=_tags("vpc-endpoint", Name="s3-endpoint", Environment="production"),
    )
    ec2.create_vpc_endpoint(
        VpcId=main,
        ServiceName=f"com.amazonaws.{REGION}.ssm",
        VpcEndpointType="Interface",
        SubnetIds=[private],
        SecurityGroupIds=[web],
        PrivateDnsEnabled=True,
    )

    ec2.create_transit_gateway(
        Description="hub",
        Options={"AmazonSideAsn": 64513},
        TagSpecifications=_tags("transit-gateway", Name="hub", Environment="production"),
    )
    hub = ec2.describe_transit_gateways(Filters=[{"Name": "tag:Name", "Values": ["hub"]}])
    hub_id = hub["TransitGateways"][0]["TransitGatewayId"]
    ec2.create_transit_gateway()  # untagged, no description (moto forgets deleted ones)
    build_added_kinds(ec2, main, peer, private, hub_id)


def build_added_kinds(ec2: Any, main: str, peer: str, private: str, hub: str) -> None:
    """The kinds added later, on the VPCs above (no new VPC, subnet or interface)."""
    ec2.create_customer_gateway(
        Type="ipsec.1",
        PublicIp="203.0.113.10",
        BgpAsn=65010,
        TagSpecifications=_tags("customer-gateway", Name="office-cgw", Environment="production"),
    )
    gone_cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.11", BgpAsn=65011)
    ec2.delete_customer_gateway(CustomerGatewayId=gone_cgw["CustomerGateway"]["CustomerGatewayId"])

    corp = ec2.create_dhcp_options(
        DhcpConfigurations=[
            {"Key": "domain-name", "Values": ["corp.example"]},
            {"Key": "domain-name-servers", "Values": ["10.0.0.2", "10.0.0.3"]},
        ],
    )["DhcpOptions"]["DhcpOptionsId"]
    # moto ignores TagSpecifications on DHCP option sets and attachments: tagged afterwards.
    ec2.create_tags(Resources=[corp], Tags=tags(Name="corp-dhcp", Environment="production"))
    ec2.create_dhcp_options(DhcpConfigurations=[{"Key": "ntp-servers", "Values": ["10.0.0.4"]}])

    ec2.create_egress_only_internet_gateway(
        VpcId=main,
        TagSpecifications=_tags("egress-only-internet-gateway", Name="v6-egress", Environment="production"),
    )
    ec2.create_egress_only_internet_gateway(VpcId=peer)

    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=hub, VpcId=main, SubnetIds=[private]
    )
    attachment_id = attachment["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    ec2.create_tags(Resources=[attachment_id], Tags=tags(Name="hub-main", Environment="production"))
    peer_subnet = ec2.create_subnet(VpcId=peer, CidrBlock="10.1.1.0/24", AvailabilityZone="us-east-1a")
    # untagged (moto forgets deleted attachments)
    ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=hub, VpcId=peer, SubnetIds=[peer_subnet["Subnet"]["SubnetId"]]
    )

    ec2.create_managed_prefix_list(
        PrefixListName="office-ranges",
        AddressFamily="IPv4",
        MaxEntries=5,
        Entries=[{"Cidr": "203.0.113.0/24", "Description": "office"}],
        TagSpecifications=_tags("prefix-list", Name="office", Environment="production"),
    )
    ec2.create_managed_prefix_list(PrefixListName="v6-ranges", AddressFamily="IPv6", MaxEntries=10)


def _write(out: Path, operation: str, number: int, page: dict[str, Any]) -> Path:
    path = out / f"ec2_{operation}_page{number}.json"
    path.write_text(json.dumps(page, default=isoformat, indent=1, sort_keys=True) + "\n")
    return path


def _write_pages(
    out: Path, operation: str, key: str, paginated: bool, items: list[Any], rest: dict[str, Any]
) -> list[Path]:
    """One page (unpaginated or fewer than 2 items), else two split at the middle."""
    for old in out.glob(f"ec2_{operation}_page*.json"):
        old.unlink()
    if not paginated or len(items) < 2:
        return [_write(out, operation, 1, {**rest, key: items})]
    half = (len(items) + 1) // 2
    return [
        _write(out, operation, 1, {key: items[:half], "NextToken": SPLIT_TOKEN}),
        _write(out, operation, 2, {**rest, key: items[half:]}),
    ]


def record_original(endpoint: str, out: Path) -> list[Path]:
    """Dump the first network-list calls (`CALLS`), raw, into `out`; return the files written."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for operation, key, paginated in CALLS:
        response = getattr(ec2, operation)()
        response.pop("ResponseMetadata", None)
        items = response.pop(key)
        written.extend(_write_pages(out, operation, key, paginated, items, response))
    return written


def record_added(endpoint: str, out: Path) -> list[Path]:
    """Dump the added kinds (`ADDED_CALLS`) as the api stage gets them (list + enrichers)."""
    from services.api.providers.aws import fetch_page
    from shared.catalog import RESOURCES

    scope = {"region": REGION, "region_label": "us-east-1 (N. Virginia)", "account_id": ACCOUNT}
    out.mkdir(parents=True, exist_ok=True)
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    written = []
    for resource_key, operation, key, paginated in ADDED_CALLS:
        resource = RESOURCES[resource_key]
        page = fetch_page(resource, lambda _service: ec2, None, 1000, scope)
        assert page.next_cursor is None, "moto pages these calls: record its pages instead"
        written.extend(_write_pages(out, operation, key, paginated, page.items, {}))
    return written


def record(endpoint: str, out: Path) -> list[Path]:
    """Dump every network-list call into `out`; return the files written."""
    return [*record_original(endpoint, out), *record_added(endpoint, out)]


RECORDERS = {"all": record, "original": record_original, "added": record_added}


def main() -> None:
    """Start moto's server, build the account, record the pages, stop the server."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--only", choices=sorted(RECORDERS), default="all")
    args, rest = parser.parse_known_args()
    sys.argv[1:] = rest  # recording.run parses --out
    run(__doc__.splitlines()[0], build_account, RECORDERS[args.only])


if __name__ == "__main__":
    main()
