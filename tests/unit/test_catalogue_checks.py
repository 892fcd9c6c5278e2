"""Loading the catalogue checks it: each silent mistake of a declaration fails the load with
a message that says what to fix, and the IAM policy derived from botocore is unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from shared import catalog, iam
from shared.catalog import PROVIDERS, iam_policy
from shared.declarations import vocabulary
from shared.enrichers import ENRICHER_CALLS
from shared.errors import MappingError
from shared.mappings import aws_tags
from shared.mappings.aws_application import application
from shared.mappings.aws_ec2 import instance_cpu
from shared.resource import AwsCall, DriverCall, Resource

MODULES = catalog._modules()
# The policy of every AWS task as it was when each Resource listed all its actions by hand.
POLICY = Path(__file__).parent / "data" / "aws_iam_policy.json"


def queue_mapping(**fields: Any) -> dict[str, Any]:
    base = {"name": {"path": "QueueName"}, "unique_id": {"path": "QueueArn"}}
    return {"item_id": {"path": "QueueArn"}, "required": ["name", "unique_id"], "fields": {**base, **fields}}


def resource(mapping: dict[str, Any], **overrides: Any) -> Resource:
    declared: dict[str, Any] = {
        "key": "test.queues",
        "provider": "aws",
        "task": "test-list",
        "collection": "applications",
        "mapping": mapping,
        "call": AwsCall(client="sqs", operation="list_queues"),
        "family": "Broker",
        "app_provider": "Test (AWS)",
        **overrides,
    }
    return Resource(**declared)


def load_with(monkeypatch: pytest.MonkeyPatch, *resources: Resource, **names: Any) -> None:
    """Load the catalogue with one more mapping module declaring `resources` (and `names`)."""
    module = ModuleType("shared.mappings.test_declared")
    module.RESOURCES = resources  # type: ignore[attr-defined]
    for name, value in names.items():
        setattr(module, name, value)
    monkeypatch.setattr(catalog, "_modules", lambda: [*MODULES, module])
    catalog._catalogue.__wrapped__()  # type: ignore[attr-defined]


def test_a_well_declared_resource_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    load_with(monkeypatch, resource(queue_mapping()))


# --- the sweep key is the Resource's alone ---------------------------------------------------


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            {**queue_mapping(), "collection": "applications"},
            r"sets 'collection': set collection= on the Resource",
        ),
        (queue_mapping(family={"const": "Broker"}), r"sets 'family': set family= on the Resource"),
        (
            queue_mapping(provider={"const": "Test (AWS)"}),
            r"sets 'provider': set app_provider= on the Resource",
        ),
        (queue_mapping(provider={"path": "Label"}), r"sets 'provider': set app_provider= on the Resource"),
    ],
)
def test_a_mapping_setting_what_its_resource_owns_is_refused(
    monkeypatch: pytest.MonkeyPatch, mapping: dict[str, Any], message: str
) -> None:
    with pytest.raises(MappingError, match=rf"test_declared, resource 'test.queues': its mapping {message}"):
        load_with(monkeypatch, resource(mapping))


def test_a_constant_family_needs_the_resource_to_hold_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # Else the documents would carry a family the sweep never filters on.
    unowned = resource(queue_mapping(family={"const": "Broker"}), family=None, app_provider=None)
    with pytest.raises(MappingError, match="sets 'family': set family= on the Resource"):
        load_with(monkeypatch, unowned)


def test_a_family_read_from_each_item_is_allowed_when_the_resource_has_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_with(monkeypatch, resource(queue_mapping(family={"path": "Family"}), family=None, app_provider=None))


# --- transforms: a module names only what it defines or imports --------------------------------


def test_a_transform_of_another_module_must_be_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    uses_ec2s = resource(queue_mapping(size={"path": "Type", "transform": "instance_cpu"}))
    with pytest.raises(
        MappingError,
        match=r"test_declared: mapping 'test.queues', field 'size': unknown transform 'instance_cpu' "
        r"\(it is defined in shared.mappings.aws_ec2: import from that module",
    ):
        load_with(monkeypatch, uses_ec2s)
    load_with(monkeypatch, uses_ec2s, instance_cpu=instance_cpu)  # from ...aws_ec2 import instance_cpu
    load_with(monkeypatch, uses_ec2s, TRANSFORMS={"instance_cpu": instance_cpu})


def test_the_aws_tag_transforms_are_imported_like_any_other(monkeypatch: pytest.MonkeyPatch) -> None:
    tagged = resource(queue_mapping(**aws_tags.AWS_TAGS.fields()))
    with pytest.raises(
        MappingError, match=r"unknown transform 'aws_tags' \(it is defined in shared.mappings.aws_tags"
    ):
        load_with(monkeypatch, tagged)
    load_with(monkeypatch, tagged, AWS_TAGS=aws_tags.AWS_TAGS)  # from ...aws_tags import AWS_TAGS
    load_with(monkeypatch, tagged, aws_tags=aws_tags)  # from shared.mappings import aws_tags


def test_a_tag_op_needs_a_tag_reader_declared_or_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    named = resource(queue_mapping(environment={"tag": "Environment"}))
    with pytest.raises(MappingError, match="field 'environment': a tag op needs a tag reader"):
        load_with(monkeypatch, named)
    load_with(monkeypatch, named, TAG_READER=aws_tags.TAG_READER)
    load_with(monkeypatch, named, application=application)  # from ...aws_application import application


def test_a_transform_imported_from_a_module_that_only_imports_it_is_not_named() -> None:
    # Scopes are not transitive: aws_efs imports from aws_application, not from aws_ec2.
    from shared.mappings import aws_efs

    names = vocabulary(aws_efs).transforms
    assert "efs_size_gib" in names and "aws_tags" in names and "instance_cpu" not in names


# --- IAM actions: derived from botocore's models, explicit ones checked -----------------------


def test_the_iam_policy_is_the_one_every_resource_listed_by_hand() -> None:
    # Resources added since may bring their list calls' actions: nothing else may change.
    (recorded,) = json.loads(POLICY.read_text())["Statement"]
    (generated,) = iam_policy(PROVIDERS["aws"])["Statement"]
    assert {**generated, "Action": None} == {**recorded, "Action": None}
    added = set(generated["Action"]) - set(recorded["Action"])
    assert set(recorded["Action"]) <= set(generated["Action"])
    list_calls = {iam.call_action(r.call) for r in PROVIDERS["aws"].resources if isinstance(r.call, AwsCall)}
    assert added <= list_calls, f"actions no list call needs: {sorted(added - list_calls)}"


EFS = AwsCall("efs", "describe_file_systems")
SQS = AwsCall("sqs", "list_queues")


@pytest.mark.parametrize(
    ("call", "actions", "message"),
    [
        (
            EFS,
            ("elasticfilesystem:DescribeFileSytems",),
            r"elasticfilesystem has no operation 'DescribeFileSytems' in botocore's model "
            r"\(did you mean elasticfilesystem:DescribeFileSystems\?\)",
        ),
        (SQS, ("sqs:GetQueueAtributes",), r"did you mean sqs:GetQueueAttributes\?"),
        (SQS, ("tags:GetResources",), r"no botocore service has the IAM prefix 'tags'"),
        (SQS, ("GetQueueAttributes",), r"'GetQueueAttributes' is not of the form <service>:<Operation>"),
    ],
)
def test_an_explicit_iam_action_botocore_does_not_have_fails_the_load(
    monkeypatch: pytest.MonkeyPatch, call: AwsCall, actions: tuple[str, ...], message: str
) -> None:
    declared = resource(queue_mapping(), call=call, iam=actions)
    with pytest.raises(
        MappingError, match=rf"resource 'test.queues': IAM action not in botocore's model: .*{message}"
    ):
        load_with(monkeypatch, declared)


def test_the_enrichers_actions_of_other_services_are_found_by_their_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_with(
        monkeypatch, resource(queue_mapping(), iam=("tag:GetResources", "elasticfilesystem:DescribeTags"))
    )


def test_the_enrichers_actions_are_derived_from_their_declared_calls() -> None:
    declared = resource(queue_mapping(), enrich=("sqs_attributes", "tags"), arn="{QueueArn}")
    assert catalog.iam_actions(declared) == ("sqs:ListQueues", "sqs:GetQueueAttributes", "tag:GetResources")


@pytest.mark.parametrize("name", sorted(ENRICHER_CALLS))
def test_every_declared_enricher_call_is_an_operation_of_botocore(name: str) -> None:
    for call in ENRICHER_CALLS[name]:
        assert iam.call_action(call)


def test_an_enricher_no_module_declares_fails_the_load(monkeypatch: pytest.MonkeyPatch) -> None:
    declared = resource(queue_mapping(), enrich=("sqs_atributes",))
    with pytest.raises(
        MappingError,
        match=r"resource 'test.queues': no enricher 'sqs_atributes' in shared/enrichers.py "
        r"\(did you mean 'sqs_attributes'\?\)",
    ):
        load_with(monkeypatch, declared)


def test_an_action_of_an_enrichers_call_is_derived_not_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    declared = resource(queue_mapping(), enrich=("tags",), arn="{QueueArn}", iam=("tag:GetResources",))
    with pytest.raises(MappingError, match=r"'tag:GetResources' is an action of its enrichers' calls"):
        load_with(monkeypatch, declared)


def test_the_list_calls_own_action_is_derived_not_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    declared = resource(queue_mapping(), iam=("sqs:ListQueues",))
    with pytest.raises(
        MappingError, match=r"'sqs:ListQueues' is its list call's own action.*drop it from iam="
    ):
        load_with(monkeypatch, declared)


def test_only_aws_resources_have_iam_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    declared = resource(
        queue_mapping(), call=DriverCall("compute", "list_nodes"), iam=("ec2:DescribeInstances",)
    )
    with pytest.raises(MappingError, match="only AWS resources have IAM actions"):
        load_with(monkeypatch, declared)


@pytest.mark.parametrize(
    ("call", "action"),
    [
        (AwsCall("efs", "describe_file_systems"), "elasticfilesystem:DescribeFileSystems"),
        (AwsCall("cloudwatch", "describe_alarms"), "cloudwatch:DescribeAlarms"),
        (AwsCall("s3", "list_buckets"), "s3:ListAllMyBuckets"),
        (AwsCall("apigateway", "get_rest_apis"), "apigateway:GET"),
        (AwsCall("apigatewayv2", "get_apis"), "apigateway:GET"),
        (AwsCall("stepfunctions", "list_state_machines"), "states:ListStateMachines"),
    ],
)
def test_a_list_calls_action_is_read_from_botocore(call: AwsCall, action: str) -> None:
    assert catalog.iam_actions(resource(queue_mapping(), call=call)) == (action,)


def test_loading_reads_only_the_models_of_the_services_the_resources_call() -> None:
    # Reading every botocore model takes seconds: only a wrong or unusual action may need it.
    iam._every_client.cache_clear()
    catalog._catalogue.__wrapped__()  # type: ignore[attr-defined]
    assert iam._every_client.cache_info().misses == 0
