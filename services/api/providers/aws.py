"""AWS through boto3: clients per (connection, region, service), one page per call.

boto3 reads `AWS_ENDPOINT_URL` itself, so the same code crawls AWS or a simulator;
we never pass an endpoint. Clients retry throttling and 5xx in adaptive mode; what
outlives those retries becomes a TransientProviderError (the stage retries the message
with backoff) and a refusal becomes a PermanentProviderError (the unit fails at once).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    ParamValidationError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from services.api.providers import (
    ADAPTERS,
    Adapter,
    FetchRequest,
    Page,
    Plan,
    client_classes,
    enrich,
    region_labels,
    timestamps,
)
from services.api.providers.lru import Lru
from shared import aws_calls, metrics
from shared.aws_calls import AwsCall
from shared.catalog import iam_actions
from shared.errors import (
    AccessDeniedError,
    ConnectionNotFoundError,
    PermanentProviderError,
    TransientProviderError,
)
from shared.resource import Provider, Resource
from shared.settings import Settings

_DENIED = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "AuthFailure",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
        "ExpiredToken",
        "ExpiredTokenException",
        "OptInRequired",
        "InvalidAccessKeyId",
        "MissingAuthenticationToken",
    }
)
_THROTTLED = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "SlowDown",
        "ProvisionedThroughputExceededException",
        "BandwidthLimitExceeded",
        "EC2ThrottledException",
        "PriorRequestNotComplete",
    }
)


# Temporary credentials are renewed this long before they expire.
ASSUMED_ROLE_MARGIN = dt.timedelta(minutes=10)
ASSUMED_ROLE_SECONDS = 3600


class ClientCache:
    """boto3 clients reused across pages, keyed by connection, credentials, region, service.

    Clients are thread-safe and costly to make (2.4 ms of CPU and about 0.15 MB each, a
    service's clients sharing one class and model: services/api/providers/client_classes.py):
    every page of a (connection, region, service) shares one, and the cache holds at most
    `MAESTRO_AWS_CLIENTS`, the least recently used going first. A client is made once
    however many threads want it at the same moment. The key holds a digest of the credentials,
    never the credentials. A connection that names a role (`role_arn`, optional
    `external_id`) is crawled with that role's temporary credentials, assumed once per
    process and renewed before they expire.
    """

    def __init__(self, size: int = 256) -> None:
        self.clients: Lru[Any] = Lru(size)
        self.accounts: Lru[str] = Lru(1024)
        self._assumed: Lru[tuple[dt.datetime, dict[str, str]]] = Lru(1024)

    def credentials(
        self, settings: Settings, connection_id: str, credentials: Mapping[str, Any]
    ) -> Mapping[str, Any]:
        """The credentials to sign with: the stored keys, or the role they may assume."""
        role = credentials.get("role_arn")
        if not role:
            return credentials
        key = (connection_id, _digest(credentials, str(role), str(credentials.get("external_id"))))
        now = dt.datetime.now(dt.UTC)
        cached = self._assumed.cached(key)
        if cached is not None and cached[0] - ASSUMED_ROLE_MARGIN > now:
            return cached[1]
        params: dict[str, Any] = {
            "RoleArn": str(role),
            "RoleSessionName": "maestro-discovery",
            "DurationSeconds": ASSUMED_ROLE_SECONDS,
        }
        if credentials.get("external_id"):
            params["ExternalId"] = str(credentials["external_id"])
        sts = new_client(settings, credentials, "us-east-1", "sts")
        try:
            response = sts.assume_role(**params)["Credentials"]
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "Unknown")
            raise PermanentProviderError(
                f"{code}: sts.assume_role of {role} was refused; the role must trust these "
                "credentials (and the external id) and they need sts:AssumeRole"
            ) from None
        temporary = {
            "access": response["AccessKeyId"],
            "secret": response["SecretAccessKey"],
            "token": response["SessionToken"],
        }
        expires = response["Expiration"]
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=dt.UTC)
        self._assumed.put(key, (expires, temporary))
        return temporary

    def get(
        self,
        settings: Settings,
        connection_id: str,
        credentials: Mapping[str, Any],
        region: str,
        service: str,
    ) -> Any:
        credentials = self.credentials(settings, connection_id, credentials)
        key = (connection_id, _digest(credentials), region, service)
        client = self.clients.cached(key)
        if client is not None:
            return client
        if self.clients.size != settings.aws_clients:
            self.clients.resize(settings.aws_clients)
        return self.clients.get(key, lambda: new_client(settings, credentials, region, service))

    def account(self, settings: Settings, connection_id: str, credentials: Mapping[str, Any]) -> str | None:
        """The account the connection's credentials (or the role they assume) belong to.

        Asked of STS once per process and credentials, not once per run: many runs of one
        connection planned at once would otherwise queue on STS's rate limit.
        """
        key = (connection_id, _digest(credentials, *(str(credentials.get(k)) for k in ROLE_FIELDS)))

        def lookup() -> str:
            found = account_id(
                lambda service: self.get(settings, connection_id, credentials, "us-east-1", service)
            )
            if found is None:
                raise _NoAccountError
            return found

        try:
            return self.accounts.get(key, lookup)
        except _NoAccountError:  # not cached: the next plan asks again
            return None

    def clear(self) -> None:
        """Forget every client, account and assumed role (a test starting afresh)."""
        self.clients.clear()
        self.accounts.clear()
        self._assumed.clear()


ROLE_FIELDS = ("role_arn", "external_id")


class _NoAccountError(Exception):
    """STS did not say which account the credentials belong to."""


def _digest(credentials: Mapping[str, Any], *extra: str) -> str:
    parts = [str(credentials.get(k)) for k in ("access", "secret", "token")]
    return hashlib.sha256("\0".join([*parts, *extra]).encode()).hexdigest()


_session: boto3.session.Session | None = None


def _boto3_session() -> boto3.session.Session:
    """The process's boto3 session over its one botocore session (call under `session_lock()`)."""
    global _session
    if _session is None:
        botocore_session = aws_calls.botocore_session()
        client_classes.install(botocore_session)
        timestamps.install(botocore_session)
        _session = boto3.session.Session(botocore_session=botocore_session)
    return _session


def load_models(services: Iterable[str]) -> None:
    """Prepare the process's session for clients of `services`, as a crawl will make them.

    The api worker does so at start, before Dramatiq forks its processes. Otherwise the
    first client of each service would do this work while holding the session's lock, and
    every thread making a client would wait behind it. That work is: reading the service's
    model (tens of milliseconds of parsing), building its client class and shared model
    (services/api/providers/client_classes.py), and reading its endpoint rules. A first
    client cost 13 ms, and a later one 2 ms. A throwaway client of each service, made here
    with placeholder keys, does all of that once; no call is made with it.
    """
    with aws_calls.session_lock():
        session = _boto3_session()
        for service in sorted(set(services)):
            session.client(service, region_name="us-east-1", aws_access_key_id="-", aws_secret_access_key="-")


def new_client(settings: Settings, credentials: Mapping[str, Any], region: str, service: str) -> Any:
    """A client of `service` in `region` signing with `credentials`.

    Every client comes from the process's one session (shared/aws_calls.py's botocore
    session, under its lock): a session per client would load and hold the service's
    models again each time, tens of milliseconds and megabytes per client. Its clients
    read timestamps with services/api/providers/timestamps.py.
    """
    config = Config(
        retries={"mode": "adaptive", "max_attempts": settings.provider_max_attempts},
        connect_timeout=settings.provider_timeout,
        read_timeout=settings.provider_timeout,
        user_agent_extra="maestro-discovery",
    )
    with aws_calls.session_lock():
        client = _boto3_session().client(
            service,
            region_name=region,
            aws_access_key_id=credentials["access"],
            aws_secret_access_key=credentials["secret"],
            aws_session_token=credentials.get("token") or None,
            config=config,
        )
    client.meta.events.register("needs-retry", _count_throttle)
    metrics.count_client_made("aws")
    return client


def _count_throttle(response: Any = None, **_: Any) -> None:
    """Count a throttled response (botocore retries it in adaptive mode; we only count it)."""
    if not response:
        return
    http, parsed = response
    code = str((parsed or {}).get("Error", {}).get("Code", ""))
    if code in _THROTTLED or getattr(http, "status_code", 0) == 429:
        metrics.count_throttle()


clients = ClientCache()


def plan(
    settings: Settings,
    connection: Mapping[str, Any],
    provider: Provider,
    credentials: Mapping[str, Any],
    requested: Sequence[str] | None,
) -> Plan:
    """The connection's regions (`all`: every enabled one) and the account it reaches."""

    def client_for(service: str) -> Any:
        return clients.get(settings, str(connection["_id"]), credentials, "us-east-1", service)

    labels = region_labels(connection, requested, lambda: list_regions(client_for("ec2")))
    if not labels:
        raise ConnectionNotFoundError(f"connection {connection['_id']} has no regions to crawl")
    return Plan(regions=labels, account=clients.account(settings, str(connection["_id"]), credentials))


def fetch(settings: Settings, request: FetchRequest) -> Page:
    """One page of `request.resource` in its region (global services: from us-east-1)."""
    region = request.region if request.region != "global" else "us-east-1"

    def client_for(service: str) -> Any:
        return clients.get(settings, request.connection_id, request.credentials, region, service)

    scope = {**request.scope, "region": region}
    return fetch_page(request.resource, client_for, request.cursor, request.page_size, scope)


def fetch_page(
    resource: Resource,
    client_for: Callable[[str], Any],
    cursor: str | None,
    page_size: int,
    scope: Mapping[str, Any],
) -> Page:
    """List one page of the resource and run its enrichers; classify what goes wrong."""
    call = resource.call
    if not isinstance(call, AwsCall):
        raise PermanentProviderError(f"{resource.key} is not an AWS resource")
    region = str(scope.get("region"))
    params = aws_calls.request_params(call, cursor, page_size)
    try:
        response = getattr(client_for(call.client), call.operation)(**params)
        items = aws_calls.extract_items(call, response)
        for key in resource.drop:  # possible secrets never leave this process
            for item in items:
                item.pop(key, None)
        if resource.enrich:
            context = enrich.PageContext(resource=resource, scope=scope, client=client_for)
            items = enrich.run_enrichers(context, items)
    except ClientError as exc:
        raise classify(exc, resource, region) from None
    except (ParamValidationError, NoCredentialsError) as exc:
        raise PermanentProviderError(f"{call.client}.{call.operation} in {region}: {exc}") from None
    except (BotoConnectionError, BotoCoreError) as exc:
        raise TransientProviderError(
            f"{call.client}.{call.operation} in {region}: {type(exc).__name__}: {exc}"
        ) from None
    return Page(items=items, next_cursor=aws_calls.next_cursor(call, response))


def account_id(client_for: Callable[[str], Any]) -> str | None:
    """The account the credentials belong to (STS needs no permission for this)."""
    try:
        return str(client_for("sts").get_caller_identity()["Account"])
    except (ClientError, BotoCoreError, KeyError):
        return None


def classify(exc: ClientError, resource: Resource, region: str) -> Exception:
    """Turn a botocore ClientError of a resource's list call into a provider error."""
    where = f"{resource.call.client}.{resource.call.operation} in {region}"
    return client_error(exc, where, ", ".join(iam_actions(resource)))


def client_error(exc: ClientError, where: str, needs: str) -> Exception:
    """A botocore ClientError as a permanent or transient provider error.

    A refusal names the call (`where`) and the IAM actions it takes (`needs`).
    """
    error = exc.response.get("Error", {})
    code = str(error.get("Code", "Unknown"))
    message = str(error.get("Message", "")).strip()
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    if code in _DENIED or status in (401, 403):
        return AccessDeniedError(
            f"{code}: {where} was refused ({message or 'no detail'}); the credentials need {needs}"
        )
    if code in _THROTTLED or status == 429 or status >= 500:
        return TransientProviderError(f"{code}: {where} ({message or status})")
    return PermanentProviderError(f"{code}: {where} failed: {message or status}")


def list_regions(client: Any) -> list[str]:
    """Every region enabled for the account (for connections whose regions say `all`)."""
    try:
        response = client.describe_regions(AllRegions=False)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "Unknown")
        raise PermanentProviderError(f"{code}: ec2.describe_regions failed") from None
    return sorted(r["RegionName"] for r in response.get("Regions", []))


ADAPTERS.register("aws", Adapter(plan=plan, fetch=fetch))
