"""The translate stage: raw provider items of one page -> Maestro documents."""

from __future__ import annotations

from typing import Any

import dramatiq

from shared import contracts, ledger, metrics, runtime, stage
from shared.catalog import get_mapping
from shared.logging import get_logger
from shared.mapping import compatibility_warnings, translate
from shared.runtime import Runtime
from shared.scope import Scope

log = get_logger(__name__)


def translate_page(
    rt: Runtime,
    *,
    run_id: str,
    unit_id: str,
    page_id: str,
    resource: str,
    scope: dict[str, Any],
    items: list[dict[str, Any]],
    last: bool,
) -> None:
    """Map a page's items with the resource's mapping and send the documents to persist."""
    scope = Scope.from_payload(scope).to_payload()  # a scope that isn't one fails here, not in a mapping
    mapping = get_mapping(resource)
    documents, rejected = translate(mapping, items, scope)
    warned = compatibility_warnings(mapping.collection, documents)
    ledger.mark_translated(rt.ledger, page_id, len(documents), rejected, warned)
    contracts.send(
        rt.broker,
        contracts.PERSIST_PAGE,
        run_id=run_id,
        unit_id=unit_id,
        page_id=page_id,
        resource=resource,
        scope=scope,
        documents=documents,
        rejected=rejected,
        last=last,
    )
    metrics.count_translated(resource, len(rejected), len(warned))
    log.info(
        "page_translated",
        page_id=page_id,
        documents=len(documents),
        rejected=len(rejected),
        warned=len(warned),
    )


def _translate_page(**payload: Any) -> None:
    contracts.TRANSLATE_PAGE.check(payload)
    translate_page(runtime.get(), **payload)


def register(broker: dramatiq.Broker) -> None:
    """Declare the stage's actor on `broker`."""
    stage.declare(broker, runtime.get().settings, contracts.TRANSLATE_PAGE, _translate_page)
