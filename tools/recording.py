"""What every fixture recorder shares: a moto server for the recording, and how pages are written.

A recorder builds an account in moto (its own `build_account(endpoint)`), then writes the
pages the api stage would see (`record_pages`, through the real `fetch_page`: list call and
enrichers) or the raw responses (`write_json`). `run` is its `main`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Callable, Container, Iterable, Mapping
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "fixtures" / "aws"
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
ONLY: set[str] = set()  # `--only KEY`: record_pages writes only these resources (empty: all)


def isoformat(value: Any) -> str:
    """JSON `default=` for recorded responses: datetimes as ISO 8601 strings."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def tags(**pairs: str) -> list[dict[str, str]]:
    """AWS `[{Key, Value}]` tags from keyword arguments."""
    return [{"Key": key, "Value": value} for key, value in pairs.items()]


def write_json(path: Path, document: dict[str, Any]) -> Path:
    """Write one recorded document (sorted keys, ISO dates); return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, default=isoformat, indent=1, sort_keys=True) + "\n")
    return path


def nest(result_key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """`{"A": {"B": items}}` for a result key "A.B" (the list call's response shape)."""
    document: dict[str, Any] = {}
    parts = result_key.split(".")
    current = document
    for part in parts[:-1]:
        current = current.setdefault(part, {})
    current[parts[-1]] = items
    return document


def record_pages(
    endpoint: str,
    out: Path,
    resource_keys: Iterable[str],
    page_size: int | Mapping[str, int],
    *,
    suffix: str = "page",
    raw: Container[str] = (),
    key_named: Container[str] = (),
) -> list[Path]:
    """Every page of each resource as the api stage gets it (list + enrichers), one file a page.

    Files are `<client>_<operation>_<suffix><n>.json` in the list call's response shape,
    with the next page's token where there is one.
    For the resources in `raw`, the provider's own responses (tokens and all) are also
    written to `pages/<client>_<operation>_<n>.json`. `page_size` may differ per resource.
    The resources in `key_named` are written to `<resource key>_<suffix><n>.json` instead:
    for a resource whose list call another resource already records under its name (the
    tests look for key-named files first). With `--only KEY` on the command line (see
    `run`), the other resources are skipped: their files stay as they are.
    """
    from services.api.providers.aws import fetch_page
    from shared import aws_calls
    from shared.catalog import RESOURCES

    def client_for(service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint)

    scope = {"region": REGION, "region_label": "us-east-1 (N. Virginia)", "account_id": ACCOUNT}
    written = []
    for key in resource_keys:
        if ONLY and key not in ONLY:
            continue
        resource = RESOURCES[key]
        call = resource.call
        size = page_size if isinstance(page_size, int) else page_size[key]
        paging = aws_calls.pagination(call)
        stem = key if key in key_named else f"{call.client}_{call.operation}"
        for old in [*out.glob(f"{stem}_*.json"), *(out / "pages").glob(f"{stem}_*.json")]:
            old.unlink()
        cursor: str | None = None
        number = 0
        while True:
            number += 1
            if key in raw:
                params = aws_calls.request_params(call, cursor, size)
                response = getattr(client_for(call.client), call.operation)(**params)
                response.pop("ResponseMetadata", None)
                written.append(write_json(out / "pages" / f"{stem}_{number}.json", response))
            page = fetch_page(resource, client_for, cursor, size, scope)
            body = nest(paging.result_key, page.items)
            if page.next_cursor is not None and len(paging.output_tokens) == 1:
                body[paging.output_tokens[0]] = page.next_cursor
            written.append(write_json(out / f"{stem}_{suffix}{number}.json", body))
            cursor = page.next_cursor
            if cursor is None:
                break
    return written


def run(
    description: str,
    build_account: Callable[[str], None],
    record: Callable[[str, Path], list[Path]],
) -> None:
    """A recorder's main: start moto on loopback, build the account, record, stop moto."""
    from moto.server import ThreadedMotoServer  # a recording-time tool, never a runtime one

    from services.embedded.servers import free_port

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=FIXTURES)
    parser.add_argument(
        "--only", action="append", default=[], metavar="KEY", help="record only this resource (repeatable)"
    )
    args = parser.parse_args()
    ONLY.update(args.only)
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION=REGION,
    )
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log on the terminal
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        build_account(endpoint)
        for path in record(endpoint, args.out):
            print(f"{path} ({path.stat().st_size} bytes)")
    finally:
        server.stop()
