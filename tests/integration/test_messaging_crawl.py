"""SNS, Kinesis, CloudWatch alarms, log groups, Cognito, Step Functions and Redshift crawled
through the four stages (in process, stub broker) on SecantusDB and moto."""

from __future__ import annotations

import json
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
TASKS = ["brokers-list", "monitor-list", "logs-list", "auth-list", "serverless-list", "dbs-list"]
MINE = {
    "aws.sns.topics": ("Broker", "SNS (AWS)"),
    "aws.kinesis.streams": ("Broker", "Kinesis (AWS)"),
    "aws.cloudwatch.alarms": ("Monitor", "CloudWatch (AWS)"),
    "aws.logs.log_groups": ("Logs", "CloudWatch Logs (AWS)"),
    "aws.cognito.user_pools": ("Auth", "Cognito (AWS)"),
    "aws.stepfunctions.state_machines": ("Serverless", "Step Functions (AWS)"),
    "aws.redshift.clusters": ("Database", "Redshift (AWS)"),
}
PAGED = 6  # log groups, state machines, user pools: two pages of 5 (moto pages these)
DEFINITION = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})


def client(service: str) -> Any:
    return moto_client(service, REGION)


def seed() -> dict[str, Any]:
    """Resources of every kind; returns what the test deletes afterwards."""
    sns = client("sns")
    topic = sns.create_topic(Name="orders", Tags=[{"Key": "Environment", "Value": "production"}])["TopicArn"]
    sns.create_topic(Name="alerts")
    kinesis = client("kinesis")
    kinesis.create_stream(StreamName="clicks", ShardCount=2)
    kinesis.add_tags_to_stream(StreamName="clicks", Tags={"Name": "clickstream"})
    kinesis.create_stream(StreamName="audit", ShardCount=1)
    cloudwatch = client("cloudwatch")
    for name in ("cpu-high", "disk-full"):
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            MetricName="CPUUtilization",
            Namespace="AWS/EC2",
            Statistic="Average",
            Period=60,
            EvaluationPeriods=1,
            Threshold=90.0,
            ComparisonOperator="GreaterThanThreshold",
            Tags=[{"Key": "Team", "Value": "ops"}],
        )
    logs = client("logs")
    for number in range(PAGED):
        logs.create_log_group(logGroupName=f"/app/service-{number}", tags={"Team": "web"})
    cognito = client("cognito-idp")
    pools = [cognito.create_user_pool(PoolName=f"pool-{n}")["UserPool"]["Id"] for n in range(PAGED)]
    role = client("iam").create_role(RoleName="sfn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    sfn = client("stepfunctions")
    machines = [
        sfn.create_state_machine(name=f"flow-{n}", definition=DEFINITION, roleArn=role)["stateMachineArn"]
        for n in range(PAGED)
    ]
    redshift = client("redshift")
    for name in ("warehouse", "scratch"):
        redshift.create_cluster(
            ClusterIdentifier=name,
            NodeType="dc2.large",
            ClusterType="single-node",
            MasterUsername="admin",
            MasterUserPassword="Password1",
            Tags=[{"Key": "Environment", "Value": "production"}],
        )
    return {"topic": topic, "pool": pools[0], "machine": machines[0]}


def delete_one_of_each(seeded: dict[str, Any]) -> set[str]:
    """Delete one resource of every kind; their unique ids."""
    client("sns").delete_topic(TopicArn=seeded["topic"])
    client("kinesis").delete_stream(StreamName="audit")
    client("cloudwatch").delete_alarms(AlarmNames=["disk-full"])
    client("logs").delete_log_group(logGroupName="/app/service-0")
    client("cognito-idp").delete_user_pool(UserPoolId=seeded["pool"])
    client("stepfunctions").delete_state_machine(stateMachineArn=seeded["machine"])
    client("redshift").delete_cluster(ClusterIdentifier="scratch", SkipFinalClusterSnapshot=True)
    account = "123456789012"
    return {
        seeded["topic"],
        f"arn:aws:kinesis:{REGION}:{account}:stream/audit",
        f"arn:aws:cloudwatch:{REGION}:{account}:alarm:disk-full",
        f"arn:aws:logs:{REGION}:{account}:log-group:/app/service-0",
        f"arn:aws:cognito-idp:{REGION}:{account}:userpool/{seeded['pool']}",
        seeded["machine"],
        f"arn:aws:redshift:{REGION}:{account}:cluster:scratch",
    }


def test_the_operators_services_crawl_into_applications_and_vanished_ones_are_deactivated(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    seeded = seed()
    conn_id = aws_connection(rt, ["us-east-1 (N. Virginia)"])
    run = crawl(pipeline, conn_id, TASKS)

    units = succeeded_units(run, MINE)
    for key in ("aws.logs.log_groups", "aws.cognito.user_pools", "aws.stepfunctions.state_machines"):
        assert units[key]["pages"]["fetched"] == 2, key  # 6 items, pages of 5
    docs = applications_of(rt, MINE)
    assert count_active_applications(docs, conn_id) == {
        ("Broker", "SNS (AWS)"): 2,
        ("Broker", "Kinesis (AWS)"): 2,
        ("Monitor", "CloudWatch (AWS)"): 2,
        ("Logs", "CloudWatch Logs (AWS)"): PAGED,
        ("Auth", "Cognito (AWS)"): PAGED,
        ("Serverless", "Step Functions (AWS)"): PAGED,
        ("Database", "Redshift (AWS)"): 2,
    }
    by_id = {doc["unique_id"]: doc for doc in docs}
    assert by_id[seeded["topic"]]["environment"] == "production"  # tagging API, batched
    clicks = by_id[f"arn:aws:kinesis:{REGION}:123456789012:stream/clicks"]
    assert (clicks["name"], clicks["shard_count"], clicks["status"]) == ("clickstream", 2, "Active")
    alarm = by_id[f"arn:aws:cloudwatch:{REGION}:123456789012:alarm:cpu-high"]
    assert {"key": "Team", "value": "ops"} in alarm["tags"]
    assert all(doc["tags"] == [{"key": "Team", "value": "web"}] for doc in docs if doc["family"] == "Logs")
    warehouse = by_id[f"arn:aws:redshift:{REGION}:123456789012:cluster:warehouse"]
    assert (warehouse["status"], warehouse["environment"]) == ("Active", "production")

    gone = delete_one_of_each(seeded)
    assert_recrawl_deactivates_exactly(pipeline, conn_id, TASKS, MINE, gone)
