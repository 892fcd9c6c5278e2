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
import itertools
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
_PLAIN = (bool, int, float, dt.datetime, dt.date)
# Types whose values are never containers: most of a page's values, told apart by `type` alone.
_LEAVES = frozenset({str, bytes, int, float, bool, type(None), dt.datetime, dt.date})
# Verdicts on key names seen so far: a page repeats the same few hundred names.
_verdicts: dict[Any, bool] = {}
_VERDICTS = 8192


def is_secret_key(name: Any) -> bool:
    """Whether a key of this name holds a secret."""
    verdict = _verdicts.get(name)
    if verdict is None:
        lowered = str(name).lower()
        verdict = lowered in SECRET_KEYS or any(part in lowered for part in SECRET_PARTS)
        if len(_verdicts) < _VERDICTS:
            _verdicts[name] = verdict
    return verdict


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, _PLAIN)


def redact(value: Any, depth: int = 0) -> Any:
    """`value` without its secret-bearing keys, at any depth; the input is kept.

    What holds no secret is returned as it is, not copied: only the objects and lists on
    the way to a removed key are new (a page's items are mostly passed through).
    """
    if depth > _DEPTH:
        return None
    if isinstance(value, Mapping):
        return _redact_mapping(value, depth)
    if isinstance(value, list | tuple):
        return _redact_list(value, depth)
    return value


def _child(item: Any, depth: int) -> Any:
    """`item`, a value found at `depth`, redacted at the next depth."""
    if depth >= _DEPTH:
        return None
    return item if type(item) in _LEAVES else redact(item, depth + 1)


def _redact_mapping(value: Mapping[Any, Any], depth: int) -> dict[Any, Any] | Mapping[Any, Any]:
    kept: dict[Any, Any] | None = None if type(value) is dict else {}
    for index, (key, item) in enumerate(value.items()):
        verdict = _verdicts.get(key)
        secret = (is_secret_key(key) if verdict is None else verdict) and not _plain(item)
        if secret:
            new = None
        elif type(item) in _LEAVES and depth < _DEPTH:  # most values: nothing to look into
            new = item
        else:
            new = _child(item, depth)
        if kept is None and (secret or new is not item):  # the first change: copy what came before
            kept = dict(itertools.islice(value.items(), index))
        if kept is not None and not secret:
            kept[key] = new
    named = next((value[k] for k in _KEY_NAMES if isinstance(value.get(k), str)), None)
    if named is not None and is_secret_key(named) and any(name in value for name in _VALUE_NAMES):
        kept = dict(value) if kept is None else kept
        for name in _VALUE_NAMES:
            kept.pop(name, None)
    return value if kept is None else kept


def _redact_list(value: list[Any] | tuple[Any, ...], depth: int) -> list[Any]:
    kept: list[Any] | None = None if type(value) is list else []
    for index, item in enumerate(value):
        new = _child(item, depth)
        if kept is None and new is not item:
            kept = list(value[:index])
        if kept is not None:
            kept.append(new)
    if kept is None:
        assert isinstance(value, list)  # anything else was copied into `kept`
        return value
    return kept


def redact_items(items: list[Any]) -> list[Any]:
    """A page's items without secrets (see the module's decisions)."""
    return [redact(item) for item in items]
