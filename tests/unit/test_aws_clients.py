"""The api stage's boto3 clients and the account behind a connection: made once, then reused."""

from __future__ import annotations

from collections.abc import Callable

from botocore.awsrequest import AWSResponse

from services.api.providers import aws
from shared.settings import Settings
from tests.support.aws_faults import Faults, query_answer

SETTINGS = Settings.from_env({})
KEYS = {"access": "AKIDEXAMPLE", "secret": "example"}


def caller_identity(account: str) -> Callable[[], AWSResponse]:
    body = (
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<GetCallerIdentityResult><Arn>arn:aws:iam::{account}:user/crawler</Arn>"
        f"<UserId>AIDEXAMPLE</UserId><Account>{account}</Account></GetCallerIdentityResult>"
        "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
    ).encode()
    return lambda: query_answer(200, body)


def test_one_client_per_connection_credentials_region_and_service() -> None:
    aws.clients.clear()
    ec2 = aws.clients.get(SETTINGS, "c1", KEYS, "us-east-1", "ec2")
    assert aws.clients.get(SETTINGS, "c1", dict(KEYS), "us-east-1", "ec2") is ec2
    others = [
        aws.clients.get(SETTINGS, "c1", KEYS, "eu-west-1", "ec2"),
        aws.clients.get(SETTINGS, "c1", KEYS, "us-east-1", "sqs"),
        aws.clients.get(SETTINGS, "c2", KEYS, "us-east-1", "ec2"),
        aws.clients.get(SETTINGS, "c1", {**KEYS, "secret": "rotated"}, "us-east-1", "ec2"),
    ]
    assert len({id(client) for client in [ec2, *others]}) == 5
    assert ec2.meta.region_name == "us-east-1" and others[0].meta.region_name == "eu-west-1"


def test_the_cache_keeps_the_configured_number_of_clients() -> None:
    aws.clients.clear()
    small = SETTINGS.replace(aws_clients=2)
    first = aws.clients.get(small, "c1", KEYS, "us-east-1", "ec2")
    for region in ("eu-west-1", "eu-central-1"):
        aws.clients.get(small, "c1", KEYS, region, "ec2")
    assert len(aws.clients.clients) == 2
    assert aws.clients.get(small, "c1", KEYS, "us-east-1", "ec2") is not first  # evicted, made again


def test_the_account_is_asked_of_sts_once_per_connection_and_credentials(faults: Faults) -> None:
    faults.always("sts:us-east-1", caller_identity("123456789012"))
    assert aws.clients.account(SETTINGS, "c1", KEYS) == "123456789012"
    assert aws.clients.account(SETTINGS, "c1", dict(KEYS)) == "123456789012"
    assert faults.calls["sts:us-east-1"] == 1
    assert aws.clients.account(SETTINGS, "c2", KEYS) == "123456789012"  # another connection asks
    assert faults.calls["sts:us-east-1"] == 2


def test_an_account_sts_would_not_tell_is_asked_again_next_time(faults: Faults) -> None:
    denied = (
        b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message>"
        b"</Error><RequestId>r-2</RequestId></ErrorResponse>"
    )
    faults.always("sts:us-east-1", lambda: query_answer(403, denied))
    assert aws.clients.account(SETTINGS, "c1", KEYS) is None
    faults.always("sts:us-east-1", caller_identity("123456789012"))
    assert aws.clients.account(SETTINGS, "c1", KEYS) == "123456789012"
    assert faults.calls["sts:us-east-1"] == 2
