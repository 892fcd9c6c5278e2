"""OpenSearch domains: list_domain_names returns only names; describe_domains completes them.

describe_domains takes at most 5 names a call. OpenSearch has no batch tag call: one
list_tags per domain (accounts hold few domains; the default quota is 100 per region).
"""

from __future__ import annotations

from services.api.providers.enrich import Item, PageContext, enricher

DESCRIBE_BATCH = 5  # describe_domains takes at most 5 domain names


@enricher("opensearch_domains")
def describe_domains(context: PageContext, items: list[Item]) -> list[Item]:
    """Each domain as describe_domains returns it, with `Tags`, in list order.

    A domain the describe call no longer returns (deleted meanwhile) is dropped.
    """
    client = context.client("opensearch")
    names = [item["DomainName"] for item in items]
    found: dict[str, Item] = {}
    for start in range(0, len(names), DESCRIBE_BATCH):
        response = client.describe_domains(DomainNames=names[start : start + DESCRIBE_BATCH])
        for domain in response.get("DomainStatusList", []):
            found[domain["DomainName"]] = domain
    completed = []
    for item in items:
        domain = found.get(item["DomainName"])
        if domain is None:
            continue
        tags = client.list_tags(ARN=domain["ARN"]).get("TagList", [])
        completed.append({**item, **domain, "Tags": tags})
    return completed
