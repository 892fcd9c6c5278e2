"""Peak memory of reading a 4-5 MB import file of each format, as the upload check and an import do.

    PYTHONPATH=. python bench/imports.py [--mb 4.5]

For each format (Maestro JSON, Maestro CSV, Ansible facts, Terraform state) it builds a
file of about `--mb` megabytes from the example files, then, in a fresh process each:
* `check`: what `POST /v1/uploads?format=` does with the body (`importers.check`; a tree
  without it parses the whole file, `importers.parse`);
* `import`: what the workers do with the file: read every item, page by page
  (`shared.importers.spool.Spool`; a tree without it parses the whole file once, as its cache kept it).
It prints the file's size, the peak resident memory the step added and that as a multiple
of the file's size.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "imports"
PAGE = 200


def _grow(make: Any, target: int) -> bytes:
    """The bytes `make(n)` gives for the smallest n (doubling, then stepping) reaching `target`."""
    n = 1
    while len(make(n)) < target:
        n *= 2
    low, high = n // 2, n
    while low + 1 < high:
        mid = (low + high) // 2
        if len(make(mid)) < target:
            low = mid
        else:
            high = mid
    data: bytes = make(high)
    return data


def maestro_json(target: int) -> bytes:
    base = json.loads((EXAMPLES / "file" / "estate.json").read_text())["servers"]

    def make(n: int) -> bytes:
        servers = []
        for i in range(n):
            item = copy.deepcopy(base[i % len(base)])
            item["name"] = f"host-{i}"
            item["unique_id"] = f"bench-{i}"
            servers.append(item)
        return json.dumps({"version": 1, "servers": servers}, indent=1).encode()

    return _grow(make, target)


def maestro_csv(target: int) -> bytes:
    header, *rows = (EXAMPLES / "file" / "servers.csv").read_text().splitlines()

    def make(n: int) -> bytes:
        lines = [header]
        for i in range(n):
            row = rows[i % len(rows)]
            lines.append(f"host-{i}" + row[row.index(",") :])
        return ("\n".join(lines) + "\n").encode()

    return _grow(make, target)


def ansible(target: int) -> bytes:
    facts = json.loads((EXAMPLES / "ansible" / "vm.json").read_text())
    mount = facts["ansible_facts"]["ansible_mounts"][0]

    def make(n: int) -> bytes:
        grown = copy.deepcopy(facts)
        grown["ansible_facts"]["ansible_mounts"] = [{**mount, "mount": f"/srv/data{i}"} for i in range(n)]
        return json.dumps(grown, indent=1).encode()

    return _grow(make, target)


def terraform(target: int) -> bytes:
    state = json.loads((EXAMPLES / "terraform" / "terraform.tfstate").read_text())
    managed = [r for r in state["resources"] if r.get("mode", "managed") == "managed"]

    def make(n: int) -> bytes:
        resources = []
        for i in range(n):
            resource_ = copy.deepcopy(managed[i % len(managed)])
            resource_["name"] = f"{resource_['name']}_{i}"
            resources.append(resource_)
        return json.dumps({**state, "resources": resources}, indent=1).encode()

    return _grow(make, target)


def dense_json(target: int) -> bytes:
    """The worst case for memory: many tiny items (a name each), no blanks."""
    return _grow(
        lambda n: json.dumps(
            {"servers": [{"name": f"h{i}"} for i in range(n)]}, separators=(",", ":")
        ).encode(),
        target,
    )


def dense_csv(target: int) -> bytes:
    return _grow(lambda n: ("name\n" + "".join(f"h{i}\n" for i in range(n))).encode(), target)


FILES = {
    "maestro-json": ("maestro", "estate.json", maestro_json),
    "dense-json": ("maestro", "estate.json", dense_json),
    "maestro-csv": ("maestro", "servers.csv", maestro_csv),
    "dense-csv": ("maestro", "servers.csv", dense_csv),
    "ansible": ("ansible", "host.json", ansible),
    "terraform": ("terraform", "terraform.tfstate", terraform),
}


def _status_mib(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Start the peak (VmHWM) afresh at the current resident size (Linux's clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def measure(path: str, format: str, name: str, step: str) -> None:
    """In this process: the peak memory `step` adds over the file's bytes (printed as JSON)."""
    from shared import importers

    data = Path(path).read_bytes()
    # The dense files hold more items than MAESTRO_IMPORT_MAX_ROWS allows: lifted, to measure.
    extra = [importers.Limits(max_rows=10_000_000)] if hasattr(importers, "Limits") else []
    before = _status_mib("VmRSS")
    _reset_peak()
    items = 0
    if step == "check":
        check = getattr(importers, "check", None)
        if check is not None:
            items = check(format, data, name, *extra)
        else:
            items = sum(len(v) for v in importers.parse(format, data, name).values())
    else:
        try:
            spool_class = importlib.import_module("shared.importers.spool").Spool
        except ModuleNotFoundError:
            spool_class = None
        if spool_class is not None:
            with spool_class(format, data, name, *extra) as spool:
                for operation in spool.operations():
                    for offset in range(0, spool.count(operation), PAGE):
                        items += len(spool.page(operation, offset, PAGE))
        else:
            parsed = importers.parse(format, data, name)
            items = sum(
                len(parsed[op][o : o + PAGE]) for op in parsed for o in range(0, len(parsed[op]), PAGE)
            )
    print(json.dumps({"added_mib": _status_mib("VmHWM") - before, "items": items}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.5, help="size of each file (MB)")
    parser.add_argument(
        "--measure", nargs=4, metavar=("PATH", "FORMAT", "NAME", "STEP"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    import tempfile

    print(f"{'file':<14}{'MB':>6}  {'step':<7}{'items':>7}{'peak +MiB':>11}{'x size':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, (format, name, build) in FILES.items():
            data = build(int(args.mb * 1_000_000))
            path = Path(tmp) / name
            path.write_bytes(data)
            for step in ("check", "import"):
                out = subprocess.run(
                    [sys.executable, __file__, "--measure", str(path), format, name, step],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if out.returncode != 0:
                    print(
                        f"{label:<14}{len(data) / 1e6:>6.1f}  {step:<7} failed: {out.stderr.strip()[-300:]}"
                    )
                    continue
                result = json.loads(out.stdout.strip().splitlines()[-1])
                added = result["added_mib"]
                ratio = added * 1024 * 1024 / len(data)
                size = f"{label:<14}{len(data) / 1e6:>6.1f}"
                print(f"{size}  {step:<7}{result['items']:>7}{added:>11.0f}{ratio:>8.0f}")


if __name__ == "__main__":
    main()
