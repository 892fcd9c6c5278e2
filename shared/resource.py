"""A kind of cloud resource, as a `shared/mappings/` module declares it for the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from shared.aws_calls import AwsCall

__all__ = ["AwsCall", "Resource"]


@dataclass(frozen=True)
class Resource:
    """One kind of cloud resource crawled by a task."""

    key: str
    provider: str
    task: str
    collection: str
    mapping: str
    call: AwsCall
    iam: tuple[str, ...]
    family: str | None = None
    app_provider: str | None = None
    regional: bool = True
    # Calls the api stage makes per page after listing (names in its enricher registry),
    # e.g. tags for ARNs the list call returns without them.
    enrich: tuple[str, ...] = ()
    # The resource's ARN as a format over the raw item and the scope (`{scope.account_id}`,
    # `{scope.region}`, `{Field}`): what the tag enricher asks the tagging API for.
    arn: str | None = None
    # Keys removed from every raw item as soon as it is listed, before it goes anywhere:
    # values that may hold secrets (a function's environment variables, ...).
    drop: tuple[str, ...] = ()
