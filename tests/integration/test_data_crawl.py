"""DynamoDB tables, SES identities, OpenSearch domains, Site-to-Site VPN connections and FSx
file systems crawled through the four stages (in process, stub broker) on SecantusDB and moto."""

from __future__ import annotations

from typing import Any

from services.embedded.pipeline import EmbeddedPipeline
from tests.support.crawls import (
    applications_of,
    assert_recrawl_deactivates_exactly,
    aws_connection,
    count_active_applications,
    crawl,
    succeeded_units,
)
from tests.support.stack import moto_client

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's
TASKS = ["dynamodb-list", "smtp-list", "search-list", "vpn-list", "nas-list"]
MINE = {
    "aws.dynamodb.tables": ("Database", "DynamoDB (AWS)"),
    "aws.ses.identities": ("SMTP", "SES (AWS)"),
    "aws.opensearch.domains": ("Database", "OpenSearch (AWS)"),
    "aws.ec2.vpn_connections": ("VPN", "Site-to-Site VPN (AWS)"),
    "aws.fsx.file_systems": ("NAS", "FSx (AWS)"),
}
PAGED = 6  # tables and file systems: two pages of 5 (moto pages both)


def client(service: str) -> Any:
    return moto_client(service, REGION)


def seed() -> dict[str, Any]:
    """Resources of every kind; returns what the test deletes afterwards."""
    dynamodb = client("dynamodb")
    for number in range(PAGED):
        dynamodb.create_table(
            TableName=f"table-{number}",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            Tags=[{"Key": "Environment", "Value": "production"}],
        )
    ses = client("ses")
    ses.verify_email_identity(EmailAddress="ops@example.com")
    ses.verify_domain_identity(Domain="example.org")
    opensearch = client("opensearch")
    opensearch.create_domain(
        DomainName="orders-search",
        TagList=[{"Key": "Name", "Value": "orders"}],
        EngineVersion="OpenSearch_2.11",
    )
    opensearch.create_domain(DomainName="logs-search")
    ec2 = client("ec2")
    customer = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.10", BgpAsn=65010)
    customer_id = customer["CustomerGateway"]["CustomerGatewayId"]
    gateway = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    vpns = [
        ec2.create_vpn_connection(
            Type="ipsec.1",
            CustomerGatewayId=customer_id,
            VpnGatewayId=gateway,
            TagSpecifications=[
                {"ResourceType": "vpn-connection", "Tags": [{"Key": "Name", "Value": f"site-{n}"}]}
            ],
        )["VpnConnection"]["VpnConnectionId"]
        for n in range(2)
    ]
    vpc = ec2.create_vpc(CidrBlock="10.4.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.4.1.0/24")["Subnet"]["SubnetId"]
    fsx = client("fsx")
    file_systems = [
        fsx.create_file_system(
            FileSystemType="LUSTRE",
            StorageCapacity=1200,
            SubnetIds=[subnet],
            Tags=[{"Key": "Team", "Value": "hpc"}],
        )["FileSystem"]["ResourceARN"]
        for _ in range(PAGED)
    ]
    return {"vpn": vpns[0], "file_system": file_systems[0]}


def delete_one_of_each(seeded: dict[str, Any]) -> set[str]:
    """Delete one resource of every kind; their unique ids."""
    client("dynamodb").delete_table(TableName="table-0")
    client("ses").delete_identity(Identity="ops@example.com")
    client("opensearch").delete_domain(DomainName="logs-search")
    client("ec2").delete_vpn_connection(VpnConnectionId=seeded["vpn"])  # still listed, as deleted
    client("fsx").delete_file_system(FileSystemId=seeded["file_system"].rsplit("/", 1)[-1])
    return {
        f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/table-0",
        f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/ops@example.com",
        f"arn:aws:es:{REGION}:{ACCOUNT}:domain/logs-search",
        f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpn-connection/{seeded['vpn']}",
        seeded["file_system"],
    }


def test_data_services_crawl_into_applications_and_vanished_ones_are_deactivated(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    seeded = seed()
    conn_id = aws_connection(rt, ["us-east-1 (N. Virginia)"])
    run = crawl(pipeline, conn_id, TASKS)

    units = succeeded_units(run, MINE)
    for key in ("aws.dynamodb.tables", "aws.fsx.file_systems"):
        assert units[key]["pages"]["fetched"] == 2, key  # 6 items, pages of 5
    docs = applications_of(rt, MINE)
    assert count_active_applications(docs, conn_id) == {
        ("Database", "DynamoDB (AWS)"): PAGED,
        ("SMTP", "SES (AWS)"): 2,
        ("Database", "OpenSearch (AWS)"): 2,
        ("VPN", "Site-to-Site VPN (AWS)"): 2,
        ("NAS", "FSx (AWS)"): PAGED,
    }
    by_id = {doc["unique_id"]: doc for doc in docs}
    table = by_id[f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/table-1"]
    assert (table["status"], table["billing_mode"], table["environment"]) == (
        "ACTIVE",
        "PAY_PER_REQUEST",
        "production",
    )
    identity = by_id[f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/example.org"]
    assert (identity["type"], identity["status"]) == ("Domain", "Success")
    domain = by_id[f"arn:aws:es:{REGION}:{ACCOUNT}:domain/orders-search"]
    assert (domain["name"], domain["engine"], domain["version"]) == ("orders", "OpenSearch", "2.11")
    vpn = by_id[f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpn-connection/{seeded['vpn']}"]
    assert (vpn["name"], vpn["status"]) == ("site-0", "available")
    assert all("CustomerGatewayConfiguration" not in str(doc) for doc in docs)
    assert by_id[seeded["file_system"]]["tags"] == [{"key": "Team", "value": "hpc"}]

    gone = delete_one_of_each(seeded)
    assert_recrawl_deactivates_exactly(pipeline, conn_id, TASKS, MINE, gone)
