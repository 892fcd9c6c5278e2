"""Drivers built by hand, for libcloud providers whose construction `options` can't express.

A provider names its factory in its options (`"factory": "gce"`); each module of this
package registers its own in `FACTORIES` under that name:

    factory(settings, kind, credentials, region) -> a libcloud driver of `kind`

The first lookup imports every module of this package.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from shared.registry import Registry, import_modules
from shared.settings import Settings

Factory = Callable[[Settings, str, Mapping[str, Any], str], Any]
FACTORIES: Registry[Factory] = Registry("libcloud factory", load=lambda: import_modules(__name__))
