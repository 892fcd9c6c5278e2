"""Record DynamoDB, SES, OpenSearch, Site-to-Site VPN and FSx pages from moto.

The fixtures are real: this script builds a small account in moto's server (tables in
both billing modes, e-mail and domain identities, OpenSearch and Elasticsearch domains,
VPN connections to a virtual private gateway and to a transit gateway, one of them
deleted, FSx file systems of three types), then lists every resource the way the api
stage does, through `services.api.providers.aws.fetch_page` (list call, dropped keys,
enrichers), and writes each page's items as `{<result key>: items}` to
`tests/fixtures/aws/<client>_<operation>_<n>.json`.

For the calls moto really pages (DynamoDB tables, FSx file systems), the raw list
responses, tokens included, also go to `pages/<client>_<operation>_<n>.json` for the
pagination tests.

Timestamps are written as ISO-8601 strings (`json.dumps(..., default=isoformat)`).

Usage: `.venv/bin/python tools/record_data_fixtures.py [--out tests/fixtures/aws]`
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import boto3
from recording import record_pages, run, tags  # tools/recording.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
PAGE_SIZE = 2  # three items of the paged calls: two pages
RESOURCE_KEYS = (
    "aws.dynamodb.tables",
    "aws.ses.identities",
    "aws.opensearch.domains",
    "aws.ec2.vpn_connections",
    "aws.fsx.file_systems",
)
RAW_PAGED = ("aws.dynamodb.tables", "aws.fsx.file_systems")
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b0b0b0b-1111-2222-3333-444444444444"


def build_account(endpoint: str) -> None:
    """Create the resources the fixtures show."""

    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint)

    _build_tables(client("dynamodb"))
    ses = client("ses")
    ses.verify_email_identity(EmailAddress="ops@example.com")
    ses.verify_domain_identity(Domain="example.org")
    ses.verify_email_identity(EmailAddress="alerts@example.org")

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.3.{n}.0/24", AvailabilityZone=f"us-east-1{zone}")[
            "Subnet"
        ]["SubnetId"]
        for n, zone in ((1, "a"), (2, "b"))
    ]
    group = ec2.create_security_group(GroupName="data", Description="data", VpcId=vpc)["GroupId"]
    _build_domains(client("opensearch"), subnets[0], group)
    _build_vpn_connections(ec2)
    _build_file_systems(client("fsx"), subnets, group)


def _build_tables(dynamodb: Any) -> None:
    dynamodb.create_table(
        TableName="orders",
        KeySchema=[
            {"AttributeName": "customer", "KeyType": "HASH"},
            {"AttributeName": "placed", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "customer", "AttributeType": "S"},
            {"AttributeName": "placed", "AttributeType": "S"},
            {"AttributeName": "status", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-status",
                "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        Tags=tags(Name="orders-table", Environment="production"),
    )
    for number in range(3):
        dynamodb.put_item(
            TableName="orders",
            Item={"customer": {"S": f"c{number}"}, "placed": {"S": "2026-01-01"}, "status": {"S": "new"}},
        )
    dynamodb.create_table(
        TableName="sessions",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3},
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": KMS_KEY},
        DeletionProtectionEnabled=True,
        Tags=tags(Environment="staging", Name=""),
    )
    dynamodb.create_table(
        TableName="scratch",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def _build_domains(opensearch: Any, subnet: str, group: str) -> None:
    opensearch.create_domain(
        DomainName="orders-search",
        EngineVersion="OpenSearch_2.11",
        ClusterConfig={
            "InstanceType": "r6g.large.search",
            "InstanceCount": 3,
            "DedicatedMasterEnabled": True,
            "DedicatedMasterType": "m6g.large.search",
            "DedicatedMasterCount": 3,
        },
        EBSOptions={"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": 100},
        VPCOptions={"SubnetIds": [subnet], "SecurityGroupIds": [group]},
        EncryptionAtRestOptions={"Enabled": True, "KmsKeyId": KMS_KEY},
        NodeToNodeEncryptionOptions={"Enabled": True},
        DomainEndpointOptions={"EnforceHTTPS": True},
        TagList=tags(Name="orders-search-prod", Environment="production"),
    )
    opensearch.create_domain(DomainName="legacy-logs", EngineVersion="Elasticsearch_7.10")


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


def _build_file_systems(fsx: Any, subnets: list[str], group: str) -> None:
    fsx.create_file_system(
        FileSystemType="LUSTRE",
        StorageCapacity=1200,
        StorageType="SSD",
        SubnetIds=[subnets[0]],
        SecurityGroupIds=[group],
        LustreConfiguration={"DeploymentType": "PERSISTENT_2", "PerUnitStorageThroughput": 125},
        Tags=tags(Name="hpc-scratch", Environment="production"),
    )
    fsx.create_file_system(
        FileSystemType="WINDOWS",
        StorageCapacity=300,
        StorageType="SSD",
        SubnetIds=subnets,
        KmsKeyId=KMS_KEY,
        WindowsConfiguration={
            "DeploymentType": "MULTI_AZ_1",
            "PreferredSubnetId": subnets[0],
            "ThroughputCapacity": 32,
        },
        Tags=tags(Environment="staging"),
    )
    fsx.create_file_system(FileSystemType="OPENZFS", StorageCapacity=64, SubnetIds=[subnets[1]])


def record(endpoint: str, out: Path) -> list[Path]:
    """List every resource through fetch_page, write its pages; return the files written."""
    return record_pages(endpoint, out, RESOURCE_KEYS, PAGE_SIZE, suffix="", raw=RAW_PAGED)


def main() -> None:
    """Start moto's server, build the account, record the pages, stop the server."""
    run(__doc__.splitlines()[0], build_account, record)


if __name__ == "__main__":
    main()
