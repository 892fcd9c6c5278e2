"""Record CloudSearch domain and DocumentDB cluster pages from the responses AWS publishes.

moto serves neither, so their list responses are the examples of AWS's documentation
(tests/fixtures/aws/published/, each with its source). This script replays them on
loopback (tests/support/aws_replay.py) and lists each resource the way the api stage
does, through `services.api.providers.aws.fetch_page` (list call + enrichers, real
botocore clients), writing each page's items as `{<result key>: items}` to
`tests/fixtures/aws/<client>_<operation>_<n>.json` for the mapping tests.

Usage: `.venv/bin/python tools/record_published_fixtures.py [--out tests/fixtures/aws]`
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import boto3
from recording import FIXTURES, nest, write_json  # tools/recording.py

from services.api.providers.aws import fetch_page
from shared import aws_calls
from shared.catalog import RESOURCES
from tests.support.aws_replay import ReplayServer, load

# resource key -> the region of its published examples (and the region label of the scope)
RESOURCE_REGIONS = {
    "aws.cloudsearch.domains": ("us-east-1", "us-east-1 (N. Virginia)"),
    "aws.docdb.db_clusters": ("us-west-2", "us-west-2 (Oregon)"),
}
ACCOUNT = "123456789012"  # the account of the examples' ARNs (the STS example's)
PAGE_SIZE = 20  # DocumentDB's smallest MaxRecords; the replay pages by its own Marker


def record(endpoint: str, out: Path) -> list[Path]:
    """Every page of each resource through fetch_page; the files written."""
    written = []
    for key, (region, label) in RESOURCE_REGIONS.items():
        resource = RESOURCES[key]
        call = resource.call
        paging = aws_calls.pagination(call)

        def client_for(service: str, region: str = region) -> Any:
            return boto3.client(service, region_name=region, endpoint_url=endpoint)

        for old in out.glob(f"{call.client}_{call.operation}_*.json"):
            old.unlink()
        scope = {"region": region, "region_label": label, "account_id": ACCOUNT}
        cursor: str | None = None
        number = 0
        while True:
            number += 1
            page = fetch_page(resource, client_for, cursor, PAGE_SIZE, scope)
            body = nest(paging.result_key, page.items)
            if page.next_cursor is not None:
                body[paging.output_tokens[0]] = page.next_cursor
            written.append(write_json(out / f"{call.client}_{call.operation}_{number}.json", body))
            cursor = page.next_cursor
            if cursor is None:
                break
    return written


def main() -> None:
    """Serve the published responses, record the pages, stop the server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIXTURES)
    args = parser.parse_args()
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    server = ReplayServer(load())
    try:
        for path in record(server.url, args.out):
            print(f"{path} ({path.stat().st_size} bytes)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
