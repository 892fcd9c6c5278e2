"""IAM actions read from botocore's service models: what an AWS resource's calls need.

A list call (`AwsCall`) needs `<prefix>:<Operation>`: the prefix is the service's signing
name (its endpoint prefix when it has none), the action the operation's API name, except
where AWS's IAM says otherwise (`SERVICE_PREFIXES`, `ACTIONS`). A Resource names, in
`iam=`, only the actions of the calls its enrichers make; each must be an operation of a
botocore service with that prefix (or one of `ACTIONS`' values), so a typo fails the
catalogue's load with what botocore does have.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache

import botocore.session
from botocore.exceptions import UnknownServiceError

from shared.aws_calls import AwsCall, operation_name, service_facts
from shared.errors import MappingError

# Services whose IAM prefix is not their signing name (CloudWatch signs as `monitoring`,
# the Resource Groups Tagging API as `tagging`).
SERVICE_PREFIXES = {"cloudwatch": "cloudwatch", "resourcegroupstaggingapi": "tag"}
# Operations whose IAM action is not `<prefix>:<Operation>`: API Gateway's read access is
# `apigateway:GET` for every GET; S3's ListBuckets is authorised as ListAllMyBuckets.
ACTIONS = {
    ("apigateway", "GetRestApis"): "apigateway:GET",
    ("apigatewayv2", "GetApis"): "apigateway:GET",
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
}


def prefix(client: str) -> str:
    """The IAM prefix of a botocore service (`efs` -> `elasticfilesystem`)."""
    if client in SERVICE_PREFIXES:
        return SERVICE_PREFIXES[client]
    return service_facts(client).signing_name


def call_action(call: AwsCall) -> str:
    """The IAM action an AWS call needs."""
    operation = operation_name(call)
    return ACTIONS.get((call.client, operation)) or f"{prefix(call.client)}:{operation}"


def _operations(service: str, clients: Iterable[str]) -> set[str]:
    """The operations of the botocore services among `clients` whose IAM prefix is `service`."""
    found: set[str] = set()
    for client in clients:
        try:
            if prefix(client) == service:
                found.update(service_facts(client).operation_names)
        except (MappingError, UnknownServiceError):  # not a botocore service
            continue
    return found


@cache
def _every_client() -> tuple[str, ...]:
    return tuple(botocore.session.get_session().get_available_services())


def action_problem(action: str, clients: Iterable[str]) -> str | None:
    """Why `action` is not one botocore knows; None when it is. It is looked for in `clients`
    (the services the resource calls), the service its prefix names, then (seconds: every
    model is read) every botocore service."""
    if action in ACTIONS.values():
        return None
    service, _, operation = action.partition(":")
    if not service or not operation:
        return f"{action!r} is not of the form <service>:<Operation>"
    likely = {*clients, service, *(c for c, p in SERVICE_PREFIXES.items() if p == service)}
    operations = _operations(service, sorted(likely)) or _operations(service, _every_client())
    if not operations:
        return f"no botocore service has the IAM prefix {service!r}"
    if operation in operations:
        return None
    close = difflib.get_close_matches(operation, sorted(operations), n=1)
    hint = f" (did you mean {service}:{close[0]}?)" if close else ""
    return f"{service} has no operation {operation!r} in botocore's model{hint}"


def check_actions(owner: str, actions: Iterable[str], clients: Iterable[str]) -> None:
    """MappingError naming `owner` and each action that botocore's models don't have."""
    clients = tuple(clients)
    problems = [problem for action in actions if (problem := action_problem(action, clients))]
    if problems:
        raise MappingError(f"{owner}: IAM action not in botocore's model: {'; '.join(problems)}")
