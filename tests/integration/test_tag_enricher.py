"""The tags enricher: tags of many resources per call, from the Resource Groups Tagging API."""

from __future__ import annotations

from typing import Any

import boto3

from services.api.providers.enrich import PageContext, run_enrichers
from services.embedded.servers import Server
from shared.resource import AwsCall, Resource


def test_tags_are_fetched_by_arn_in_batches(moto: Server, monkeypatch: Any) -> None:
    from services.api.providers.enrich import tags

    monkeypatch.setattr(tags, "TAGGING_BATCH", 2)  # three instances: two batches
    ec2 = boto3.client("ec2", region_name="us-east-1")
    launched = ec2.run_instances(ImageId="ami-12345678", MinCount=3, MaxCount=3)["Instances"]
    ids = [i["InstanceId"] for i in launched]
    ec2.create_tags(Resources=ids[:2], Tags=[{"Key": "team", "Value": "platform"}])
    items = [{"InstanceId": i} for i in ids]
    resource = Resource(
        key="test.instances",
        provider="aws",
        task="test-list",
        collection="servers",
        mapping={},
        call=AwsCall("ec2", "describe_instances"),
        iam=("tag:GetResources",),
        enrich=("tags",),
        arn="arn:aws:ec2:{scope[region]}:{scope[account_id]}:instance/{InstanceId}",
    )
    calls: list[str] = []

    def client(service: str) -> Any:
        calls.append(service)
        return boto3.client(service, region_name="us-east-1")

    context = PageContext(
        resource=resource, scope={"region": "us-east-1", "account_id": "123456789012"}, client=client
    )
    enriched = run_enrichers(context, items)

    assert [item["Tags"] for item in enriched] == [
        [{"Key": "team", "Value": "platform"}],
        [{"Key": "team", "Value": "platform"}],
        [],
    ]
    assert calls == ["resourcegroupstaggingapi", "resourcegroupstaggingapi"]
