"""Benchmark: the CPU one Audit call costs the calling thread, by HTTP client.

Sends `--calls` PUTs of an Audit-sized body to the embedded Audit receiver on loopback
(services/embedded/receivers.py, in this process, on its own threads) through notify's
client (`shared.apps_http.AppsClient`, http.client over a keep-alive pool) and through a
urllib3 PoolManager configured as notify's client was before (no retries, no redirects),
alternately, `--rounds` times. It prints the calling thread's CPU per call
(`time.thread_time`: the receiver's threads are not counted) for each, and their medians.

    python bench/apps_http.py [--calls 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import urllib3  # noqa: E402

from services.embedded.receivers import Receiver  # noqa: E402
from shared.apps_http import AppsClient  # noqa: E402

# About the size of a server document's Audit body.
TAGS = [{"Key": f"k{i}", "Value": "v" * 20} for i in range(20)]
BODY = json.dumps({"name": "web-1", "tags": TAGS}).encode()
HEADERS = {"Authorization": "JWT token", "Content-Type": "application/json"}


def cpu_ms_per_call(call: Callable[[], object], calls: int) -> float:
    for _ in range(100):  # connections open, code warm
        call()
    start = time.thread_time()
    for _ in range(calls):
        call()
    return (time.thread_time() - start) / calls * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    receiver = Receiver(status=201)
    url = f"{receiver.url}/audit/servers/5f0c1e0b9d3e4a0001a1b2c3"
    ours = AppsClient()
    pool = urllib3.PoolManager(num_pools=4, maxsize=32, retries=False)

    def with_ours() -> object:
        return ours.request("PUT", url, body=BODY, headers=HEADERS, timeout=10).status

    def with_urllib3() -> object:
        return pool.request("PUT", url, body=BODY, headers=HEADERS, timeout=10, redirect=False).status

    figures: dict[str, list[float]] = {"apps_http (http.client)": [], "urllib3 PoolManager": []}
    try:
        for round_no in range(1, args.rounds + 1):
            a = cpu_ms_per_call(with_ours, args.calls)
            b = cpu_ms_per_call(with_urllib3, args.calls)
            figures["apps_http (http.client)"].append(a)
            figures["urllib3 PoolManager"].append(b)
            print(f"round {round_no}: apps_http {a:.3f} ms a call, urllib3 {b:.3f} ms a call")
    finally:
        receiver.stop()
    print(f"\nCPU of the calling thread per Audit call ({args.calls} calls, median of {args.rounds}):")
    for name, values in figures.items():
        print(f"  {name:26} {statistics.median(values):.3f} ms")


if __name__ == "__main__":
    main()
