"""Helpers for the import connector tests: a pipeline with chosen settings, import connections."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from services.api.providers import files
from services.embedded.maestro import create_connection
from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.receivers import Receiver
from shared import runtime as shared_runtime
from shared.runtime import Runtime
from tests.conftest import make_settings


@contextmanager
def embedded_pipeline(
    mongo_url: str, receivers: tuple[Receiver, Receiver], **overrides: Any
) -> Iterator[EmbeddedPipeline]:
    """The four stages in process, on the test's own databases, with `overrides` set."""
    audit, websocket = receivers
    settings = make_settings(mongo_url, audit_uri=audit.url, websocket_uri=websocket.url, scan_qtd=5)
    rt = shared_runtime.build(settings.replace(**overrides))
    shared_runtime.install(rt)
    files.clear_cache()
    try:
        with EmbeddedPipeline(rt) as running:
            yield running
    finally:
        shared_runtime.install(None)
        rt.mongo.drop_database(rt.settings.mongo_database)
        rt.mongo.drop_database(rt.settings.discovery_database)
        rt.close()


def import_connection(
    rt: Runtime,
    provider: str,
    service: str,
    credentials: Mapping[str, Any],
    owner: Mapping[str, Any] | None = None,
) -> str:
    """A connection of an importer (`File`, `Ansible`, `Terraform`) as Maestro's UI saves it."""
    return create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=[],
        credentials=credentials,
        provider=provider,
        service=service,
        dc=f"{provider.lower()}-files",
        owner=owner,
    )
