"""Regenerate shared/data/ec2_instance_types.json: {instance type: [vCPUs, memory MiB]}.

Where the figures come from: moto ships AWS's own `DescribeInstanceTypes` output as
`moto/ec2/resources/instance_types.json.gz` (one entry per type, refreshed by moto's
maintainers from the live API). We keep two figures per type, `VCpuInfo.DefaultVCpus`
and `MemoryInfo.SizeInMiB`, in a compact JSON the product reads at runtime; moto itself is
only needed to run this script (it is a demo/test dependency, never a runtime one).

Run after upgrading moto: `.venv/bin/python tools/generate_instance_types.py`
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "shared" / "data" / "ec2_instance_types.json"


def moto_source() -> Path:
    """The instance type catalogue bundled with the installed moto."""
    import moto  # a generation-time tool, never a runtime one

    return Path(moto.__file__).parent / "ec2" / "resources" / "instance_types.json.gz"


def compact(described: dict[str, Any]) -> dict[str, list[int]]:
    """DescribeInstanceTypes entries -> {type: [DefaultVCpus, SizeInMiB]}, sorted by type."""
    catalogue = {}
    for name, info in sorted(described.items()):
        vcpus = info["VCpuInfo"]["DefaultVCpus"]
        memory = info["MemoryInfo"]["SizeInMiB"]
        if not (isinstance(vcpus, int) and isinstance(memory, int) and vcpus > 0 and memory > 0):
            raise ValueError(f"{name}: unexpected figures vcpus={vcpus!r} memory={memory!r}")
        catalogue[name] = [vcpus, memory]
    return catalogue


def main() -> None:
    """Read moto's catalogue and write the compact one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None, help="instance_types.json(.gz)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    source: Path = args.source or moto_source()
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8") as handle:
        catalogue = compact(json.load(handle))
    lines = [f"{json.dumps(name)}:{json.dumps(figures)}" for name, figures in catalogue.items()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"{args.out}: {len(catalogue)} instance types from {source}")


if __name__ == "__main__":
    main()
