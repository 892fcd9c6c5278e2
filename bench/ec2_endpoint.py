"""A fast simulated EC2 endpoint serving `DescribeInstances` pages of generated instances.

moto answers about a hundred instances per second, so a benchmark against it measures
moto. This endpoint answers in EC2's own XML (the item is a recorded moto response with
its identifiers varied), so the api stage runs real boto3 parsing and paging against it,
at a speed where the pipeline, not the simulator, is what is measured.
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

_ITEM = (
    "<item><reservationId>r-{rid}</reservationId><ownerId>123456789012</ownerId><groupSet/>"
    "<instancesSet><item><architecture>x86_64</architecture><blockDeviceMapping><item>"
    "<deviceName>/dev/sda1</deviceName><ebs><attachTime>2026-11-28T16:52:15.000Z</attachTime>"
    "<deleteOnTermination>true</deleteOnTermination><status>attached</status>"
    "<volumeId>vol-{rid}</volumeId></ebs></item></blockDeviceMapping>"
    "<clientToken>c636aef8-be3a-4103-ab1b-ec7c051f24b9</clientToken><ebsOptimized>false</ebsOptimized>"
    "<hypervisor>xen</hypervisor><rootDeviceName>/dev/sda1</rootDeviceName>"
    "<rootDeviceType>ebs</rootDeviceType><groupSet><item><groupId>sg-0fd0e5d2080801d12</groupId>"
    "<groupName>default</groupName></item></groupSet><sourceDestCheck>true</sourceDestCheck>"
    "<tagSet><item><key>Name</key><value>{role}-{region}-{n}</value></item><item><key>Role</key>"
    "<value>{role}</value></item><item><key>Environment</key><value>production</value></item>"
    "<item><key>team</key><value>platform</value></item></tagSet>"
    "<virtualizationType>hvm</virtualizationType><instanceId>i-{rid}</instanceId>"
    "<imageId>ami-0c55b159cbfafe1f0</imageId><instanceState><code>16</code><name>running</name>"
    "</instanceState><privateDnsName>ip-10-{a}-{b}-{c}.ec2.internal</privateDnsName>"
    "<dnsName>ec2-54-{a}-{b}-{c}.compute-1.amazonaws.com</dnsName><reason/>"
    "<keyName>ops-{region}</keyName><amiLaunchIndex>0</amiLaunchIndex><productCodes/>"
    "<instanceType>{itype}</instanceType><launchTime>2026-11-28T16:52:15.000Z</launchTime>"
    "<placement><groupName/><tenancy>default</tenancy><availabilityZone>{region}a</availabilityZone>"
    "</placement><monitoring><state>disabled</state></monitoring>"
    "<subnetId>subnet-43d9d787951362fb6</subnetId><vpcId>vpc-96717151969099e59</vpcId>"
    "<privateIpAddress>10.{a}.{b}.{c}</privateIpAddress><ipAddress>54.{a}.{b}.{c}</ipAddress></item>"
    "</instancesSet></item>"
)
_TYPES = ("t3.micro", "t3.medium", "m5.large", "c5.xlarge", "r5.large")
_ROLES = ("web", "api", "worker", "db")
_REGION = re.compile(r"Credential=[^/]+/\d+/([^/]+)/")


def _item(region: str, region_index: int, n: int) -> str:
    return _ITEM.format(
        rid=f"{region_index:02x}{n:015x}",
        region=region,
        n=n,
        role=_ROLES[n % len(_ROLES)],
        itype=_TYPES[n % len(_TYPES)],
        a=region_index,
        b=(n // 256) % 256,
        c=n % 256,
    )


class SimulatedEC2:
    """`DescribeInstances` over `per_region` instances in each region, one reservation each."""

    def __init__(self, regions: list[str], per_region: int) -> None:
        self.regions = {region: i + 1 for i, region in enumerate(regions)}
        self.per_region = per_region
        self.requests = 0
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                match = _REGION.search(self.headers.get("Authorization", ""))
                region = match.group(1) if match else "us-east-1"
                body = endpoint.page(region, form).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def page(self, region: str, form: dict[str, list[str]]) -> str:
        self.requests += 1
        index = self.regions.get(region)
        start = int(form.get("NextToken", ["0"])[0])
        size = int(form.get("MaxResults", ["1000"])[0])
        end = min(start + size, self.per_region) if index else 0
        items = "".join(_item(region, index, n) for n in range(start, end)) if index else ""
        token = f"<nextToken>{end}</nextToken>" if index and end < self.per_region else ""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
            f"<requestId>bench</requestId><reservationSet>{items}</reservationSet>{token}"
            "</DescribeInstancesResponse>"
        )

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
