"""A session's clients of one service share their class and service model
(services/api/providers/client_classes.py), and each keeps its own region, credentials and
event handlers."""

from __future__ import annotations

import botocore.session
from prometheus_client import REGISTRY

from services.api.providers import aws, client_classes
from shared import aws_calls
from shared.settings import Settings
from tests.support.aws_faults import Faults
from tests.unit.test_aws_clients import caller_identity

SETTINGS = Settings.from_env({})
KEYS = {"access": "AKIDEXAMPLE", "secret": "example"}


def test_clients_of_one_service_share_a_class_made_once() -> None:
    aws.clients.clear()
    ec2 = aws.clients.get(SETTINGS, "c1", KEYS, "us-east-1", "ec2")
    made = client_classes.classes_made()
    others = [
        aws.clients.get(SETTINGS, "c1", KEYS, "eu-west-1", "ec2"),
        aws.clients.get(SETTINGS, "c2", {**KEYS, "secret": "other"}, "ap-south-1", "ec2"),
    ]
    assert all(type(client) is type(ec2) for client in others)
    assert all(client.meta.service_model is ec2.meta.service_model for client in others)
    sqs = aws.clients.get(SETTINGS, "c1", KEYS, "us-east-1", "sqs")
    assert type(sqs) is not type(ec2) and sqs.meta.service_model is not ec2.meta.service_model
    assert ("ec2", None) in client_classes.models_made() and ("sqs", None) in client_classes.models_made()
    after = client_classes.classes_made()
    assert [key for key in after if key[0] == "ec2"] == [key for key in made if key[0] == "ec2"]
    assert type(ec2) in after.values() and type(sqs) in after.values()
    assert {c.meta.region_name for c in (ec2, *others)} == {"us-east-1", "eu-west-1", "ap-south-1"}
    assert ec2._request_signer._credentials.secret_key == "example"
    assert others[1]._request_signer._credentials.secret_key == "other"


def test_another_session_s_clients_are_made_as_botocore_makes_them() -> None:
    ours = aws.clients.get(SETTINGS, "c1", KEYS, "us-east-1", "ec2")
    kept = client_classes.classes_made()
    session = botocore.session.get_session()
    made = [
        session.create_client("ec2", region_name=region, aws_access_key_id="AKIDX", aws_secret_access_key="x")
        for region in ("us-east-1", "eu-west-1")
    ]
    assert type(made[0]) is not type(ours) and type(made[1]) is not type(made[0])
    assert made[0].meta.service_model is not ours.meta.service_model
    assert made[1].meta.service_model is not made[0].meta.service_model
    assert client_classes.classes_made() == kept
    assert type(aws.clients.get(SETTINGS, "c1", KEYS, "eu-west-1", "ec2")) is type(ours)


def test_installing_another_session_starts_its_classes_afresh() -> None:
    session = botocore.session.get_session()
    try:
        assert client_classes.install(session)
        assert client_classes.classes_made() == {}
        first = session.create_client(
            "sqs", region_name="us-east-1", aws_access_key_id="A", aws_secret_access_key="x"
        )
        again = session.create_client(
            "sqs", region_name="eu-west-1", aws_access_key_id="A", aws_secret_access_key="x"
        )
        assert type(again) is type(first)
    finally:
        assert client_classes.install(aws_calls.botocore_session())  # the process's again
    ours = aws.clients.get(SETTINGS, "c9", KEYS, "us-east-1", "sqs")
    assert type(ours) is not type(first)


def test_each_client_answers_from_its_own_region_with_its_own_handlers(faults: Faults) -> None:
    faults.always("sts:us-east-1", caller_identity("111111111111"))
    faults.always("sts:eu-west-1", caller_identity("222222222222"))
    east = aws.clients.get(SETTINGS, "c1", KEYS, "us-east-1", "sts")
    west = aws.clients.get(SETTINGS, "c1", KEYS, "eu-west-1", "sts")
    assert type(east) is type(west) and east.meta.service_model is west.meta.service_model
    assert west.get_caller_identity()["Account"] == "222222222222"
    assert east.get_caller_identity()["Account"] == "111111111111"
    assert east.get_caller_identity()["Account"] == "111111111111"
    assert faults.calls == {"sts:us-east-1": 2, "sts:eu-west-1": 1}


def test_the_worker_s_start_prepares_each_service_so_its_first_client_only_binds_its_own_state() -> None:
    """`load_models` (the api worker, before forking) makes each service's class and model."""
    aws.clients.clear()
    services = ["sns", "sqs"]
    made_before = REGISTRY.get_sample_value("discovery_provider_clients_total", {"provider": "aws"}) or 0.0
    aws.load_models(services)
    prepared = client_classes.classes_made()
    models = client_classes.models_made()
    assert {key[0] for key in prepared} >= set(services)

    clients = [aws.clients.get(SETTINGS, "c9", KEYS, "eu-central-1", service) for service in services]

    assert client_classes.classes_made() == prepared  # no class made for them
    assert client_classes.models_made() == models
    assert all(type(client) in prepared.values() for client in clients)
    assert [c.meta.region_name for c in clients] == ["eu-central-1", "eu-central-1"]
    made = REGISTRY.get_sample_value("discovery_provider_clients_total", {"provider": "aws"}) or 0.0
    assert made - made_before == 2  # the throwaway clients are not counted
