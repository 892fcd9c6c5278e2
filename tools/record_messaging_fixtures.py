"""Record SNS, Kinesis, CloudWatch alarm, log group, Cognito, Step Functions and Redshift pages.

The fixtures are real: this script builds a small account in moto's server (topics with
and without tags and subscriptions, a FIFO topic, streams in both capacity modes, alarms
with actions on and off, log groups with and without retention, user pools, state machines
of both types, Redshift clusters), then lists every resource the way the api stage does,
through `services.api.providers.aws.fetch_page` (list call + enrichers), and writes each
page's items as `{<result key>: items}` to `tests/fixtures/aws/<client>_<operation>_<n>.json`.

For the calls moto really pages (log groups, state machines, user pools, topics), the raw
list responses, tokens included, go to `pages/<client>_<operation>_<n>.json` for the
pagination tests. SNS pages by 100 topics whatever is asked: its raw pages are recorded
after 100 more topics are added (bare ARNs, a few kilobytes).

Timestamps are written as ISO-8601 strings (`json.dumps(..., default=isoformat)`).

Usage: `.venv/bin/python tools/record_messaging_fixtures.py [--out tests/fixtures/aws]`
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
from recording import record_pages, run, tags, write_json  # tools/recording.py

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
PAGE_SIZE = 2  # three items of the paged calls: two pages
RESOURCE_KEYS = (
    "aws.sns.topics",
    "aws.kinesis.streams",
    "aws.cloudwatch.alarms",
    "aws.logs.log_groups",
    "aws.cognito.user_pools",
    "aws.stepfunctions.state_machines",
    "aws.redshift.clusters",
)
RAW_PAGED = ("aws.logs.log_groups", "aws.cognito.user_pools", "aws.stepfunctions.state_machines")
# Redshift's MaxRecords is 20 to 100 (moto ignores it; AWS refuses less than 20).
PAGE_SIZES = {"aws.redshift.clusters": 20}
BULK_TOPICS = 100  # SNS's fixed page size: one more page's worth
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b0b0b0b-1111-2222-3333-444444444444"
STATE_MACHINE = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})


def build_account(endpoint: str) -> None:
    """Create the resources the fixtures show."""

    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint)

    sns = client("sns")
    orders = sns.create_topic(
        Name="orders-events",
        Attributes={"DisplayName": "Order events", "KmsMasterKeyId": "alias/aws/sns"},
        Tags=tags(Name="orders-topic", Environment="production"),
    )["TopicArn"]
    sns.create_topic(
        Name="payments.fifo",
        Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"},
        Tags=tags(Environment="staging", Name=""),
    )
    sns.create_topic(Name="alerts")
    queue = client("sqs").create_queue(QueueName="orders-audit")["QueueUrl"]
    queue_arn = client("sqs").get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=orders, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"])

    kinesis = client("kinesis")
    kinesis.create_stream(StreamName="clickstream", ShardCount=3)
    kinesis.add_tags_to_stream(StreamName="clickstream", Tags={"Name": "clicks", "Environment": "production"})
    kinesis.start_stream_encryption(StreamName="clickstream", EncryptionType="KMS", KeyId=KMS_KEY)
    kinesis.increase_stream_retention_period(StreamName="clickstream", RetentionPeriodHours=48)
    kinesis.create_stream(StreamName="audit-trail", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    kinesis.create_stream(StreamName="metrics", ShardCount=1)

    cloudwatch = client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName="api-high-cpu",
        AlarmDescription="CPU above 80% for 10 minutes",
        MetricName="CPUUtilization",
        Namespace="AWS/EC2",
        Statistic="Average",
        Period=300,
        EvaluationPeriods=2,
        DatapointsToAlarm=2,
        Threshold=80.0,
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="breaching",
        Unit="Percent",
        Dimensions=[{"Name": "InstanceId", "Value": "i-0123456789abcdef0"}],
        AlarmActions=[orders],
        OKActions=[orders],
        InsufficientDataActions=[orders],
        Tags=tags(Name="api-cpu", Environment="production"),
    )
    cloudwatch.put_metric_alarm(
        AlarmName="queue-depth",
        MetricName="ApproximateNumberOfMessagesVisible",
        Namespace="AWS/SQS",
        Statistic="Maximum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=0.0,
        ComparisonOperator="GreaterThanThreshold",
        ActionsEnabled=False,
    )
    cloudwatch.set_alarm_state(AlarmName="queue-depth", StateValue="ALARM", StateReason="messages waiting")

    logs = client("logs")
    logs.create_log_group(logGroupName="/aws/lambda/api-handler", tags={"Environment": "production"})
    logs.put_retention_policy(logGroupName="/aws/lambda/api-handler", retentionInDays=30)
    logs.create_log_group(logGroupName="/app/orders", kmsKeyId=KMS_KEY, tags={"Name": "orders-logs"})
    logs.create_log_stream(logGroupName="/app/orders", logStreamName="web-1")
    logs.put_log_events(
        logGroupName="/app/orders",
        logStreamName="web-1",
        logEvents=[{"timestamp": 1_700_000_000_000, "message": "order 42 placed"}],
    )
    logs.create_log_group(logGroupName="/app/scratch")

    cognito = client("cognito-idp")
    customers = cognito.create_user_pool(
        PoolName="customers",
        MfaConfiguration="OPTIONAL",
        UsernameAttributes=["email"],
        DeletionProtection="ACTIVE",
        UserPoolTags={"Name": "shop-customers", "Environment": "production"},
    )["UserPool"]["Id"]
    cognito.create_user_pool_domain(Domain="shop-login", UserPoolId=customers)
    cognito.create_user_pool(PoolName="staff", UserPoolTags={"Environment": "staging"})
    cognito.create_user_pool(PoolName="legacy")

    iam = client("iam")
    role = iam.create_role(RoleName="states-exec", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    sfn = client("stepfunctions")
    sfn.create_state_machine(
        name="order-workflow",
        definition=STATE_MACHINE,
        roleArn=role,
        tags=[{"key": "Name", "value": "orders-flow"}, {"key": "Environment", "value": "production"}],
    )
    sfn.create_state_machine(name="thumbnailer", definition=STATE_MACHINE, roleArn=role, type="EXPRESS")
    sfn.create_state_machine(name="nightly-batch", definition=STATE_MACHINE, roleArn=role)

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.1.0/24", AvailabilityZone="us-east-1b")
    group = ec2.create_security_group(GroupName="warehouse", Description="warehouse", VpcId=vpc)["GroupId"]
    redshift = client("redshift")
    redshift.create_cluster_subnet_group(
        ClusterSubnetGroupName="warehouse-subnets",
        Description="warehouse",
        SubnetIds=[subnet["Subnet"]["SubnetId"]],
    )
    redshift.create_cluster(
        ClusterIdentifier="analytics",
        NodeType="ra3.xlplus",
        ClusterType="multi-node",
        NumberOfNodes=2,
        MasterUsername="admin",
        MasterUserPassword="Password1",
        DBName="warehouse",
        Encrypted=True,
        KmsKeyId=KMS_KEY,
        ClusterSubnetGroupName="warehouse-subnets",
        VpcSecurityGroupIds=[group],
        AvailabilityZone="us-east-1b",
        PubliclyAccessible=True,
        Tags=tags(Name="analytics-warehouse", Environment="production"),
    )
    redshift.create_cluster(
        ClusterIdentifier="sandbox",
        NodeType="dc2.large",
        ClusterType="single-node",
        MasterUsername="admin",
        MasterUserPassword="Password1",
    )
    redshift.pause_cluster(ClusterIdentifier="sandbox")


def record(endpoint: str, out: Path) -> list[Path]:
    """List every resource through fetch_page, write its pages; return the files written."""
    sizes = {key: PAGE_SIZES.get(key, PAGE_SIZE) for key in RESOURCE_KEYS}
    written = record_pages(endpoint, out, RESOURCE_KEYS, sizes, suffix="", raw=RAW_PAGED)
    sns = boto3.client("sns", region_name=REGION, endpoint_url=endpoint)
    return [*written, *_record_topic_pages(sns, out)]


def _record_topic_pages(sns: Any, out: Path) -> list[Path]:
    """SNS's raw list_topics pages (100 topics a page, its fixed size) over 103 topics."""
    for number in range(BULK_TOPICS):
        sns.create_topic(Name=f"bulk-{number:03d}")
    written = []
    params: dict[str, Any] = {}
    number = 0
    while True:
        number += 1
        raw = sns.list_topics(**params)
        raw.pop("ResponseMetadata", None)
        written.append(write_json(out / "pages" / f"sns_list_topics_{number}.json", raw))
        if not raw.get("NextToken"):
            return written
        params["NextToken"] = raw["NextToken"]


def main() -> None:
    """Start moto's server, build the account, record the pages, stop the server."""
    run(__doc__.splitlines()[0], build_account, record)


if __name__ == "__main__":
    main()
