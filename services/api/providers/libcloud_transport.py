"""Every libcloud connection under the outbound policy and the provider timeout.

libcloud makes its HTTP calls through one class, `LibcloudConnection` (a requests
session per connection), named by the `conn_class` of its connection classes; libcloud's
own debug mode swaps that class the same way. `install` makes it a subclass whose
session carries the guarded adapter (shared/egress.py: checked addresses, no redirects)
and whose timeout is the provider timeout (libcloud's own default is 60 s, and drivers
pass none).
"""

from __future__ import annotations

from typing import Any

from libcloud.http import LibcloudConnection

from shared import egress


class GuardedLibcloudConnection(LibcloudConnection):
    """libcloud's HTTP connection with the outbound policy and the provider timeout."""

    def __init__(self, host: str, port: int, secure: Any = None, **kwargs: Any) -> None:
        policy = egress.current()
        given = kwargs.get("timeout")
        kwargs["timeout"] = min(float(given), policy.timeout) if given else policy.timeout
        super().__init__(host, port, secure=secure, **kwargs)
        if self.session is not None:
            egress.guard_session(self.session)


def install() -> None:
    """Make every libcloud connection class use the guarded connection."""
    from libcloud.common import azure, azure_arm, base

    for cls in (
        base.Connection,
        azure.AzureActiveDirectoryConnection,
        azure_arm.AzureResourceManagementConnection,
    ):
        cls.conn_class = GuardedLibcloudConnection
