"""Site-to-Site VPN connections: to a virtual private gateway (tagged) and to a transit
gateway, and one deleted.
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import REGION, tags


def seed(endpoint: str) -> None:
    """Create the connections the fixtures show."""
    _build_vpn_connections(boto3.client("ec2", region_name=REGION, endpoint_url=endpoint))


def _build_vpn_connections(ec2: Any) -> None:
    customer = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.10", BgpAsn=65010)
    customer_id = customer["CustomerGateway"]["CustomerGatewayId"]
    gateway = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=customer_id,
        VpnGatewayId=gateway,
        TagSpecifications=[
            {"ResourceType": "vpn-connection", "Tags": tags(Name="office-paris", Environment="production")}
        ],
    )
    transit = ec2.create_transit_gateway(Description="hub")["TransitGateway"]["TransitGatewayId"]
    ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=customer_id, TransitGatewayId=transit)
    old = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=customer_id, VpnGatewayId=gateway)
    ec2.delete_vpn_connection(VpnConnectionId=old["VpnConnection"]["VpnConnectionId"])
