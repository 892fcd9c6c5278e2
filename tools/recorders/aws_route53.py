"""Route 53 hosted zones: a tagged public zone with a comment, a private zone, an untagged
one (moto pages list_hosted_zones: two a page).
"""

from __future__ import annotations

from recording import REGION, clients, tags

RAW = ("aws.route53.hosted_zones",)


def seed(endpoint: str) -> None:
    """Create the zones the fixtures show."""
    client = clients(endpoint)

    vpc = client("ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    # Route 53: a tagged public zone with a comment, a private zone, an untagged one.
    route53 = client("route53")
    public = route53.create_hosted_zone(
        Name="shop.example.com", CallerReference="shop-1", HostedZoneConfig={"Comment": "storefront"}
    )["HostedZone"]["Id"]
    route53.change_tags_for_resource(
        ResourceType="hostedzone",
        ResourceId=public.removeprefix("/hostedzone/"),
        AddTags=tags(Name="shop-dns", Environment="production"),
    )
    route53.create_hosted_zone(
        Name="internal.shop.example",
        CallerReference="internal-1",
        HostedZoneConfig={"Comment": "", "PrivateZone": True},
        VPC={"VPCRegion": REGION, "VPCId": vpc},
    )
    route53.create_hosted_zone(Name="legacy.example.org", CallerReference="legacy-1")
