"""SES identities: list_identities returns only names; their verification status comes in batches."""

from __future__ import annotations

from services.api.providers.enrich import Item, PageContext, enricher

VERIFICATION_BATCH = 100  # get_identity_verification_attributes takes at most 100 identities


@enricher("ses_verification")
def verification_status(context: PageContext, items: list[Item]) -> list[Item]:
    """Set `VerificationStatus` on each identity (absent when SES reports none for it)."""
    client = context.client("ses")
    for start in range(0, len(items), VERIFICATION_BATCH):
        batch = items[start : start + VERIFICATION_BATCH]
        response = client.get_identity_verification_attributes(
            Identities=[item["Identity"] for item in batch]
        )
        attributes = response.get("VerificationAttributes", {})
        for item in batch:
            status = attributes.get(item["Identity"], {}).get("VerificationStatus")
            if status is not None:
                item["VerificationStatus"] = status
    return items
