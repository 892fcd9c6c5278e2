"""Record real Ansible facts of this machine as import fixtures (tests/fixtures/imports/ansible).

    pip install ansible-core
    python tools/record_ansible_facts.py

Runs `ansible localhost -c local -m setup --tree <tmp>` (exactly what an operator runs
against their hosts, one file per host) and writes the file as `localhost.json`, without
`ansible_env`: environment variables may hold secrets and the importer never reads them.

`--ec2-instance-id i-...` also writes `localhost-ec2-nitro.json`: the same facts with the
DMI values an EC2 Nitro instance reports (`ansible_system_vendor` "Amazon EC2",
`ansible_product_name` its instance type, `ansible_board_asset_tag` its instance id, as
AWS documents for /sys/devices/virtual/dmi/id), for the meeting-records tests; nothing
else is changed.

These are the facts of one machine, an import fixture, not a resource's list pages: the
AWS pages are recorded per resource by tools/record.py.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "imports" / "ansible"


def gather() -> dict[str, object]:
    ansible = shutil.which("ansible") or str(Path(sys.executable).with_name("ansible"))
    with tempfile.TemporaryDirectory() as tree:
        subprocess.run(
            [ansible, "localhost", "-c", "local", "-m", "setup", "--tree", tree],
            check=True,
            capture_output=True,
            timeout=300,
        )
        document = json.loads((Path(tree) / "localhost").read_text("utf-8"))
    facts = document["ansible_facts"]
    facts.pop("ansible_env", None)
    return dict(document)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ec2-instance-id", help="also write the EC2 Nitro variant with this instance id")
    parser.add_argument("--ec2-instance-type", default="t3.micro")
    args = parser.parse_args()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    document = gather()
    (FIXTURES / "localhost.json").write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    if args.ec2_instance_id:
        facts = dict(document["ansible_facts"])  # type: ignore[call-overload]
        facts.update(
            ansible_system_vendor="Amazon EC2",
            ansible_product_name=args.ec2_instance_type,
            ansible_board_asset_tag=args.ec2_instance_id,
            ansible_board_vendor="Amazon EC2",
        )
        variant = {**document, "ansible_facts": facts}
        (FIXTURES / "localhost-ec2-nitro.json").write_text(
            json.dumps(variant, indent=1, sort_keys=True) + "\n"
        )
    print(f"wrote {FIXTURES}")


if __name__ == "__main__":
    main()
