"""The scope between stages: made from a connection, carried as a payload, read back whole."""

from __future__ import annotations

import pytest
from bson import ObjectId

from shared.contracts import ContractError
from shared.mapping import SCOPE_KEYS
from shared.scope import Scope
from tests.support.recorded import make_scope

OWNER, DC, USER = ObjectId(), ObjectId(), ObjectId()
CONNECTION = {
    "_id": ObjectId("65f000000000000000000001"),
    "dc": "Main DC",
    "dc_id": str(DC),
    "owner_user": {"_id": str(OWNER)},
    "roles": [{"_id": str(USER), "role": 7, "refs": "users"}],
}


def test_a_connection_s_scope_is_the_payload_the_stages_always_carried() -> None:
    scope = Scope.for_connection(CONNECTION, "us-east-1 (N. Virginia)", "AWS", "123456789012")
    assert scope.to_payload() == {
        "connection_id": "65f000000000000000000001",
        "tenant_id": OWNER,
        "dc": "Main DC",
        "dc_id": DC,
        "provider": "AWS",
        "region": "us-east-1",
        "region_label": "us-east-1 (N. Virginia)",
        "roles": [{"_id": USER, "role": 7, "refs": "users"}],
        "account_id": "123456789012",
    }
    assert Scope.for_connection({**CONNECTION, "network": " vpc-1 "}, "all", "AWS").to_payload()[
        "network"
    ] == ("vpc-1")
    assert Scope.for_connection(CONNECTION, "all", "AWS").region == "all"


NO_NETWORK = {k: v for k, v in make_scope(account_id=None).items() if k != "network"}


@pytest.mark.parametrize("payload", [make_scope(), NO_NETWORK], ids=["every key", "no network"])
def test_a_payload_reads_back_to_the_same_payload(payload: dict[str, object]) -> None:
    assert Scope.from_payload(payload).to_payload() == payload


def test_a_payload_that_is_not_a_scope_breaks_the_contract() -> None:
    with pytest.raises(ContractError, match=r"missing \['tenant_id'\], unexpected \[\]"):
        Scope.from_payload({k: v for k, v in make_scope().items() if k != "tenant_id"})
    with pytest.raises(ContractError, match=r"unexpected \['secret'\]"):
        Scope.from_payload(make_scope(secret="x"))


def test_mappings_may_read_every_key_of_the_scope_but_its_roles() -> None:
    assert SCOPE_KEYS == Scope.mapping_keys() == set(make_scope()) - {"roles"}
