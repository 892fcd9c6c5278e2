"""A simulated AWS account for the account-scale benchmark: every catalogue resource type in moto.

`seed_account` creates `count(key)` items of each AWS resource type of the catalogue in
each region (global services once), through boto3 against moto (`AWS_ENDPOINT_URL`).
A type moto cannot create, or has no seeder here, is reported as skipped with the reason;
the crawl still lists it (an empty listing). EC2 instances come from
`services.embedded.aws_seed`, one reservation each, so they page as on AWS. The seeders
live by service family: account_seed_ec2, account_seed_data and account_seed_apps.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import account_seed_apps
import account_seed_data
import account_seed_ec2
from account_region import ACCOUNT, Region, Seeder
from botocore.exceptions import BotoCoreError, ClientError

from services.embedded.aws_seed import seed_instances
from shared.catalog import PROVIDERS

__all__ = ["ACCOUNT", "SEEDERS", "SeededAccount", "seed_account"]

# Every seeder by resource key, by service family.
SEEDERS: dict[str, Seeder] = {
    **account_seed_ec2.SEEDERS,
    **account_seed_data.SEEDERS,
    **account_seed_apps.SEEDERS,
}


@dataclass
class SeededAccount:
    """Items created per resource key (all regions), and the keys skipped with why."""

    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def seed_account(
    regions: Sequence[str], count: Callable[[str], int], keys: Collection[str] | None = None
) -> SeededAccount:
    """Create `count(key)` items of every AWS catalogue resource (or those of `keys`) in each
    of `regions` (moto)."""
    account = SeededAccount()
    resources = [r for r in PROVIDERS["aws"].resources if keys is None or r.key in keys]
    for index, name in enumerate(regions):
        region = Region(name)
        for resource in resources:
            if (not resource.regional and index > 0) or resource.key in account.skipped:
                continue
            wanted = count(resource.key)
            if resource.key == "aws.ec2.instances":
                seed_instances([name], per_region=wanted, per_reservation=1, stop_every=3)
                made = wanted
            else:
                made = _seed(region, resource.key, wanted, account)
            account.created[resource.key] = account.created.get(resource.key, 0) + made
    return account


def _seed(region: Region, key: str, wanted: int, account: SeededAccount) -> int:
    seeder = SEEDERS.get(key)
    if seeder is None:
        account.skipped[key] = "moto does not serve it (listed empty)"
        return 0
    for n in range(wanted):
        try:
            seeder(region, n)
        except (ClientError, BotoCoreError, NotImplementedError, KeyError) as exc:
            account.skipped[key] = f"moto refused it: {type(exc).__name__}: {str(exc)[:120]}"
            return n
    return wanted
