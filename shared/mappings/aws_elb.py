"""ELB load balancers -> Maestro `applications` (family Loadbalance): ELBv2 and classic ELB.

Inputs: one element of `LoadBalancers` (`elbv2.describe_load_balancers`, application,
network and gateway load balancers) or of `LoadBalancerDescriptions`
(`elb.describe_load_balancers`, classic ones), each after its enrichers.

Decisions:
* The two kinds are different resources with different provider labels ("ELB (AWS)" and
  "CLB (AWS)"), so each unit's sweep deactivates only its own kind.
* unique_id is the ARN. Classic load balancers have one in AWS but the API never returns
  it: the `elb_classic` enricher builds it from the scope's region and account and stores
  it in the item as `LoadBalancerArn`, as ELBv2 returns it.
* Tags: ELBv2 through the Resource Groups Tagging API (`tags` enricher, 100 ARNs a call);
  classic through `elb.describe_tags` (20 names a call, the API's limit).
* status is ELBv2's `State.Code` unchanged, from an explicit table; `active` is False only
  for `failed` (the load balancer could not be provisioned). `active_impaired` still
  exists and serves, so it stays active, unlike the original. Classic load balancers have
  no state: status None, active True (one that is deleted disappears from the list and
  the sweep deactivates it).
* Target groups (`elbv2.describe_target_groups`, `TargetGroups`) are their own resource,
  "Target Group (AWS)": unique_id `TargetGroupArn`, tags through the Resource Groups
  Tagging API (moto's covers target groups). They have no state: status None, active
  True (a deleted one leaves the list and the sweep deactivates it).
  `role.load_balancer_arns` lists the load balancers that forward to the group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import active_unless, named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

LOADBALANCE = "Loadbalance"
ELBV2_PROVIDER = "ELB (AWS)"
CLASSIC_PROVIDER = "CLB (AWS)"
TARGET_GROUP_PROVIDER = "Target Group (AWS)"


def zone_names(zones: Any) -> list[str]:
    """ELBv2 `AvailabilityZones` ([{ZoneName, SubnetId}]) -> the zone names."""
    return [zone["ZoneName"] for zone in zones if isinstance(zone, dict) and zone.get("ZoneName")]


def zone_subnets(zones: Any) -> list[str]:
    """ELBv2 `AvailabilityZones` ([{ZoneName, SubnetId}]) -> the subnet ids."""
    return [zone["SubnetId"] for zone in zones if isinstance(zone, dict) and zone.get("SubnetId")]


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "elb_zone_names": zone_names,
    "elb_zone_subnets": zone_subnets,
}

ELBV2_STATES = {
    "active": "active",
    "provisioning": "provisioning",
    "active_impaired": "active_impaired",
    "failed": "failed",
}

ELBV2_LOAD_BALANCER = app_mapping(
    "LoadBalancerName",
    "LoadBalancerArn",
    {
        "status": {"path": "State.Code", "lookup": ELBV2_STATES},
        "active": active_unless("State.Code", "failed"),
        "role": {
            "fields": {
                "endpoint": {"path": "DNSName"},
                "arn": {"path": "LoadBalancerArn"},
                "canonical_hosted_zone": {"path": "CanonicalHostedZoneId"},
                **named_paths("VpcId Type Scheme IpAddressType CreatedTime"),
            }
        },
        "datacenters": {
            "fields": {
                "zone": {"path": "AvailabilityZones", "transform": "elb_zone_names"},
                "subnets": {"path": "AvailabilityZones", "transform": "elb_zone_subnets"},
                **named_paths("SecurityGroups VpcId"),
            }
        },
    },
    arn_field=False,
)

CLASSIC_LOAD_BALANCER = app_mapping(
    "LoadBalancerName",
    "LoadBalancerArn",
    {
        "active": {"const": True},
        "instances": {"each": "Instances", "fields": {"instance_id": {"path": "InstanceId"}}},
        "listeners": {
            "each": "ListenerDescriptions",
            "fields": {
                "protocol": {"path": "Listener.Protocol"},
                "port": {"path": "Listener.LoadBalancerPort"},
                **named_paths("Listener.InstanceProtocol Listener.InstancePort"),
            },
        },
        "role": {
            "fields": {
                "endpoint": {"path": "DNSName"},
                "arn": {"path": "LoadBalancerArn"},
                **named_paths("CanonicalHostedZoneName VPCId"),
                "type": {"const": "classic"},
                "scheme": {"path": "Scheme"},
                "health_check": {"path": "HealthCheck.Target"},
                "created_time": {"path": "CreatedTime"},
            }
        },
        "datacenters": {
            "fields": {
                "zone": {"path": "AvailabilityZones"},
                **named_paths("Subnets SecurityGroups VPCId"),
            }
        },
    },
    item_id="LoadBalancerName",
    arn_field=False,
)

TARGET_GROUP = app_mapping(
    "TargetGroupName",
    "TargetGroupArn",
    {
        "active": {"const": True},
        **named_paths("Protocol Port VpcId"),
        "role": {
            "fields": {
                "name": {"path": "TargetGroupName"},
                "arn": {"path": "TargetGroupArn"},
                **named_paths("TargetType LoadBalancerArns ProtocolVersion IpAddressType"),
                "health_check": {
                    "fields": {
                        "enabled": {"path": "HealthCheckEnabled"},
                        "protocol": {"path": "HealthCheckProtocol"},
                        "port": {"path": "HealthCheckPort"},
                        "path": {"path": "HealthCheckPath"},
                        "interval_seconds": {"path": "HealthCheckIntervalSeconds"},
                        "timeout_seconds": {"path": "HealthCheckTimeoutSeconds"},
                        "healthy_threshold": {"path": "HealthyThresholdCount"},
                        "unhealthy_threshold": {"path": "UnhealthyThresholdCount"},
                        "matcher": {"path": "Matcher.HttpCode"},
                    }
                },
            }
        },
        "datacenters": {"fields": {"vpc_id": {"path": "VpcId"}}},
    },
    arn_field=False,
)

RESOURCES = (
    aws_app(
        "aws.elbv2.load_balancers",
        "loadbalance-list",
        ELBV2_LOAD_BALANCER,
        AwsCall("elbv2", "describe_load_balancers", max_page_size=400),
        LOADBALANCE,
        ELBV2_PROVIDER,
        enrich=("tags",),
        arn="{LoadBalancerArn}",
    ),
    aws_app(
        "aws.elb.load_balancers",
        "loadbalance-list",
        CLASSIC_LOAD_BALANCER,
        AwsCall("elb", "describe_load_balancers", max_page_size=400),
        LOADBALANCE,
        CLASSIC_PROVIDER,
        enrich=("elb_classic",),
        arn="arn:aws:elasticloadbalancing:{scope[region]}:{scope[account_id]}:loadbalancer/{LoadBalancerName}",
    ),
    aws_app(
        "aws.elbv2.target_groups",
        "loadbalance-list",
        TARGET_GROUP,
        AwsCall("elbv2", "describe_target_groups", max_page_size=400),
        LOADBALANCE,
        TARGET_GROUP_PROVIDER,
        enrich=("tags",),
        arn="{TargetGroupArn}",
    ),
)
