"""The fields every AWS application document has, built once: `application(...)`.

An AWS resource kept in Maestro's `applications` is named by its Name tag when the tag
fits Maestro's 150 characters, else by its own name; its ARN is its `unique_id` (and its
`arn`); it is the account's own (`own` 1); it keeps its tags (those too long for Maestro
whole in `extra.tags`) and its Environment tag. Its family and provider label are its
Resource's (the catalogue sets them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.mappings import aws_tags
from shared.mappings.aws_tags import AWS_TAGS, TagList

# Maestro's applications' `name`: a longer Name tag gives way to the resource's own name.
APP_NAME_LIMIT = 150

Spec = dict[str, Any]

# What the specs `application` builds name: a module importing it may name them too.
TRANSFORMS = aws_tags.TRANSFORMS
TAG_READER = aws_tags.TAG_READER


def _spec(value: str | Spec) -> Spec:
    return {"path": value} if isinstance(value, str) else value


def application(
    name: str | Spec,
    arn: str | Spec,
    *,
    tags: TagList | None = AWS_TAGS,
    arn_field: bool = True,
    state: str | None = None,
) -> dict[str, Spec]:
    """The application fields of an item named `name` with the ARN `arn` (paths, or specs).

    `tags` says where the item keeps its tags (None: it has none, its own name names it);
    `arn_field` false leaves `arn` unset; `state` is the path of the provider's own state,
    kept in `extra.state` (Maestro keeps an application's `state` but refuses it).
    """
    unique_id = _spec(arn)
    fields: dict[str, Spec] = {"unique_id": unique_id, **({"arn": unique_id} if arn_field else {})}
    fields["own"] = {"const": 1}
    extra = {"state": {"path": state}} if state else {}
    if tags is None:
        return {"name": _spec(name), **fields, **({"extra": {"fields": extra}} if extra else {})}
    return {
        "name": {"first": [{**tags.value("Name"), "fits": APP_NAME_LIMIT}, _spec(name)]},
        **fields,
        **tags.fields(**extra),
        "environment": tags.value("Environment"),
    }


def app_mapping(
    name: str | Spec,
    arn: str | Spec,
    fields: Mapping[str, Any],
    *,
    item_id: str | None = None,
    **options: Any,
) -> dict[str, Any]:
    """The mapping of an AWS application: its items keyed by their ARN (the path `arn`), or by
    the path `item_id` when given; its application fields (`application(name, arn,
    **options)`), then its own `fields`."""
    key = arn if item_id is None else item_id
    if not isinstance(key, str):
        raise TypeError("app_mapping: an ARN that is not a path needs an item_id path")
    return {"item_id": {"path": key}, "fields": {**application(name, arn, **options), **fields}}
