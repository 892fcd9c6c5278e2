"""Auto Scaling groups -> Maestro `applications` (family AutoScaling).

Input: one element of `AutoScalingGroups` from `autoscaling.describe_auto_scaling_groups`,
which carries the group's tags (`[{ResourceId, ResourceType, Key, Value,
PropagateAtLaunch}]`: only Key and Value are kept).

Decisions (see also original-providers.md §4.1, §8):
* unique_id is `AutoScalingGroupARN`; name is the Name tag, else the group's name.
* status: the API has a `Status` only while a group is being deleted ("Delete in
  progress"); moto never returns it, so it is not mapped (status None) and active is True:
  a deleted group leaves the list and the sweep deactivates it.
* `instances` keeps one sub-document per instance; `loadbalance_names` (classic) and
  `target_groups` (ELBv2) say what the group registers into.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.resource import AwsCall, Resource

AUTOSCALING = "AutoScaling"
ASG_PROVIDER = "AutoScaling (AWS)"


def split_subnets(vpc_zone_identifier: Any) -> list[str]:
    """`VPCZoneIdentifier` ("subnet-a,subnet-b") -> ["subnet-a", "subnet-b"]."""
    if not isinstance(vpc_zone_identifier, str):
        return []
    return [part.strip() for part in vpc_zone_identifier.split(",") if part.strip()]


TRANSFORMS: dict[str, Callable[[Any], Any]] = {"asg_subnets": split_subnets}

AUTOSCALING_GROUP: dict[str, Any] = {
    "name": "aws.autoscaling.group",
    "collection": "applications",
    "item_id": {"path": "AutoScalingGroupARN"},
    "required": ["name", "unique_id"],
    "fields": {
        "name": {"first": [{"tag": "Name", "transform": "none_if_blank"}, {"path": "AutoScalingGroupName"}]},
        "unique_id": {"path": "AutoScalingGroupARN"},
        "family": {"const": AUTOSCALING},
        "provider": {"const": ASG_PROVIDER},
        "own": {"const": 1},
        "active": {"const": True},
        "tags": {"path": "Tags", "transform": "aws_tags", "default": []},
        "environment": {"tag": "Environment", "transform": "none_if_blank"},
        "loadbalance_names": {"path": "LoadBalancerNames", "default": []},
        "target_groups": {"path": "TargetGroupARNs", "default": []},
        "instances": {
            "each": "Instances",
            "fields": {
                "instance_id": {"path": "InstanceId"},
                "instance_type": {"path": "InstanceType"},
                "zone": {"path": "AvailabilityZone"},
                "lifecycle_state": {"path": "LifecycleState"},
                "health_status": {"path": "HealthStatus"},
            },
            "default": [],
        },
        "role": {
            "fields": {
                "name": {"path": "AutoScalingGroupName"},
                "min_size": {"path": "MinSize"},
                "max_size": {"path": "MaxSize"},
                "desired_capacity": {"path": "DesiredCapacity"},
                "launch_configuration_name": {"path": "LaunchConfigurationName"},
                "launch_template": {
                    "fields": {
                        "id": {"path": "LaunchTemplate.LaunchTemplateId"},
                        "name": {"path": "LaunchTemplate.LaunchTemplateName"},
                        "version": {"path": "LaunchTemplate.Version"},
                    }
                },
                "health_check_type": {"path": "HealthCheckType"},
                "health_check_grace_period": {"path": "HealthCheckGracePeriod"},
                "default_cooldown": {"path": "DefaultCooldown"},
                "vpc_zone_identifier": {"path": "VPCZoneIdentifier", "transform": "none_if_blank"},
                "created_time": {"path": "CreatedTime"},
            }
        },
        "datacenters": {
            "fields": {
                "zone": {"path": "AvailabilityZones"},
                "subnets": {"path": "VPCZoneIdentifier", "transform": "asg_subnets"},
            }
        },
    },
}

MAPPINGS = [AUTOSCALING_GROUP]

RESOURCES = (
    Resource(
        key="aws.autoscaling.groups",
        provider="aws",
        task="autoscaling-list",
        collection="applications",
        mapping="aws.autoscaling.group",
        call=AwsCall(client="autoscaling", operation="describe_auto_scaling_groups", max_page_size=100),
        iam=("autoscaling:DescribeAutoScalingGroups",),
        family=AUTOSCALING,
        app_provider=ASG_PROVIDER,
    ),
)
