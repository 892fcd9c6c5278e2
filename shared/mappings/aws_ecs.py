"""ECS clusters and services -> Maestro `applications` documents (family ContainerOrchestration).

Input: one element of `clusters` from `ecs.describe_clusters` (tags and settings
included), for the ARNs `ecs.list_clusters` returns, fetched by the `ecs_clusters`
enricher, 100 a call (the list call yields bare ARNs: no `item_key`, the enricher turns
them into items, so the items recorded after enrichment replay through the same
extraction).

Decisions:
* unique_id is the cluster ARN; name the Name tag, else the cluster name.
* ECS tags are `[{key, value}]` (lower-case keys, unlike most AWS APIs): aws_tags' "ecs" shape.
* status is ECS's own state lower-cased through an explicit table; `active` is False for
  `inactive` (a deleted cluster ECS still describes) and `failed`.
* The counts (instances, tasks, services) go to `role`; 0 is data.

ECS services (`aws.ecs.service`): one element of `services` from `ecs.describe_services`
(tags included), for every service of every cluster `ecs.list_clusters` returns, expanded
by the `ecs_services` enricher (list_services per cluster, describe_services 10 a call).

* unique_id is the service ARN; name the Name tag, else the service name; provider
  "ECS Service (AWS)" (distinct from the clusters' in the same family).
* status: ACTIVE -> Active, DRAINING (being deleted) -> Stopped, INACTIVE (deleted, still
  described for a while) -> Deleted; `active` is False for DRAINING and INACTIVE.
* Counts (desired, running, pending; 0 is data), launch type, task definition ARN and
  cluster ARN go to `role`; the awsvpc subnets and security groups to `datacenters`.
* Task definitions are never fetched: their environment variables and secrets stay out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import active_unless, named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.mappings.aws_tags import TagList
from shared.resource import AwsCall

FAMILY = "ContainerOrchestration"
PROVIDER = "ECS (AWS)"

STATES = {
    "ACTIVE": "active",
    "PROVISIONING": "provisioning",
    "DEPROVISIONING": "deprovisioning",
    "FAILED": "failed",
    "INACTIVE": "inactive",
}


def ecs_container_insights(settings: Any) -> str | None:
    """The `containerInsights` cluster setting ("enabled", "disabled", "enhanced")."""
    for setting in settings if isinstance(settings, list) else ():
        if isinstance(setting, dict) and setting.get("name") == "containerInsights":
            value = setting.get("value")
            return str(value) if value is not None else None
    return None


SERVICE_STATES = {"ACTIVE": "Active", "DRAINING": "Stopped", "INACTIVE": "Deleted"}
SERVICE_PROVIDER = "ECS Service (AWS)"


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "ecs_container_insights": ecs_container_insights,
}

ECS_CLUSTER = app_mapping(
    "clusterName",
    "clusterArn",
    {
        "type": {"const": "ecs"},
        "status": {"path": "status", "lookup": STATES},
        "active": active_unless("status", "INACTIVE", "FAILED"),
        "role": {
            "fields": {
                "cluster_name": {"path": "clusterName"},
                "registered_instances": {"path": "registeredContainerInstancesCount"},
                "running_tasks": {"path": "runningTasksCount"},
                "pending_tasks": {"path": "pendingTasksCount"},
                "active_services": {"path": "activeServicesCount"},
                "capacity_providers": {"path": "capacityProviders"},
                "container_insights": {"path": "settings", "transform": "ecs_container_insights"},
            }
        },
    },
    tags=TagList("tags", "ecs"),
)

AWSVPC = "networkConfiguration.awsvpcConfiguration"
# Where a service's tasks run: written as its own fields and as its datacenters'.
PLACEMENT = {
    "subnets": {"path": f"{AWSVPC}.subnets"},
    "security_groups": {"path": f"{AWSVPC}.securityGroups"},
}

ECS_SERVICE = app_mapping(
    "serviceName",
    "serviceArn",
    {
        "type": {"const": "ecs-service"},
        "status": {"path": "status", "lookup": SERVICE_STATES},
        "active": active_unless("status", "INACTIVE", "DRAINING"),
        **PLACEMENT,
        "datacenters": {"fields": PLACEMENT},
        "role": {
            "fields": {
                **named_paths(
                    "serviceName clusterArn taskDefinition launchType schedulingStrategy desiredCount",
                    "runningCount pendingCount",
                ),
                "assign_public_ip": {"path": f"{AWSVPC}.assignPublicIp"},
                "load_balancers": {
                    "each": "loadBalancers",
                    "fields": {
                        **named_paths("targetGroupArn loadBalancerName containerName containerPort"),
                    },
                },
            }
        },
    },
    tags=TagList("tags", "ecs"),
)

RESOURCES = (
    aws_app(
        "aws.ecs.clusters",
        "container-orchestration-list",
        ECS_CLUSTER,
        AwsCall("ecs", "list_clusters", max_page_size=100),
        FAMILY,
        PROVIDER,
        enrich=("ecs_clusters",),
    ),
    aws_app(
        "aws.ecs.services",
        "container-orchestration-list",
        ECS_SERVICE,
        AwsCall("ecs", "list_clusters", item_key="clusterArn", max_page_size=100),
        FAMILY,
        SERVICE_PROVIDER,
        enrich=("ecs_services",),
    ),
)
