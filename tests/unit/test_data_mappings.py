"""DynamoDB, SES, OpenSearch, Site-to-Site VPN and FSx mappings, and their enrichers.

Over the pages recorded from moto after enrichment (`python tools/record.py <key>`). The raw
list pages of the calls moto pages (tables, file systems), tokens included, are under
fixtures/aws/pages.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.api.providers.enrich import PageContext
from services.api.providers.enrich.dynamodb import describe_tables
from services.api.providers.enrich.opensearch import describe_domains
from services.api.providers.enrich.ses import verification_status
from shared.aws_calls import extract_items, next_cursor, pagination, request_params
from shared.catalog import RESOURCES, get_mapping
from shared.mapping import translate
from shared.mappings.aws_search import opensearch_engine, opensearch_version
from shared.mappings.aws_ses import ses_domain, ses_identity_type
from tests.support.recorded import (
    application_documents,
    assert_states,
    fixture_paths,
    make_scope,
    raw_pages,
    raw_state,
    recorded_items,
    tag_dict,
)

ACCOUNT = "123456789012"  # moto's, in the recorded ARNs
KEYS = (
    "aws.dynamodb.tables",
    "aws.ses.identities",
    "aws.opensearch.domains",
    "aws.ec2.vpn_connections",
    "aws.fsx.file_systems",
)


@pytest.mark.parametrize("key", KEYS)
def test_every_resource_is_an_application_with_a_unique_arn(key: str) -> None:
    docs = application_documents(key)
    ids = [doc["unique_id"] for doc in docs.values()]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("arn:aws:") and f":us-east-1:{ACCOUNT}:" in i for i in ids)
    assert all(doc["datacenters"]["region"] == "us-east-1 (N. Virginia)" for doc in docs.values())
    assert RESOURCES[key].collection == "applications" and RESOURCES[key].regional


# --- DynamoDB ------------------------------------------------------------------------------


def test_dynamodb_tables() -> None:
    docs = application_documents("aws.dynamodb.tables")
    assert set(docs) == {"orders-table", "sessions", "scratch"}  # Name tag, else the table name
    orders = docs["orders-table"]
    assert orders["unique_id"] == orders["arn"] == f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders"
    assert (orders["status"], raw_state(orders), orders["active"], orders["engine"]) == (
        "ACTIVE",
        "ACTIVE",
        True,
        "DynamoDB",
    )
    assert (orders["item_count"], orders["size_bytes"], orders["billing_mode"]) == (3, 0, "PAY_PER_REQUEST")
    assert orders["role"]["key_schema"] == [
        {"name": "customer", "type": "HASH"},
        {"name": "placed", "type": "RANGE"},
    ]
    assert orders["role"]["global_secondary_indexes"] == [{"name": "by-status", "status": "ACTIVE"}]
    assert orders["role"]["stream_view_type"] == "NEW_AND_OLD_IMAGES"
    assert orders["stream"].startswith(orders["unique_id"] + "/stream/")
    assert (orders["environment"], tag_dict(orders)) == (
        "production",
        {"Name": "orders-table", "Environment": "production"},
    )
    assert orders["encrypted"] is None  # AWS-owned key: no SSEDescription, so unknown, not False
    sessions = docs["sessions"]  # an empty Name tag falls back to the table name
    assert (sessions["billing_mode"], sessions["item_count"]) == ("PROVISIONED", 0)  # 0 kept
    assert (sessions["role"]["read_capacity"], sessions["role"]["write_capacity"]) == (5, 3)
    assert (sessions["encrypted"], sessions["kms_key_id"].startswith("arn:aws:kms:")) == (True, True)
    assert sessions["role"]["deletion_protection"] is True
    assert docs["scratch"]["role"]["deletion_protection"] is False  # False is data
    assert (docs["scratch"]["tags"], docs["scratch"]["environment"], docs["scratch"]["stream"]) == (
        [],
        None,
        None,
    )


def test_dynamodb_statuses_from_an_explicit_table() -> None:
    (item,) = [i for i in recorded_items("aws.dynamodb.tables") if i["TableName"] == "scratch"]
    assert_states(
        "aws.dynamodb.tables",
        item,
        "TableStatus",
        {
            "CREATING": ("CREATING", True),
            "UPDATING": ("UPDATING", True),
            "ACTIVE": ("ACTIVE", True),
            "INACCESSIBLE_ENCRYPTION_CREDENTIALS": ("INACCESSIBLE_ENCRYPTION_CREDENTIALS", True),
            "DELETING": ("DELETING", False),
            "ARCHIVING": ("ARCHIVING", False),
            "ARCHIVED": ("ARCHIVED", False),
            "SOMETHING_NEW": (None, True),
        },
    )


def test_a_table_without_billing_summary_was_always_provisioned() -> None:
    mapping = get_mapping("aws.dynamodb.tables")
    (item,) = [i for i in recorded_items(mapping.name) if i["TableName"] == "sessions"]
    bare = {key: value for key, value in item.items() if key != "BillingModeSummary"}
    docs, _ = translate(mapping, [bare], make_scope())
    assert docs[0]["billing_mode"] == "PROVISIONED"


def test_dynamodb_list_tables_pages_by_last_evaluated_table_name() -> None:
    call = RESOURCES["aws.dynamodb.tables"].call
    first, second = raw_pages("aws.dynamodb.tables")
    assert request_params(call, None, 2) == {"Limit": 2}
    assert request_params(call, None, 5000) == {"Limit": 100}  # the API's maximum
    cursor = next_cursor(call, first)
    assert cursor == "sessions"
    assert request_params(call, cursor, 2) == {"Limit": 2, "ExclusiveStartTableName": "sessions"}
    assert next_cursor(call, second) is None
    names = [item["TableName"] for page in (first, second) for item in extract_items(call, page)]
    assert names == ["orders", "sessions", "scratch"]  # names wrapped under item_key
    enriched = [item["TableName"] for item in recorded_items("aws.dynamodb.tables")]
    assert enriched == names  # the enriched pages replay through the same extraction


class FakeClient:
    """A boto3 client stand-in: records calls, answers from a function."""

    def __init__(self, **answers: Any) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.answers = answers

    def __getattr__(self, operation: str) -> Any:
        def call(**params: Any) -> Any:
            self.calls.append((operation, params))
            return self.answers[operation](**params)

        return call


def context(key: str, client: FakeClient) -> PageContext:
    return PageContext(resource=RESOURCES[key], scope=make_scope(account_id=ACCOUNT), client=lambda _: client)


def test_a_table_deleted_between_list_and_describe_is_dropped() -> None:
    def describe_table(TableName: str) -> dict[str, Any]:
        if TableName == "gone":
            raise ClientError({"Error": {"Code": "ResourceNotFoundException"}}, "DescribeTable")
        return {"Table": {"TableName": TableName, "TableStatus": "ACTIVE"}}

    client = FakeClient(describe_table=describe_table)
    items = describe_tables(
        context("aws.dynamodb.tables", client), [{"TableName": n} for n in ("a", "gone", "b")]
    )
    assert [item["TableName"] for item in items] == ["a", "b"]


def test_other_describe_errors_propagate_for_classification() -> None:
    def describe_table(TableName: str) -> dict[str, Any]:
        raise ClientError({"Error": {"Code": "AccessDeniedException"}}, "DescribeTable")

    with pytest.raises(ClientError):
        describe_tables(
            context("aws.dynamodb.tables", FakeClient(describe_table=describe_table)), [{"TableName": "a"}]
        )


# --- SES -----------------------------------------------------------------------------------


def test_ses_identities_one_document_each() -> None:
    docs = application_documents("aws.ses.identities")
    assert set(docs) == {"ops@example.com", "example.org", "alerts@example.org"}
    ops = docs["ops@example.com"]
    assert ops["unique_id"] == f"arn:aws:ses:us-east-1:{ACCOUNT}:identity/ops@example.com"
    assert (ops["type"], ops["domain"], ops["status"], ops["active"]) == (
        "EmailAddress",
        "example.com",
        "Success",
        True,
    )
    domain = docs["example.org"]
    assert (domain["type"], domain["domain"]) == ("Domain", "example.org")
    assert all("tags" not in doc for doc in docs.values())  # SES v1 identities have no tags


def test_ses_statuses_as_aws_spells_them() -> None:
    mapping = get_mapping("aws.ses.identities")
    item = recorded_items(mapping.name)[0]
    for status in ("Pending", "Success", "Failed", "TemporaryFailure", "NotStarted"):
        docs, _ = translate(mapping, [{**item, "VerificationStatus": status}], make_scope(account_id=ACCOUNT))
        assert (docs[0]["status"], docs[0]["active"]) == (status, True)
    docs, _ = translate(mapping, [{"Identity": "new@example.com"}], make_scope(account_id=ACCOUNT))
    assert (docs[0]["status"], raw_state(docs[0])) == (None, None)  # no verification reported


def test_ses_transforms() -> None:
    assert (ses_identity_type("a@b.c"), ses_identity_type("b.c")) == ("EmailAddress", "Domain")
    assert (ses_domain("a@mail.b.c"), ses_domain("b.c"), ses_domain("")) == ("mail.b.c", "b.c", None)


def test_ses_list_identities_pages_by_next_token() -> None:
    # moto answers list_identities in one page whatever MaxItems says (three identities came
    # back to a MaxItems of 2), so the multi-page path is botocore's model.
    call = RESOURCES["aws.ses.identities"].call
    paging = pagination(call)
    assert (paging.input_tokens, paging.output_tokens, paging.limit_key) == (
        ("NextToken",),
        ("NextToken",),
        "MaxItems",
    )
    assert request_params(call, None, 5000) == {"MaxItems": 1000}
    assert request_params(call, "token-2", 2) == {"MaxItems": 2, "NextToken": "token-2"}
    assert next_cursor(call, {"Identities": ["a@b.c"], "NextToken": "token-2"}) == "token-2"
    (page,) = fixture_paths(RESOURCES["aws.ses.identities"])
    assert len(extract_items(call, json.loads(page.read_text()))) == 3
    assert next_cursor(call, json.loads(page.read_text())) is None


def test_ses_verification_is_asked_100_identities_a_call() -> None:
    def attributes(Identities: list[str]) -> dict[str, Any]:
        return {
            "VerificationAttributes": {i: {"VerificationStatus": "Pending"} for i in Identities if i != "x0"}
        }

    client = FakeClient(get_identity_verification_attributes=attributes)
    items = [{"Identity": f"x{n}"} for n in range(250)]
    done = verification_status(context("aws.ses.identities", client), items)
    assert [len(params["Identities"]) for _, params in client.calls] == [100, 100, 50]
    assert "VerificationStatus" not in done[0] and done[1]["VerificationStatus"] == "Pending"


# --- OpenSearch ----------------------------------------------------------------------------


def test_opensearch_domains() -> None:
    docs = application_documents("aws.opensearch.domains")
    assert set(docs) == {"orders-search-prod", "legacy-logs"}
    orders = docs["orders-search-prod"]
    assert orders["unique_id"] == f"arn:aws:es:us-east-1:{ACCOUNT}:domain/orders-search"
    assert (orders["engine"], orders["version"]) == ("OpenSearch", "2.11")
    assert orders["endpoint"] == "orders-search.us-east-1.es.amazonaws.com"  # the VPC endpoint
    assert (orders["node_type"], orders["nodes"]) == ("r6g.large.search", 3)
    assert (orders["status"], orders["active"], orders["role"]["processing"]) == ("Active", True, False)
    assert (orders["encrypted"], orders["role"]["ebs_volume_size"], orders["role"]["dedicated_master"]) == (
        True,
        100,
        True,
    )
    assert orders["datacenters"]["subnet_ids"] and orders["datacenters"]["security_groups"]
    assert (orders["environment"], tag_dict(orders)["Name"]) == ("production", "orders-search-prod")
    legacy = docs["legacy-logs"]  # Elasticsearch, public endpoint, no tags
    assert (legacy["engine"], legacy["version"]) == ("Elasticsearch", "7.10")
    assert legacy["endpoint"] == "legacy-logs.us-east-1.es.amazonaws.com"
    assert (legacy["tags"], legacy["encrypted"], legacy["nodes"]) == ([], False, 1)


def test_opensearch_status_from_the_domain_flags() -> None:
    mapping = get_mapping("aws.opensearch.domains")
    item = recorded_items(mapping.name)[0]
    for flags, (status, active) in {
        (True, False): ("Active", True),
        (False, False): (None, True),  # still being created
        (True, True): ("Deleted", False),
    }.items():
        docs, _ = translate(mapping, [{**item, "Created": flags[0], "Deleted": flags[1]}], make_scope())
        assert (docs[0]["status"], docs[0]["active"]) == (status, active)


def test_opensearch_engine_transforms() -> None:
    assert (opensearch_engine("Elasticsearch_7.10"), opensearch_version("Elasticsearch_7.10")) == (
        "Elasticsearch",
        "7.10",
    )
    assert (opensearch_engine("2.11"), opensearch_version("2.11")) == (None, "2.11")


def test_opensearch_domains_are_described_5_a_call_and_tagged() -> None:
    def describe(DomainNames: list[str]) -> dict[str, Any]:
        return {
            "DomainStatusList": [
                {"DomainName": n, "ARN": f"arn:aws:es:us-east-1:{ACCOUNT}:domain/{n}"}
                for n in DomainNames
                if n != "d3"
            ]
        }

    def list_tags(ARN: str) -> dict[str, Any]:
        return {"TagList": [{"Key": "Name", "Value": ARN.rsplit("/", 1)[-1]}]}

    client = FakeClient(describe_domains=describe, list_tags=list_tags)
    items = [{"DomainName": f"d{n}", "EngineType": "OpenSearch"} for n in range(12)]
    done = describe_domains(context("aws.opensearch.domains", client), items)
    batches = [len(p["DomainNames"]) for op, p in client.calls if op == "describe_domains"]
    assert batches == [5, 5, 2]
    assert [item["DomainName"] for item in done] == [f"d{n}" for n in range(12) if n != 3]  # d3 vanished
    assert done[0]["Tags"] == [{"Key": "Name", "Value": "d0"}] and done[0]["EngineType"] == "OpenSearch"


# --- Site-to-Site VPN ----------------------------------------------------------------------


def test_vpn_connections() -> None:
    docs = application_documents("aws.ec2.vpn_connections")
    paris = docs["office-paris"]
    vpn_id = paris["role"]["vpn_connection_id"]
    assert paris["unique_id"] == f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpn-connection/{vpn_id}"
    assert (paris["status"], paris["active"], paris["type"]) == ("available", True, "ipsec.1")
    assert paris["role"]["vpn_gateway_id"].startswith("vgw-") and "transit_gateway_id" not in paris["role"]
    assert paris["role"]["customer_gateway_id"].startswith("cgw-")
    assert (paris["environment"], tag_dict(paris)) == (
        "production",
        {"Name": "office-paris", "Environment": "production"},
    )
    others = [doc for name, doc in docs.items() if name != "office-paris"]
    (transit,) = [doc for doc in others if doc["active"]]
    assert transit["name"] == transit["role"]["vpn_connection_id"]  # no Name tag: the id
    assert transit["role"]["transit_gateway_id"].startswith("tgw-")
    (deleted,) = [doc for doc in others if not doc["active"]]
    assert (deleted["status"], raw_state(deleted)) == ("deleted", "deleted")


def test_vpn_device_configuration_with_its_keys_never_leaves_the_api_stage() -> None:
    resource = RESOURCES["aws.ec2.vpn_connections"]
    assert resource.drop == ("CustomerGatewayConfiguration",)
    text = "".join(path.read_text() for path in fixture_paths(resource))
    assert "CustomerGatewayConfiguration" not in text and "pre_shared_key" not in text


def test_vpn_states_as_aws_spells_them() -> None:
    mapping = get_mapping("aws.ec2.vpn_connections")
    item = recorded_items(mapping.name)[0]
    for state, active in {"pending": True, "available": True, "deleting": False, "deleted": False}.items():
        docs, _ = translate(mapping, [{**item, "State": state}], make_scope(account_id=ACCOUNT))
        assert (docs[0]["status"], docs[0]["active"]) == (state, active)


def test_vpn_connections_are_one_unpaged_response() -> None:
    call = RESOURCES["aws.ec2.vpn_connections"].call
    assert pagination(call).result_key == "VpnConnections"
    assert request_params(call, None, 5) == {}  # no page size: the API has none
    assert next_cursor(call, {"VpnConnections": []}) is None


# --- FSx -----------------------------------------------------------------------------------


def test_fsx_file_systems() -> None:
    docs = application_documents("aws.fsx.file_systems")
    hpc = docs["hpc-scratch"]
    fs_id = hpc["role"]["file_system_id"]
    assert hpc["unique_id"] == hpc["arn"] == f"arn:aws:fsx:us-east-1:{ACCOUNT}:file-system/{fs_id}"
    assert (hpc["type"], hpc["capacity"], hpc["active"]) == ("LUSTRE", 1200, True)
    assert (hpc["role"]["storage_type"], hpc["role"]["deployment_type"]) == ("SSD", "PERSISTENT_2")
    assert hpc["dns_name"] == f"{fs_id}.fsx.us-east-1.amazonaws.com"
    assert (hpc["environment"], tag_dict(hpc)["Name"]) == ("production", "hpc-scratch")
    (windows,) = [doc for doc in docs.values() if doc["type"] == "WINDOWS"]
    assert windows["name"] == windows["role"]["file_system_id"]  # no Name tag: the id
    assert (windows["role"]["deployment_type"], len(windows["datacenters"]["subnet_ids"])) == (
        "MULTI_AZ_1",
        2,
    )
    assert windows["kms_key_id"].startswith("arn:aws:kms:")
    (zfs,) = [doc for doc in docs.values() if doc["type"] == "OPENZFS"]
    assert (zfs["tags"], zfs["environment"], zfs["capacity"]) == ([], None, 64)


def test_fsx_describe_file_systems_pages_by_next_token() -> None:
    call = RESOURCES["aws.fsx.file_systems"].call
    first, second = raw_pages("aws.fsx.file_systems")
    assert request_params(call, None, 2) == {"MaxResults": 2}
    cursor = next_cursor(call, first)
    assert cursor is not None and cursor == first["NextToken"]
    assert request_params(call, cursor, 2) == {"MaxResults": 2, "NextToken": cursor}
    assert next_cursor(call, second) is None
    raw = [item["ResourceARN"] for page in (first, second) for item in extract_items(call, page)]
    assert raw == [item["ResourceARN"] for item in recorded_items("aws.fsx.file_systems")]
    assert len(raw) == 3
