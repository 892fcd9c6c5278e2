"""SES identities: e-mail and domain identities."""

from __future__ import annotations

import boto3
from recording import REGION


def seed(endpoint: str) -> None:
    """Create the identities the fixtures show."""
    ses = boto3.client("ses", region_name=REGION, endpoint_url=endpoint)
    ses.verify_email_identity(EmailAddress="ops@example.com")
    ses.verify_domain_identity(Domain="example.org")
    ses.verify_email_identity(EmailAddress="alerts@example.org")
