"""AWS resources a simulated account (moto) is seeded with, shaped once: the fixture
recorders (tools/recorders/) and the account benchmark (bench/) create them alike."""

from __future__ import annotations

from typing import Any


def distribution_config(reference: str, origin: str, path: str = "", **extra: Any) -> dict[str, Any]:
    """A CloudFront DistributionConfig serving the S3 bucket `origin` (under `path`) over
    HTTPS; `extra` adds to it or overrides its Comment ("") and Enabled (True)."""
    source = {"Id": "origin-1", "DomainName": origin, "OriginPath": path}
    return {
        "CallerReference": reference,
        "Origins": {"Quantity": 1, "Items": [{**source, "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "origin-1",
            "ViewerProtocolPolicy": "redirect-to-https",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
        "Comment": extra.pop("Comment", ""),
        "Enabled": extra.pop("Enabled", True),
        **extra,
    }


def create_small_broker(mq: Any, name: str, password: str) -> None:
    """A single-instance ActiveMQ broker, private, on the smallest host, with one user."""
    mq.create_broker(
        BrokerName=name,
        DeploymentMode="SINGLE_INSTANCE",
        EngineType="ACTIVEMQ",
        EngineVersion="5.17.6",
        HostInstanceType="mq.t3.micro",
        PubliclyAccessible=False,
        AutoMinorVersionUpgrade=False,
        Users=[{"Username": "admin", "Password": password}],
    )
