"""Documents Maestro's rules refuse fail alone, and the run shows them: per unit, how many were
rejected or kept with a compatibility warning, each distinct rule with an example id; the
connection's `process.<task>` message counts them."""

from __future__ import annotations

import pytest
from bson import ObjectId

from services.embedded.pipeline import EmbeddedPipeline
from tests.integration.test_file_import import active_ids, file_connection, upload
from tests.support.crawls import crawl

pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning"),
]


def test_rejected_and_warned_documents_are_counted_per_unit_with_their_rules(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    rows = (
        "name,hostname,ipv4_private,cpu,memory\n"
        "app-01,app-01.internal,10.1.0.1,2,4\n"
        "app-02,app-02.internal,10.1.0.2,0,4\n"  # cpu must be positive
        "app-03,app-03.internal,10.1.0.3,-1,4\n"  # the same rule again
        f"app-04,{'h' * 101},10.1.0.4,2,4\n"  # hostname over 100 characters
        "big-01,big-01.internal,10.1.0.5,2,4096\n"  # memory over 1024: kept, warned
    )
    conn = file_connection(rt, {"artifacts": [upload(rt, "servers.csv", rows.encode(), "text/csv")]})

    run = crawl(pipeline, conn, ["server-import"], provider="file")

    assert run["status"] == "succeeded", run["errors"]
    assert set(active_ids(rt, "servers")) == {"file:servers:app-01", "file:servers:big-01"}
    (unit,) = run["units"]
    assert (unit["rejected"], unit["warned"]) == (3, 1)
    assert (run["rejected"], run["warned"]) == (3, 1)
    assert unit["problems"] == [
        {"kind": "rejected", "rule": "cpu is not positive", "count": 2, "example": "app-02"},
        {
            "kind": "rejected",
            "rule": "hostname is longer than 100 characters",
            "count": 1,
            "example": "app-04",
        },
        {"kind": "warning", "rule": "memory is above 1024", "count": 1, "example": "file:servers:big-01"},
    ]
    assert run["problems"] == unit["problems"]
    connection = rt.inventory.connections.find_one({"_id": ObjectId(conn)})
    assert connection is not None
    message = connection["process"]["server-import"]["msg"]
    assert "3 rejected (refused by Maestro's rules), 1 kept with compatibility warnings" in message
    assert run["id"] in message
