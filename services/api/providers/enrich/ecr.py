"""ECR repositories: their tags, which describe_repositories leaves out.

ECR has no batch tag call and moto's tagging API doesn't serve ECR: one
list_tags_for_resource per repository, a few at a time.
"""

from __future__ import annotations

from services.api.providers.enrich import Item, PageContext, complete_each, enricher

GONE = frozenset({"RepositoryNotFoundException"})


@enricher("ecr_tags")
def repository_tags(context: PageContext, items: list[Item]) -> list[Item]:
    """Each repository with `Tags`; a repository deleted meanwhile is dropped."""
    client = context.client("ecr")

    def tagged(item: Item) -> Item:
        response = client.list_tags_for_resource(resourceArn=item["repositoryArn"])
        return {**item, "Tags": response.get("tags", [])}

    return complete_each(items, tagged, GONE)
