"""ECS services: each listed cluster expands into its services.

The resource lists clusters (`ecs.list_clusters`, wrapped as `{"clusterArn": arn}`); per
cluster, `list_services` (100 a page, following `nextToken`) names the services and
`describe_services` (10 a call, the API's limit) describes them with their tags. Task
definitions are never fetched, so their environment variables and secrets never enter.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from services.api.providers.enrich import Item, PageContext, enricher

LIST_PAGE = 100  # list_services' largest maxResults
DESCRIBE_BATCH = 10  # describe_services takes at most 10 services
WORKERS = 8  # clusters of one page expanded concurrently
GONE = frozenset({"ClusterNotFoundException"})  # deleted between the list and the expansion


def service_arns(client: Any, cluster: str) -> list[str]:
    """Every service ARN of the cluster, all list_services pages."""
    arns: list[str] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {"cluster": cluster, "maxResults": LIST_PAGE}
        if token:
            params["nextToken"] = token
        response = client.list_services(**params)
        arns.extend(response.get("serviceArns", []))
        token = response.get("nextToken")
        if not token:
            return arns


def describe_services(client: Any, cluster: str, arns: list[str]) -> list[Item]:
    """The services as describe_services returns them (tags included), in `arns` order.

    A service the describe call no longer knows (a `failures` entry) is dropped.
    """
    found: dict[str, Item] = {}
    for start in range(0, len(arns), DESCRIBE_BATCH):
        response = client.describe_services(
            cluster=cluster, services=arns[start : start + DESCRIBE_BATCH], include=["TAGS"]
        )
        for service in response.get("services", []):
            found[service["serviceArn"]] = service
    return [found[arn] for arn in arns if arn in found]


@enricher("ecs_services")
def cluster_services(context: PageContext, items: list[Any]) -> list[Item]:
    """The services of the page's clusters, cluster by cluster in list order.

    Takes the list call's items (`{"clusterArn": ...}`, or bare ARNs); a cluster deleted
    meanwhile contributes nothing.
    """
    client = context.client("ecs")

    def expand(item: Any) -> list[Item]:
        cluster = item if isinstance(item, str) else item["clusterArn"]
        try:
            return describe_services(client, cluster, service_arns(client, cluster))
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code", "")) in GONE:
                return []
            raise

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        expanded = list(pool.map(expand, items))
    return [service for services in expanded for service in services]
