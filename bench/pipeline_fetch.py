"""The fetch figure: the api stage's fetch of the simulated EC2 endpoint against a plain boto3
paginator over the same endpoint, both in this process, region after region, one thread.

The stage's fetch is what `fetch_page` does around the cloud's answer, less the ledger and
the broker: the adapter's call (client cache, request parameters, items taken out of the
reservations) and the redaction of the page. Both sides list every instance at the same page
size; they take turns, and the median of `repeat` turns is compared.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

import boto3
from ec2_endpoint import SimulatedEC2

from services.api.providers import FetchRequest, adapter_for, aws
from services.api.redact import redact_items
from shared.catalog import get_provider, get_resource
from shared.settings import Settings

CREDENTIALS = {"access": "AKIDBENCH", "secret": "bench"}


def paginator_seconds(url: str, regions: list[str], page_size: int) -> tuple[float, int]:
    """A plain boto3 paginator listing every instance of every region."""
    started = time.perf_counter()
    count = 0
    for region in regions:
        client = boto3.client(
            "ec2",
            region_name=region,
            endpoint_url=url,
            aws_access_key_id=CREDENTIALS["access"],
            aws_secret_access_key=CREDENTIALS["secret"],
        )
        pages = client.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": page_size})
        for page in pages:
            count += sum(len(r["Instances"]) for r in page["Reservations"])
    return time.perf_counter() - started, count


def stage_seconds(settings: Settings, regions: list[str], page_size: int) -> tuple[float, int]:
    """The api stage's adapter fetch and redaction, page after page, every region."""
    resource = get_resource("aws.ec2.instances")
    provider = get_provider("aws")
    adapter = adapter_for(provider)
    aws.clients.clear()  # clients are made inside the timing, as the paginator's are
    started = time.perf_counter()
    count = 0
    for region in regions:
        cursor: str | None = None
        while True:
            request = FetchRequest(
                run_id="bench",
                connection_id="bench",
                provider=provider,
                resource=resource,
                credentials=CREDENTIALS,
                region=region,
                scope={"account_id": "123456789012", "region": region},
                cursor=cursor,
                page_size=page_size,
            )
            page = adapter.fetch(settings, request)
            count += len(redact_items(page.items))
            cursor = page.next_cursor
            if cursor is None:
                break
    return time.perf_counter() - started, count


def compare(
    settings: Settings, regions: list[str], instances: int, page_size: int, repeat: int
) -> dict[str, Any]:
    """Seconds of each side (medians) and their ratio over `instances` spread over `regions`."""
    endpoint = SimulatedEC2(regions, max(1, instances // len(regions)))
    previous = os.environ.get("AWS_ENDPOINT_URL")
    os.environ["AWS_ENDPOINT_URL"] = endpoint.url  # the stage's clients read it, as in the workers
    try:
        plain, stage = [], []
        for _ in range(repeat):
            seconds, listed = paginator_seconds(endpoint.url, regions, page_size)
            plain.append(seconds)
            seconds, fetched = stage_seconds(settings, regions, page_size)
            stage.append(seconds)
            if fetched != listed:
                raise SystemExit(f"the stage fetched {fetched} instances, the paginator listed {listed}")
    finally:
        aws.clients.clear()
        if previous is None:
            os.environ.pop("AWS_ENDPOINT_URL", None)
        else:
            os.environ["AWS_ENDPOINT_URL"] = previous
        endpoint.stop()
    return {
        "instances": listed,
        "paginator": statistics.median(plain),
        "stage": statistics.median(stage),
        "ratio": statistics.median(stage) / statistics.median(plain),
    }
