"""The embedded SecantusDB store is addressed without retryable writes (services/embedded/servers.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from pymongo import MongoClient, UpdateOne

from services.embedded.servers import Server
from shared.runtime import connect_mongo
from tests.conftest import make_settings
from tests.support.commands import SentCommands

WRITES = ("insert", "update", "findAndModify")


def _write(client: MongoClient[dict[str, Any]]) -> None:
    coll = client[f"embedded-{uuid.uuid4().hex[:8]}"]["docs"]
    coll.insert_one({"_id": 1})
    coll.bulk_write([UpdateOne({"_id": 2}, {"$set": {"a": 1}}, upsert=True)])
    coll.find_one_and_update({"_id": 1}, {"$set": {"a": 2}})


def test_the_services_write_to_the_embedded_store_without_a_transaction_number(mongo_server: Server) -> None:
    sent = _writes_sent(
        lambda listener: connect_mongo(make_settings(mongo_server.url), event_listeners=[listener])
    )
    assert len(sent) == 3
    assert not [c for c in sent if "txnNumber" in c]


def test_a_client_of_the_same_server_with_retryable_writes_sends_one(mongo_server: Server) -> None:
    """The check above can fail: pymongo's default numbers every retryable write."""
    plain = mongo_server.url.split("?", 1)[0]
    sent = _writes_sent(lambda listener: MongoClient(plain, event_listeners=[listener]))
    assert len(sent) == 3
    assert all("txnNumber" in c for c in sent)


def _writes_sent(connect: Callable[[SentCommands], MongoClient[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The write commands a client made by `connect` sends for `_write`."""
    listener = SentCommands()
    client = connect(listener)
    try:
        _write(client)
    finally:
        client.close()
    return listener.named(*WRITES)
