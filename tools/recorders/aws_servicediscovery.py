"""Cloud Map namespaces of the three types: HTTP (tagged), private DNS in a VPC, public DNS.
moto answers list_namespaces in one page.
"""

from __future__ import annotations

from recording import clients, tags


def seed(endpoint: str) -> None:
    """Create the namespaces the fixtures show."""
    client = clients(endpoint)

    vpc = client("ec2").create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    cloudmap = client("servicediscovery")
    cloudmap.create_http_namespace(
        Name="orders",
        Description="Order services",
        Tags=tags(Name="orders-services", Environment="production"),
    )
    cloudmap.create_private_dns_namespace(Name="corp.internal", Vpc=vpc, Tags=tags(Environment="staging"))
    cloudmap.create_public_dns_namespace(Name="example.com", Description="")
