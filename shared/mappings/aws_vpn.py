"""Site-to-Site VPN connection -> Maestro `applications` document (family VPN).

Input: one element of `VpnConnections` from `ec2.describe_vpn_connections` (one response,
no paginator: `items`), which carries the tags itself.

Decisions:
* `CustomerGatewayConfiguration` is dropped as soon as it is listed (`Resource.drop`): it
  is the device configuration, pre-shared keys included.
* unique_id is the connection's ARN, built from the scope:
  `arn:aws:ec2:<region>:<account>:vpn-connection/<id>`; name the Name tag, else the id.
* status is `State` as AWS spells it (explicit table); `active` is False for deleting and
  deleted (AWS keeps listing deleted connections for a while).
* Tunnels (`VgwTelemetry`, `Options.TunnelOptions`) are not mapped: moto returns neither, so
  no recorded fixture could show them.
"""

from __future__ import annotations

from shared.mapping_specs import active_unless, named_paths, scoped_format
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "VPN"
PROVIDER = "Site-to-Site VPN (AWS)"

STATES = {state: state for state in ("pending", "available", "deleting", "deleted")}


VPN_CONNECTION = app_mapping(
    "VpnConnectionId",
    scoped_format("arn:aws:ec2:{region}:{account}:vpn-connection/{vpn_id}", vpn_id="VpnConnectionId"),
    {
        "type": {"path": "Type"},
        "status": {"path": "State", "lookup": STATES},
        "active": active_unless("State", "deleting", "deleted"),
        "role": {
            "fields": {
                **named_paths("VpnConnectionId CustomerGatewayId VpnGatewayId TransitGatewayId"),
            }
        },
    },
    item_id="VpnConnectionId",
    arn_field=False,
    state="State",
)

RESOURCES = (
    aws_app(
        "aws.ec2.vpn_connections",
        "vpn-list",
        VPN_CONNECTION,
        AwsCall("ec2", "describe_vpn_connections", items="VpnConnections"),
        FAMILY,
        PROVIDER,
        drop=("CustomerGatewayConfiguration",),
    ),
)
