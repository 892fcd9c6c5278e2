"""The enrichers a Resource may name, and the AWS calls each makes: declared once, here.

A resource's `enrich=` names calls the api stage makes per page after listing
(services/api/providers/enrich/ registers one implementation under each name below; the
api stage checks, as it starts, that the two agree). The IAM actions a resource needs
derive from its list call and these calls (shared/iam.py), so no Resource spells them.
An enricher that only filters or computes makes no call.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from shared.aws_calls import AwsCall
from shared.errors import MappingError

ENRICHER_CALLS: Mapping[str, tuple[AwsCall, ...]] = {
    "aurora_only": (),
    "codebuild_projects": (AwsCall("codebuild", "batch_get_projects"),),
    "codepipeline_tags": (AwsCall("codepipeline", "list_tags_for_resource"),),
    "cognito_user_pools": (AwsCall("cognito-idp", "describe_user_pool"),),
    "dynamodb_tables": (AwsCall("dynamodb", "describe_table"),),
    "ec2_own_prefix_lists": (),
    "ecr_tags": (AwsCall("ecr", "list_tags_for_resource"),),
    "ecs_clusters": (AwsCall("ecs", "describe_clusters"),),
    "ecs_services": (AwsCall("ecs", "list_services"), AwsCall("ecs", "describe_services")),
    "eks_clusters": (AwsCall("eks", "describe_cluster"),),
    "elb_classic": (AwsCall("elb", "describe_tags"),),
    "kinesis_streams": (
        AwsCall("kinesis", "describe_stream_summary"),
        AwsCall("kinesis", "list_tags_for_stream"),
    ),
    "mq_brokers": (AwsCall("mq", "describe_broker"),),
    "neptune_only": (),
    "opensearch_domains": (AwsCall("opensearch", "describe_domains"), AwsCall("opensearch", "list_tags")),
    "redshift_arns": (),
    "route53_tags": (AwsCall("route53", "list_tags_for_resources"),),
    "s3_buckets": (AwsCall("s3", "get_bucket_location"), AwsCall("s3", "get_bucket_tagging")),
    "servicediscovery_tags": (AwsCall("servicediscovery", "list_tags_for_resource"),),
    "ses_verification": (AwsCall("ses", "get_identity_verification_attributes"),),
    "sns_attributes": (AwsCall("sns", "get_topic_attributes"),),
    "sqs_attributes": (AwsCall("sqs", "get_queue_attributes"),),
    # Tags by ARN through the Resource Groups Tagging API: the Resource gives `arn=`.
    "tags": (AwsCall("resourcegroupstaggingapi", "get_resources"),),
}


def enricher_calls(name: str) -> tuple[AwsCall, ...]:
    """The calls enricher `name` makes; MappingError, with the closest name, if none is declared."""
    try:
        return ENRICHER_CALLS[name]
    except KeyError:
        close = difflib.get_close_matches(name, sorted(ENRICHER_CALLS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise MappingError(f"no enricher {name!r} in shared/enrichers.py{hint}") from None
