"""Declaring an AWS Resource in one call: `aws_app(...)` for an application, `aws_resource(...)`
for any other collection (provider "aws" set once, here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.resource import AwsCall, Resource


def aws_resource(
    key: str,
    task: str,
    collection: str,
    mapping: Mapping[str, Any],
    call: AwsCall,
    *,
    family: str | None = None,
    app_provider: str | None = None,
    enrich: tuple[str, ...] = (),
    arn: str | None = None,
    drop: tuple[str, ...] = (),
    regional: bool = True,
    iam: tuple[str, ...] = (),
) -> Resource:
    """An AWS resource of `collection` listed by `call` and mapped by `mapping` (the other
    arguments are the Resource's own: shared/resource.py)."""
    return Resource(
        key=key,
        provider="aws",
        task=task,
        collection=collection,
        mapping=mapping,
        call=call,
        family=family,
        app_provider=app_provider,
        enrich=enrich,
        arn=arn,
        drop=drop,
        regional=regional,
        iam=iam,
    )


def aws_app(
    key: str,
    task: str,
    mapping: Mapping[str, Any],
    call: AwsCall,
    family: str,
    provider: str,
    *,
    enrich: tuple[str, ...] = (),
    arn: str | None = None,
    drop: tuple[str, ...] = (),
    regional: bool = True,
) -> Resource:
    """An AWS resource kept in `applications` as `family`, labelled `provider` (Maestro's
    provider label, e.g. "EFS (AWS)": with the family, it keys the resource's sweep)."""
    return aws_resource(
        key,
        task,
        "applications",
        mapping,
        call,
        family=family,
        app_provider=provider,
        enrich=enrich,
        arn=arn,
        drop=drop,
        regional=regional,
    )
