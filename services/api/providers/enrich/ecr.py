"""ECR repositories: their tags, which describe_repositories leaves out.

ECR has no batch tag call and moto's tagging API doesn't serve ECR: one
list_tags_for_resource per repository, a few at a time.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from services.api.providers.enrich import Item, PageContext, enricher

WORKERS = 8  # concurrent per-repository calls of one page
GONE = frozenset({"RepositoryNotFoundException"})


@enricher("ecr_tags")
def repository_tags(context: PageContext, items: list[Item]) -> list[Item]:
    """Each repository with `Tags`; a repository deleted meanwhile is dropped."""
    client = context.client("ecr")

    def tagged(item: Item) -> Item | None:
        try:
            response = client.list_tags_for_resource(resourceArn=item["repositoryArn"])
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code", "")) in GONE:
                return None
            raise
        return {**item, "Tags": response.get("tags", [])}

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        completed = list(pool.map(tagged, items))
    return [item for item in completed if item is not None]
