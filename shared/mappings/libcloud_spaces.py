"""DigitalOcean Spaces through libcloud: each bucket an application of family ObjectStorage.

Input: a libcloud Container made plain by the adapter: `{name, extra: {creation_date}}`,
listed by the Spaces storage driver (S3-compatible ListBuckets) of each region of the
connection.

Decisions:
* Spaces is regional (one endpoint per region, <region>.digitaloceanspaces.com): the
  resource is crawled per region of the connection, like the original; datacenters.region
  is the connection's region label and `region` the API region.
* Bucket names are unique across all of Spaces: unique_id is
  `spaces:<owner id>:bucket:<name>`, the owner id being what ListBuckets answers at plan
  time (the DigitalOcean account), so it survives a key rotation.
* ListBuckets is not paged by Spaces: one request answers every bucket of the region.
* Buckets have no state: `active` is true while the bucket is listed, `status` unset.
"""

from __future__ import annotations

from typing import Any

from shared.mappings.libcloud_common import driver_resource, provider_form, qualified_id
from shared.resource import DriverCall, Provider, form_field

SLUG = "spaces"
LABEL = "Spaces"
# libcloud's Spaces regions (DO_SPACES_HOSTS_BY_REGION), crawled when the connection names none.
REGIONS = ("ams3", "nyc3", "sfo2", "sgp1")

SPACES_BUCKET: dict[str, Any] = {
    "item_id": {"path": "name"},
    "required": ["name", "unique_id"],
    "fields": {
        "name": {"path": "name"},
        "unique_id": qualified_id(SLUG, "bucket", "name"),
        "own": {"const": 1},
        "active": {"const": True},
        "region": {"scope": "region"},
        "created": {"path": "extra.creation_date"},
        "endpoint": {
            "format": "https://{name}.{region}.digitaloceanspaces.com",
            "args": {"name": {"path": "name"}, "region": {"scope": "region"}},
        },
    },
}

RESOURCES = (
    driver_resource(
        SLUG,
        "spaces.buckets",
        "storage-object-list",
        "applications",
        SPACES_BUCKET,
        DriverCall("storage", "list_containers"),
        family="ObjectStorage",
        app_provider="Spaces (DigitalOcean)",
    ),
)

INFO = provider_form(
    "Spaces",
    "/static/imgs/providers/spaces.png",
    "Spaces Access Keys",
    "spaces_do",
    "Create a Spaces access key (API > Spaces Keys); buckets are listed per region.",
    [
        form_field("access", "Access Key"),
        form_field("secret", "Secret", "password"),
    ],
    regions=True,
    dc="Digital Ocean",
)

PROVIDERS = (
    Provider(
        slug=SLUG,
        label=LABEL,
        aliases=("spaces", "spaces(do)", "spaces_do", "digitaloceanspaces"),
        info=INFO,
        adapter="libcloud",
        credentials=("access", "secret"),
        options={
            "factory": "spaces",
            "regional": True,
            "probe": "ex_owner_id",
            "probe_kind": "storage",
            "probe_names_account": True,
        },
        default_regions=REGIONS,
    ),
)
