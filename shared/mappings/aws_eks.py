"""EKS cluster -> Maestro `applications` document (family ContainerOrchestration).

Input: describe_cluster's `cluster` for each name `eks.list_clusters` returns, fetched by
the `eks_clusters` enricher (the list call yields bare names: no `item_key`, the enricher
turns each into an item, so the items recorded after enrichment replay through the same
extraction).

Decisions:
* unique_id is the cluster ARN; name the Name tag, else the cluster name.
* Tags come with describe_cluster, as a `{key: value}` dict (no tagging-API call).
* status is EKS's own state lower-cased through an explicit table; `active` is False for
  `deleting` and `failed`.
* describe_cluster returns `resourcesVpcConfig.vpcId` on AWS but moto omits it, so
  vpc_id is not mapped (the subnets and security groups are).
"""

from __future__ import annotations

from shared.mapping_specs import active_unless, named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.mappings.aws_tags import TagList
from shared.resource import AwsCall

FAMILY = "ContainerOrchestration"
PROVIDER = "EKS (AWS)"

STATES = {
    "CREATING": "creating",
    "ACTIVE": "active",
    "DELETING": "deleting",
    "FAILED": "failed",
    "UPDATING": "updating",
    "PENDING": "pending",
}

# Where a cluster runs: written as its own fields and as its datacenters'.
PLACEMENT = {
    "subnets": {"path": "resourcesVpcConfig.subnetIds"},
    "security_groups": {"path": "resourcesVpcConfig.securityGroupIds"},
}

EKS_CLUSTER = app_mapping(
    "name",
    "arn",
    {
        "type": {"const": "kubernetes"},
        "status": {"path": "status", "lookup": STATES},
        "active": active_unless("status", "DELETING", "FAILED"),
        **named_paths("version endpoint"),
        "created": {"path": "createdAt"},
        **PLACEMENT,
        "role": {
            "fields": {
                **named_paths("roleArn platformVersion kubernetesNetworkConfig.serviceIpv4Cidr"),
                "oidc_issuer": {"path": "identity.oidc.issuer"},
                **named_paths(
                    "resourcesVpcConfig.endpointPublicAccess resourcesVpcConfig.endpointPrivateAccess",
                ),
            }
        },
        "datacenters": {"fields": PLACEMENT},
    },
    tags=TagList("tags", "aws_dict"),
)

RESOURCES = (
    aws_app(
        "aws.eks.clusters",
        "container-orchestration-list",
        EKS_CLUSTER,
        AwsCall("eks", "list_clusters", max_page_size=100),
        FAMILY,
        PROVIDER,
        enrich=("eks_clusters",),
    ),
)
