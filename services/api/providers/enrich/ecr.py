"""ECR repositories: their tags, which describe_repositories leaves out.

ECR has no batch tag call and moto's tagging API doesn't serve ECR: one
list_tags_for_resource per repository, a few at a time.
"""

from __future__ import annotations

from typing import Any

from services.api.providers.enrich import Item, each_item

GONE = frozenset({"RepositoryNotFoundException"})


@each_item("ecr_tags", "ecr", GONE)
def repository_tags(client: Any, item: Item) -> Item:
    """Each repository with `Tags`; a repository deleted meanwhile is dropped."""
    response = client.list_tags_for_resource(resourceArn=item["repositoryArn"])
    return {**item, "Tags": response.get("tags", [])}
