"""What recording shares: the recorder modules, listing a resource's pages, and writing them.

A recorder (`tools/recorders/<mapping module>.py`, see `recorders/__init__.py`) seeds moto;
`list_pages` lists one resource through the api stage's own `fetch_page` (list call,
dropped keys, enrichers) and `list_raw_pages` the provider's own responses; `fix_times`
and `rename_tokens` make what changes from one recording to the next the same each time;
`write_pages` writes `<resource key>_<n>.json`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "fixtures" / "aws"
REGION = "us-east-1"
REGION_LABEL = "us-east-1 (N. Virginia)"
ACCOUNT = "123456789012"  # moto's default account
SPLIT_TOKEN = "recorded-split-page-2"  # the next-page token of a page split by the recorder
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # every timestamp the recording made
_EPOCH = re.compile(r"\d{9,10}(\.\d+)?")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})([T ])(\d{2}):(\d{2}):(\d{2})(\.\d+)?")


def isoformat(value: Any) -> str:
    """JSON `default=` for recorded responses: datetimes as ISO 8601 strings."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def kms_key(prefix: str = "0b0b0b0b") -> str:
    """The ARN of a KMS key of the recording account (moto doesn't check that it exists)."""
    return f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{prefix}-1111-2222-3333-444444444444"


def clients(endpoint: str) -> Callable[[str], Any]:
    """A boto3 client on moto's `endpoint`, in the recording region, by service name."""
    import boto3

    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint)

    return client


def network(ec2: Any, group: str, subnets: bool = True) -> tuple[str, list[str], str]:
    """A VPC (10.3.0.0/16), with two subnets (zones a and b) unless `subnets` is false, and
    the security group named `group`: their ids."""
    vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    made = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.3.{n}.0/24", AvailabilityZone=f"{REGION}{zone}")[
            "Subnet"
        ]["SubnetId"]
        for n, zone in (((1, "a"), (2, "b")) if subnets else ())
    ]
    group_id = ec2.create_security_group(GroupName=group, Description=group, VpcId=vpc)["GroupId"]
    return vpc, made, group_id


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


@dataclass(frozen=True)
class Recorder:
    """A recorder module's declarations (the defaults stand for what it leaves out)."""

    name: str
    seed: Callable[[str], None] | None = None
    page_size: int = 2
    page_sizes: Mapping[str, int] = field(default_factory=dict)
    raw: frozenset[str] = frozenset()
    split: frozenset[str] = frozenset()
    published: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    amis: tuple[dict[str, Any], ...] = ()
    before_raw: Callable[[str], None] | None = None
    tidy: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    def size(self, key: str) -> int:
        return self.page_sizes.get(key, self.page_size)


def recorder_module(name: str) -> str | None:
    """The recorder of mapping module `name`: tools/recorders/<name>.py, else that of the
    longest prefix of `name` with one (`aws_efs_access_points` -> `aws_efs`: a module named
    after another's service shares its seed); None if none has one."""
    parts = name.split("_")
    for end in range(len(parts), 0, -1):
        candidate = "_".join(parts[:end])
        if (ROOT / "tools" / "recorders" / f"{candidate}.py").is_file():
            return candidate
    return None


def load_recorder(name: str) -> Recorder | None:
    """The recorder of mapping module `name` (`recorder_module`), None if it has none."""
    found = recorder_module(name)
    if found is None:
        return None
    sys.path.insert(0, str(ROOT / "tools"))
    module: ModuleType = importlib.import_module(f"recorders.{found}")
    return Recorder(
        name=found,
        seed=getattr(module, "seed", None),
        page_size=getattr(module, "PAGE_SIZE", 2),
        page_sizes=getattr(module, "PAGE_SIZES", {}),
        raw=frozenset(getattr(module, "RAW", ())),
        split=frozenset(getattr(module, "SPLIT", ())),
        published=getattr(module, "PUBLISHED", {}),
        secrets=tuple(getattr(module, "SECRETS", ())),
        amis=tuple(getattr(module, "AMIS", ())),
        before_raw=getattr(module, "before_raw", None),
        tidy=getattr(module, "tidy", None),
    )


class _Capture:
    """A boto3 client that keeps a copy of the responses of one operation."""

    def __init__(self, client: Any, operation: str, into: list[dict[str, Any]]) -> None:
        self._client, self._operation, self._into = client, operation, into

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)
        if name != self._operation:
            return method

        def call(**params: Any) -> Any:
            response = method(**params)
            kept = {k: v for k, v in response.items() if k != "ResponseMetadata"}
            self._into.append(json.loads(json.dumps(kept, default=_keep_datetime), object_hook=_datetimes))
            return response

        return call


def _keep_datetime(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _datetimes(obj: dict[str, Any]) -> Any:
    return dt.datetime.fromisoformat(obj["__datetime__"]) if set(obj) == {"__datetime__"} else obj


def list_pages(
    resource: Any,
    client_for: Callable[[str], Any],
    page_size: int,
    scope: Mapping[str, Any],
    split: bool = False,
) -> list[dict[str, Any]]:
    """Every page of `resource` as the api stage gets it, each in the list call's response shape.

    Pages hold the items `fetch_page` returns (after dropped keys and enrichers) under the
    result key, with the next page's token; a call whose items are children of its result
    items (EC2's reservations) is written as the provider answered it. With `split`, one
    page of two items or more (moto ignores the page size of most EC2 calls) becomes two,
    split at the middle, the first marked with `SPLIT_TOKEN`: the shape EC2 pages in.
    """
    from services.api.providers.aws import fetch_page
    from shared import aws_calls

    call = resource.call
    paging = aws_calls.pagination(call)
    pages: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        responses: list[dict[str, Any]] = []

        def capturing(service: str, responses: list[dict[str, Any]] = responses) -> Any:
            client = client_for(service)
            return _Capture(client, call.operation, responses) if service == call.client else client

        page = fetch_page(resource, capturing, cursor, page_size, scope)
        if call.children:  # children can't be nested back under their parents
            pages.append(responses[0])
        elif split and cursor is None and page.next_cursor is None and len(page.items) >= 2:
            half = (len(page.items) + 1) // 2
            first = nest(paging.result_key, page.items[:half])
            first[paging.output_tokens[0]] = SPLIT_TOKEN
            return [first, nest(paging.result_key, page.items[half:])]
        else:
            body = nest(paging.result_key, page.items)
            if page.next_cursor is not None and len(paging.output_tokens) == 1:
                body[paging.output_tokens[0]] = page.next_cursor
            pages.append(body)
        cursor = page.next_cursor
        if cursor is None:
            return pages


def list_raw_pages(resource: Any, client: Any, page_size: int) -> list[dict[str, Any]]:
    """The provider's own responses to the resource's list call, tokens included, page by page."""
    from shared import aws_calls

    call = resource.call
    pages = []
    cursor: str | None = None
    while True:
        response = getattr(client, call.operation)(**aws_calls.request_params(call, cursor, page_size))
        response.pop("ResponseMetadata", None)
        pages.append(response)
        cursor = aws_calls.next_cursor(call, response)
        if cursor is None:
            return pages


@dataclass(frozen=True)
class Window:
    """When a recording ran: a timestamp of that time is the recording's own, not data.

    A date (a datetime, an ISO string) may lie up to 30 years ahead: expiry dates moto
    sets; an epoch number only within a day of the recording, lest a size be taken for one.
    """

    start: dt.datetime
    end: dt.datetime

    def __contains__(self, moment: dt.datetime) -> bool:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return self.start - dt.timedelta(days=1) <= moment <= self.end + dt.timedelta(days=366 * 30)

    def holds_epoch(self, seconds: float) -> bool:
        day = 86400
        return self.start.timestamp() - day <= seconds <= self.end.timestamp() + day


def fix_times(value: Any, window: Window) -> Any:
    """`value` with every timestamp taken during the recording replaced by `FIXED_TIME`.

    Datetimes, ISO-8601 strings (alone or inside a longer string, in the same format) and
    epoch seconds or milliseconds (in the same type) alike; other values as they are.
    """
    if isinstance(value, dict):
        return {key: fix_times(item, window) for key, item in value.items()}
    if isinstance(value, list):
        return [fix_times(item, window) for item in value]
    if isinstance(value, dt.datetime):
        fixed = FIXED_TIME if value.tzinfo else FIXED_TIME.replace(tzinfo=None)
        return fixed if value in window else value
    if isinstance(value, str):
        if _EPOCH.fullmatch(value) and window.holds_epoch(float(value)):  # SQS's attributes
            return str(FIXED_TIME.timestamp() if "." in value else int(FIXED_TIME.timestamp()))
        return _ISO.sub(lambda match: _fixed_iso(match, window), value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        for scale in (1, 1000):
            if window.holds_epoch(value / scale):
                return type(value)(FIXED_TIME.timestamp() * scale)
    return value


def _fixed_iso(match: re.Match[str], window: Window) -> str:
    year, month, day, sep, hour, minute, second, fraction = match.groups()
    try:
        moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return match.group(0)
    if moment not in window:
        return match.group(0)
    fixed = FIXED_TIME.strftime(f"%Y-%m-%d{sep}%H:%M:%S")
    return fixed + ("." + "0" * (len(fraction) - 1) if fraction else "")


def rename_tokens(call: Any, *listings: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The listings with each opaque page token (under the call's token names) named by its order.

    moto's opaque tokens hash what they point at, timestamps or object ids included: each
    distinct one becomes `recorded-token-<n>` wherever it stands (a next page's token, its
    echo). A token that is data (DynamoDB's last table name) stays as it is.
    """
    from shared import aws_calls

    paging = aws_calls.pagination(call)
    names = {
        part for expr in (*paging.input_tokens, *paging.output_tokens) for part in (expr, expr.split(".")[-1])
    }
    data: set[str] = set()

    def collect(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                collect(item, name)
        elif isinstance(value, list):
            for item in value:
                collect(item, key)
        elif isinstance(value, str) and key not in names:
            data.add(value)

    collect(list(listings))
    renamed: dict[str, str] = {}

    def walk(value: Any) -> Any:
        if isinstance(value, list):
            return [walk(item) for item in value]
        if not isinstance(value, dict):
            return value
        return {
            key: renamed.setdefault(item, f"recorded-token-{len(renamed) + 1}")
            if key in names and isinstance(item, str) and item not in data and item != SPLIT_TOKEN
            else walk(item)
            for key, item in value.items()
        }

    return [[walk(page) for page in listing] for listing in listings]


def replace_text(value: Any, old: str, new: str) -> Any:
    """`value` with `old` replaced by `new` in every string (moto's URL in its queue URLs)."""
    if isinstance(value, dict):
        return {key: replace_text(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [replace_text(item, old, new) for item in value]
    return value.replace(old, new) if isinstance(value, str) else value


def write_pages(out: Path, key: str, pages: list[dict[str, Any]]) -> list[Path]:
    """Write `<key>_<n>.json` for each page (the old pages of `key` removed first)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in fixture_files(out, key):
        old.unlink()
    return [write_json(out / f"{key}_{number}.json", page) for number, page in enumerate(pages, 1)]


def fixture_files(folder: Path, key: str) -> list[Path]:
    """The recorded pages of `key` in `folder` (`<key>_<n>.json`), in page order."""
    pattern = re.compile(re.escape(key) + r"_(\d+)\.json")
    found = [(int(m.group(1)), p) for p in folder.glob(f"{key}_*.json") if (m := pattern.fullmatch(p.name))]
    return [path for _, path in sorted(found)]
