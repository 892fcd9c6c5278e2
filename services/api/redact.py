"""Secrets out of provider items before they are queued: the one place every page passes.

Provider answers carry secrets the inventory never needs: a VPN tunnel's pre-shared
keys, an instance's or launch template's user data (bootstrap scripts with tokens), a
VM's admin password, Google's startup scripts and ssh keys in instance metadata, Ansible's
local facts and the EC2 metadata facts (user data, the instance role's credentials).
Every page of every provider and import passes `redact_items` in the api stage before
it is sent to translate, so none of them reaches a broker message, a log or a document.

Decisions:
* Keys are matched by name at any depth, case-insensitively: the names below exactly,
  and any key containing one of SECRET_PARTS (`...Password`, `...PreSharedKey`). A
  matched key is removed, not blanked: optional fields are absent, never "".
* Key/value lists (`[{"key": "startup-script", "value": ...}]`, AWS tags) lose the value
  of an entry whose key is a secret's name.
* Booleans, numbers and timestamps are not secrets: a `PasswordLastUsed` date or a
  `ManageMasterUserPassword` flag is kept (only text, lists and objects are removed).
* No mapping reads a removed key (a unit test checks every mapping's source paths).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

# Exact key names (lower case).
SECRET_KEYS = frozenset(
    {
        "userdata",
        "user_data",
        "user-data",
        "customdata",
        "custom_data",
        "adminpass",
        "admin_pass",
        "secret",
        "client_secret",
        "secretaccesskey",
        "secret_access_key",
        "sessiontoken",
        "session_token",
        "auth_token",
        "authtoken",
        "access_token",
        "refresh_token",
        "keymaterial",
        "customergatewayconfiguration",
        "startup-script",
        "shutdown-script",
        "startup_script",
        "ssh-keys",
        "sshkeys",
        "ansible_local",
        "ansible_env",
    }
)
# Parts of key names that always mean a secret.
SECRET_PARTS = (
    "password",
    "passwd",
    "presharedkey",
    "pre_shared_key",
    "privatekey",
    "private_key",
    "ansible_ec2_user_data",
    "ansible_ec2_iam_security_credentials",
    "ansible_ec2_identity_credentials",
    "secretaccesskey",
    "secret_access_key",
)
_KEY_NAMES = ("key", "Key", "name", "Name")
_VALUE_NAMES = ("value", "Value")
_DEPTH = 64


def is_secret_key(name: Any) -> bool:
    """Whether a key of this name holds a secret."""
    lowered = str(name).lower()
    return lowered in SECRET_KEYS or any(part in lowered for part in SECRET_PARTS)


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | dt.datetime | dt.date)


def redact(value: Any, depth: int = 0) -> Any:
    """`value` without its secret-bearing keys, at any depth (a new value; the input is kept)."""
    if depth > _DEPTH:
        return None
    if isinstance(value, Mapping):
        kept = {
            key: redact(item, depth + 1)
            for key, item in value.items()
            if _plain(item) or not is_secret_key(key)
        }
        named = next((value[k] for k in _KEY_NAMES if isinstance(value.get(k), str)), None)
        if named is not None and is_secret_key(named):
            for name in _VALUE_NAMES:
                kept.pop(name, None)
        return kept
    if isinstance(value, list | tuple):
        return [redact(item, depth + 1) for item in value]
    return value


def redact_items(items: list[Any]) -> list[Any]:
    """A page's items without secrets (see the module's decisions)."""
    return [redact(item) for item in items]
