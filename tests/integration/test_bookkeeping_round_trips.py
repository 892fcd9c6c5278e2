"""The store round trips a crawl's bookkeeping costs per page, counted (not timed) and bounded.

The four stages run in one process on the stub broker, their database client counting
every command (bench/bookkeeping.py, which prints the same figures). The bounds are what
the ledger needs per page today, with room for units that settle at the same moment (each
then reads the run and its units: persist measures 3.33 alone, up to 4.0 with two such
races): a change that adds a round trip to every page fails here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.api.console import views
from services.embedded.aws_seed import seed_instances
from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.receivers import Receiver
from services.embedded.servers import Server
from shared import ledger
from shared import runtime as shared_runtime
from tests.conftest import make_settings
from tests.support.crawls import REGIONS, aws_connection

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import bookkeeping

pytestmark = pytest.mark.integration

# Ledger round trips per page, by stage, for 3 regions x 12 instances in pages of 5 (9 pages).
# api: the unit's status, a provider slot taken and given back, the page recorded and marked
# forwarded (and its unit's page count, on its last page); translate: the page translated;
# persist: the write-ahead record, the page added to its unit (and once per unit: what the
# unit saw read back, the unit succeeded, the run settled); notify: a page's progress read
# and saved at its end (its changes come in its message), once per run: the run's end.
# Measured: api 3.67, translate 1, persist 3.22, notify 2.78 (3.33, 1, 3.22, 0.78 on the recrawl).
FIRST_CRAWL = {"api": 4.0, "translate": 1.0, "persist": 3.5, "notify": 3.0}
# The unchanged account again: nothing to deliver.
RECRAWL = {"api": 4.0, "translate": 1.0, "persist": 3.5, "notify": 1.0}


@pytest.fixture
def counted(
    mongo_server: Server, moto: Server, receivers: tuple[Receiver, Receiver]
) -> Iterator[tuple[EmbeddedPipeline, bookkeeping.RoundTrips]]:
    audit, websocket = receivers
    # No checkpoint while a page is sent: on a busy machine a page may take longer than the
    # default's second, and the count would depend on the machine's speed.
    settings = make_settings(
        mongo_server.url,
        audit_uri=audit.url,
        websocket_uri=websocket.url,
        scan_qtd=5,
        audit_checkpoint_ms=3_600_000,
    )
    counter = bookkeeping.RoundTrips(settings.discovery_database, settings.mongo_database)
    rt = shared_runtime.build(settings, event_listeners=[counter])
    shared_runtime.install(rt)
    # One thread: pages reach persist in order, as they mostly do. A page written before the
    # pages ahead of it costs its unit one more update and read, so with more threads the
    # count would depend on the machine's timing.
    with EmbeddedPipeline(rt, threads=1) as running:
        yield running, counter
    shared_runtime.install(None)
    rt.mongo.drop_database(settings.mongo_database)
    rt.mongo.drop_database(settings.discovery_database)
    rt.close()


def test_a_crawls_bookkeeping_stays_within_its_round_trips_per_page(
    counted: tuple[EmbeddedPipeline, bookkeeping.RoundTrips],
) -> None:
    pipeline, counter = counted
    rt = pipeline.rt
    seed_instances([r.split()[0] for r in REGIONS], per_region=12, per_reservation=1)
    conn_id = aws_connection(rt)

    first = bookkeeping.crawl(rt, pipeline.wait_for_run, counter, conn_id, [["server-list"]])
    again = bookkeeping.crawl(rt, pipeline.wait_for_run, counter, conn_id, [["server-list"]])

    print(bookkeeping.format_figures("first crawl", first))
    print(bookkeeping.format_figures("recrawl", again))
    assert first.statuses == again.statuses == ["succeeded"]
    assert (first.pages, first.units, first.documents["created"]) == (9, 3, 36)
    assert (again.pages, again.documents["unchanged"]) == (9, 36)
    for figures, bounds in ((first, FIRST_CRAWL), (again, RECRAWL)):
        measured = {stage: round(figures.per_page("ledger", stage), 2) for stage in bounds}
        assert all(measured[stage] <= bound for stage, bound in bounds.items()), (measured, bounds)
    # The ledger's own collections, no others: a new per-page record would show here first.
    assert set(first.by_collection("ledger")) <= {"runs", "units", "pages", "writes", "slots", "metrics"}
    # Units are recorded in one write, however many a run has.
    assert sum(n for (_, _, coll, cmd), n in first.counts.items() if (coll, cmd) == ("units", "insert")) == 1
    # What readers show is added up from what the stages wrote: every page, once.
    for run in ledger.list_runs(rt.ledger, conn_id):
        described = ledger.describe_run(rt.ledger, run["_id"])
        assert described["pages"] == {"fetched": 9, "translated": 9, "persisted": 9}
        lanes = views.page_events(rt.ledger, run["_id"])
        assert [len(lanes[lane]) for lane in ("fetched", "translated", "persisted")] == [9, 9, 9]
