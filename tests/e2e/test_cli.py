"""The operator's CLI against a running gateway: crawl and follow, list, show, cancel, tokens."""

from __future__ import annotations

import jwt
import pytest

from services import cli
from services.embedded.aws_seed import seed_instances
from services.embedded.pipeline import EmbeddedPipeline
from shared import ledger
from tests.support.aws_faults import Faults, ec2_error
from tests.support.browser import gateway_url  # noqa: F401  (a fixture)
from tests.support.crawls import REGIONS, aws_connection

pytestmark = pytest.mark.e2e


def test_crawl_waits_for_the_outcome_and_runs_are_listed_shown_and_refused_a_late_cancel(
    pipeline: EmbeddedPipeline,
    faults: Faults,
    gateway_url: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rt = pipeline.rt
    for name, value in (
        ("MAESTRO_SECRETJWT_PRIVATE", rt.settings.secret_jwt_private),
        ("MAESTRO_NOAUTH", rt.settings.noauth),
    ):
        monkeypatch.setenv(name, value)
    seed_instances([r.split()[0] for r in REGIONS], per_region=3)
    connection_id = aws_connection(rt)
    url = ["--url", gateway_url]

    assert cli.main(["check", connection_id, "--task", "server-list"]) == 0
    checked = capsys.readouterr()
    assert "[1/1] server-list aws.ec2.instances us-east-1: ok" in checked.err
    assert '"ok": true' in checked.out

    assert cli.main(["crawl", connection_id, "server-list", "--wait", *url]) == 0
    out = capsys.readouterr().out
    run_id = out.split("Run ", 1)[1].split()[0]
    assert ledger.get_run(rt.ledger, run_id)["status"] == "succeeded"
    assert f"/console/runs/{run_id}" in out
    assert "total" in out and "succeeded" in out and "9" in out  # nine items over three regions

    faults.always("eu-west-1", lambda: ec2_error(403, "UnauthorizedOperation", "You are not authorized"))
    assert cli.main(["crawl", connection_id, "server-list", "--wait", *url]) == 3  # partial
    out = capsys.readouterr().out
    assert "UnauthorizedOperation" in out

    assert cli.main(["runs", "list", *url]) == 0
    assert run_id in capsys.readouterr().out
    assert cli.main(["runs", "show", run_id, *url]) == 0
    assert "aws.ec2.instances" in capsys.readouterr().out
    assert cli.main(["runs", "cancel", run_id, *url]) == 2
    assert "409" in capsys.readouterr().err
    assert cli.main(["runs", "show", "nope", *url]) == 2
    assert "404" in capsys.readouterr().err
    assert cli.main(["runs", "list", "--url", gateway_url, "--token", "not-a-token"]) == 2
    assert "401" in capsys.readouterr().err


def test_tokens_for_operators(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAESTRO_SECRETJWT", "user-secret")
    assert cli.main(["token", "--user", "6b16bcfd2fbb4fe6090a919c", "--hours", "1"]) == 0
    claims = jwt.decode(capsys.readouterr().out.strip(), "user-secret", algorithms=["HS256"])
    assert claims["_id"] == "6b16bcfd2fbb4fe6090a919c" and "exp" in claims
    assert cli.main(["token", "--user", "bob"]) == 2
    assert "not a Maestro user id" in capsys.readouterr().err
    with pytest.raises(SystemExit) as version:
        cli.main(["--version"])
    assert version.value.code == 0 and capsys.readouterr().out.startswith("discovery ")
