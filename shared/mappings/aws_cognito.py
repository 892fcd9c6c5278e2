"""Cognito user pool -> Maestro `applications` document (family Auth).

Input: an element of `cognito-idp.list_user_pools`' `UserPools` (MaxResults is required:
it is the paginator's limit key, always sent), completed by the `cognito_user_pools`
enricher with describe_user_pool's answer: the pool's `Arn`, and its tags turned into an
AWS `Tags` list.

Decisions:
* unique_id is the pool's ARN, `arn:aws:cognito-idp:<region>:<account>:userpool/<Id>`,
  as describe_user_pool returns it.
* No status: the pool's `Status` is deprecated ("no longer used", and moto omits it), so a
  pool has none; a listed pool is `active`, and the sweep deactivates a deleted one.
* Users, clients and schema attributes are not copied: the pool is the inventory item.
"""

from __future__ import annotations

from shared.mapping_specs import named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

USER_POOL = app_mapping(
    "Name",
    "Arn",
    {
        "active": {"const": True},
        "domain": {"path": "Domain"},
        "created": {"path": "CreationDate"},
        "role": {
            "fields": {
                "user_pool_id": {"path": "Id"},
                "estimated_users": {"path": "EstimatedNumberOfUsers"},
                "mfa": {"path": "MfaConfiguration"},
                **named_paths("DeletionProtection UsernameAttributes"),
                "last_modified": {"path": "LastModifiedDate"},
            }
        },
    },
    item_id="Id",
)

RESOURCES = (
    aws_app(
        "aws.cognito.user_pools",
        "auth-list",
        USER_POOL,
        AwsCall("cognito-idp", "list_user_pools", max_page_size=60),
        "Auth",
        "Cognito (AWS)",
        enrich=("cognito_user_pools",),
    ),
)
