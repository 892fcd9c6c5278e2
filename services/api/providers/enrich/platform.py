"""CodeBuild, CodePipeline, Cloud Map, Amazon MQ and Neptune: what their list calls leave out.

CodeBuild has a batch describe call (100 projects a call); the others have none, so their
details and tags are one call per item, a few items at a time. moto's Resource Groups
Tagging API serves none of CodePipeline, Cloud Map or Amazon MQ, so their tags come from
each service's own call; Neptune clusters get theirs from the batch `tags` enricher.

An item deleted between the list call and its describe call is dropped: the next crawl's
sweep deactivates it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from services.api.providers.enrich import Item, PageContext, arn_of, complete_each, each_item, enricher

PROJECTS_BATCH = 100  # batch_get_projects takes at most 100 names
GONE = frozenset({"NotFoundException", "ResourceNotFoundException", "PipelineNotFoundException"})
# Build settings that may hold secrets: environment variables, inline buildspecs (which
# can declare variables with plain-text values) and a source URL's user info (a token).
# Removed before the items go anywhere.
SECRET_SOURCE_KEYS = ("buildspec",)


def without_userinfo(location: Any) -> Any:
    """A URL without its user info (`https://token@github.com/a/b` -> `https://github.com/a/b`)."""
    if not isinstance(location, str) or "://" not in location:
        return location
    parts = urlsplit(location)
    if "@" not in parts.netloc:
        return location
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def strip_build_secrets(project: Item) -> Item:
    """A CodeBuild project without environment variables, inline buildspecs, URL tokens."""
    environment = project.get("environment")
    if isinstance(environment, dict):
        environment.pop("environmentVariables", None)
    for source in [project.get("source"), *(project.get("secondarySources") or [])]:
        if isinstance(source, dict):
            for key in SECRET_SOURCE_KEYS:
                source.pop(key, None)
            if "location" in source:
                source["location"] = without_userinfo(source["location"])
    return project


@enricher("codebuild_projects")
def build_projects(context: PageContext, items: list[Item]) -> list[Item]:
    """Each project as batch_get_projects returns it (tags included), secrets removed."""
    names = [item["name"] for item in items]
    client = context.client("codebuild")
    found: dict[str, Item] = {}
    for start in range(0, len(names), PROJECTS_BATCH):
        response = client.batch_get_projects(names=names[start : start + PROJECTS_BATCH])
        for project in response.get("projects", []):
            found[project["name"]] = strip_build_secrets(project)
    return [found[name] for name in names if name in found]


@enricher("codepipeline_tags")
def pipeline_tags(context: PageContext, items: list[Item]) -> list[Item]:
    """Each pipeline summary with its `pipelineArn` (from the resource's format) and `tags`."""
    client = context.client("codepipeline")

    def complete(item: Item) -> Item:
        arn = arn_of(context.resource, item, context.scope)
        tags: list[Item] = []
        params: dict[str, Any] = {"resourceArn": arn}
        while True:
            response = client.list_tags_for_resource(**params)
            tags.extend(response.get("tags", []))
            if not response.get("nextToken"):
                return {**item, "pipelineArn": arn, "tags": tags}
            params["nextToken"] = response["nextToken"]

    return complete_each(items, complete, GONE)


@each_item("servicediscovery_tags", "servicediscovery", GONE)
def namespace_tags(client: Any, item: Item) -> Item:
    """Each namespace with its `Tags` (list_tags_for_resource, one call per namespace)."""
    response = client.list_tags_for_resource(ResourceARN=item["Arn"])
    return {**item, "Tags": response.get("Tags", [])}


@each_item("mq_brokers", "mq", GONE)
def broker_details(client: Any, item: Item) -> Item:
    """Each broker as describe_broker returns it, tags as an AWS `Tags` list, users left out."""
    broker = client.describe_broker(BrokerId=item["BrokerId"])
    broker.pop("ResponseMetadata", None)
    broker.pop("Users", None)  # the broker's user names: not inventory
    tags = broker.pop("Tags", None) or {}
    return {**item, **broker, "Tags": [{"Key": key, "Value": value} for key, value in tags.items()]}


@enricher("neptune_only")
def neptune_clusters(context: PageContext, items: list[Item]) -> list[Item]:
    """Keep Neptune's clusters: the Neptune API shares RDS's cluster list (Aurora included)."""
    return [item for item in items if item.get("Engine") == "neptune"]
