"""A simulated AWS account for the account-scale benchmark: every catalogue resource type in moto.

`seed_account` creates `count(key)` items of each AWS resource type of the catalogue in
each region (global services once), through boto3 against moto (`AWS_ENDPOINT_URL`).
A type moto cannot create, or has no seeder here, is reported as skipped with the reason;
the crawl still lists it (an empty listing). EC2 instances come from
`services.embedded.aws_seed`, one reservation each, so they page as on AWS.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from services.embedded.aws_seed import seed_instances
from shared.catalog import PROVIDERS

ACCOUNT = "123456789012"  # moto's default account
AMI = "ami-0c55b159cbfafe1f0"  # moto launches any image id
PASSWORD = "Bench-Password-1"
STATE_MACHINE = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})


def _trust(service: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _zip(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", source)
    return buffer.getvalue()


class Region:
    """One region being seeded: clients, and the network and roles its resources need (made once)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = boto3.client(
                service, region_name=self.name, aws_access_key_id="testing", aws_secret_access_key="testing"
            )
        return self._clients[service]

    @cached_property
    def vpc(self) -> str:
        return str(self.client("ec2").create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"])

    @cached_property
    def zones(self) -> list[str]:
        """The region's first two availability zones (not always `a` and `b`)."""
        listed = self.client("ec2").describe_availability_zones()["AvailabilityZones"]
        return sorted(zone["ZoneName"] for zone in listed)[:2]

    @cached_property
    def subnets(self) -> list[str]:
        ec2 = self.client("ec2")
        return [
            ec2.create_subnet(VpcId=self.vpc, CidrBlock=f"10.8.{n}.0/24", AvailabilityZone=zone)["Subnet"][
                "SubnetId"
            ]
            for n, zone in enumerate(self.zones, start=1)
        ]

    @cached_property
    def group(self) -> str:
        ec2 = self.client("ec2")
        return str(
            ec2.create_security_group(GroupName="bench", Description="bench", VpcId=self.vpc)["GroupId"]
        )

    def role(self, service: str) -> str:
        """A role `service` may assume (IAM is global: one per region and service, by name)."""
        name = f"bench-{self.name}-{service.split('.')[0]}"
        iam = self.client("iam")
        try:
            return str(iam.get_role(RoleName=name)["Role"]["Arn"])
        except ClientError:
            return str(
                iam.create_role(RoleName=name, AssumeRolePolicyDocument=_trust(service))["Role"]["Arn"]
            )

    @cached_property
    def volume(self) -> str:
        ec2 = self.client("ec2")
        return str(ec2.create_volume(AvailabilityZone=self.zones[0], Size=8)["VolumeId"])

    @cached_property
    def instance(self) -> str:
        ec2 = self.client("ec2")
        return str(ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"])

    @cached_property
    def customer_gateway(self) -> str:
        ec2 = self.client("ec2")
        gateway = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.10", BgpAsn=65010)
        return str(gateway["CustomerGateway"]["CustomerGatewayId"])

    @cached_property
    def transit_gateway(self) -> str:
        return str(
            self.client("ec2").create_transit_gateway(Description="hub")["TransitGateway"]["TransitGatewayId"]
        )

    @cached_property
    def task_definition(self) -> str:
        ecs = self.client("ecs")
        definition = ecs.register_task_definition(
            family="bench", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}]
        )
        return str(definition["taskDefinition"]["taskDefinitionArn"])

    @cached_property
    def endpoint_config(self) -> str:
        sagemaker = self.client("sagemaker")
        sagemaker.create_model(
            ModelName="bench",
            ExecutionRoleArn=self.role("sagemaker.amazonaws.com"),
            PrimaryContainer={"Image": "x"},
        )
        variant = {
            "VariantName": "main",
            "ModelName": "bench",
            "InitialInstanceCount": 1,
            "InstanceType": "ml.m5.large",
        }
        sagemaker.create_endpoint_config(EndpointConfigName="bench", ProductionVariants=[variant])
        return "bench"


Seeder = Callable[[Region, int], None]
SEEDERS: dict[str, Seeder] = {}


def seeds(key: str) -> Callable[[Seeder], Seeder]:
    """Register `fn(region, n)`: create item number `n` of resource `key` in `region`."""

    def register(fn: Seeder) -> Seeder:
        SEEDERS[key] = fn
        return fn

    return register


def _ec2(key: str, make: Callable[[Any, Region, int], Any]) -> None:
    SEEDERS[key] = lambda r, n: make(r.client("ec2"), r, n)


# EC2 networking: one VPC per region holds them all.
_ec2("aws.ec2.vpcs", lambda ec2, r, n: ec2.create_vpc(CidrBlock=f"10.{100 + n}.0.0/16"))
_ec2("aws.ec2.subnets", lambda ec2, r, n: ec2.create_subnet(VpcId=r.vpc, CidrBlock=f"10.8.{10 + n}.0/24"))
_ec2("aws.ec2.route_tables", lambda ec2, r, n: ec2.create_route_table(VpcId=r.vpc))
_ec2("aws.ec2.network_acls", lambda ec2, r, n: ec2.create_network_acl(VpcId=r.vpc))
_ec2("aws.ec2.internet_gateways", lambda ec2, r, n: ec2.create_internet_gateway())
_ec2("aws.ec2.elastic_ips", lambda ec2, r, n: ec2.allocate_address(Domain="vpc"))
_ec2("aws.ec2.vpn_gateways", lambda ec2, r, n: ec2.create_vpn_gateway(Type="ipsec.1"))
_ec2("aws.ec2.transit_gateways", lambda ec2, r, n: ec2.create_transit_gateway(Description=f"tgw-{n}"))
_ec2(
    "aws.ec2.customer_gateways",
    lambda ec2, r, n: ec2.create_customer_gateway(
        Type="ipsec.1", PublicIp=f"203.0.113.{n}", BgpAsn=65000 + n
    ),
)
_ec2(
    "aws.ec2.dhcp_options",
    lambda ec2, r, n: ec2.create_dhcp_options(
        DhcpConfigurations=[{"Key": "domain-name", "Values": [f"n{n}.example"]}]
    ),
)
_ec2(
    "aws.ec2.egress_only_internet_gateways",
    lambda ec2, r, n: ec2.create_egress_only_internet_gateway(VpcId=r.vpc),
)
_ec2(
    "aws.ec2.network_interfaces",
    lambda ec2, r, n: ec2.create_network_interface(SubnetId=r.subnets[n % 2], Groups=[r.group]),
)
_ec2(
    "aws.ec2.nat_gateways",
    lambda ec2, r, n: ec2.create_nat_gateway(
        SubnetId=r.subnets[0], AllocationId=ec2.allocate_address(Domain="vpc")["AllocationId"]
    ),
)
_ec2(
    "aws.ec2.vpc_endpoints",
    lambda ec2, r, n: ec2.create_vpc_endpoint(
        VpcId=r.vpc, ServiceName=f"com.amazonaws.{r.name}.s3", VpcEndpointType="Gateway"
    ),
)
_ec2(
    "aws.ec2.vpc_peering_connections",
    lambda ec2, r, n: ec2.create_vpc_peering_connection(
        VpcId=r.vpc, PeerVpcId=ec2.create_vpc(CidrBlock=f"10.{200 + n}.0.0/16")["Vpc"]["VpcId"]
    ),
)


@seeds("aws.ec2.transit_gateway_attachments")
def _transit_gateway_attachment(r: Region, n: int) -> None:
    ec2 = r.client("ec2")  # one attachment per VPC and gateway
    vpc = ec2.create_vpc(CidrBlock=f"10.{150 + n}.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{150 + n}.1.0/24")["Subnet"]["SubnetId"]
    ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=r.transit_gateway, VpcId=vpc, SubnetIds=[subnet]
    )


_ec2(
    "aws.ec2.prefix_lists",
    lambda ec2, r, n: ec2.create_managed_prefix_list(
        PrefixListName=f"pl-{n}", MaxEntries=5, AddressFamily="IPv4"
    ),
)
_ec2(
    "aws.ec2.vpn_connections",
    lambda ec2, r, n: ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=r.customer_gateway,
        VpnGatewayId=ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"],
    ),
)
# EC2 compute and storage.
_ec2("aws.ec2.volumes", lambda ec2, r, n: ec2.create_volume(AvailabilityZone=r.zones[0], Size=10 + n))
_ec2("aws.ec2.snapshots", lambda ec2, r, n: ec2.create_snapshot(VolumeId=r.volume, Description=f"snap-{n}"))
_ec2("aws.ec2.images", lambda ec2, r, n: ec2.create_image(InstanceId=r.instance, Name=f"image-{n}"))
_ec2(
    "aws.ec2.security_groups",
    lambda ec2, r, n: ec2.create_security_group(GroupName=f"sg-{n}", Description="bench", VpcId=r.vpc),
)
_ec2(
    "aws.ec2.launch_templates",
    lambda ec2, r, n: ec2.create_launch_template(
        LaunchTemplateName=f"lt-{n}", LaunchTemplateData={"ImageId": AMI, "InstanceType": "t3.micro"}
    ),
)


@seeds("aws.autoscaling.launch_configurations")
def _launch_configuration(r: Region, n: int) -> None:
    r.client("autoscaling").create_launch_configuration(
        LaunchConfigurationName=f"lc-{n}", ImageId=AMI, InstanceType="t3.micro"
    )


@seeds("aws.autoscaling.groups")
def _auto_scaling_group(r: Region, n: int) -> None:
    autoscaling = r.client("autoscaling")
    autoscaling.create_launch_configuration(
        LaunchConfigurationName=f"asg-lc-{n}", ImageId=AMI, InstanceType="t3.micro"
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=f"asg-{n}",
        LaunchConfigurationName=f"asg-lc-{n}",
        MinSize=0,
        MaxSize=0,
        DesiredCapacity=0,
        AvailabilityZones=[r.zones[0]],
    )


SEEDERS["aws.apigateway.rest_apis"] = lambda r, n: r.client("apigateway").create_rest_api(name=f"api-{n}")
SEEDERS["aws.apigatewayv2.apis"] = lambda r, n: r.client("apigatewayv2").create_api(
    Name=f"http-{n}", ProtocolType="HTTP"
)
SEEDERS["aws.cognito.user_pools"] = lambda r, n: r.client("cognito-idp").create_user_pool(
    PoolName=f"pool-{n}"
)
SEEDERS["aws.ecr.repositories"] = lambda r, n: r.client("ecr").create_repository(repositoryName=f"repo-{n}")
SEEDERS["aws.ecs.clusters"] = lambda r, n: r.client("ecs").create_cluster(clusterName=f"cluster-{n}")
SEEDERS["aws.efs.file_systems"] = lambda r, n: r.client("efs").create_file_system(CreationToken=f"fs-{n}")
SEEDERS["aws.kinesis.streams"] = lambda r, n: r.client("kinesis").create_stream(
    StreamName=f"stream-{n}", ShardCount=1
)
SEEDERS["aws.logs.log_groups"] = lambda r, n: r.client("logs").create_log_group(logGroupName=f"/bench/{n}")
SEEDERS["aws.sns.topics"] = lambda r, n: r.client("sns").create_topic(Name=f"topic-{n}")
SEEDERS["aws.sqs.queues"] = lambda r, n: r.client("sqs").create_queue(QueueName=f"queue-{n}")
SEEDERS["aws.ses.identities"] = lambda r, n: r.client("ses").verify_email_identity(
    EmailAddress=f"ops{n}@example.com"
)
SEEDERS["aws.opensearch.domains"] = lambda r, n: r.client("opensearch").create_domain(
    DomainName=f"search-{n}"
)
SEEDERS["aws.servicediscovery.namespaces"] = lambda r, n: r.client("servicediscovery").create_http_namespace(
    Name=f"ns-{n}"
)
SEEDERS["aws.neptune.db_clusters"] = lambda r, n: r.client("neptune").create_db_cluster(
    DBClusterIdentifier=f"graph-{n}", Engine="neptune"
)
SEEDERS["aws.docdb.db_clusters"] = lambda r, n: r.client("docdb").create_db_cluster(
    DBClusterIdentifier=f"docs-{n}", Engine="docdb", MasterUsername="admin", MasterUserPassword=PASSWORD
)
SEEDERS["aws.rds.db_clusters"] = lambda r, n: r.client("rds").create_db_cluster(
    DBClusterIdentifier=f"aurora-{n}",
    Engine="aurora-mysql",
    MasterUsername="admin",
    MasterUserPassword=PASSWORD,
)
SEEDERS["aws.rds.db_instances"] = lambda r, n: r.client("rds").create_db_instance(
    DBInstanceIdentifier=f"db-{n}",
    Engine="postgres",
    DBInstanceClass="db.t3.micro",
    AllocatedStorage=20,
    MasterUsername="admin",
    MasterUserPassword=PASSWORD,
)
SEEDERS["aws.redshift.clusters"] = lambda r, n: r.client("redshift").create_cluster(
    ClusterIdentifier=f"warehouse-{n}",
    NodeType="dc2.large",
    ClusterType="single-node",
    MasterUsername="admin",
    MasterUserPassword=PASSWORD,
)
SEEDERS["aws.elasticache.cache_clusters"] = lambda r, n: r.client("elasticache").create_cache_cluster(
    CacheClusterId=f"cache-{n}", Engine="redis", CacheNodeType="cache.t3.micro", NumCacheNodes=1
)
SEEDERS["aws.elasticache.replication_groups"] = lambda r, n: r.client("elasticache").create_replication_group(
    ReplicationGroupId=f"redis-{n}",
    ReplicationGroupDescription="bench",
    Engine="redis",
    CacheNodeType="cache.t3.micro",
    NumCacheClusters=1,
)
SEEDERS["aws.elbv2.load_balancers"] = lambda r, n: r.client("elbv2").create_load_balancer(
    Name=f"alb-{n}", Subnets=r.subnets
)
SEEDERS["aws.elbv2.target_groups"] = lambda r, n: r.client("elbv2").create_target_group(
    Name=f"tg-{n}", Protocol="HTTP", Port=80, VpcId=r.vpc
)
SEEDERS["aws.elb.load_balancers"] = lambda r, n: r.client("elb").create_load_balancer(
    LoadBalancerName=f"classic-{n}",
    Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}],
    AvailabilityZones=[r.zones[0]],
)
SEEDERS["aws.eks.clusters"] = lambda r, n: r.client("eks").create_cluster(
    name=f"k8s-{n}", roleArn=r.role("eks.amazonaws.com"), resourcesVpcConfig={"subnetIds": r.subnets}
)
SEEDERS["aws.ecs.services"] = lambda r, n: r.client("ecs").create_service(
    cluster=r.client("ecs").create_cluster(clusterName=f"svc-cluster-{n}")["cluster"]["clusterName"],
    serviceName=f"service-{n}",
    taskDefinition=r.task_definition,
    desiredCount=0,
)
SEEDERS["aws.fsx.file_systems"] = lambda r, n: r.client("fsx").create_file_system(
    FileSystemType="LUSTRE",
    StorageCapacity=1200,
    SubnetIds=[r.subnets[0]],
    LustreConfiguration={"DeploymentType": "SCRATCH_2"},
)
SEEDERS["aws.mq.brokers"] = lambda r, n: r.client("mq").create_broker(
    BrokerName=f"broker-{n}",
    DeploymentMode="SINGLE_INSTANCE",
    EngineType="ACTIVEMQ",
    EngineVersion="5.17.6",
    HostInstanceType="mq.t3.micro",
    PubliclyAccessible=False,
    AutoMinorVersionUpgrade=False,
    Users=[{"Username": "admin", "Password": PASSWORD}],
)
SEEDERS["aws.dynamodb.tables"] = lambda r, n: r.client("dynamodb").create_table(
    TableName=f"table-{n}",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
)
SEEDERS["aws.cloudwatch.alarms"] = lambda r, n: r.client("cloudwatch").put_metric_alarm(
    AlarmName=f"alarm-{n}",
    MetricName="CPUUtilization",
    Namespace="AWS/EC2",
    Statistic="Average",
    Period=300,
    EvaluationPeriods=1,
    Threshold=80.0,
    ComparisonOperator="GreaterThanThreshold",
)
SEEDERS["aws.codebuild.projects"] = lambda r, n: r.client("codebuild").create_project(
    name=f"build-{n}",
    source={"type": "S3", "location": "sources/app.zip"},
    artifacts={"type": "NO_ARTIFACTS"},
    environment={
        "type": "LINUX_CONTAINER",
        "image": "aws/codebuild/standard:7.0",
        "computeType": "BUILD_GENERAL1_SMALL",
    },
    serviceRole=r.role("codebuild.amazonaws.com"),
)
SEEDERS["aws.stepfunctions.state_machines"] = lambda r, n: r.client("stepfunctions").create_state_machine(
    name=f"flow-{n}", definition=STATE_MACHINE, roleArn=r.role("states.amazonaws.com")
)
SEEDERS["aws.lambda.functions"] = lambda r, n: r.client("lambda").create_function(
    FunctionName=f"fn-{n}",
    Runtime="python3.12",
    Role=r.role("lambda.amazonaws.com"),
    Handler="handler.main",
    Code={"ZipFile": _zip("def main(event, context):\n    return event\n")},
)
SEEDERS["aws.lambda.layers"] = lambda r, n: r.client("lambda").publish_layer_version(
    LayerName=f"layer-{n}", Content={"ZipFile": _zip("X = 1\n")}
)
SEEDERS["aws.sagemaker.endpoints"] = lambda r, n: r.client("sagemaker").create_endpoint(
    EndpointName=f"endpoint-{n}", EndpointConfigName=r.endpoint_config
)


@seeds("aws.codepipeline.pipelines")
def _pipeline(r: Region, n: int) -> None:
    action = {
        "name": "Fetch",
        "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
        "configuration": {"S3Bucket": "sources", "S3ObjectKey": "app.zip"},
        "outputArtifacts": [{"name": "src"}],
    }
    build = {
        "name": "Compile",
        "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"},
        "configuration": {"ProjectName": "build"},
        "inputArtifacts": [{"name": "src"}],
    }
    r.client("codepipeline").create_pipeline(
        pipeline={
            "name": f"pipeline-{n}",
            "roleArn": r.role("codepipeline.amazonaws.com"),
            "artifactStore": {"type": "S3", "location": "artifacts"},
            "stages": [{"name": "Source", "actions": [action]}, {"name": "Build", "actions": [build]}],
        }
    )


# Global services: seeded once, from the first region.
SEEDERS["aws.s3.buckets"] = lambda r, n: r.client("s3").create_bucket(Bucket=f"bench-bucket-{n}")
SEEDERS["aws.route53.hosted_zones"] = lambda r, n: r.client("route53").create_hosted_zone(
    Name=f"zone{n}.example.com", CallerReference=f"zone-{n}"
)


@seeds("aws.cloudfront.distributions")
def _distribution(r: Region, n: int) -> None:
    origin = {
        "Id": "o1",
        "DomainName": "bench.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    r.client("cloudfront").create_distribution(
        DistributionConfig={
            "CallerReference": f"cdn-{n}",
            "Origins": {"Quantity": 1, "Items": [origin]},
            "DefaultCacheBehavior": {
                "TargetOriginId": "o1",
                "ViewerProtocolPolicy": "redirect-to-https",
                "MinTTL": 0,
                "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                "TrustedSigners": {"Enabled": False, "Quantity": 0},
            },
            "Comment": "",
            "Enabled": True,
        }
    )


@dataclass
class SeededAccount:
    """Items created per resource key (all regions), and the keys skipped with why."""

    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def seed_account(
    regions: Sequence[str], count: Callable[[str], int], keys: Collection[str] | None = None
) -> SeededAccount:
    """Create `count(key)` items of every AWS catalogue resource (or those of `keys`) in each
    of `regions` (moto)."""
    account = SeededAccount()
    resources = [r for r in PROVIDERS["aws"].resources if keys is None or r.key in keys]
    for index, name in enumerate(regions):
        region = Region(name)
        for resource in resources:
            if (not resource.regional and index > 0) or resource.key in account.skipped:
                continue
            wanted = count(resource.key)
            if resource.key == "aws.ec2.instances":
                seed_instances([name], per_region=wanted, per_reservation=1, stop_every=3)
                made = wanted
            else:
                made = _seed(region, resource.key, wanted, account)
            account.created[resource.key] = account.created.get(resource.key, 0) + made
    return account


def _seed(region: Region, key: str, wanted: int, account: SeededAccount) -> int:
    seeder = SEEDERS.get(key)
    if seeder is None:
        account.skipped[key] = "moto does not serve it (listed empty)"
        return 0
    for n in range(wanted):
        try:
            seeder(region, n)
        except (ClientError, BotoCoreError, NotImplementedError, KeyError) as exc:
            account.skipped[key] = f"moto refused it: {type(exc).__name__}: {str(exc)[:120]}"
            return n
    return wanted
