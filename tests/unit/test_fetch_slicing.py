"""The api stage's forwarding of a whole listing: page-size slices, and redeliveries that lose nothing.

Adapters whose drivers list everything at once (libcloud) return one final page with every
item; the stage sends it on in page-size slices, each a page of the unit in the ledger.
"""

from __future__ import annotations

from typing import Any

import dramatiq

from services.api import crawl
from services.api.providers import Page
from shared import ledger
from shared.runtime import Runtime


def _sent(rt: Runtime, queue: str) -> list[dict[str, Any]]:
    return [dramatiq.Message.decode(raw).kwargs for raw in list(rt.broker.queues[queue].queue)]


def _unit(rt: Runtime) -> dict[str, Any]:
    run = ledger.create_run(
        rt.ledger, connection_id="c" * 24, provider="digitalocean", tasks=["server-list"], regions=None,
        trigger="api",
    )  # fmt: skip
    unit = {
        "_id": ledger.unit_id_for(run["_id"], "digitalocean.compute.nodes", "global"),
        "connection_id": "c" * 24,
        "task": "server-list",
        "resource": "digitalocean.compute.nodes",
        "collection": "servers",
        "region": "global",
        "scope": {"connection_id": "c" * 24},
    }
    ledger.add_units(rt.ledger, run["_id"], [unit])
    return unit | {"run_id": run["_id"]}


def test_a_whole_listing_goes_on_in_page_size_slices(stub_runtime: Runtime) -> None:
    rt = stub_runtime
    unit = _unit(rt)
    items = [{"id": str(i)} for i in range(rt.settings.scan_qtd * 2 + 3)]

    crawl._forward(rt, unit["run_id"], unit, "digitalocean.compute.nodes", 0, Page(items, None))

    sent = _sent(rt, "translate")
    assert [len(m["items"]) for m in sent] == [rt.settings.scan_qtd, rt.settings.scan_qtd, 3]
    assert [i["id"] for m in sent for i in m["items"]] == [i["id"] for i in items]
    assert [m["last"] for m in sent] == [False, False, True]  # persist learns where the unit ends
    assert _sent(rt, "api") == []  # no next fetch: the listing was whole


def test_a_redelivery_after_some_slices_resends_the_whole_listing_after_them(stub_runtime: Runtime) -> None:
    rt = stub_runtime
    unit = _unit(rt)
    # The first delivery got one slice out, then its worker died.
    page_id = ledger.page_id_for(unit["_id"], 0)
    ledger.record_fetched(
        rt.ledger, run_id=unit["run_id"], unit_id=unit["_id"], page_no=0, items=5, last=False
    )
    ledger.mark_forwarded(rt.ledger, page_id)
    # Meanwhile the listing changed: the redelivery must still send every item it sees now.
    items = [{"id": f"n{i}"} for i in range(rt.settings.scan_qtd + 2)]

    crawl._forward(rt, unit["run_id"], unit, "digitalocean.compute.nodes", 0, Page(items, None))

    sent = _sent(rt, "translate")
    assert [m["page_id"] for m in sent] == [ledger.page_id_for(unit["_id"], n) for n in (1, 2)]
    assert sorted(i["id"] for m in sent for i in m["items"]) == sorted(i["id"] for i in items)
    assert [m["last"] for m in sent] == [False, True]


def test_a_redelivery_after_the_last_slice_sends_nothing(stub_runtime: Runtime) -> None:
    rt = stub_runtime
    unit = _unit(rt)
    items = [{"id": str(i)} for i in range(rt.settings.scan_qtd + 1)]
    crawl._forward(rt, unit["run_id"], unit, "digitalocean.compute.nodes", 0, Page(items, None))
    before = len(_sent(rt, "translate"))

    crawl._forward(rt, unit["run_id"], unit, "digitalocean.compute.nodes", 0, Page(items, None))

    assert len(_sent(rt, "translate")) == before == 2
