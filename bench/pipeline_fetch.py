"""The fetch figure: the api stage's fetch of the simulated EC2 endpoint against a plain boto3
paginator over the same endpoint, both in this process, region after region, one thread.

The stage's fetch is what `fetch_page` does around the cloud's answer, less the ledger and
the broker: the adapter's call (client cache, request parameters, items taken out of the
reservations) and the redaction of the page. Both sides list every instance at the same page
size; they take turns after one turn each to warm up (clients made, models loaded), and
the medians of `repeat` turns are compared: wall time, and this process's CPU time (on
shared cores the wall time is mostly waiting for a core; the simulator's share of the CPU
is a few milliseconds).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import boto3
from ec2_endpoint import SimulatedEC2

from services.api.providers import FetchRequest, adapter_for, aws
from services.api.redact import redact_items
from shared.catalog import get_provider, get_resource
from shared.settings import Settings

CREDENTIALS = {"access": "AKIDBENCH", "secret": "bench"}


def timed(run: Callable[[], int]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of this process, and what `run` returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    count = run()
    return time.perf_counter() - wall, time.process_time() - cpu, count


def paginator_listing(clients: dict[str, Any], page_size: int) -> int:
    """A plain boto3 paginator listing every instance of every region (a client per region)."""
    count = 0
    for client in clients.values():
        pages = client.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": page_size})
        for page in pages:
            count += sum(len(r["Instances"]) for r in page["Reservations"])
    return count


def plain_clients(url: str, regions: list[str]) -> dict[str, Any]:
    return {
        region: boto3.client(
            "ec2",
            region_name=region,
            endpoint_url=url,
            aws_access_key_id=CREDENTIALS["access"],
            aws_secret_access_key=CREDENTIALS["secret"],
        )
        for region in regions
    }


def stage_listing(settings: Settings, regions: list[str], page_size: int) -> int:
    """The api stage's adapter fetch and redaction, page after page, every region."""
    resource = get_resource("aws.ec2.instances")
    provider = get_provider("aws")
    adapter = adapter_for(provider)
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
    return count


def compare(
    settings: Settings, regions: list[str], instances: int, page_size: int, repeat: int
) -> dict[str, Any]:
    """Seconds of each side (medians) and their ratio over `instances` spread over `regions`."""
    endpoint = SimulatedEC2(regions, max(1, instances // len(regions)))
    previous = os.environ.get("AWS_ENDPOINT_URL")
    os.environ["AWS_ENDPOINT_URL"] = endpoint.url  # the stage's clients read it, as in the workers
    try:
        plain, stage = [], []
        clients = plain_clients(endpoint.url, regions)
        for turn in range(repeat + 1):
            listed = timed(lambda: paginator_listing(clients, page_size))
            fetched = timed(lambda: stage_listing(settings, regions, page_size))
            if fetched[2] != listed[2]:
                raise SystemExit(f"the stage fetched {fetched[2]}, the paginator listed {listed[2]}")
            if turn:
                plain.append(listed)
                stage.append(fetched)
    finally:
        aws.clients.clear()
        if previous is None:
            os.environ.pop("AWS_ENDPOINT_URL", None)
        else:
            os.environ["AWS_ENDPOINT_URL"] = previous
        endpoint.stop()
    wall = statistics.median(s[0] for s in stage), statistics.median(p[0] for p in plain)
    cpu = statistics.median(s[1] for s in stage), statistics.median(p[1] for p in plain)
    return {
        "instances": listed[2],
        "stage": wall[0],
        "paginator": wall[1],
        "ratio": wall[0] / wall[1],
        "stage_cpu": cpu[0],
        "paginator_cpu": cpu[1],
        "cpu_ratio": cpu[0] / cpu[1],
    }
