"""The EC2 network (network-list): two VPCs, one with an IPv6 block, subnets, a peering
connection, VPN gateways, VPC endpoints, route tables, network interfaces, NAT gateways,
network ACLs, internet gateways, Elastic IPs, transit gateways and their attachments,
customer gateways, DHCP option sets, egress-only internet gateways and managed prefix
lists, tagged or not, some deleted.

moto ignores `MaxResults` on every one of these calls, so it never returns a second page:
the paginated ones (`SPLIT`) are split in two, items untouched and in order, the first
page marked with a `NextToken` (the shape EC2 pages in), so the tests can drive our
pagination over recorded items. describe_vpn_gateways, describe_addresses and
describe_customer_gateways don't page: they are recorded whole.
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import REGION, tags

PAGE_SIZE = 1000  # EC2's largest: moto answers in one page anyway
IMAGE = "ami-0c55b159cbfafe1f0"  # any id: moto launches it without the image existing
SPLIT = (
    "aws.ec2.vpcs",
    "aws.ec2.subnets",
    "aws.ec2.route_tables",
    "aws.ec2.network_acls",
    "aws.ec2.internet_gateways",
    "aws.ec2.nat_gateways",
    "aws.ec2.vpc_endpoints",
    "aws.ec2.vpc_peering_connections",
    "aws.ec2.network_interfaces",
    "aws.ec2.transit_gateways",
    "aws.ec2.dhcp_options",
    "aws.ec2.egress_only_internet_gateways",
    "aws.ec2.transit_gateway_attachments",
    "aws.ec2.prefix_lists",
)


def _tags(resource_type: str, **tags: str) -> list[dict[str, Any]]:
    return [{"ResourceType": resource_type, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def seed(endpoint: str) -> None:
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
