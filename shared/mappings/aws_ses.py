"""SES identity -> Maestro `applications` document (family SMTP): one document per identity.

Input: `{Identity}` of `ses.list_identities` (strings; `item_key` wraps them), completed
by the `ses_verification` enricher (get_identity_verification_attributes, 100 identities
a call) with `VerificationStatus`.

Decisions (the original wrote ONE synthetic document per account and region):
* unique_id is the identity's ARN, `arn:aws:ses:<region>:<account>:identity/<identity>`
  (list_identities returns none); name the identity itself (an address or a domain).
* type is AWS's IdentityType value: `EmailAddress` when the identity holds an `@`, else
  `Domain` (the only two kinds list_identities returns); domain is the domain part.
* status is `VerificationStatus` as AWS spells it (explicit table); an identity that is
  listed exists, so `active` is true whatever its verification says.
* No tags: SES (v1) identities have no tagging API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import scoped_format
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "SMTP"
PROVIDER = "SES (AWS)"

STATUSES = {status: status for status in ("Pending", "Success", "Failed", "TemporaryFailure", "NotStarted")}


def ses_identity_type(identity: Any) -> str:
    """`ops@example.com` -> "EmailAddress", `example.com` -> "Domain" (AWS's IdentityType)."""
    return "EmailAddress" if "@" in str(identity) else "Domain"


def ses_domain(identity: Any) -> str | None:
    """The domain of an identity: the part after `@` of an address, else the identity."""
    domain = str(identity).rsplit("@", 1)[-1].strip()
    return domain or None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "ses_identity_type": ses_identity_type,
    "ses_domain": ses_domain,
}

SES_IDENTITY = app_mapping(
    "Identity",
    scoped_format("arn:aws:ses:{region}:{account}:identity/{identity}", identity="Identity"),
    {
        "active": {"const": True},
        "type": {"path": "Identity", "transform": "ses_identity_type"},
        "domain": {"path": "Identity", "transform": "ses_domain"},
        "status": {"path": "VerificationStatus", "lookup": STATUSES},
    },
    item_id="Identity",
    tags=None,
    arn_field=False,
    state="VerificationStatus",
)

RESOURCES = (
    aws_app(
        "aws.ses.identities",
        "smtp-list",
        SES_IDENTITY,
        AwsCall("ses", "list_identities", item_key="Identity", max_page_size=1000),
        FAMILY,
        PROVIDER,
        enrich=("ses_verification",),
    ),
)
