"""Record the fixture pages of AWS resources: one command per resource.

    python tools/record.py aws.efs.file_systems [aws.efs.access_points ...]
    python tools/record.py --list

Writes `tests/fixtures/aws/<resource key>_<n>.json`, one file per page of the resource's
list call as the api stage gets it (through `services.api.providers.aws.fetch_page`: list
call, dropped keys, enrichers), in the call's response shape with the next page's token;
and, for the resources whose recorder names them in `RAW`, the provider's own responses,
tokens included, as `tests/fixtures/aws/pages/<resource key>_<n>.json` for the pagination
tests. Only the named resources' files are written; the others stay as they are.

The resource's recorder is `tools/recorders/<name>.py`, named after the mapping module that
declares the resource (`shared/mappings/<name>.py`), else that of the longest prefix of
<name> that has one (`aws_efs_access_points` is recorded with `aws_efs`'s seed): it seeds
moto's server, on loopback, with an account for its service(s); see
`tools/recorders/__init__.py` to write one. Every resource of that module is listed, in
the module's order, and only the named ones written.

Recording is deterministic, so recording a resource again changes nothing unless its
recorder, its mapping module or moto did: each mapping module is recorded in a process of
its own (fixed hash seed, no `MOTO_*` or AWS settings of the caller's); moto's random
generator, Python's `random` and `uuid4` (botocore's idempotency tokens) are seeded, so
ids come out the same; every timestamp taken while recording becomes one fixed time
(`recording.FIXED_TIME`); moto's opaque page tokens become `recorded-token-<n>`; and its
loopback URL (SQS queue URLs) shows as `MOTO_URL`.

Not recorded here, as they are not a resource's pages: Ansible facts
(`tools/record_ansible_facts.py`: the facts of the machine it runs on, an import fixture),
the examples AWS publishes that CloudSearch and DocumentDB pages are listed from
(tests/fixtures/aws/published/, each with its source), and the libcloud fixtures
(responses of the providers' documentation, kept as they came).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import json
import logging
import os
import pkgutil
import random
import subprocess
import sys
import tempfile
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from recording import (  # tools/recording.py
    ACCOUNT,
    FIXTURES,
    REGION,
    REGION_LABEL,
    Recorder,
    Window,
    fix_times,
    list_pages,
    list_raw_pages,
    load_recorder,
    recorder_module,
    rename_tokens,
    replace_text,
    write_pages,
)

MOTO_SEED = 20260101  # moto's random generator: the same ids on every recording
MOTO_URL = "http://127.0.0.1:5000"  # moto's endpoint as the fixtures show it (its default port)


def declared_resources() -> dict[str, tuple[str, Any]]:
    """Every AWS resource of the catalogue: key -> (declaring mapping module, Resource)."""
    from shared import mappings
    from shared.resource import AwsCall

    declared: dict[str, tuple[str, Any]] = {}
    for info in sorted(pkgutil.iter_modules(mappings.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{mappings.__name__}.{info.name}")
        for resource in getattr(module, "RESOURCES", ()):
            if isinstance(resource.call, AwsCall):
                declared[resource.key] = (info.name, resource)
    return declared


def isolate_environment() -> None:
    """The same environment for every recording: moto's defaults, test credentials, no AWS config.

    A `MOTO_*` setting of the caller's (the test suite sets some) would change what moto
    draws at random, and so every id.
    """
    for name in [name for name in os.environ if name.startswith(("MOTO_", "AWS_"))]:
        del os.environ[name]
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )


def draw_the_same() -> None:
    """Seed what draws at random besides moto's own generator, before moto is imported.

    Python's `random` (some moto services) and `uuid.uuid4` (others, and botocore's
    idempotency tokens, EC2's ClientToken) draw from seeded generators from now on.
    """
    random.seed(MOTO_SEED)
    draws = random.Random(MOTO_SEED)

    def uuid4() -> uuid.UUID:
        return uuid.UUID(int=draws.getrandbits(128), version=4)

    uuid.uuid4 = uuid4


@contextlib.contextmanager
def moto_server(recorder: Recorder) -> Iterator[str]:
    """moto's server on a loopback port, its random generator seeded; yields its URL."""
    draw_the_same()
    with tempfile.TemporaryDirectory() as folder:
        if recorder.amis:  # read when moto's EC2 models are imported: set it first
            amis = Path(folder) / "amis.json"
            amis.write_text(json.dumps(list(recorder.amis)))
            os.environ["MOTO_AMIS_PATH"] = str(amis)
        from moto.server import ThreadedMotoServer  # a recording-time tool, never a runtime one

        from services.embedded.servers import free_port

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log on the terminal
        port = free_port()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        try:
            endpoint = f"http://127.0.0.1:{port}"
            seed = urllib.request.Request(f"{endpoint}/moto-api/seed?a={MOTO_SEED}", method="POST")
            urllib.request.urlopen(seed, timeout=10).close()
            yield endpoint
        finally:
            server.stop()


Listing = list[dict[str, Any]]


def record_module(name: str, keys: list[str], out: Path) -> list[Path]:
    """Record `keys`, all declared by mapping module `name`; return the files written."""
    declared = declared_resources()
    recorder = load_recorder(name)
    if recorder is None:
        raise SystemExit(f"no recorder for {', '.join(keys)}: write tools/recorders/{name}.py")
    started = dt.datetime.now(dt.UTC)
    from_moto = [r for module, r in declared.values() if module == name and r.key not in recorder.published]
    listed, raw = record_moto(recorder, from_moto) if from_moto else ({}, {})
    listed.update(record_published(recorder, [declared[key][1] for key in keys if key in recorder.published]))
    window = Window(started, dt.datetime.now(dt.UTC))
    pages: dict[str, tuple[Listing, Listing]] = {}
    for key in keys:
        enriched, provided = (
            [fix_times(recorder.tidy(page) if recorder.tidy else page, window) for page in listing]
            for listing in rename_tokens(declared[key][1].call, listed[key], raw.get(key, []))
        )
        text = json.dumps([enriched, provided], default=str)
        leaked = [secret for secret in recorder.secrets if secret in text]
        if leaked:
            raise SystemExit(f"{key}: a secret would be recorded ({leaked[0]!r}); nothing written")
        pages[key] = enriched, provided
    written = []
    for key, (enriched, provided) in pages.items():
        written += write_pages(out, key, enriched)
        if key in raw:
            written += write_pages(out / "pages", key, provided)
    return written


def record_moto(recorder: Recorder, resources: list[Any]) -> tuple[dict[str, Listing], dict[str, Listing]]:
    """Seed moto and list every one of `resources` (in order: moto's draws stay the same
    whichever are written); their pages, and their provider's own (`RAW`) where asked."""
    import boto3

    if recorder.seed is None:
        raise SystemExit(f"tools/recorders/{recorder.name}.py has no seed(endpoint) for {resources[0].key}")
    listed: dict[str, Listing] = {}
    raw: dict[str, Listing] = {}
    with moto_server(recorder) as endpoint:

        def client_for(service: str) -> Any:
            return boto3.client(service, region_name=REGION, endpoint_url=endpoint)

        recorder.seed(endpoint)
        scope = {"region": REGION, "region_label": REGION_LABEL, "account_id": ACCOUNT}
        for resource in resources:
            size, split = recorder.size(resource.key), resource.key in recorder.split
            listed[resource.key] = list_pages(resource, client_for, size, scope, split)
        if recorder.before_raw is not None:
            recorder.before_raw(endpoint)
        for resource in resources:
            if resource.key in recorder.raw:
                client = client_for(resource.call.client)
                raw[resource.key] = list_raw_pages(resource, client, recorder.size(resource.key))
    shown = {key: replace_text(pages, endpoint, MOTO_URL) for key, pages in listed.items()}
    return shown, {key: replace_text(pages, endpoint, MOTO_URL) for key, pages in raw.items()}


def record_published(recorder: Recorder, resources: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """The pages of `resources` from the responses AWS publishes, replayed on loopback.

    moto serves neither CloudSearch nor DocumentDB: their list responses are the examples
    of AWS's documentation (tests/fixtures/aws/published/, each with its source).
    """
    if not resources:
        return {}
    import boto3

    from tests.support.aws_replay import ReplayServer, load

    server = ReplayServer(load())
    listed = {}
    try:
        for resource in resources:
            region, label = recorder.published[resource.key]

            def client_for(service: str, region: str = region) -> Any:
                return boto3.client(service, region_name=region, endpoint_url=server.url)

            scope = {"region": region, "region_label": label, "account_id": ACCOUNT}
            listed[resource.key] = list_pages(resource, client_for, recorder.size(resource.key), scope)
    finally:
        server.stop()
    return listed


def print_list() -> None:
    """Each recordable resource key and its recorder."""
    for key, (module, _) in sorted(declared_resources().items()):
        found = recorder_module(module)
        print(f"{key:45} tools/recorders/{found or module}.py{'' if found else '  (missing)'}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "keys", nargs="*", metavar="RESOURCE_KEY", help="a catalogue key, e.g. aws.efs.file_systems"
    )
    parser.add_argument("--list", action="store_true", help="list the resource keys and their recorders")
    parser.add_argument(
        "--out", type=Path, default=FIXTURES, help="the fixtures folder (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if args.list:
        print_list()
        return
    if not args.keys:
        parser.error("name at least one RESOURCE_KEY (--list shows them)")
    declared = declared_resources()
    unknown = [key for key in args.keys if key not in declared]
    if unknown:
        parser.error(f"not an AWS resource of the catalogue: {', '.join(unknown)} (--list shows them)")
    modules: dict[str, list[str]] = {}
    for key in dict.fromkeys(args.keys):
        modules.setdefault(declared[key][0], []).append(key)
    if len(modules) == 1 and os.environ.get("PYTHONHASHSEED") == "0":
        isolate_environment()
        ((name, keys),) = modules.items()
        for path in record_module(name, keys, args.out):
            print(f"{path} ({path.stat().st_size} bytes)")
        return
    for keys in modules.values():  # one process per module: moto's state and hash order start afresh
        command = [sys.executable, __file__, *keys, "--out", str(args.out)]
        if subprocess.run(command, env={**os.environ, "PYTHONHASHSEED": "0"}).returncode:
            raise SystemExit(f"recording {', '.join(keys)} failed")


if __name__ == "__main__":
    main()
