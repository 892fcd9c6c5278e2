"""An OpenStack cloud on the replay server: Keystone v3 and the services of its catalog.

The recorded Keystone v3 token (libcloud's `_v3__auth.json`) has one region and no
service names, and its endpoints point at hosts that don't exist. Keystone answers here
with that recording as a real Keystone would for this cloud: each service named (nova,
glance, ...), its endpoints repeated for every region of the cloud and pointed at the
replay server under `/<region>/<service type>`, the token issued now. The recording has
no load balancer service: Octavia's (`load-balancer`, named octavia, its endpoint the
service root as the Octavia API reference shows it) is added in the regions that offer it.
Every listing is a recorded response (tests/fixtures/libcloud/openstack, see its README)
served per region.

`routes(replay)` serves the recorded cloud of two regions (`REGIONS`: the second one's
servers are the API reference's example); `credentials_of(replay)` is the connection
that reaches its Keystone.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.support.replay import ReplayServer, Request, Route

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "libcloud" / "openstack"
USERNAME = "maestro-reader"
PASSWORD = "os-test-secret-9f3c1e7a"
PROJECT = "9c4693dce56b493b9b83197d900f7fba"  # the project of the recorded token
DOMAIN = "default"
TOKEN = "gAAAAAB-replayed-token"
REGIONS = ("regionOne", "regionTwo")
SECOND_REGION_SERVERS = "servers_detail_api_ref.json"  # see tests/fixtures/libcloud/openstack
# Service names as a default deployment (devstack, kolla) registers them.
SERVICE_NAMES = {
    "compute": "nova",
    "volume": "cinder",
    "volumev2": "cinderv2",
    "network": "neutron",
    "identity": "keystone",
    "image": "glance",
}

# The listing of each OpenStack resource: (service type, path after the endpoint, fixture).
LISTINGS: dict[str, tuple[str, str, str]] = {
    "servers": ("compute", "/servers/detail", "_servers_detail.json"),
    "flavors": ("compute", "/flavors/detail", "_flavors_detail.json"),
    "volumes": ("volumev2", "/volumes/detail", "_v2_0__volumes.json"),
    "security_groups": ("network", "/v2.0/security-groups", "_v2_0__security_groups.json"),
    "networks": ("network", "/v2.0/networks", "_v2_0__networks.json"),
    "subnets": ("network", "/v2.0/subnets", "_v2_0__subnets.json"),
    "ports": ("network", "/v2.0/ports", "_ports_v2.json"),
    "routers": ("network", "/v2.0/routers", "_v2_0__routers.json"),
    "floating_ips": ("network", "/v2.0/floatingips", "_v2_0__floatingips.json"),
}


def fixture(name: str) -> Path:
    return FIXTURES / name


def load(name: str) -> Any:
    return json.loads(fixture(name).read_text())


def credentials_of(replay: ReplayServer, password: str = PASSWORD) -> dict[str, str]:
    """What Maestro stores for an OpenStack connection: the secret part and the plain fields."""
    return {
        "username": USERNAME,
        "password": password,
        "url": f"{replay.url}/v3",
        "project": PROJECT,
        "user_domain_id": DOMAIN,
        "api_version": "2",
    }


def endpoint_prefix(region: str, service_type: str) -> str:
    return f"/{region}/{service_type}"


class OpenStackCloud:
    """The replay routes of one OpenStack cloud with `regions`."""

    def __init__(
        self,
        replay: ReplayServer,
        regions: Sequence[str] = ("regionOne",),
        load_balancer_regions: Sequence[str] | None = None,
    ) -> None:
        self.replay = replay
        self.regions = list(regions)
        # Regions whose catalog has Octavia (all of them unless told).
        self.load_balancer_regions = (
            self.regions if load_balancer_regions is None else list(load_balancer_regions)
        )
        self.auth = replay.route("POST", "/v3/auth/tokens", responder=self._token)
        self.catalog = self._catalog()
        self.routes: dict[tuple[str, str], Route] = {}

    # --- Keystone -----------------------------------------------------------------------

    def _catalog(self) -> list[dict[str, Any]]:
        recorded = load("_v3__auth.json")["token"]["catalog"]
        catalog = []
        for service in recorded:
            entry = {**service, "name": SERVICE_NAMES[service["type"]], "endpoints": []}
            for region in self.regions:
                for endpoint in service["endpoints"]:
                    path = urlsplit(endpoint["url"]).path
                    url = f"{self.replay.url}{endpoint_prefix(region, service['type'])}{path}"
                    entry["endpoints"].append(
                        {**endpoint, "region": region, "id": f"{endpoint['id']}-{region}", "url": url}
                    )
            catalog.append(entry)
        if self.load_balancer_regions:
            recorded_id = recorded[0]["endpoints"][0]["id"]
            catalog.append(
                {
                    "type": "load-balancer",
                    "name": "octavia",
                    "id": "1209701aecd3453e9803119cd28cb013",
                    "endpoints": [
                        {
                            "id": f"{recorded_id}-octavia-{region}",
                            "interface": "public",
                            "region": region,
                            "region_id": region,
                            "url": f"{self.replay.url}{endpoint_prefix(region, 'load-balancer')}/",
                        }
                        for region in self.load_balancer_regions
                    ],
                }
            )
        return catalog

    def _token(self, request: Request) -> tuple[int, Any, Mapping[str, str]]:
        body = json.loads(request.body or b"{}")
        identity = body.get("auth", {}).get("identity", {}).get("password", {}).get("user", {})
        scope = body.get("auth", {}).get("scope", {}).get("project", {})
        if (
            identity.get("name") != USERNAME
            or identity.get("password") != PASSWORD
            or identity.get("domain", {}).get("id") != DOMAIN
            or scope.get("id") != PROJECT
        ):
            return 401, fixture("_v3__auth_unauthorized.json"), {}
        token = copy.deepcopy(load("_v3__auth.json"))
        now = dt.datetime.now(dt.UTC)
        token["token"]["issued_at"] = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        token["token"]["expires_at"] = (now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        token["token"]["catalog"] = self.catalog
        return 201, token, {"X-Subject-Token": TOKEN}

    # --- services -----------------------------------------------------------------------

    def service_path(self, region: str, service_type: str) -> str:
        """The path part of the region's public endpoint of `service_type`."""
        for entry in self.catalog:
            if entry["type"] == service_type:
                for endpoint in entry["endpoints"]:
                    if endpoint["region"] == region and endpoint["interface"] == "public":
                        return urlsplit(endpoint["url"]).path
        raise KeyError(f"no {service_type} endpoint in {region}")

    def serve(self, region: str, what: str, body: Any = None, status: int = 200, **options: Any) -> Route:
        """Answer the listing `what` (a LISTINGS key) in `region` with its recording or `body`."""
        service_type, suffix, name = LISTINGS[what]
        path = self.service_path(region, service_type) + suffix
        route = self.replay.route("GET", path, fixture(name) if body is None else body, status, **options)
        self.routes[(region, what)] = route
        return route

    def serve_images(self, region: str) -> None:
        """Glance's two recorded pages: the first names the second in `next`."""
        path = self.service_path(region, "image") + "/v2/images"
        first = load("_images_v2.json")
        marker = dict(q.split("=") for q in urlsplit(first["next"]).query.split("&"))["marker"]
        self.routes[(region, "images_2")] = self.replay.route(
            "GET", path, fixture("_images_v2_page2.json"), query={"marker": marker}
        )
        self.routes[(region, "images")] = self.replay.route("GET", path, fixture("_images_v2.json"))

    def serve_snapshots(self, region: str) -> None:
        """Cinder's two recorded pages: the first links the second (`snapshots_links`)."""
        path = self.service_path(region, "volumev2") + "/snapshots/detail"
        first = load("_v2_0__snapshots_paginate_start.json")
        href = first["snapshots_links"][0]["href"]
        marker = dict(q.split("=") for q in urlsplit(href).query.split("&") if "=" in q)["marker"]
        self.routes[(region, "snapshots_2")] = self.replay.route(
            "GET", path, fixture("_v2_0__snapshots.json"), query={"marker": marker}
        )
        self.routes[(region, "snapshots")] = self.replay.route(
            "GET", path, fixture("_v2_0__snapshots_paginate_start.json")
        )

    def serve_load_balancers(self, region: str) -> None:
        """Octavia's two pages: the first names the second in `loadbalancers_links`."""
        path = self.service_path(region, "load-balancer").rstrip("/") + "/v2/lbaas/loadbalancers"
        first = load("_lbaas_loadbalancers.json")
        (link,) = [link for link in first["loadbalancers_links"] if link["rel"] == "next"]
        query = dict(q.split("=") for q in urlsplit(link["href"]).query.split("&"))
        self.routes[(region, "load_balancers_2")] = self.replay.route(
            "GET", path, fixture("_lbaas_loadbalancers_page2.json"), query=query
        )
        self.routes[(region, "load_balancers")] = self.replay.route(
            "GET", path, fixture("_lbaas_loadbalancers.json")
        )

    def serve_all(self, region: str, skip: Sequence[str] = (), servers: str | None = None) -> None:
        """Every recorded listing in `region` but those in `skip` (servers from `servers`)."""
        for what in LISTINGS:
            if what not in skip:
                self.serve(region, what, fixture(servers) if what == "servers" and servers else None)
        if "images" not in skip:
            self.serve_images(region)
        if "snapshots" not in skip:
            self.serve_snapshots(region)
        if "load_balancers" not in skip and region in self.load_balancer_regions:
            self.serve_load_balancers(region)


def routes(replay: ReplayServer) -> OpenStackCloud:
    """Keystone and every recorded listing in both REGIONS."""
    cloud = OpenStackCloud(replay, REGIONS)
    cloud.serve_all(REGIONS[0])
    cloud.serve_all(REGIONS[1], servers=SECOND_REGION_SERVERS)
    return cloud
