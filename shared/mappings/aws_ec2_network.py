"""EC2 network pieces -> Maestro `networks` documents: the `network-list` task.

One resource and one mapping per kind, declared together (`_kind`), each with its own
`family` (the original's spellings where it had the kind; `VpnGateway` replaces its
inconsistent `VpnGateways`), so the sweep tells them apart. Every list call here returns
the tags itself (network interfaces as `TagSet`), so no enricher is needed.

Decisions:
* unique_id is the ARN: `SubnetArn`/`TransitGatewayArn` where EC2 returns one, else built
  from the item's `OwnerId` (the owning account, which differs from the crawling one for
  shared VPCs) or, for kinds that don't carry it (VPN gateways, NAT gateways, Elastic IPs),
  from the crawled account (customer gateways, DHCP option sets, egress-only internet
  gateways, transit gateway attachments too). A peering connection's ARN is its requester
  side's; a managed prefix list's is its `PrefixListArn`.
* Managed prefix lists: only the account's own; the call also lists AWS's (OwnerId "AWS"),
  which the `ec2_own_prefix_lists` enricher drops. Their name is the Name tag, else their
  own `PrefixListName`.
* A VPC's CIDR is `cidr_block` (the original wrote it into `image_id`).
* name: the Name tag, else the id; environment: the Environment tag (values unchanged).
* `state` keeps the provider's raw value; `status` maps it through an explicit table to
  Maestro's words (Available, Active, Pending, Deleted, Error, Rejected, Expired); a state
  outside the table gives None, never a guess. `active` is False only for states in which
  the resource is gone or going (per kind below); kinds without a state are active while
  listed.
* Creation timestamps go to `metas` (created_at/updated_at belong to persist).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import active_unless, named_paths, scoped_format
from shared.mappings.aws_resource import aws_resource
from shared.mappings.aws_tags import TagList
from shared.resource import AwsCall, Resource

OWNER: dict[str, Any] = {"path": "OwnerId"}
# Maestro's networks' `name` (3 to 30): a longer Name tag gives way to the resource's id.
NAME_LIMIT = 30
ACCOUNT: dict[str, Any] = {"scope": "account_id"}


def attached_vpc_id(attachments: Any) -> str | None:
    """The VPC an internet gateway is attached to (it has one attachment at most)."""
    for attachment in attachments if isinstance(attachments, list) else ():
        if isinstance(attachment, dict) and attachment.get("VpcId"):
            return str(attachment["VpcId"])
    return None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "igw_attached_vpc_id": attached_vpc_id,
}

# --- status tables: the provider's state -> Maestro's status, and states that are inactive --

AVAILABLE_STATES = {"pending": "Pending", "available": "Available"}
SUBNET_STATES = {
    **AVAILABLE_STATES,
    "unavailable": "Error",
    "failed": "Error",
    "failed-insufficient-capacity": "Error",
}
SUBNET_INACTIVE = ("failed", "failed-insufficient-capacity")
PEERING_STATES = {
    "initiating-request": "Pending",
    "pending-acceptance": "Pending",
    "provisioning": "Pending",
    "active": "Active",
    "deleting": "Deleted",
    "deleted": "Deleted",
    "rejected": "Rejected",
    "failed": "Error",
    "expired": "Expired",
}
PEERING_INACTIVE = ("deleting", "deleted", "rejected", "failed", "expired")
GATEWAY_STATES = {**AVAILABLE_STATES, "deleting": "Deleted", "deleted": "Deleted"}
GATEWAY_INACTIVE = ("deleting", "deleted")
NAT_STATES = {**GATEWAY_STATES, "failed": "Error"}
NAT_INACTIVE = (*GATEWAY_INACTIVE, "failed")
TRANSIT_STATES = {**GATEWAY_STATES, "modifying": "Available"}
# The API documents camelCase values (`pendingAcceptance`); the original matched capitalised
# ones (`Deleting`), which EC2 never sends: both are taken, lower case included.
_ENDPOINT = {
    "pendingAcceptance": "Pending",
    "pending": "Pending",
    "available": "Available",
    "partial": "Available",
    "deleting": "Deleted",
    "deleted": "Deleted",
    "rejected": "Rejected",
    "failed": "Error",
    "expired": "Expired",
}
ENDPOINT_STATES = {
    spelling: status
    for state, status in _ENDPOINT.items()
    for spelling in (state, state.lower(), state[0].upper() + state[1:])
}
ENDPOINT_INACTIVE = tuple(
    spelling
    for state in ("deleting", "deleted", "rejected", "failed", "expired")
    for spelling in (state, state.capitalize())
)
# Customer gateways share the gateways' states (pending, available, deleting, deleted).
# Transit gateway attachments: camelCase states, as the API documents them.
ATTACHMENT_STATES = {
    "initiating": "Pending",
    "initiatingRequest": "Pending",
    "pendingAcceptance": "Pending",
    "pending": "Pending",
    "available": "Available",
    "modifying": "Available",
    "rollingBack": "Error",
    "failing": "Error",
    "failed": "Error",
    "rejecting": "Rejected",
    "rejected": "Rejected",
    "deleting": "Deleted",
    "deleted": "Deleted",
}
ATTACHMENT_INACTIVE = ("rollingBack", "failing", "failed", "rejecting", "rejected", "deleting", "deleted")
# Managed prefix lists: a failed modification or restore leaves the list in use (Error, but
# active); a failed creation or a deletion does not.
PREFIX_LIST_STATES = {
    "create-in-progress": "Pending",
    "create-complete": "Available",
    "create-failed": "Error",
    "modify-in-progress": "Available",
    "modify-complete": "Available",
    "modify-failed": "Error",
    "restore-in-progress": "Available",
    "restore-complete": "Available",
    "restore-failed": "Error",
    "delete-in-progress": "Deleted",
    "delete-complete": "Deleted",
    "delete-failed": "Error",
}
PREFIX_LIST_INACTIVE = ("create-failed", "delete-in-progress", "delete-complete")
INTERFACE_STATES = {
    "available": "Available",
    "attaching": "Pending",
    "in-use": "Active",
    "associated": "Active",
    "detaching": "Active",
}


def _arn(kind: str, id_field: str, account: dict[str, Any] = OWNER) -> dict[str, Any]:
    return scoped_format("arn:aws:ec2:{region}:{account}:" + kind + "/{id}", account=account, id=id_field)


def _status(path: str, table: dict[str, str], inactive: tuple[str, ...] | None) -> dict[str, Any]:
    """state (raw), status (tabled) and active from the item's state at `path`."""
    active = {"const": True} if inactive is None else active_unless(path, *inactive)
    return {"state": {"path": path}, "status": {"path": path, "lookup": table}, "active": active}


def _kind(
    key: str,
    family: str,
    call: AwsCall,
    id_field: str,
    unique_id: dict[str, Any],
    fields: dict[str, Any],
    datacenters: dict[str, Any],
    tags_key: str = "Tags",
    enrich: tuple[str, ...] = (),
) -> Resource:
    """One kind of network piece: its resource, and its mapping (the fields every kind
    shares, then the kind's own)."""
    tags = TagList(tags_key)
    mapping = {
        "item_id": {"path": id_field},
        "fields": {
            "name": {"first": [{**tags.value("Name"), "fits": NAME_LIMIT}, {"path": id_field}]},
            "unique_id": unique_id,
            **tags.fields(),
            "environment": tags.value("Environment"),
            **fields,
            "datacenters": {"fields": datacenters},
        },
    }
    return aws_resource(key, "network-list", "networks", mapping, call, family=family, enrich=enrich)


RESOURCES = (
    _kind(
        "aws.ec2.vpcs",
        "Vpc",
        AwsCall("ec2", "describe_vpcs", max_page_size=1000),
        "VpcId",
        _arn("vpc", "VpcId"),
        {
            **named_paths(
                "CidrBlock CidrBlockAssociationSet Ipv6CidrBlockAssociationSet DhcpOptionsId InstanceTenancy",
                "IsDefault VpcId OwnerId",
            ),
            **_status("State", AVAILABLE_STATES, None),
        },
        {"vpc_id": {"path": "VpcId"}},
    ),
    _kind(
        "aws.ec2.subnets",
        "Subnet",
        AwsCall("ec2", "describe_subnets", max_page_size=1000),
        "SubnetId",
        {"first": [{"path": "SubnetArn"}, _arn("subnet", "SubnetId")]},
        {
            **named_paths(
                "CidrBlock AvailabilityZone AvailableIpAddressCount DefaultForAz MapPublicIpOnLaunch",
                "AssignIpv6AddressOnCreation Ipv6CidrBlockAssociationSet Ipv6Native VpcId SubnetId OwnerId",
            ),
            **_status("State", SUBNET_STATES, SUBNET_INACTIVE),
        },
        {
            "zone": {"path": "AvailabilityZone"},
            "zone_id": {"path": "AvailabilityZoneId"},
            **named_paths("VpcId SubnetId"),
        },
    ),
    _kind(
        "aws.ec2.route_tables",
        "RouteTable",
        AwsCall("ec2", "describe_route_tables", max_page_size=100),  # the API's maximum
        "RouteTableId",
        _arn("route-table", "RouteTableId"),
        {
            **named_paths("Routes Associations VpcId OwnerId"),
            "active": {"const": True},
        },
        {"vpc_id": {"path": "VpcId"}},
    ),
    _kind(
        "aws.ec2.vpc_peering_connections",
        "VpcPeering",
        AwsCall("ec2", "describe_vpc_peering_connections", max_page_size=1000),
        "VpcPeeringConnectionId",
        {
            "format": "arn:aws:ec2:{region}:{account}:vpc-peering-connection/{id}",
            "args": {
                "region": {"path": "RequesterVpcInfo.Region"},
                "account": {"path": "RequesterVpcInfo.OwnerId"},
                "id": {"path": "VpcPeeringConnectionId"},
            },
        },
        {
            "requester": {"path": "RequesterVpcInfo"},
            "accepter": {"path": "AccepterVpcInfo"},
            **named_paths("RequesterVpcInfo.VpcId RequesterVpcInfo.CidrBlock RequesterVpcInfo.OwnerId"),
            **_status("Status.Code", PEERING_STATES, PEERING_INACTIVE),
        },
        {
            "vpc_id": {"path": "RequesterVpcInfo.VpcId"},
            "peer_vpc_id": {"path": "AccepterVpcInfo.VpcId"},
            "peer_owner_id": {"path": "AccepterVpcInfo.OwnerId"},
            "peer_region": {"path": "AccepterVpcInfo.Region"},
        },
    ),
    _kind(
        "aws.ec2.vpn_gateways",
        "VpnGateway",
        AwsCall("ec2", "describe_vpn_gateways", items="VpnGateways"),  # not paginated
        "VpnGatewayId",
        _arn("vpn-gateway", "VpnGatewayId", ACCOUNT),
        {
            **named_paths("Type AvailabilityZone VpcAttachments AmazonSideAsn VpnGatewayId"),
            **_status("State", GATEWAY_STATES, GATEWAY_INACTIVE),
        },
        {"zone": {"path": "AvailabilityZone"}},
    ),
    _kind(
        "aws.ec2.vpc_endpoints",
        "VpcEndpoint",
        AwsCall("ec2", "describe_vpc_endpoints", max_page_size=1000),
        "VpcEndpointId",
        _arn("vpc-endpoint", "VpcEndpointId"),
        {
            **named_paths(
                "VpcEndpointType ServiceName VpcId PolicyDocument RouteTableIds SubnetIds Groups",
                "PrivateDnsEnabled NetworkInterfaceIds DnsEntries OwnerId",
            ),
            "metas": {"fields": {"creation_timestamp": {"path": "CreationTimestamp"}}},
            **_status("State", ENDPOINT_STATES, ENDPOINT_INACTIVE),
        },
        {"vpc_id": {"path": "VpcId"}, "subnet_ids": {"path": "SubnetIds"}},
    ),
    _kind(
        "aws.ec2.network_interfaces",
        "NetworkInterfaces",
        AwsCall("ec2", "describe_network_interfaces", max_page_size=1000),
        "NetworkInterfaceId",
        _arn("network-interface", "NetworkInterfaceId"),
        {
            "description": {"path": "Description", "transform": "none_if_blank"},
            **named_paths(
                "InterfaceType AvailabilityZone VpcId SubnetId MacAddress PrivateIpAddress",
                "PrivateIpAddresses Ipv6Addresses Association.PublicIp",
            ),
            "public_dns_name": {"path": "Association.PublicDnsName", "transform": "none_if_blank"},
            **named_paths(
                "Association Attachment Attachment.InstanceId Groups SourceDestCheck RequesterManaged",
                "OwnerId",
            ),
            # A detaching interface still exists: no state makes one inactive.
            **_status("Status", INTERFACE_STATES, None),
        },
        {
            "zone": {"path": "AvailabilityZone"},
            **named_paths("VpcId SubnetId Attachment.InstanceId"),
        },
        tags_key="TagSet",
    ),
    _kind(
        "aws.ec2.nat_gateways",
        "NatGateway",
        AwsCall("ec2", "describe_nat_gateways", max_page_size=1000),
        "NatGatewayId",
        _arn("natgateway", "NatGatewayId", ACCOUNT),
        {
            **named_paths("VpcId SubnetId NatGatewayAddresses"),
            "metas": {"fields": {"create_time": {"path": "CreateTime"}}},
            **_status("State", NAT_STATES, NAT_INACTIVE),
        },
        {"vpc_id": {"path": "VpcId"}, "subnet_id": {"path": "SubnetId"}},
    ),
    _kind(
        "aws.ec2.network_acls",
        "NetworkAcl",
        AwsCall("ec2", "describe_network_acls", max_page_size=1000),
        "NetworkAclId",
        _arn("network-acl", "NetworkAclId"),
        {
            **named_paths("Entries Associations IsDefault VpcId OwnerId"),
            "active": {"const": True},
        },
        {"vpc_id": {"path": "VpcId"}},
    ),
    _kind(
        "aws.ec2.internet_gateways",
        "InternetGateway",
        AwsCall("ec2", "describe_internet_gateways", max_page_size=1000),
        "InternetGatewayId",
        _arn("internet-gateway", "InternetGatewayId"),
        {
            "attachments": {"path": "Attachments"},
            "vpc_id": {"path": "Attachments", "transform": "igw_attached_vpc_id"},
            "owner_id": {"path": "OwnerId"},
            "active": {"const": True},
        },
        {"vpc_id": {"path": "Attachments", "transform": "igw_attached_vpc_id"}},
    ),
    _kind(
        "aws.ec2.elastic_ips",
        "ElasticIp",
        AwsCall("ec2", "describe_addresses", items="Addresses"),  # not paginated
        "AllocationId",
        _arn("elastic-ip", "AllocationId", ACCOUNT),
        {
            **named_paths("PublicIp AllocationId AssociationId Domain"),
            "instance_id": {"path": "InstanceId", "transform": "none_if_blank"},
            **named_paths("NetworkInterfaceId PrivateIpAddress"),
            "active": {"const": True},
        },
        {
            "instance_id": {"path": "InstanceId", "transform": "none_if_blank"},
            "network_interface_id": {"path": "NetworkInterfaceId"},
        },
    ),
    _kind(
        "aws.ec2.transit_gateways",
        "TransitGateway",
        AwsCall("ec2", "describe_transit_gateways", max_page_size=1000),
        "TransitGatewayId",
        {"first": [{"path": "TransitGatewayArn"}, _arn("transit-gateway", "TransitGatewayId")]},
        {
            "description": {"path": "Description", "transform": "none_if_blank"},
            **named_paths("TransitGatewayId Options.AmazonSideAsn Options OwnerId"),
            "metas": {"fields": {"creation_time": {"path": "CreationTime"}}},
            **_status("State", TRANSIT_STATES, GATEWAY_INACTIVE),
        },
        {"transit_gateway_id": {"path": "TransitGatewayId"}},
    ),
    _kind(
        "aws.ec2.customer_gateways",
        "CustomerGateway",
        AwsCall("ec2", "describe_customer_gateways", items="CustomerGateways"),  # not paginated
        "CustomerGatewayId",
        _arn("customer-gateway", "CustomerGatewayId", ACCOUNT),
        {
            "customer_gateway_id": {"path": "CustomerGatewayId"},
            "bgp_asn": {"path": "BgpAsn"},  # a string, as the API sends it
            **named_paths("IpAddress Type"),
            **_status("State", GATEWAY_STATES, GATEWAY_INACTIVE),
        },
        {"ip_address": {"path": "IpAddress"}},
    ),
    # EC2 returns `OwnerId` but moto 5 does not, so the fixtures can't show it: the ARN names
    # the crawled account (a DHCP option set is not shared across accounts).
    _kind(
        "aws.ec2.dhcp_options",
        "DhcpOptions",
        AwsCall("ec2", "describe_dhcp_options", max_page_size=1000),
        "DhcpOptionsId",
        _arn("dhcp-options", "DhcpOptionsId", ACCOUNT),
        {
            **named_paths("DhcpOptionsId DhcpConfigurations"),
            "active": {"const": True},
        },
        {"dhcp_options_id": {"path": "DhcpOptionsId"}},
    ),
    _kind(
        "aws.ec2.egress_only_internet_gateways",
        "EgressOnlyInternetGateway",
        AwsCall("ec2", "describe_egress_only_internet_gateways", max_page_size=255),  # the API's maximum
        "EgressOnlyInternetGatewayId",
        _arn("egress-only-internet-gateway", "EgressOnlyInternetGatewayId", ACCOUNT),
        {
            **named_paths("EgressOnlyInternetGatewayId Attachments"),
            "vpc_id": {"path": "Attachments", "transform": "igw_attached_vpc_id"},
            "active": {"const": True},
        },
        {"vpc_id": {"path": "Attachments", "transform": "igw_attached_vpc_id"}},
    ),
    _kind(
        "aws.ec2.transit_gateway_attachments",
        "TransitGatewayAttachment",
        AwsCall("ec2", "describe_transit_gateway_attachments", max_page_size=1000),
        "TransitGatewayAttachmentId",
        _arn("transit-gateway-attachment", "TransitGatewayAttachmentId", ACCOUNT),
        {
            **named_paths(
                "TransitGatewayAttachmentId TransitGatewayId TransitGatewayOwnerId ResourceType ResourceId",
                "ResourceOwnerId Association",
            ),
            "metas": {"fields": {"creation_time": {"path": "CreationTime"}}},
            **_status("State", ATTACHMENT_STATES, ATTACHMENT_INACTIVE),
        },
        {
            **named_paths("TransitGatewayId ResourceType ResourceId"),
        },
    ),
    # The call also lists the AWS-managed lists (OwnerId "AWS"): the account's own only.
    _kind(
        "aws.ec2.prefix_lists",
        "PrefixList",
        AwsCall("ec2", "describe_managed_prefix_lists", max_page_size=100),  # the API's maximum
        "PrefixListId",
        {"first": [{"path": "PrefixListArn"}, _arn("prefix-list", "PrefixListId")]},
        {
            "name": {
                "first": [
                    {"tag": "Name", "transform": "none_if_blank", "fits": NAME_LIMIT},
                    {"path": "PrefixListName", "fits": NAME_LIMIT},
                    {"path": "PrefixListId"},
                ]
            },
            **named_paths("PrefixListId PrefixListName AddressFamily MaxEntries Version OwnerId"),
            **_status("State", PREFIX_LIST_STATES, PREFIX_LIST_INACTIVE),
        },
        {"prefix_list_id": {"path": "PrefixListId"}},
        enrich=("ec2_own_prefix_lists",),
    ),
)
