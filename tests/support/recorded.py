"""Recorded provider pages (tests/fixtures) and the documents mappings make of them.

`recorded_items` finds the recorded fixtures of any catalogue resource (an AWS resource's
pages are `tests/fixtures/aws/<resource key>_<n>.json`, written by
`python tools/record.py <resource key>`; its call's `items`, `children` and
`parent_fields` say where the items are). A libcloud resource's items are
what the real driver makes of its provider's recorded responses: `libcloud_items` serves
them from a replay server with the routes of `tests/support/clouds/<provider>.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from bson import ObjectId

from shared import importers, schema
from shared.aws_calls import AwsCall, extract_items
from shared.catalog import RESOURCES, get_mapping
from shared.mapping import translate
from shared.resource import DriverCall, FileCall, Resource

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "imports"  # import files
PAGES = FIXTURES / "aws" / "pages"  # raw list pages, tokens included, before enrichment
ACCOUNT = "123456789012"  # moto's, in the recorded ARNs


def restore_datetimes(obj: dict[str, Any]) -> dict[str, Any]:
    """json object_hook: the ISO strings the recorder wrote for timestamps -> datetimes."""
    for key, value in obj.items():
        if isinstance(value, str) and key.endswith("Time") and "T" in value:
            obj[key] = dt.datetime.fromisoformat(value)
    return obj


class MissingFixtureError(AssertionError):
    """A resource has no recorded pages: the message says how to record them."""


def fixture_paths(resource: Resource) -> list[Path]:
    """The recorded pages of an AWS resource, `<resource key>_<n>.json`, in page order
    (MissingFixtureError naming the command that records them if there are none); those
    of another provider's resource under its folder, if any."""
    folder = FIXTURES / resource.provider
    paths = page_files(folder, resource.key)
    if not paths and isinstance(resource.call, AwsCall):
        raise MissingFixtureError(
            f"no recorded pages for {resource.key} in {folder}: record them with "
            f"`python tools/record.py {resource.key}`"
        )
    return paths


def page_files(folder: Path, key: str) -> list[Path]:
    """`<key>_<n>.json` in `folder`, by page number."""
    pattern = re.compile(re.escape(key) + r"_(\d+)\.json")
    found = [(int(m.group(1)), p) for p in folder.glob(f"{key}_*.json") if (m := pattern.fullmatch(p.name))]
    return [path for _, path in sorted(found)]


def recorded_items(key: str) -> list[dict[str, Any]]:
    """Every recorded provider item of the catalogue resource `key`.

    A file resource's recordings are the example files of its provider (examples/imports/
    <provider>/), read by its format's parser: what an operator would import.
    """
    resource = RESOURCES[key]
    if isinstance(resource.call, FileCall):
        return imported_items(resource)
    if isinstance(resource.call, DriverCall) and (listed := libcloud_items(resource)):
        return listed
    items = []
    for path in fixture_paths(resource):
        page = json.loads(path.read_text(), object_hook=restore_datetimes)
        if isinstance(page, list):  # a libcloud driver's items (to_raw), recorded as a list
            items.extend(page)
            continue
        assert isinstance(resource.call, AwsCall)
        items.extend(extract_items(resource.call, page))
    return items


def imported_items(resource: Resource) -> list[dict[str, Any]]:
    """The items of a file resource in its provider's example files (examples/imports/<provider>)
    and its format's fixtures (tests/fixtures/imports/<format>)."""
    call = resource.call
    assert isinstance(call, FileCall)
    paths = [*sorted((EXAMPLES / resource.provider).glob("*.*"))]
    paths += sorted((FIXTURES / "imports" / call.client).glob("*"))
    items = []
    for path in paths:
        items.extend(importers.parse(call.client, path.read_bytes(), path.name).get(call.operation, []))
    return items


def libcloud_items(resource: Resource) -> list[dict[str, Any]]:
    """The items the libcloud adapter lists for `resource` from its provider's recorded routes.

    `tests/support/clouds/<provider>.py` gives `routes(replay)` and `CREDENTIALS` (or
    `credentials_of(replay)`, for a connection naming an endpoint on the replay server),
    and `REGIONS` where the recorded connection names its regions; a provider without one
    has no recorded items yet.
    """
    import importlib

    from services.api.providers import FetchRequest
    from services.api.providers import libcloud as adapter
    from shared.catalog import PROVIDERS
    from shared.connections import api_region
    from shared.settings import Settings
    from tests.support.replay import ReplayServer

    try:
        cloud = importlib.import_module(f"tests.support.clouds.{resource.provider}")
    except ModuleNotFoundError:
        return []
    server = ReplayServer()
    try:
        cloud.routes(server)
        credentials = cloud.credentials_of(server) if hasattr(cloud, "credentials_of") else cloud.CREDENTIALS
        connection = {"_id": "recorded", "regions": list(getattr(cloud, "REGIONS", ()))}
        settings = Settings.from_env({"MAESTRO_LIBCLOUD_ENDPOINT": server.url})
        provider = PROVIDERS[resource.provider]
        regions = adapter.plan(settings, connection, provider, credentials, None).regions
        items: list[dict[str, Any]] = []
        for region in regions:
            api = region if region == "global" else api_region(region)
            request = FetchRequest("recorded", provider, resource, credentials, api, {}, None, 1000)
            items.extend(adapter.fetch(settings, request).items)
        return items
    finally:
        adapter.drivers.clear()
        server.stop()


def recorded_pages(key: str) -> list[dict[str, Any]]:
    """The pages recorded for resource `key` as the api stage got them (enriched), in order."""
    paths = fixture_paths(RESOURCES[key])
    return [json.loads(path.read_text(), object_hook=restore_datetimes) for path in paths]


def raw_pages(key: str) -> list[dict[str, Any]]:
    """The provider's own list pages recorded for resource `key` (pages/<key>_<n>.json), in order."""
    paths = page_files(PAGES, key)
    if not paths:
        raise MissingFixtureError(
            f"no provider pages for {key} in {PAGES}: name it in its recorder's RAW and record it "
            f"with `python tools/record.py {key}`"
        )
    return [json.loads(path.read_text()) for path in paths]


def make_scope(**overrides: Any) -> dict[str, Any]:
    """A scope payload, as shared/scope.py `Scope.to_payload` makes it."""
    scope = {
        "connection_id": "65f000000000000000000001",
        "tenant_id": ObjectId("65f000000000000000000002"),
        "dc": "My AWS Account",
        "dc_id": ObjectId("65f000000000000000000003"),
        "provider": "AWS",
        "region": "us-east-1",
        "region_label": "us-east-1 (N. Virginia)",
        "account_id": "123456789012",
        "network": "vpc-0a1b2c3d4e5f60718",
        "roles": [
            {
                "_id": ObjectId("65f000000000000000000004"),
                "name": "Alice",
                "email": "alice@example.com",
                "refs": "users",
                "role": 7,
            }
        ],
    }
    scope.update(overrides)
    return scope


def application_documents(key: str, count: int | None = None) -> dict[str, dict[str, Any]]:
    """The documents of a resource's recorded items, by name: every item translates into a
    valid application of the resource's family and provider. There are `count` items, or at
    least two."""
    resource = RESOURCES[key]
    items = recorded_items(key)
    docs, rejected = translate(get_mapping(key), items, make_scope(account_id=ACCOUNT))
    assert rejected == []
    if count is None:
        assert len(docs) == len(items) >= 2
    else:
        assert len(docs) == len(items) == count
    for doc in docs:
        assert schema.validate("applications", doc) == []
        assert (doc["family"], doc["provider"], doc["own"]) == (resource.family, resource.app_provider, 1)
    return {doc["name"]: doc for doc in docs}


def tag_dict(doc: dict[str, Any]) -> dict[str, str | None]:
    """A document's tags as a dict (None: a tag without a value)."""
    return {tag["key"]: tag.get("value") for tag in doc["tags"]}


def raw_state(doc: dict[str, Any]) -> Any:
    """The provider's own state of a document: `state`, or `extra.state` on applications
    (Maestro keeps an application's `state` but refuses it)."""
    return doc["state"] if "state" in doc else (doc.get("extra") or {}).get("state")


def assert_states(
    key: str,
    item: dict[str, Any],
    field: str,
    expected: dict[str, tuple[str | None, bool]],
    with_state: bool = True,
) -> None:
    """`item` with each state in `field` translates to its (status, active) (and keeps the
    raw state in `state` unless `with_state` is false)."""
    mapping = get_mapping(key)
    for state, (status, active) in expected.items():
        docs, _ = translate(mapping, [{**item, field: state}], make_scope())
        if with_state:
            assert (docs[0]["status"], docs[0]["active"], raw_state(docs[0])) == (status, active, state)
        else:
            assert (docs[0]["status"], docs[0]["active"]) == (status, active)


def in_output_shape(path: str, shape: Any) -> bool:
    """Whether a source path ("A[].B.C", "Tags[Name]") exists in a botocore shape."""
    for segment in path.split("."):
        name, _, selector = segment.partition("[")
        members = getattr(shape, "members", {})
        if name not in members:
            return False
        shape = members[name]
        if selector:
            shape = shape.member
    return True
