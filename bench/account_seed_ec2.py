"""Seeders of the benchmark's account, EC2 family: networking, compute and storage, Auto Scaling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from account_region import AMI, Region, Seeders

SEEDERS = Seeders()


def _ec2(key: str, make: Callable[[Any, Region, int], Any]) -> None:
    SEEDERS[key] = lambda r, n: make(r.client("ec2"), r, n)


# EC2 networking: one VPC per region holds them all.
_ec2("aws.ec2.vpcs", lambda ec2, r, n: ec2.create_vpc(CidrBlock=f"10.{100 + n}.0.0/16"))
_ec2("aws.ec2.subnets", lambda ec2, r, n: ec2.create_subnet(VpcId=r.vpc, CidrBlock=f"10.8.{10 + n}.0/24"))
_ec2("aws.ec2.route_tables", lambda ec2, r, n: ec2.create_route_table(VpcId=r.vpc))
_ec2("aws.ec2.network_acls", lambda ec2, r, n: ec2.create_network_acl(VpcId=r.vpc))
_ec2("aws.ec2.internet_gateways", lambda ec2, r, n: ec2.create_internet_gateway())
_ec2("aws.ec2.elastic_ips", lambda ec2, r, n: ec2.allocate_address(Domain="vpc"))
_ec2("aws.ec2.vpn_gateways", lambda ec2, r, n: ec2.create_vpn_gateway(Type="ipsec.1"))
_ec2("aws.ec2.transit_gateways", lambda ec2, r, n: ec2.create_transit_gateway(Description=f"tgw-{n}"))
_ec2(
    "aws.ec2.customer_gateways",
    lambda ec2, r, n: ec2.create_customer_gateway(
        Type="ipsec.1", PublicIp=f"203.0.113.{n}", BgpAsn=65000 + n
    ),
)
_ec2(
    "aws.ec2.dhcp_options",
    lambda ec2, r, n: ec2.create_dhcp_options(
        DhcpConfigurations=[{"Key": "domain-name", "Values": [f"n{n}.example"]}]
    ),
)
_ec2(
    "aws.ec2.egress_only_internet_gateways",
    lambda ec2, r, n: ec2.create_egress_only_internet_gateway(VpcId=r.vpc),
)
_ec2(
    "aws.ec2.network_interfaces",
    lambda ec2, r, n: ec2.create_network_interface(SubnetId=r.subnets[n % 2], Groups=[r.group]),
)
_ec2(
    "aws.ec2.nat_gateways",
    lambda ec2, r, n: ec2.create_nat_gateway(
        SubnetId=r.subnets[0], AllocationId=ec2.allocate_address(Domain="vpc")["AllocationId"]
    ),
)
_ec2(
    "aws.ec2.vpc_endpoints",
    lambda ec2, r, n: ec2.create_vpc_endpoint(
        VpcId=r.vpc, ServiceName=f"com.amazonaws.{r.name}.s3", VpcEndpointType="Gateway"
    ),
)
_ec2(
    "aws.ec2.vpc_peering_connections",
    lambda ec2, r, n: ec2.create_vpc_peering_connection(
        VpcId=r.vpc, PeerVpcId=ec2.create_vpc(CidrBlock=f"10.{200 + n}.0.0/16")["Vpc"]["VpcId"]
    ),
)


@SEEDERS.seeds("aws.ec2.transit_gateway_attachments")
def _transit_gateway_attachment(r: Region, n: int) -> None:
    ec2 = r.client("ec2")  # one attachment per VPC and gateway
    vpc = ec2.create_vpc(CidrBlock=f"10.{150 + n}.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{150 + n}.1.0/24")["Subnet"]["SubnetId"]
    ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=r.transit_gateway, VpcId=vpc, SubnetIds=[subnet]
    )


_ec2(
    "aws.ec2.prefix_lists",
    lambda ec2, r, n: ec2.create_managed_prefix_list(
        PrefixListName=f"pl-{n}", MaxEntries=5, AddressFamily="IPv4"
    ),
)
_ec2(
    "aws.ec2.vpn_connections",
    lambda ec2, r, n: ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=r.customer_gateway,
        VpnGatewayId=ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"],
    ),
)
# EC2 compute and storage.
_ec2("aws.ec2.volumes", lambda ec2, r, n: ec2.create_volume(AvailabilityZone=r.zones[0], Size=10 + n))
_ec2("aws.ec2.snapshots", lambda ec2, r, n: ec2.create_snapshot(VolumeId=r.volume, Description=f"snap-{n}"))
_ec2("aws.ec2.images", lambda ec2, r, n: ec2.create_image(InstanceId=r.instance, Name=f"image-{n}"))
_ec2(
    "aws.ec2.security_groups",
    lambda ec2, r, n: ec2.create_security_group(GroupName=f"sg-{n}", Description="bench", VpcId=r.vpc),
)
_ec2(
    "aws.ec2.launch_templates",
    lambda ec2, r, n: ec2.create_launch_template(
        LaunchTemplateName=f"lt-{n}", LaunchTemplateData={"ImageId": AMI, "InstanceType": "t3.micro"}
    ),
)


@SEEDERS.seeds("aws.autoscaling.launch_configurations")
def _launch_configuration(r: Region, n: int) -> None:
    r.client("autoscaling").create_launch_configuration(
        LaunchConfigurationName=f"lc-{n}", ImageId=AMI, InstanceType="t3.micro"
    )


@SEEDERS.seeds("aws.autoscaling.groups")
def _auto_scaling_group(r: Region, n: int) -> None:
    autoscaling = r.client("autoscaling")
    autoscaling.create_launch_configuration(
        LaunchConfigurationName=f"asg-lc-{n}", ImageId=AMI, InstanceType="t3.micro"
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=f"asg-{n}",
        LaunchConfigurationName=f"asg-lc-{n}",
        MinSize=0,
        MaxSize=0,
        DesiredCapacity=0,
        AvailabilityZones=[r.zones[0]],
    )
