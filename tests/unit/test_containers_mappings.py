"""EKS and ECS clusters, ECS services, ECR repositories, Route 53 hosted zones and EFS file systems.

Fixtures: `python tools/record.py <resource key>` (moto, through the api stage's fetch_page, so
enriched items are recorded after their enrichers). moto pages EKS, Route 53 and EFS (raw
pages under fixtures/aws/pages/); it answers ECS's list_clusters and ECR's
describe_repositories in one page whatever the page size, so their paging is checked
against botocore's paginator model. ECS services list the same clusters: their page
(`aws.ecs.services_1.json`) holds the services the enricher expanded them into;
moto ignores list_services' maxResults, so its paging is checked with a fake client.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

from services.api.providers.enrich import PageContext, ecs, ecs_services, route53
from shared import schema
from shared.aws_calls import extract_items, next_cursor, pagination, request_params
from shared.catalog import RESOURCES, get_mapping, iam_actions
from shared.mapping import SCOPE_PREFIX, translate
from tests.support.recorded import fixture_paths, make_scope, raw_pages, raw_state, recorded_items

ACCOUNT = "123456789012"  # moto's account
KMS_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0a0a0a0a-1111-2222-3333-444444444444"
# mapping -> (botocore service, operation whose output holds the item, path to the item shape)
SHAPES = {
    "aws.eks.clusters": ("eks", "DescribeCluster", ["cluster"]),
    "aws.ecs.clusters": ("ecs", "DescribeClusters", ["clusters", "[]"]),
    "aws.ecs.services": ("ecs", "DescribeServices", ["services", "[]"]),
    "aws.ecr.repositories": ("ecr", "DescribeRepositories", ["repositories", "[]"]),
    "aws.route53.hosted_zones": ("route53", "ListHostedZones", ["HostedZones", "[]"]),
    "aws.efs.file_systems": ("efs", "DescribeFileSystems", ["FileSystems", "[]"]),
}
ENRICHED = {"aws.ecr.repositories": {"Tags"}, "aws.route53.hosted_zones": {"Tags"}}


def docs_by(mapping: str, key: str) -> dict[str, dict[str, Any]]:
    """The documents of a mapping's recorded items, by the item's `key`."""
    items = recorded_items(mapping)
    documents, rejected = translate(get_mapping(mapping), items, make_scope(account_id=ACCOUNT))
    assert rejected == []
    assert len(documents) == len(items) > 0
    return {item[key]: doc for item, doc in zip(items, documents, strict=True)}


def translate_one(mapping: str, item: dict[str, Any]) -> dict[str, Any]:
    documents, rejected = translate(get_mapping(mapping), [item], make_scope(account_id=ACCOUNT))
    assert rejected == []
    return documents[0]


def recorded(mapping: str, key: str, value: str) -> dict[str, Any]:
    (item,) = [i for i in recorded_items(mapping) if i[key] == value]
    return copy.deepcopy(item)


# --- EKS -------------------------------------------------------------------------------------


def test_a_tagged_eks_cluster() -> None:
    docs = docs_by("aws.eks.clusters", "name")
    doc = docs["shop-prod"]
    assert doc["name"] == "shop-kubernetes"
    assert doc["unique_id"] == doc["arn"] == f"arn:aws:eks:us-east-1:{ACCOUNT}:cluster/shop-prod"
    assert (doc["family"], doc["provider"], doc["own"], doc["type"]) == (
        "ContainerOrchestration", "EKS (AWS)", 1, "kubernetes",
    )  # fmt: skip
    assert (doc["status"], doc["active"], doc["version"]) == ("active", True, "1.29")
    assert doc["endpoint"].startswith("https://") and doc["endpoint"].endswith(".eks.amazonaws.com/")
    assert doc["environment"] == "production"
    assert sorted(doc["tags"], key=lambda t: t["key"]) == [
        {"key": "Environment", "value": "production"},
        {"key": "Name", "value": "shop-kubernetes"},
    ]
    assert len(doc["subnets"]) == 2 and len(doc["security_groups"]) == 1
    assert doc["datacenters"]["subnets"] == doc["subnets"]
    assert doc["datacenters"]["region"] == "us-east-1 (N. Virginia)"
    assert doc["role"]["endpoint_public_access"] is False  # False is data
    assert doc["role"]["endpoint_private_access"] is True
    assert doc["role"]["role_arn"] == f"arn:aws:iam::{ACCOUNT}:role/eks-cluster"


def test_an_eks_cluster_without_a_name_tag_is_named_after_itself() -> None:
    docs = docs_by("aws.eks.clusters", "name")
    assert (docs["analytics"]["name"], docs["analytics"]["tags"], docs["analytics"]["environment"]) == (
        "analytics", [], None,
    )  # fmt: skip
    assert docs["batch"]["name"] == "batch"  # a blank Name tag counts as absent
    assert docs["batch"]["tags"] == [{"key": "Name"}]  # kept, without Maestro's refused ""


@pytest.mark.parametrize(
    ("state", "status", "active"),
    [("CREATING", "creating", True), ("UPDATING", "updating", True), ("DELETING", "deleting", False),
     ("FAILED", "failed", False), ("SOMETHING_NEW", None, True)],
)  # fmt: skip
def test_eks_states(state: str, status: str | None, active: bool) -> None:
    item = recorded("aws.eks.clusters", "name", "analytics")
    item["status"] = state
    doc = translate_one("aws.eks.clusters", item)
    assert (doc["status"], doc["active"]) == (status, active)


# --- ECS -------------------------------------------------------------------------------------


def test_a_tagged_ecs_cluster_and_an_untagged_one() -> None:
    docs = docs_by("aws.ecs.clusters", "clusterName")
    web, jobs = docs["web-cluster"], docs["jobs"]
    assert web["name"] == "web-containers"
    assert web["unique_id"] == web["arn"] == f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/web-cluster"
    assert (web["family"], web["provider"], web["status"], web["active"]) == (
        "ContainerOrchestration", "ECS (AWS)", "active", True,
    )  # fmt: skip
    assert web["environment"] == "staging"
    assert web["tags"] == [
        {"key": "Name", "value": "web-containers"},
        {"key": "Environment", "value": "staging"},
    ]
    assert web["role"]["container_insights"] == "enabled"
    assert web["role"]["capacity_providers"] == ["FARGATE"]
    assert web["role"]["running_tasks"] == 0  # 0 is data
    assert (jobs["name"], jobs["tags"], jobs["environment"]) == ("jobs", [], None)
    assert jobs["role"]["container_insights"] == "disabled"


@pytest.mark.parametrize(
    ("state", "status", "active"),
    [("PROVISIONING", "provisioning", True), ("INACTIVE", "inactive", False), ("FAILED", "failed", False)],
)
def test_ecs_states(state: str, status: str, active: bool) -> None:
    item = recorded("aws.ecs.clusters", "clusterName", "jobs")
    item["status"] = state
    doc = translate_one("aws.ecs.clusters", item)
    assert (doc["status"], doc["active"]) == (status, active)


def test_ecs_clusters_are_described_100_a_call_in_list_order() -> None:
    arns = [f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/c{n}" for n in range(150)]
    calls: list[int] = []

    class FakeEcs:
        def describe_clusters(self, clusters: list[str], include: list[str]) -> dict[str, Any]:
            assert include == ["TAGS", "SETTINGS"]
            calls.append(len(clusters))
            gone = arns[7]  # deleted between the list and the describe
            return {
                "clusters": [{"clusterArn": a} for a in reversed(clusters) if a != gone],
                "failures": [{"arn": gone, "reason": "MISSING"}] if gone in clusters else [],
            }

    context = PageContext(RESOURCES["aws.ecs.clusters"], {"region": "us-east-1"}, lambda _: FakeEcs())
    listed: list[Any] = list(arns)  # the list call's bare ARNs
    described = ecs.describe_clusters(context, listed)
    assert calls == [100, 50]
    assert [c["clusterArn"] for c in described] == [a for a in arns if a != arns[7]]


# --- ECS services ----------------------------------------------------------------------------

SERVICE = f"arn:aws:ecs:us-east-1:{ACCOUNT}:service"
TASK_DEFINITION = f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/storefront:1"


def test_ecs_clusters_and_services_read_their_own_fixtures() -> None:
    clusters, services = RESOURCES["aws.ecs.clusters"], RESOURCES["aws.ecs.services"]
    assert (clusters.call.client, clusters.call.operation) == (services.call.client, services.call.operation)
    assert [p.name for p in fixture_paths(clusters)] == ["aws.ecs.clusters_1.json"]
    assert [p.name for p in fixture_paths(services)] == ["aws.ecs.services_1.json"]
    assert all(
        "clusterName" in item and "serviceArn" not in item for item in recorded_items("aws.ecs.clusters")
    )
    assert all("serviceArn" in item for item in recorded_items("aws.ecs.services"))


def test_a_tagged_fargate_service_behind_a_target_group() -> None:
    doc = docs_by("aws.ecs.services", "serviceName")["storefront"]
    assert doc["name"] == "shop-storefront"
    assert doc["unique_id"] == doc["arn"] == f"{SERVICE}/web-cluster/storefront"
    assert (doc["family"], doc["provider"], doc["own"], doc["type"]) == (
        "ContainerOrchestration", "ECS Service (AWS)", 1, "ecs-service",
    )  # fmt: skip
    assert (doc["status"], doc["active"], doc["environment"]) == ("Active", True, "staging")
    assert doc["tags"] == [
        {"key": "Name", "value": "shop-storefront"},
        {"key": "Environment", "value": "staging"},
    ]
    assert len(doc["subnets"]) == 2 and len(doc["security_groups"]) == 1
    assert doc["datacenters"]["subnets"] == doc["subnets"]
    assert doc["datacenters"]["security_groups"] == doc["security_groups"]
    role = doc["role"]
    assert role["cluster_arn"] == f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/web-cluster"
    assert (role["task_definition"], role["launch_type"]) == (TASK_DEFINITION, "FARGATE")
    assert (role["desired_count"], role["running_count"], role["pending_count"]) == (2, 0, 2)  # 0 is data
    assert role["assign_public_ip"] == "DISABLED"
    (balancer,) = role["load_balancers"]
    assert balancer["target_group_arn"].startswith(
        f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/storefront/"
    )
    assert (balancer["container_name"], balancer["container_port"]) == ("web", 8080)


def test_an_untagged_service_scaled_to_zero_and_a_deleted_one() -> None:
    docs = docs_by("aws.ecs.services", "serviceName")
    report, archiver = docs["nightly-report"], docs["archiver"]
    assert (report["name"], report["tags"], report["environment"]) == ("nightly-report", [], None)
    assert report["unique_id"] == f"{SERVICE}/jobs/nightly-report"
    assert (report["role"]["desired_count"], report["role"]["launch_type"]) == (0, "EC2")
    assert report["role"]["load_balancers"] == [
        {"load_balancer_name": "legacy-reports", "container_name": "web", "container_port": 8080}
    ]
    assert report["subnets"] is None and "subnets" not in report["datacenters"]  # no awsvpc network
    assert (archiver["name"], archiver["environment"]) == ("archiver", "development")
    assert (archiver["status"], archiver["active"]) == ("Deleted", False)  # INACTIVE: deleted


@pytest.mark.parametrize(
    ("state", "status", "active"),
    [("ACTIVE", "Active", True), ("DRAINING", "Stopped", False), ("INACTIVE", "Deleted", False),
     ("SOMETHING_NEW", None, True)],
)  # fmt: skip
def test_ecs_service_states(state: str, status: str | None, active: bool) -> None:
    item = recorded("aws.ecs.services", "serviceName", "nightly-report")
    item["status"] = state
    doc = translate_one("aws.ecs.services", item)
    assert (doc["status"], doc["active"]) == (status, active)


def test_no_task_definition_environment_or_secret_is_recorded() -> None:
    # the recorder's task definition carries an environment variable and a secret
    (page,) = fixture_paths(RESOURCES["aws.ecs.services"])
    text = page.read_text()
    assert "never-in-a-fixture" not in text and "DB_PASSWORD" not in text and "API_KEY" not in text
    assert "ecs:DescribeTaskDefinition" not in iam_actions(RESOURCES["aws.ecs.services"])


class FakeEcs:
    """list_services in pages of 10 (nextToken), describe_services; nothing else exists."""

    def __init__(self, services: dict[str, list[str]], gone: frozenset[str] = frozenset()) -> None:
        self.services, self.gone = services, gone
        self.listed: list[dict[str, Any]] = []
        self.described: list[int] = []

    def list_services(self, cluster: str, maxResults: int, nextToken: str | None = None) -> dict[str, Any]:
        self.listed.append({"cluster": cluster, "maxResults": maxResults, "nextToken": nextToken})
        if cluster in self.gone:
            error = {"Error": {"Code": "ClusterNotFoundException", "Message": "Cluster not found."}}
            raise ClientError(error, "ListServices")
        start = int(nextToken or 0)
        arns = self.services[cluster][start : start + 10]  # a real page size, whatever maxResults
        more = start + 10 < len(self.services[cluster])
        return {"serviceArns": arns, **({"nextToken": str(start + 10)} if more else {})}

    def describe_services(self, cluster: str, services: list[str], include: list[str]) -> dict[str, Any]:
        assert include == ["TAGS"] and len(services) <= 10
        self.described.append(len(services))
        vanished = [a for a in services if a.endswith("/s3")]  # deleted between list and describe
        return {
            "services": [
                {"serviceArn": a, "clusterArn": cluster} for a in reversed(services) if a not in vanished
            ],
            "failures": [{"arn": a, "reason": "MISSING"} for a in vanished],
        }


def test_every_service_of_every_cluster_is_listed_and_described_ten_a_call() -> None:
    clusters = [f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/{name}" for name in ("big", "gone", "small")]
    arns = {
        clusters[0]: [f"{SERVICE}/big/s{n}" for n in range(23)],
        clusters[2]: [f"{SERVICE}/small/only"],
    }
    fake = FakeEcs(arns, gone=frozenset({clusters[1]}))
    context = PageContext(RESOURCES["aws.ecs.services"], {"region": "us-east-1"}, lambda _: fake)
    listed: list[Any] = [{"clusterArn": arn} for arn in clusters]  # the list call's wrapped ARNs
    services = ecs_services.cluster_services(context, listed)
    expected = [a for a in arns[clusters[0]] if not a.endswith("/s3")] + arns[clusters[2]]
    assert [s["serviceArn"] for s in services] == expected  # cluster by cluster, list order
    big = [call for call in fake.listed if call["cluster"] == clusters[0]]
    assert [call["nextToken"] for call in big] == [None, "10", "20"]  # every page followed
    assert {call["maxResults"] for call in fake.listed} == {100}
    assert sorted(fake.described) == [1, 3, 10, 10]


# --- ECR -------------------------------------------------------------------------------------


def test_ecr_repositories_with_their_tags_and_encryption() -> None:
    docs = docs_by("aws.ecr.repositories", "repositoryName")
    api, web = docs["shop/api"], docs["shop/web"]
    assert api["name"] == "shop-api-images"
    assert api["unique_id"] == api["arn"] == f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/shop/api"
    assert (api["family"], api["provider"], api["active"]) == ("Repository", "ECR (AWS)", True)
    assert api.get("status") is None
    assert api["endpoint"] == f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/shop/api"
    assert (api["encrypted"], api["kms_key_id"]) == (True, KMS_KEY)
    assert api["tags"] == [
        {"key": "Name", "value": "shop-api-images"},
        {"key": "Environment", "value": "production"},
    ]
    assert api["environment"] == "production"
    assert api["role"]["scan_on_push"] is True
    assert (web["name"], web["tags"], web["kms_key_id"], web["encrypted"]) == ("shop/web", [], None, True)
    assert web["role"]["scan_on_push"] is False
    assert web["role"]["image_tag_mutability"] == "IMMUTABLE"


# --- Route 53 --------------------------------------------------------------------------------


def test_hosted_zones_public_and_private() -> None:
    docs = docs_by("aws.route53.hosted_zones", "CallerReference")
    shop, internal, legacy = docs["shop-1"], docs["internal-1"], docs["legacy-1"]
    zone_id = shop["role"]["zone_id"]
    assert "/" not in zone_id
    assert shop["unique_id"] == shop["arn"] == f"arn:aws:route53:::hostedzone/{zone_id}"
    assert (shop["family"], shop["provider"], shop["active"]) == ("DNS", "Route 53 (AWS)", True)
    assert (shop["name"], shop["domain"], shop["type"], shop["description"]) == (
        "shop-dns", "shop.example.com", "public", "storefront",
    )  # fmt: skip
    assert shop["tags"] == [
        {"key": "Name", "value": "shop-dns"},
        {"key": "Environment", "value": "production"},
    ]
    assert shop["environment"] == "production"
    assert shop["record_count"] == 2
    assert (internal["name"], internal["type"], internal["role"]["private_zone"]) == (
        "internal.shop.example", "private", True,
    )  # fmt: skip
    assert internal["description"] is None  # a blank comment is no comment
    assert (legacy["name"], legacy["tags"], legacy["role"]["private_zone"]) == (
        "legacy.example.org",
        [],
        False,
    )
    assert len({d["unique_id"] for d in docs.values()}) == 3


def test_route53_is_crawled_once_per_account() -> None:
    assert RESOURCES["aws.route53.hosted_zones"].regional is False


def test_hosted_zone_tags_are_fetched_ten_zones_a_call() -> None:
    zones = [{"Id": f"/hostedzone/Z{n:02d}"} for n in range(12)]
    calls: list[list[str]] = []

    class FakeRoute53:
        def list_tags_for_resources(self, ResourceType: str, ResourceIds: list[str]) -> dict[str, Any]:
            assert ResourceType == "hostedzone"
            calls.append(ResourceIds)
            return {
                "ResourceTagSets": [
                    {"ResourceType": "hostedzone", "ResourceId": i, "Tags": [{"Key": "Name", "Value": i}]}
                    for i in ResourceIds
                    if i != "Z03"  # a set without the zone: it gets no tags, not a failure
                ]
            }

    context = PageContext(
        RESOURCES["aws.route53.hosted_zones"], {"region": "global"}, lambda _: FakeRoute53()
    )
    tagged = route53.hosted_zone_tags(context, zones)
    assert [len(c) for c in calls] == [10, 2]
    assert tagged[0]["Tags"] == [{"Key": "Name", "Value": "Z00"}]
    assert tagged[3]["Tags"] == []


# --- EFS -------------------------------------------------------------------------------------


def test_efs_file_systems() -> None:
    docs = docs_by("aws.efs.file_systems", "CreationToken")
    media, cache, scratch = docs["shop-media"], docs["build-cache"], docs["scratch"]
    assert media["name"] == "shop-media"
    assert media["unique_id"] == media["arn"]
    assert media["unique_id"].startswith(f"arn:aws:elasticfilesystem:us-east-1:{ACCOUNT}:file-system/fs-")
    assert (media["family"], media["provider"], media["type"]) == ("NAS", "EFS (AWS)", "nfs")
    assert (media["status"], raw_state(media), media["active"]) == ("available", "available", True)
    assert (media["encrypted"], media["kms_key_id"]) == (True, KMS_KEY)
    assert (media["performance_mode"], media["throughput"]) == ("generalPurpose", "provisioned")
    assert media["role"]["provisioned_throughput_mibps"] == 64.0
    assert (media["size"], media["size_bytes"]) == ("0", 0)  # an empty file system: 0 is data
    assert media["environment"] == "production"
    assert media["tags"] == [
        {"key": "Name", "value": "shop-media"},
        {"key": "Environment", "value": "production"},
    ]
    assert cache["name"] == cache["role"]["file_system_id"]  # no Name tag
    assert cache["datacenters"]["zone"] == ["us-east-1a"]  # One Zone
    assert (cache["encrypted"], cache["kms_key_id"], cache["tags"]) == (False, None, [])
    assert (scratch["performance_mode"], scratch["throughput"]) == ("maxIO", "elastic")
    assert "zone" not in scratch["datacenters"]


def test_efs_size_is_in_gib() -> None:
    item = recorded("aws.efs.file_systems", "CreationToken", "scratch")
    item["SizeInBytes"]["Value"] = 3 * 1024**3
    assert translate_one("aws.efs.file_systems", item)["size"] == "3"  # Maestro keeps a string
    item["SizeInBytes"]["Value"] = 3 * 1024**3 // 2
    doc = translate_one("aws.efs.file_systems", item)
    assert (doc["size"], doc["size_bytes"]) == ("1.5", 3 * 1024**3 // 2)


@pytest.mark.parametrize(
    ("state", "active"), [("creating", True), ("updating", True), ("deleting", False), ("deleted", False),
                          ("error", False)],
)  # fmt: skip
def test_efs_states(state: str, active: bool) -> None:
    item = recorded("aws.efs.file_systems", "CreationToken", "scratch")
    item["LifeCycleState"] = state
    doc = translate_one("aws.efs.file_systems", item)
    assert (doc["status"], doc["active"]) == (state, active)


# --- every mapping: schema, distinct ids, sources botocore knows ---------------------------------


@pytest.mark.parametrize("mapping", sorted(SHAPES))
def test_documents_validate_and_ids_are_distinct(mapping: str) -> None:
    items = recorded_items(mapping)
    documents, rejected = translate(get_mapping(mapping), items, make_scope(account_id=ACCOUNT))
    assert rejected == []
    for doc in documents:
        assert schema.validate("applications", doc) == []
        assert schema.warnings("applications", doc) == []
        assert all(value != "" for value in doc.values())
    assert len({doc["unique_id"] for doc in documents}) == len(documents)


def _in_shape(source: str, shape: Any) -> bool:
    for part in source.replace("[]", "").split("."):
        while shape.type_name == "list":
            shape = shape.member
        if shape.type_name == "map":
            return True  # a tag dict: any key
        if shape.type_name != "structure" or part not in shape.members:
            return False
        shape = shape.members[part]
    return True


@pytest.mark.parametrize("mapping", sorted(SHAPES))
def test_every_source_is_in_botocore_output_shape(mapping: str) -> None:
    service, operation, path = SHAPES[mapping]
    shape = botocore.session.get_session().get_service_model(service).operation_model(operation).output_shape
    for part in path:
        shape = shape.member if part == "[]" else shape.members[part]
    sources = set().union(*get_mapping(mapping).sources.values())
    unknown = [
        s
        for s in sources
        if not s.startswith(SCOPE_PREFIX)
        and s.split(".")[0].split("[")[0] not in ENRICHED.get(mapping, set())
        and not _in_shape(s.split("[")[0] if s.startswith("Tags[") else s, shape)
    ]
    assert unknown == []


# --- pagination ----------------------------------------------------------------------------------

# (resource, recorded raw pages, the request parameters of the second page minus its cursor)
MOTO_PAGED = [
    ("aws.eks.clusters", {"maxResults": 2}),
    ("aws.route53.hosted_zones", {"MaxItems": "2"}),
    ("aws.efs.file_systems", {"MaxItems": 2}),
]


@pytest.mark.parametrize(("key", "sized"), MOTO_PAGED)
def test_recorded_pages_chain_through_their_cursor(key: str, sized: dict[str, Any]) -> None:
    call = RESOURCES[key].call
    paging = pagination(call)
    first, second = raw_pages(key)
    cursor = next_cursor(call, first)
    assert cursor is not None
    assert request_params(call, cursor, 2) == {**sized, paging.input_tokens[0]: cursor}
    assert next_cursor(call, second) is None
    names = [str(i) for page in (first, second) for i in extract_items(call, page)]
    assert len(names) == len(set(names)) == 3
    # the enriched pages recorded with them hold the same three resources
    enriched = fixture_paths(RESOURCES[key])
    assert [p.name for p in enriched] == [f"{key}_1.json", f"{key}_2.json"]
    assert len(recorded_items(key)) == 3


@pytest.mark.parametrize(
    ("key", "result_key", "largest"),
    [
        ("aws.ecs.clusters", "clusterArns", 100),
        ("aws.ecs.services", "clusterArns", 100),
        ("aws.ecr.repositories", "repositories", 1000),
    ],
)
def test_pages_moto_cannot_serve_follow_botocore_paginator_model(
    key: str, result_key: str, largest: int
) -> None:
    # moto answers these in one page whatever maxResults says (see the recorded page), so
    # the multi-page path is botocore's model: nextToken out, nextToken back in.
    call = RESOURCES[key].call
    paging = pagination(call)
    assert (paging.input_tokens, paging.output_tokens) == (("nextToken",), ("nextToken",))
    assert (paging.limit_key, paging.result_key) == ("maxResults", result_key)
    assert request_params(call, None, 2) == {"maxResults": 2}
    assert request_params(call, "token-2", 5000) == {"maxResults": largest, "nextToken": "token-2"}
    assert next_cursor(call, {result_key: [], "nextToken": "token-3"}) == "token-3"
    (page,) = fixture_paths(RESOURCES[key])
    assert next_cursor(call, json.loads(page.read_text())) is None
    assert len(recorded_items(key)) == 3  # the recorder asked for 2, moto sent 3
