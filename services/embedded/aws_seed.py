"""A simulated AWS account: EC2 instances across regions, tagged, some stopped.

Used by `discovery demo`, the tests and the benchmarks against moto. Instances are
launched in small reservations because EC2 (and moto) page `describe_instances` by
reservation: that gives several pages per region.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3

DEMO_REGIONS = ("us-east-1", "eu-west-1", "sa-east-1")
_TYPES = ("t3.micro", "t3.medium", "m5.large", "c5.xlarge", "r5.large", "t4g.small")
_ROLES = ("web", "api", "worker", "db")
_ENVIRONMENTS = ("production", "staging", "development")
_IMAGE = "ami-0c55b159cbfafe1f0"


@dataclass
class SeededAccount:
    """What was launched: instance ids per region, and which were stopped."""

    instances: dict[str, list[str]] = field(default_factory=dict)
    stopped: set[str] = field(default_factory=set)

    def all_ids(self) -> list[str]:
        return [i for ids in self.instances.values() for i in ids]


def ec2_client(region: str) -> Any:
    """An EC2 client with throwaway credentials (the endpoint comes from AWS_ENDPOINT_URL)."""
    return boto3.client(
        "ec2", region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def seed_instances(
    regions: Sequence[str] = DEMO_REGIONS,
    per_region: int = 12,
    per_reservation: int = 3,
    stop_every: int = 4,
) -> SeededAccount:
    """Launch `per_region` tagged instances in each region; stop every `stop_every`-th one."""
    account = SeededAccount()
    counter = itertools.count(1)
    for region in regions:
        client = ec2_client(region)
        ids: list[str] = []
        while len(ids) < per_region:
            count = min(per_reservation, per_region - len(ids))
            n = next(counter)
            role = _ROLES[n % len(_ROLES)]
            response = client.run_instances(
                ImageId=_IMAGE,
                MinCount=count,
                MaxCount=count,
                InstanceType=_TYPES[n % len(_TYPES)],
                KeyName=f"ops-{region}",
                TagSpecifications=[
                    {
                        "ResourceType": "instance",
                        "Tags": [
                            {"Key": "Name", "Value": f"{role}-{region}-{n:03d}"},
                            {"Key": "Role", "Value": role},
                            {"Key": "Environment", "Value": _ENVIRONMENTS[n % len(_ENVIRONMENTS)]},
                            {"Key": "team", "Value": "platform"},
                        ],
                    }
                ],
            )
            ids.extend(i["InstanceId"] for i in response["Instances"])
        to_stop = ids[::stop_every]
        if to_stop:
            client.stop_instances(InstanceIds=to_stop)
            account.stopped.update(to_stop)
        account.instances[region] = ids
    return account


def terminate(region: str, instance_ids: Sequence[str]) -> None:
    """Terminate instances (they stay listed as `terminated` for a while, as on AWS)."""
    ec2_client(region).terminate_instances(InstanceIds=list(instance_ids))
