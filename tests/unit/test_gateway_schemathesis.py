"""Schemathesis over `/openapi.json`: every operation, valid and invalid input, both kinds of token.

The WSGI app runs in-process on the stub runtime (the session's SecantusDB, the stub
broker), with the private token, Alice's user token and Bob's (another tenant). Every
answer must be below 500, be one the description lists for that operation, and match its
schema; no request may end in the gateway's unexpected-error handler; Bob's requests
about Alice's connection never succeed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from structlog.testing import capture_logs

from services.api.gateway.app import create_app
from shared.catalog import PROVIDERS
from tests.unit.test_gateway import auth
from tests.unit.test_tenants import World, world  # noqa: F401  (the two tenants' fixture)

# A judge of one answer: what is wrong with it, or None.
Judge = Callable[[Any, Any], "str | None"]

# Examples per operation and generation mode: 18 operations x 2 modes x 3 tokens.
EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
NEGATIVE_CHECKS = [*CHECKS, negative_data_rejection]


@dataclass
class Tally:
    """What the fuzzing saw: cases run, answers by status class, failures with their case."""

    cases: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return self.statuses["5xx"]


def _real_ids(op: schemathesis.APIOperation, tenants: World) -> st.SearchStrategy[Any]:
    """The operation's cases, half of them naming a real provider and Alice's connection."""
    strategy = op.as_strategy(generation_mode=GenerationMode.POSITIVE)
    names = {p.name for p in op.path_parameters}
    if not names & {"provider", "conn_id"} and op.path != "/v1/runs":
        return strategy

    def aim(drawn: tuple[Any, bool, str]) -> Any:
        case, real, provider = drawn
        if not real:
            return case
        if "provider" in names:
            case.path_parameters = {**case.path_parameters, "provider": provider}
        if "conn_id" in names:
            case.path_parameters = {**case.path_parameters, "conn_id": tenants.alice_conn}
            if "provider" in names:
                case.path_parameters["provider"] = "AWS"
        if op.path == "/v1/runs" and isinstance(case.body, dict):
            case.body = {**case.body, "connection_id": tenants.alice_conn}
            case.body.pop("regions", None)
        return case

    providers = st.sampled_from(sorted(p.label for p in PROVIDERS.values()))
    return st.tuples(strategy, st.booleans(), providers).map(aim)


def fuzz(
    schema: Any, tenants: World, headers: dict[str, str], tally: Tally, judge: Judge | None = None
) -> None:
    """Run every operation's positive and negative cases with `headers`, counting into `tally`.

    With a `judge` (an outsider's token), the check of Alice's connection is aimed at too:
    the tenant check answers before any call to a cloud is made.
    """
    for result in schema.get_all_operations():
        op = result.ok()
        if op.path == "/v1/connections/{conn_id}/check" and judge is None:
            # A real connection's check calls its cloud: random ids only (no network here).
            modes = [
                (op.as_strategy(generation_mode=GenerationMode.POSITIVE), CHECKS),
                (op.as_strategy(generation_mode=GenerationMode.NEGATIVE), NEGATIVE_CHECKS),
            ]
        else:
            modes = [
                (_real_ids(op, tenants), CHECKS),
                (op.as_strategy(generation_mode=GenerationMode.NEGATIVE), NEGATIVE_CHECKS),
            ]
        for strategy, checks in modes:
            run_cases(strategy, checks, headers, tally, judge)


def outsider(tenants: World) -> Judge:
    """What Bob must never get: a 2xx about Alice's connection, or her runs in a listing."""

    def judge(case: Any, response: Any) -> str | None:
        if not 200 <= response.status_code < 300:
            return None
        if case.method == "GET" and case.path == "/v1/runs":
            listed = [r.get("connection_id") for r in response.json().get("items", [])]
            return "listed a run of Alice's connection" if tenants.alice_conn in listed else None
        body = case.body if isinstance(case.body, dict) else {}
        if tenants.alice_conn in case.formatted_path or body.get("connection_id") == tenants.alice_conn:
            return f"answered {response.status_code} about Alice's connection"
        return None

    return judge


def _summary(exc: BaseException) -> str:
    """One line per broken check: its title and the first lines of its message."""
    parts = getattr(exc, "exceptions", None) or [exc]
    return " | ".join(" ".join(str(part).split("\n\n")[:2]).replace("\n", " ")[:300] for part in parts)


def run_cases(
    strategy: st.SearchStrategy[Any],
    checks: list[Any],
    headers: dict[str, str],
    tally: Tally,
    judge: Judge | None = None,
) -> None:
    """Call the app with EXAMPLES cases of `strategy` and judge each answer by `checks`."""

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        tally.cases += 1
        response = case.call(headers=headers)
        tally.statuses[f"{response.status_code // 100}xx"] += 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # each broken check: one failure
            tally.failures.append(f"{case.method} {case.formatted_path}: {_summary(exc)}")
        leak = judge(case, response) if judge is not None else None
        if leak:
            tally.leaks.append(f"{case.method} {case.formatted_path}: {leak}")

    try:
        run()
    except Unsatisfiable:
        # Nothing of the operation can be made invalid (no parameters, no body).
        assert checks is NEGATIVE_CHECKS, "no valid case could be generated"


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_the_gateway_keeps_its_description_under_fuzzing(world: World) -> None:  # noqa: F811
    app = create_app(world.rt)
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    tally = Tally()
    started = time.monotonic()
    private = {"Authorization": auth(world.rt.settings)["Authorization"].replace("JWT", "Bearer")}
    with capture_logs() as logs:
        fuzz(schema, world, private, tally)
        fuzz(schema, world, world.headers("alice"), tally)
        fuzz(schema, world, world.headers("bob"), tally, judge=outsider(world))
    uncaught = [e for e in logs if e.get("event") == "request_failed"]
    elapsed = time.monotonic() - started
    print(
        f"schemathesis: {tally.cases} cases in {elapsed:.0f} s, {dict(tally.statuses)}, "
        f"{tally.server_errors} 5xx, {len(uncaught)} uncaught, {len(tally.failures)} failures, "
        f"{len(tally.leaks)} answers across tenants"
    )
    print("\n".join(tally.failures + tally.leaks))
    assert tally.cases >= 200
    assert tally.statuses["2xx"] > 0 and tally.statuses["4xx"] > 0
    assert uncaught == []
    assert tally.server_errors == 0
    assert tally.failures == []
    assert tally.leaks == []
