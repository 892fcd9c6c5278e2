"""Auto Scaling groups -> Maestro `applications` (family AutoScaling).

Input: one element of `AutoScalingGroups` from `autoscaling.describe_auto_scaling_groups`,
which carries the group's tags (`[{ResourceId, ResourceType, Key, Value,
PropagateAtLaunch}]`: only Key and Value are kept).

Decisions:
* unique_id is `AutoScalingGroupARN`; name is the Name tag, else the group's name.
* status: the API has a `Status` only while a group is being deleted ("Delete in
  progress"); moto never returns it, so it is not mapped (status None) and active is True:
  a deleted group leaves the list and the sweep deactivates it.
* `instances` keeps one sub-document per instance; `loadbalance_names` (classic) and
  `target_groups` (ELBv2) say what the group registers into.
* Launch templates (`ec2.describe_launch_templates`, `LaunchTemplates`, tags inline) are
  "Launch Template (AWS)": the API returns no ARN, so unique_id is built as
  `arn:aws:ec2:<region>:<account>:launch-template/<LaunchTemplateId>`. No state: active
  True, a deleted one is swept.
* Launch configurations (`autoscaling.describe_launch_configurations`,
  `LaunchConfigurations`) are "Launch Configuration (AWS)": unique_id
  `LaunchConfigurationARN`, name the configuration's name (they have no tags). `UserData`
  may hold secrets: the resource drops it right after listing, it is never copied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import named_paths, scoped_format
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

AUTOSCALING = "AutoScaling"
ASG_PROVIDER = "AutoScaling (AWS)"
LAUNCH_TEMPLATE_PROVIDER = "Launch Template (AWS)"
LAUNCH_CONFIGURATION_PROVIDER = "Launch Configuration (AWS)"


def split_subnets(vpc_zone_identifier: Any) -> list[str]:
    """`VPCZoneIdentifier` ("subnet-a,subnet-b") -> ["subnet-a", "subnet-b"]."""
    if not isinstance(vpc_zone_identifier, str):
        return []
    return [part.strip() for part in vpc_zone_identifier.split(",") if part.strip()]


TRANSFORMS: dict[str, Callable[[Any], Any]] = {"asg_subnets": split_subnets}

AUTOSCALING_GROUP = app_mapping(
    "AutoScalingGroupName",
    "AutoScalingGroupARN",
    {
        "active": {"const": True},
        "loadbalance_names": {"path": "LoadBalancerNames", "default": []},
        "target_groups": {"path": "TargetGroupARNs", "default": []},
        "instances": {
            "each": "Instances",
            "fields": {
                **named_paths("InstanceId InstanceType"),
                "zone": {"path": "AvailabilityZone"},
                **named_paths("LifecycleState HealthStatus"),
            },
            "default": [],
        },
        "role": {
            "fields": {
                "name": {"path": "AutoScalingGroupName"},
                **named_paths("MinSize MaxSize DesiredCapacity LaunchConfigurationName"),
                "launch_template": {
                    "fields": {
                        "id": {"path": "LaunchTemplate.LaunchTemplateId"},
                        "name": {"path": "LaunchTemplate.LaunchTemplateName"},
                        "version": {"path": "LaunchTemplate.Version"},
                    }
                },
                **named_paths("HealthCheckType HealthCheckGracePeriod DefaultCooldown"),
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
    arn_field=False,
)

LAUNCH_TEMPLATE = app_mapping(
    "LaunchTemplateName",
    scoped_format("arn:aws:ec2:{region}:{account}:launch-template/{id}", id="LaunchTemplateId"),
    {
        "active": {"const": True},
        "role": {
            "fields": {
                "id": {"path": "LaunchTemplateId"},
                "name": {"path": "LaunchTemplateName"},
                "default_version": {"path": "DefaultVersionNumber"},
                "latest_version": {"path": "LatestVersionNumber"},
                "created_by": {"path": "CreatedBy"},
                "created_time": {"path": "CreateTime"},
            }
        },
    },
    item_id="LaunchTemplateId",
    arn_field=False,
)

LAUNCH_CONFIGURATION = app_mapping(
    "LaunchConfigurationName",
    "LaunchConfigurationARN",
    {
        "active": {"const": True},
        "security_groups": {"path": "SecurityGroups", "default": []},
        "role": {
            "fields": {
                "name": {"path": "LaunchConfigurationName"},
                **named_paths("ImageId InstanceType"),
                "key_name": {"path": "KeyName", "transform": "none_if_blank"},
                **named_paths("IamInstanceProfile SpotPrice"),
                "monitoring": {"path": "InstanceMonitoring.Enabled"},
                **named_paths("EbsOptimized AssociatePublicIpAddress CreatedTime"),
            }
        },
    },
    tags=None,
    arn_field=False,
)

RESOURCES = (
    aws_app(
        "aws.autoscaling.groups",
        "autoscaling-list",
        AUTOSCALING_GROUP,
        AwsCall("autoscaling", "describe_auto_scaling_groups", max_page_size=100),
        AUTOSCALING,
        ASG_PROVIDER,
    ),
    aws_app(
        "aws.ec2.launch_templates",
        "autoscaling-list",
        LAUNCH_TEMPLATE,
        AwsCall("ec2", "describe_launch_templates", max_page_size=200),
        AUTOSCALING,
        LAUNCH_TEMPLATE_PROVIDER,
    ),
    aws_app(
        "aws.autoscaling.launch_configurations",
        "autoscaling-list",
        LAUNCH_CONFIGURATION,
        AwsCall("autoscaling", "describe_launch_configurations", max_page_size=100),
        AUTOSCALING,
        LAUNCH_CONFIGURATION_PROVIDER,
        drop=("UserData",),
    ),
)
