"""Octavia (OpenStack's load balancer service) through libcloud's OpenStack compute driver.

libcloud 3.9.1 has no OpenStack load balancer driver. Octavia needs nothing a driver
would add, though: the same Keystone v3 token and a service catalog entry of type
`load-balancer` in the region, like Nova, Glance, Cinder and Neutron. So the compute
driver gains one more service connection (built the way libcloud builds its image and
network connections) and one listing, `ex_list_load_balancers`.

Decisions:
* The endpoint is looked up by type and region only (the factory clears the service
  name, see openstack.py): deployments register it as "octavia", "lbaas" or otherwise.
* A region whose catalog has no `load-balancer` endpoint does not offer load balancers:
  the listing raises UnsupportedListingError naming the region (the unit is skipped).
* Octavia pages with `limit`/`marker` and names the next page in `loadbalancers_links`
  (rel "next"). The listing follows those links to the end, taking only the query of each
  link (its host is Octavia's own idea of its address, which a proxy or the private
  endpoint may not share), and stops on a link that would repeat a page.
* The items are Octavia's own load balancer objects, unchanged (plain dicts): the mapping
  (shared/mappings/libcloud_openstack.py) reads the API's field names.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from shared.errors import PermanentProviderError, UnsupportedListingError

SERVICE_TYPE = "load-balancer"
LISTING_PATH = "/v2/lbaas/loadbalancers"
# A safety net against a service whose links never end (10,000 pages of Octavia's default
# page size of 1,000 is far beyond any project's quota).
MAX_PAGES = 10_000


def next_query(answer: Any) -> dict[str, str] | None:
    """The query of the `next` link of an Octavia listing page (None on the last page)."""
    links = answer.get("loadbalancers_links") if isinstance(answer, dict) else None
    for link in links or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return dict(parse_qsl(urlsplit(str(link["href"])).query))
    return None


@cache
def driver_class() -> type:
    """libcloud's OpenStack 2.x compute driver with an Octavia connection and listing
    (built once, on first use: libcloud is imported only by the stages that crawl)."""
    from libcloud.common.types import LibcloudError
    from libcloud.compute.drivers.openstack import (
        OpenStack_2_NetworkConnection,
        OpenStack_2_NodeDriver,
    )

    class OctaviaConnection(OpenStack_2_NetworkConnection):
        """A JSON service connection to the region's `load-balancer` endpoint."""

        service_type = SERVICE_TYPE  # type: ignore[assignment]  # libcloud types it None

        def get_endpoint(self) -> str:
            try:
                return str(super().get_endpoint())
            except LibcloudError:
                region = self._ex_force_service_region or "the default region"
                raise UnsupportedListingError(
                    f"OpenStack load balancers: the service catalog has no {SERVICE_TYPE} "
                    f"(Octavia) endpoint in {region}"
                ) from None

    class OpenStackWithOctavia(OpenStack_2_NodeDriver):
        """The compute driver plus `load_balancer_connection` and its listing."""

        load_balancer_connectionCls = OctaviaConnection

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # As libcloud's BaseDriver builds `connection`; no request is made until the
            # first listing (the endpoint is resolved from the catalog then).
            conn_kwargs = self._ex_connection_class_kwargs()
            conn_kwargs.update(
                timeout=self.connection.timeout,
                retry_delay=self.connection.retry_delay,
                backoff=self.connection.backoff,
                proxy_url=self.connection.proxy_url,
            )
            cls = self.load_balancer_connectionCls
            connection: Any = cls(self.key, self.secret, self.secure, **conn_kwargs)
            connection.driver = self
            connection.connect()
            self.load_balancer_connection = connection

        def ex_list_load_balancers(self) -> list[dict[str, Any]]:
            """Every Octavia load balancer of the project in the region, all pages."""
            found: list[dict[str, Any]] = []
            params: dict[str, str] = {}
            seen: set[tuple[tuple[str, str], ...]] = set()
            for _ in range(MAX_PAGES):
                answer = self.load_balancer_connection.request(LISTING_PATH, params=params).object
                if not isinstance(answer, dict) or not isinstance(answer.get("loadbalancers"), list):
                    raise PermanentProviderError(
                        "OpenStack load balancers: Octavia answered without a loadbalancers list"
                    )
                found.extend(lb for lb in answer["loadbalancers"] if isinstance(lb, dict))
                following = next_query(answer)
                if following is None:
                    return found
                key = tuple(sorted(following.items()))
                if key in seen:  # a link back to a page already read: the listing is whole
                    return found
                seen.add(key)
                params = following
            raise PermanentProviderError(
                f"OpenStack load balancers: more than {MAX_PAGES} pages, the listing never ends"
            )

    return OpenStackWithOctavia
