"""AWS tags as Maestro takes them: the transforms, the specs reading them, the tag reader.

AWS APIs write tags in three shapes: `[{Key, Value}]` (most, usually as `Tags`),
`{key: value}` (API Gateway, EKS) and `[{key, value}]` (ECS, CodeBuild, CodePipeline). A
`TagList` says where an item keeps its tags and in which shape; it gives the specs of
Maestro's `tags` (and `extra.tags`) and of one tag's value. A module importing from this
one may name its TRANSFORMS, and read AWS's `Tags` with `{"tag": KEY}` (TAG_READER).

* A tag with an empty value is `{key}` alone (Maestro refuses ""); a tag whose key or value
  is longer than Maestro's 100 characters (AWS allows 128 and 256) is kept whole in
  `extra.tags` instead. Tag values are never capitalised.
* One tag's value (Name, Environment): the key matched case-insensitively, a blank value
  is None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

TAG_LIMIT = 100  # characters Maestro takes in a tag's key and in its value


def _fits(key: str, value: Any) -> bool:
    return len(key) <= TAG_LIMIT and (not isinstance(value, str) or len(value) <= TAG_LIMIT)


def maestro_tags(pairs: Iterable[tuple[Any, Any]]) -> list[dict[str, str]]:
    """(key, value) pairs -> Maestro `[{key, value}]`, values unchanged; an empty value is
    no `value` key (Maestro refuses ""); a tag longer than Maestro takes is left to `long_tags`."""
    tags = []
    for key, value in pairs:
        if not isinstance(key, str) or not key or not _fits(key, value):
            continue
        tags.append({"key": key, "value": str(value)} if value not in (None, "") else {"key": key})
    return tags


def long_tags(pairs: Iterable[tuple[Any, Any]]) -> list[dict[str, str]] | None:
    """The tags whose key or value is longer than Maestro's tags take, whole (for `extra`)."""
    found = [
        {"key": key, "value": "" if value is None else str(value)}
        for key, value in pairs
        if isinstance(key, str) and key and not _fits(key, value)
    ]
    return found or None


def _list_pairs(tags: Any, key: str, value: str) -> Iterator[tuple[Any, Any]]:
    for tag in tags if isinstance(tags, list) else ():
        if isinstance(tag, dict):
            yield tag.get(key), tag.get(value)


def _dict_pairs(tags: Any) -> list[tuple[Any, Any]]:
    return list(tags.items()) if isinstance(tags, dict) else []


def aws_tags(tags: Any) -> list[dict[str, str]]:
    """AWS `[{Key, Value}]` -> Maestro `[{key, value}]` (see `maestro_tags`)."""
    return maestro_tags(_list_pairs(tags, "Key", "Value"))


def aws_long_tags(tags: Any) -> list[dict[str, str]] | None:
    """AWS `[{Key, Value}]` -> the tags too long for Maestro's `tags`, for `extra.tags`."""
    return long_tags(_list_pairs(tags, "Key", "Value"))


def aws_dict_tags(tags: Any) -> list[dict[str, str]]:
    """Dict-style tags `{key: value}` -> Maestro `[{key, value}]` (see `maestro_tags`)."""
    return maestro_tags(_dict_pairs(tags))


def aws_dict_long_tags(tags: Any) -> list[dict[str, str]] | None:
    """Dict-style tags -> the tags too long for Maestro's `tags`, for `extra.tags`."""
    return long_tags(_dict_pairs(tags))


def ecs_tags(tags: Any) -> list[dict[str, str]]:
    """ECS-style `[{key, value}]` -> Maestro `[{key, value}]` (see `maestro_tags`)."""
    return maestro_tags(_list_pairs(tags, "key", "value"))


def ecs_long_tags(tags: Any) -> list[dict[str, str]] | None:
    """ECS-style `[{key, value}]` -> the tags too long for Maestro's `tags`, for `extra.tags`."""
    return long_tags(_list_pairs(tags, "key", "value"))


def tag_value(tags: Any, wanted: str, key: str = "Key", value: str = "Value") -> str | None:
    """The value of tag `wanted` (key case-insensitive) in a tag list; blank -> None."""
    for tag in tags if isinstance(tags, list) else ():
        if isinstance(tag, dict) and str(tag.get(key, "")).lower() == wanted.lower():
            found = tag.get(value)
            return found if isinstance(found, str) and found.strip() else None
    return None


def _one_tag(wanted: str, key: str = "Key", value: str = "Value") -> Callable[[Any], str | None]:
    def one(tags: Any) -> str | None:
        return tag_value(tags, wanted, key, value)

    one.__doc__ = f"The {wanted} tag of a tag list (key case-insensitive); blank -> None."
    return one


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "aws_tags": aws_tags,
    "aws_long_tags": aws_long_tags,
    "aws_dict_tags": aws_dict_tags,
    "aws_dict_long_tags": aws_dict_long_tags,
    "ecs_tags": ecs_tags,
    "ecs_long_tags": ecs_long_tags,
    # One tag of a `[{Key, Value}]` list kept elsewhere than `Tags` (RDS's TagList, ENIs' TagSet).
    "aws_tag_list_name": _one_tag("Name"),
    "aws_tag_list_environment": _one_tag("Environment"),
    "ecs_name_tag": _one_tag("Name", "key", "value"),
    "ecs_environment_tag": _one_tag("Environment", "key", "value"),
}


class _TagsReader:
    """The engine's `{"tag": KEY}`: the value of tag KEY (case-insensitive) in AWS's `Tags`."""

    field = "Tags"

    def lookup(self, key: str) -> Callable[[Any], Any]:
        wanted = key.lower()

        def value(tags: Any) -> Any:
            try:
                for tag in tags or ():
                    if tag["Key"].lower() == wanted:
                        return tag.get("Value")
            except (AttributeError, KeyError, TypeError):  # not an AWS tag list
                return None
            return None

        return value


TAG_READER = _TagsReader()


@dataclass(frozen=True)
class TagList:
    """Where an item keeps its tags (`path`) and in which shape (`kind`: "aws" for
    `[{Key, Value}]`, "aws_dict" for `{key: value}`, "ecs" for `[{key, value}]`)."""

    path: str = "Tags"
    kind: str = "aws"

    def fields(self, **extra: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """The `tags` and `extra` specs: Maestro's `tags`, and the tags too long for them
        whole in `extra.tags` (next to `extra`'s other specs)."""
        return {
            "tags": {"path": self.path, "transform": f"{self.kind}_tags", "default": []},
            "extra": {
                "fields": {"tags": {"path": self.path, "transform": f"{self.kind}_long_tags"}, **extra}
            },
        }

    def value(self, key: str) -> dict[str, Any]:
        """The spec of tag `key`'s value ("Name", "Environment"; blank -> None)."""
        if self.kind == "aws_dict":
            return {"path": f"{self.path}.{key}", "transform": "none_if_blank"}
        if self.kind == "ecs":
            return {"path": self.path, "transform": f"ecs_{key.lower()}_tag"}
        if self.path == TAG_READER.field:
            return {"tag": key, "transform": "none_if_blank"}
        return {"path": self.path, "transform": f"aws_tag_list_{key.lower()}"}


AWS_TAGS = TagList()
