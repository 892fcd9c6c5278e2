"""Application mappings (ELB, Auto Scaling, RDS, ElastiCache) over recorded moto pages.

The fixtures are written by `python tools/record.py <resource key>` through the api stage's own
fetch_page, so enriched resources (tags, classic ARNs) are recorded as translate sees them.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from services.api.providers.enrich import PageContext, run_enrichers
from services.api.providers.enrich.elb_classic import DESCRIBE_TAGS_BATCH
from shared import schema
from shared.aws_calls import extract_items, next_cursor, pagination, request_params
from shared.catalog import RESOURCES, get_mapping
from shared.mapping import translate
from tests.support.recorded import make_scope, recorded_items, recorded_pages

ACCOUNT = "123456789012"  # moto's
APP_RESOURCES = (
    "aws.elbv2.load_balancers",
    "aws.elb.load_balancers",
    "aws.autoscaling.groups",
    "aws.rds.db_instances",
    "aws.rds.db_clusters",
    "aws.elasticache.cache_clusters",
    "aws.elbv2.target_groups",
    "aws.elasticache.replication_groups",
    "aws.ec2.launch_templates",
    "aws.autoscaling.launch_configurations",
)
# moto serves these in one page whatever the page size (target groups, replication groups,
# Aurora) or cuts launch templates at MaxResults without a token: one recorded page each.
ONE_PAGE = (
    "aws.rds.db_clusters",
    "aws.elbv2.target_groups",
    "aws.elasticache.replication_groups",
    "aws.ec2.launch_templates",
    # RDS and ElastiCache refuse MaxRecords under 20: the recorded items fit their smallest page
    "aws.rds.db_instances",
    "aws.elasticache.cache_clusters",
)

Doc = dict[str, Any]


def documents(mapping: str) -> dict[str, Doc]:
    """The mapping's documents over its fixtures, by role.identifier or name of the item."""
    docs, rejected = translate(get_mapping(mapping), recorded_items(mapping), make_scope())
    assert rejected == []
    return {doc["role"].get("identifier") or doc["role"]["endpoint"]: doc for doc in docs}


def translate_one(mapping: str, item: dict[str, Any]) -> Doc:
    docs, rejected = translate(get_mapping(mapping), [item], make_scope())
    assert rejected == []
    return docs[0]


def item_named(mapping: str, key: str, value: str) -> dict[str, Any]:
    (item,) = [i for i in recorded_items(mapping) if i.get(key) == value]
    return item


@pytest.fixture(scope="module")
def elbv2() -> dict[str, Doc]:
    docs, rejected = translate(
        get_mapping("aws.elbv2.load_balancers"), recorded_items("aws.elbv2.load_balancers"), make_scope()
    )
    assert rejected == []
    return {doc["unique_id"].split("/")[2]: doc for doc in docs}


@pytest.fixture(scope="module")
def classic() -> dict[str, Doc]:
    docs, rejected = translate(
        get_mapping("aws.elb.load_balancers"), recorded_items("aws.elb.load_balancers"), make_scope()
    )
    assert rejected == []
    return {doc["unique_id"].rsplit("/", 1)[1]: doc for doc in docs}


@pytest.fixture(scope="module")
def groups() -> dict[str, Doc]:
    docs, rejected = translate(
        get_mapping("aws.autoscaling.groups"), recorded_items("aws.autoscaling.groups"), make_scope()
    )
    assert rejected == []
    return {doc["role"]["name"]: doc for doc in docs}


# --- ELBv2 ------------------------------------------------------------------------------


def test_an_application_load_balancer(elbv2: dict[str, Doc]) -> None:
    item = item_named("aws.elbv2.load_balancers", "LoadBalancerName", "shop-alb")
    doc = elbv2["shop-alb"]
    assert (doc["family"], doc["provider"], doc["own"]) == ("Loadbalance", "ELB (AWS)", 1)
    assert doc["unique_id"] == item["LoadBalancerArn"]
    assert doc["unique_id"].startswith(f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/")
    assert (doc["name"], doc["environment"]) == ("shop-frontend", "production")
    assert doc["tags"] == [
        {"key": "Name", "value": "shop-frontend"},
        {"key": "Environment", "value": "production"},
    ]
    assert (doc["status"], doc["active"]) == ("active", True)
    assert doc["role"] == {
        "endpoint": item["DNSName"],
        "arn": item["LoadBalancerArn"],
        "canonical_hosted_zone": item["CanonicalHostedZoneId"],
        "vpc_id": item["VpcId"],
        "type": "application",
        "ip_address_type": "ipv4",
        "created_time": item["CreatedTime"],
    }
    dc = doc["datacenters"]
    assert dc["zone"] == ["us-east-1a", "us-east-1b"]
    assert dc["subnets"] == [zone["SubnetId"] for zone in item["AvailabilityZones"]]
    assert dc["security_groups"] == item["SecurityGroups"] and dc["vpc_id"] == item["VpcId"]
    assert dc["region"] == "us-east-1 (N. Virginia)"


def test_an_untagged_internal_network_load_balancer_and_a_blank_name(elbv2: dict[str, Doc]) -> None:
    nlb = elbv2["orders-nlb"]
    assert (nlb["name"], nlb["tags"], nlb["environment"]) == ("orders-nlb", [], None)
    assert (nlb["role"]["type"], nlb["role"]["scheme"]) == ("network", "internal")
    assert elbv2["admin-alb"]["name"] == "admin-alb"  # an empty Name tag is no name
    assert elbv2["admin-alb"]["tags"] == [{"key": "Name"}]  # kept, without Maestro's refused ""


def test_a_name_tag_longer_than_maestro_takes_gives_way_to_the_resource_name() -> None:
    item = copy.deepcopy(item_named("aws.elbv2.load_balancers", "LoadBalancerName", "admin-alb"))
    item["Tags"] = [{"Key": "Name", "Value": "n" * 151}]  # applications' names take 150
    doc = translate_one("aws.elbv2.load_balancers", item)
    assert (doc["name"], doc["tags"]) == ("admin-alb", [])
    assert doc["extra"]["tags"] == [{"key": "Name", "value": "n" * 151}]  # kept whole


@pytest.mark.parametrize(
    ("code", "status", "active"),
    [
        ("active", "active", True),
        ("provisioning", "provisioning", True),
        ("active_impaired", "active_impaired", True),
        ("failed", "failed", False),
        ("something-new", None, True),
    ],
)
def test_elbv2_states(code: str, status: str | None, active: bool) -> None:
    item = copy.deepcopy(item_named("aws.elbv2.load_balancers", "LoadBalancerName", "shop-alb"))
    item["State"]["Code"] = code
    doc = translate_one("aws.elbv2.load_balancers", item)
    assert (doc["status"], doc["active"]) == (status, active)


# --- classic ELB ------------------------------------------------------------------------


def test_a_classic_load_balancer_gets_its_arn_and_tags(classic: dict[str, Doc]) -> None:
    item = item_named("aws.elb.load_balancers", "LoadBalancerName", "legacy-web")
    doc = classic["legacy-web"]
    assert (doc["family"], doc["provider"]) == ("Loadbalance", "CLB (AWS)")
    assert doc["unique_id"] == f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/legacy-web"
    assert (doc["name"], doc["environment"]) == ("legacy-frontend", "staging")
    assert ("status" not in doc, doc["active"]) == (True, True)  # no state to map
    assert doc["instances"] == [{"instance_id": i["InstanceId"]} for i in item["Instances"]]
    assert doc["instances"]  # the registered instance and the web-asg fleet
    assert doc["listeners"] == [
        {"protocol": "HTTP", "port": 80, "instance_protocol": "HTTP", "instance_port": 8080}
    ]
    assert doc["role"]["health_check"] == "HTTP:8080/health"
    assert doc["role"]["type"] == "classic" and doc["role"]["endpoint"] == item["DNSName"]
    assert doc["datacenters"]["zone"] == ["us-east-1a", "us-east-1b"]


def test_a_classic_load_balancer_in_a_vpc(classic: dict[str, Doc]) -> None:
    item = item_named("aws.elb.load_balancers", "LoadBalancerName", "legacy-api")
    doc = classic["legacy-api"]
    assert (doc["name"], doc["tags"]) == ("legacy-api", [])
    assert doc["role"]["scheme"] == "internal"
    dc = doc["datacenters"]
    assert (dc["subnets"], dc["security_groups"], dc["vpc_id"]) == (
        item["Subnets"],
        item["SecurityGroups"],
        item["VPCId"],
    )


class FakeElb:
    """elb.describe_tags as AWS answers it, refusing more than 20 names."""

    def __init__(self, tags: dict[str, list[dict[str, str]]]) -> None:
        self.tags = tags
        self.calls: list[list[str]] = []

    def describe_tags(self, LoadBalancerNames: list[str]) -> dict[str, Any]:
        assert len(LoadBalancerNames) <= DESCRIBE_TAGS_BATCH
        self.calls.append(LoadBalancerNames)
        return {
            "TagDescriptions": [
                {"LoadBalancerName": name, "Tags": self.tags.get(name, [])} for name in LoadBalancerNames
            ]
        }


def test_the_classic_enricher_batches_tags_by_twenty_and_builds_arns() -> None:
    names = [f"lb-{n:02}" for n in range(45)]
    fake = FakeElb({"lb-07": [{"Key": "Name", "Value": "seven"}]})
    context = PageContext(
        resource=RESOURCES["aws.elb.load_balancers"],
        scope={"region": "eu-west-1", "account_id": "111122223333"},
        client=lambda service: fake if service == "elb" else pytest.fail(service),
    )
    items = run_enrichers(context, [{"LoadBalancerName": name} for name in names])
    assert [len(call) for call in fake.calls] == [20, 20, 5]
    assert items[7]["Tags"] == [{"Key": "Name", "Value": "seven"}]
    assert all(item["Tags"] == [] for item in items if item["LoadBalancerName"] != "lb-07")
    assert (
        items[0]["LoadBalancerArn"]
        == "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/lb-00"
    )


def test_a_classic_load_balancer_without_an_account_is_rejected_not_misnamed() -> None:
    fake = FakeElb({})
    context = PageContext(
        resource=RESOURCES["aws.elb.load_balancers"], scope={"region": "eu-west-1"}, client=lambda s: fake
    )
    (item,) = run_enrichers(context, [{"LoadBalancerName": "lb"}])
    assert "LoadBalancerArn" not in item
    docs, rejected = translate(get_mapping("aws.elb.load_balancers"), [item], make_scope())
    assert docs == [] and "unique_id" in rejected[0]["reason"]


# --- Auto Scaling -------------------------------------------------------------------------


def test_an_auto_scaling_group_behind_load_balancers(groups: dict[str, Doc]) -> None:
    item = item_named("aws.autoscaling.groups", "AutoScalingGroupName", "web-asg")
    doc = groups["web-asg"]
    assert (doc["family"], doc["provider"], doc["own"]) == ("AutoScaling", "AutoScaling (AWS)", 1)
    assert doc["unique_id"] == item["AutoScalingGroupARN"]
    assert (doc["name"], doc["environment"], doc["active"]) == ("web-fleet", "production", True)
    assert "status" not in doc  # AWS says nothing until a deletion (see the module)
    assert doc["tags"] == [
        {"key": "Name", "value": "web-fleet"},
        {"key": "Environment", "value": "production"},
    ]
    assert doc["loadbalance_names"] == ["legacy-web"]
    assert doc["target_groups"] == item["TargetGroupARNs"] and len(doc["target_groups"]) == 1
    assert [i["instance_id"] for i in doc["instances"]] == [i["InstanceId"] for i in item["Instances"]]
    assert doc["instances"][0]["lifecycle_state"] == "InService"
    role = doc["role"]
    assert (role["min_size"], role["max_size"], role["desired_capacity"]) == (1, 4, 2)
    assert role["launch_configuration_name"] == "web-lc" and "launch_template" not in role
    assert (role["health_check_type"], role["health_check_grace_period"]) == ("ELB", 120)
    assert doc["datacenters"]["subnets"] == item["VPCZoneIdentifier"].split(",")
    assert len(doc["datacenters"]["subnets"]) == 2


def test_a_launch_template_group_and_an_empty_one(groups: dict[str, Doc]) -> None:
    worker = groups["worker-asg"]
    assert worker["name"] == "worker-asg" and worker["tags"] == []
    assert worker["role"]["launch_template"]["name"] == "worker-lt"
    assert worker["role"]["launch_template"]["version"] == "$Latest"
    assert worker["datacenters"]["zone"] == ["us-east-1a"]
    spare = groups["spare-asg"]
    assert (spare["role"]["min_size"], spare["role"]["max_size"], spare["role"]["desired_capacity"]) == (
        0,
        0,
        0,
    )
    assert (spare["instances"], spare["loadbalance_names"], spare["target_groups"]) == ([], [], [])


# --- RDS ----------------------------------------------------------------------------------


def test_a_tagged_multi_az_database(db_instances: dict[str, Doc]) -> None:
    item = item_named("aws.rds.db_instances", "DBInstanceIdentifier", "orders-db")
    doc = db_instances["orders-db"]
    assert (doc["family"], doc["provider"], doc["engine"]) == ("Database", "RDS (AWS)", "postgres")
    assert doc["unique_id"] == item["DBInstanceArn"] == f"arn:aws:rds:us-east-1:{ACCOUNT}:db:orders-db"
    assert (doc["name"], doc["environment"]) == ("orders-primary", "production")
    assert (doc["status"], doc["active"]) == ("available", True)
    role = doc["role"]
    assert (role["endpoint"], role["port"]) == (item["Endpoint"]["Address"], 5432)
    assert (role["class"], role["allocated_storage"], role["storage_type"], role["iops"]) == (
        "db.m5.large",
        100,
        "io1",
        3000,
    )
    assert (role["multi_az"], role["storage_encrypted"], role["deletion_protection"]) == (True, True, True)
    assert role["publicly_accessible"] is False  # False is data
    assert role["dbname"] == "orders" and role["read_replicas"] == ["orders-db-replica"]
    dc = doc["datacenters"]
    assert dc["zone"] == [item["AvailabilityZone"]]
    assert dc["vpc_id"] == item["DBSubnetGroup"]["VpcId"] and len(dc["subnets"]) == 2
    assert dc["security_groups"] == [g["VpcSecurityGroupId"] for g in item["VpcSecurityGroups"]]


def test_a_stopped_database_stays_active_and_replicas_and_members_say_whose(
    db_instances: dict[str, Doc],
) -> None:
    reports = db_instances["reports-db"]
    assert (reports["status"], reports["active"]) == ("stopped", True)
    assert reports["name"] == "reports-db"  # no Name tag
    assert reports["environment"] == "development"  # from a lower-case key, value unchanged
    assert db_instances["orders-db-replica"]["role"]["read_replica_source"] == "orders-db"
    assert db_instances["catalog-aurora-1"]["role"]["cluster_name"] == "catalog-aurora"


@pytest.fixture(scope="module")
def db_instances() -> dict[str, Doc]:
    return documents("aws.rds.db_instances")


@pytest.mark.parametrize(
    ("state", "active"),
    [("available", True), ("stopped", True), ("backing-up", True), ("deleting", False), ("failed", False)],
)
def test_rds_states_are_kept_as_aws_spells_them(state: str, active: bool) -> None:
    item = copy.deepcopy(item_named("aws.rds.db_instances", "DBInstanceIdentifier", "orders-db"))
    item["DBInstanceStatus"] = state
    doc = translate_one("aws.rds.db_instances", item)
    assert (doc["status"], doc["active"]) == (state, active)


def test_an_aurora_cluster() -> None:
    clusters = documents("aws.rds.db_clusters")
    assert sorted(clusters) == ["catalog-aurora", "events-aurora", "search-aurora"]  # no Neptune
    item = item_named("aws.rds.db_clusters", "DBClusterIdentifier", "catalog-aurora")
    doc = clusters["catalog-aurora"]
    assert (doc["family"], doc["provider"], doc["engine"]) == (
        "Database",
        "Aurora (AWS)",
        "aurora-postgresql",
    )
    assert doc["unique_id"] == item["DBClusterArn"]
    assert (doc["name"], doc["environment"], doc["status"], doc["active"]) == (
        "catalog",
        "production",
        "available",
        True,
    )
    assert doc["role"]["members"] == [{"identifier": "catalog-aurora-1", "writer": True}]
    assert doc["role"]["reader_endpoint"] == item["ReaderEndpoint"]
    assert doc["datacenters"]["zone"] == item["AvailabilityZones"]
    assert clusters["search-aurora"]["name"] == "search-aurora"


def test_only_aurora_clusters_are_kept() -> None:
    context = PageContext(resource=RESOURCES["aws.rds.db_clusters"], scope={}, client=pytest.fail)
    items = [{"Engine": "aurora-mysql"}, {"Engine": "neptune"}, {"Engine": "docdb"}, {"Engine": "aurora"}]
    assert run_enrichers(context, items) == [{"Engine": "aurora-mysql"}, {"Engine": "aurora"}]


# --- ElastiCache --------------------------------------------------------------------------


def test_cache_clusters() -> None:
    caches = documents("aws.elasticache.cache_clusters")
    item = item_named("aws.elasticache.cache_clusters", "CacheClusterId", "sessions")
    doc = caches["sessions"]
    assert (doc["family"], doc["provider"], doc["engine"]) == ("Cache", "Elastic Cache (AWS)", "memcached")
    assert doc["unique_id"] == item["ARN"] == f"arn:aws:elasticache:us-east-1:{ACCOUNT}:cluster:sessions"
    assert (doc["name"], doc["environment"], doc["status"], doc["active"]) == (
        "web-sessions",
        "production",
        "available",
        True,
    )
    role = doc["role"]
    assert (role["node_type"], role["version"], role["num_cache_nodes"]) == ("cache.t3.micro", "1.6.6", 2)
    assert (role["transit_encryption_enabled"], role["auth_token_enabled"]) == (True, False)
    assert doc["datacenters"]["zone"] == ["us-east-1a"]
    cart = caches["cart-cache"]
    assert (cart["name"], cart["tags"], cart["engine"]) == ("cart-cache", [], "redis")
    assert caches["rate-limits"]["environment"] == "staging"
    for state, active in (("deleting", False), ("deleted", False), ("modifying", True)):
        changed = copy.deepcopy(item)
        changed["CacheClusterStatus"] = state
        assert translate_one("aws.elasticache.cache_clusters", changed)["active"] is active


# --- all of them ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", APP_RESOURCES)
def test_documents_validate_and_carry_their_resource_family_and_label(key: str) -> None:
    resource = RESOURCES[key]
    docs, rejected = translate(get_mapping(resource.key), recorded_items(resource.key), make_scope())
    assert docs and rejected == []
    for doc in docs:
        assert schema.validate("applications", doc) == [], doc["name"]
        assert schema.warnings("applications", doc) == [], doc["name"]
        # the sweep finds a unit's documents by these two: they must be the resource's
        assert (doc["family"], doc["provider"]) == (resource.family, resource.app_provider)
        assert doc["unique_id"].startswith("arn:aws:")
        assert doc["name"] and doc["name"] != ""
    assert len({doc["unique_id"] for doc in docs}) == len(docs)


@pytest.mark.parametrize("key", [k for k in APP_RESOURCES if k not in ONE_PAGE])
def test_recorded_pages_chain_through_their_tokens(key: str) -> None:
    call = RESOURCES[key].call
    pages = recorded_pages(key)
    assert len(pages) >= 2, "record at least two pages"
    paging = pagination(call)
    assert paging.limit_key is not None
    for page in pages[:-1]:
        cursor = next_cursor(call, page)
        assert cursor, key
        params = request_params(call, cursor, 2)
        assert params[paging.input_tokens[0]] == cursor
        assert params[paging.limit_key] == max(2, call.min_page_size or 0)
    assert next_cursor(call, pages[-1]) is None
    assert all(extract_items(call, page) for page in pages)


def test_page_sizes_are_capped_at_what_each_api_takes() -> None:
    expected = {
        "aws.elbv2.load_balancers": ("PageSize", 400),
        "aws.elb.load_balancers": ("PageSize", 400),
        "aws.autoscaling.groups": ("MaxRecords", 100),
        "aws.rds.db_instances": ("MaxRecords", 100),
        "aws.rds.db_clusters": ("MaxRecords", 100),
        "aws.elasticache.cache_clusters": ("MaxRecords", 100),
        "aws.elbv2.target_groups": ("PageSize", 400),
        "aws.elasticache.replication_groups": ("MaxRecords", 100),
        "aws.ec2.launch_templates": ("MaxResults", 200),
        "aws.autoscaling.launch_configurations": ("MaxRecords", 100),
    }
    for key, (limit_key, cap) in expected.items():
        assert request_params(RESOURCES[key].call, None, 1000)[limit_key] == cap, key
    assert (
        request_params(RESOURCES["aws.elasticache.cache_clusters"].call, None, 50)["ShowCacheNodeInfo"]
        is True
    )
    # ElastiCache refuses MaxRecords under 20
    assert request_params(RESOURCES["aws.elasticache.replication_groups"].call, None, 5) == {"MaxRecords": 20}


def test_db_clusters_page_by_marker() -> None:
    # moto ignores MaxRecords on describe_db_clusters (one page whatever is asked), so
    # only the recorded last page and the marker round trip can be checked here.
    call = RESOURCES["aws.rds.db_clusters"].call
    (page,) = recorded_pages("aws.rds.db_clusters")
    assert next_cursor(call, page) is None
    assert next_cursor(call, {**page, "Marker": "m-2"}) == "m-2"
    assert request_params(call, "m-2", 20) == {"MaxRecords": 20, "Marker": "m-2"}


@pytest.mark.parametrize(
    ("key", "token", "marker"),
    [
        ("aws.elbv2.target_groups", "NextMarker", "Marker"),
        ("aws.elasticache.replication_groups", "Marker", "Marker"),
        ("aws.ec2.launch_templates", "NextToken", "NextToken"),
        ("aws.rds.db_instances", "Marker", "Marker"),
        ("aws.elasticache.cache_clusters", "Marker", "Marker"),
    ],
)
def test_one_page_resources_page_by_their_tokens(key: str, token: str, marker: str) -> None:
    # moto returns these in one page (see ONE_PAGE): the recorded last page has no token,
    # and a token in a response is what the next request sends.
    call = RESOURCES[key].call
    (page,) = recorded_pages(key)
    assert next_cursor(call, page) is None
    assert next_cursor(call, {**page, token: "t-2"}) == "t-2"
    params = request_params(call, "t-2", 20)
    limit_key = pagination(call).limit_key
    assert limit_key is not None
    assert (params[marker], params[limit_key]) == ("t-2", 20)


# --- target groups --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def target_groups() -> dict[str, Doc]:
    docs, rejected = translate(
        get_mapping("aws.elbv2.target_groups"), recorded_items("aws.elbv2.target_groups"), make_scope()
    )
    assert rejected == []
    return {doc["role"]["name"]: doc for doc in docs}


def test_a_tagged_target_group_behind_a_load_balancer(target_groups: dict[str, Doc]) -> None:
    item = item_named("aws.elbv2.target_groups", "TargetGroupName", "api-tg")
    doc = target_groups["api-tg"]
    assert (doc["family"], doc["provider"], doc["own"]) == ("Loadbalance", "Target Group (AWS)", 1)
    assert doc["unique_id"] == item["TargetGroupArn"]
    assert doc["unique_id"].startswith(
        f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/api-tg/"
    )
    assert (doc["name"], doc["environment"]) == ("api-targets", "production")
    assert doc["tags"] == [
        {"key": "Name", "value": "api-targets"},
        {"key": "Environment", "value": "production"},
    ]
    assert ("status" not in doc, doc["active"]) == (True, True)
    assert (doc["protocol"], doc["port"], doc["vpc_id"]) == ("HTTPS", 8443, item["VpcId"])
    role = doc["role"]
    assert role["target_type"] == "ip"
    assert (
        len(role["load_balancer_arns"]) == 1
        and ":loadbalancer/app/shop-alb/" in role["load_balancer_arns"][0]
    )
    assert role["health_check"]["path"] == "/healthz" and role["health_check"]["matcher"] == "200-299"
    assert role["health_check"]["enabled"] is True
    assert doc["datacenters"]["vpc_id"] == item["VpcId"]


def test_an_untagged_target_group(target_groups: dict[str, Doc]) -> None:
    doc = target_groups["shop-tg"]
    assert (doc["name"], doc["tags"], doc["environment"]) == ("shop-tg", [], None)
    assert (doc["protocol"], doc["port"], doc["role"]["target_type"]) == ("HTTP", 80, "instance")
    assert doc["role"]["load_balancer_arns"] == []  # used only by web-asg, no listener


# --- replication groups ---------------------------------------------------------------------


def test_replication_groups() -> None:
    groups = documents("aws.elasticache.replication_groups")
    assert sorted(groups) == ["catalog-redis", "queue-redis"]
    item = item_named("aws.elasticache.replication_groups", "ReplicationGroupId", "catalog-redis")
    doc = groups["catalog-redis"]
    assert (doc["family"], doc["provider"], doc["engine"]) == (
        "Cache",
        "ElastiCache Replication Group (AWS)",
        "redis",
    )
    assert (
        doc["unique_id"]
        == item["ARN"]
        == f"arn:aws:elasticache:us-east-1:{ACCOUNT}:replicationgroup:catalog-redis"
    )
    assert (doc["name"], doc["environment"], doc["status"], doc["active"]) == (
        "catalog-cache",
        "production",
        "available",
        True,
    )
    role = doc["role"]
    assert role["member_clusters"] == ["catalog-redis-001", "catalog-redis-002"]  # moto repeats them
    assert [group["id"] for group in role["node_groups"]] == ["0001", "0002"]
    assert role["node_groups"][0]["members"][0] == {
        "cluster_id": "catalog-redis-001",
        "zone": "us-east-1a",
        "role": "primary",
    }
    assert role["node_groups"][0]["primary_endpoint"].startswith("master.catalog-redis.")
    assert (role["automatic_failover"], role["multi_az"], role["cluster_enabled"]) == (
        "enabled",
        "enabled",
        False,
    )
    assert (role["transit_encryption_enabled"], role["at_rest_encryption_enabled"]) == (True, True)
    queue = groups["queue-redis"]
    assert (queue["name"], queue["tags"], queue["role"]["automatic_failover"]) == (
        "queue-redis",
        [],
        "disabled",
    )


@pytest.mark.parametrize(
    ("state", "active"),
    [
        ("available", True),
        ("creating", True),
        ("modifying", True),
        ("snapshotting", True),
        ("deleting", False),
        ("create-failed", False),
    ],
)
def test_replication_group_states_are_kept_as_aws_spells_them(state: str, active: bool) -> None:
    item = copy.deepcopy(
        item_named("aws.elasticache.replication_groups", "ReplicationGroupId", "queue-redis")
    )
    item["Status"] = state
    doc = translate_one("aws.elasticache.replication_groups", item)
    assert (doc["status"], doc["active"]) == (state, active)


# --- launch templates and configurations ----------------------------------------------------


def test_launch_templates_get_a_built_arn() -> None:
    docs, rejected = translate(
        get_mapping("aws.ec2.launch_templates"), recorded_items("aws.ec2.launch_templates"), make_scope()
    )
    assert rejected == []
    templates = {doc["role"]["name"]: doc for doc in docs}
    assert sorted(templates) == ["web-lt", "worker-lt"]
    item = item_named("aws.ec2.launch_templates", "LaunchTemplateName", "web-lt")
    doc = templates["web-lt"]
    assert (doc["family"], doc["provider"], doc["own"]) == ("AutoScaling", "Launch Template (AWS)", 1)
    assert doc["unique_id"] == f"arn:aws:ec2:us-east-1:{ACCOUNT}:launch-template/{item['LaunchTemplateId']}"
    assert (doc["name"], doc["environment"], doc["active"]) == ("web-template", "staging", True)
    assert doc["tags"] == [
        {"key": "Name", "value": "web-template"},
        {"key": "Environment", "value": "staging"},
    ]
    role = doc["role"]
    assert (role["default_version"], role["latest_version"]) == (2, 2)
    assert role["created_by"] == f"arn:aws:iam::{ACCOUNT}:root" and role["id"] == item["LaunchTemplateId"]
    worker = templates["worker-lt"]
    assert (worker["name"], worker["tags"], worker["role"]["default_version"]) == ("worker-lt", [], 1)


def test_launch_configurations() -> None:
    docs, rejected = translate(
        get_mapping("aws.autoscaling.launch_configurations"),
        recorded_items("aws.autoscaling.launch_configurations"),
        make_scope(),
    )
    assert rejected == []
    configs = {doc["name"]: doc for doc in docs}
    assert sorted(configs) == ["batch-lc", "legacy-lc", "web-lc"]
    item = item_named("aws.autoscaling.launch_configurations", "LaunchConfigurationName", "batch-lc")
    doc = configs["batch-lc"]
    assert (doc["family"], doc["provider"], doc["active"]) == (
        "AutoScaling",
        "Launch Configuration (AWS)",
        True,
    )
    assert doc["unique_id"] == item["LaunchConfigurationARN"]
    assert doc["unique_id"].startswith(f"arn:aws:autoscaling:us-east-1:{ACCOUNT}:launchConfiguration:")
    assert doc["security_groups"] == item["SecurityGroups"] and len(doc["security_groups"]) == 1
    role = doc["role"]
    assert (role["image_id"], role["instance_type"], role["key_name"]) == (
        "ami-1e749f67",
        "c5.large",
        "ops-key",
    )
    assert (role["iam_instance_profile"], role["spot_price"], role["monitoring"]) == (
        "batch-profile",
        "0.05",
        False,
    )
    legacy = configs["legacy-lc"]["role"]
    assert (legacy["monitoring"], legacy["associate_public_ip_address"]) == (True, True)
    assert "key_name" not in legacy
    assert not any("UserData" in i for i in recorded_items("aws.autoscaling.launch_configurations"))


class FakeAutoscaling:
    """describe_launch_configurations answering with user data, as AWS does."""

    def describe_launch_configurations(self, **params: Any) -> dict[str, Any]:
        return {
            "LaunchConfigurations": [
                {
                    "LaunchConfigurationName": "lc",
                    "LaunchConfigurationARN": "arn:aws:autoscaling:eu-west-1:1:launchConfiguration:x",
                    "UserData": "ZXhwb3J0IFBBU1NXT1JEPXNlY3JldA==",
                }
            ]
        }


def test_launch_configuration_user_data_is_dropped_right_after_listing() -> None:
    from services.api.providers.aws import fetch_page

    resource = RESOURCES["aws.autoscaling.launch_configurations"]
    assert resource.drop == ("UserData",)
    page = fetch_page(resource, lambda service: FakeAutoscaling(), None, 50, {"region": "eu-west-1"})
    assert page.items == [
        {
            "LaunchConfigurationName": "lc",
            "LaunchConfigurationARN": "arn:aws:autoscaling:eu-west-1:1:launchConfiguration:x",
        }
    ]
