"""Every enricher, adapter, libcloud factory and import format the catalogue names is registered."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from services.api.providers import ADAPTERS
from services.api.providers.clouds import FACTORIES
from services.api.providers.enrich import ENRICHERS
from services.api.registries import check_catalogue, unknown_names, unmatched_enrichers
from shared.catalog import PROVIDERS, get_provider, get_resource
from shared.enrichers import ENRICHER_CALLS
from shared.errors import UnknownNameError
from shared.importers import IMPORTERS
from shared.resource import FileCall, Provider, Resource


def _with(provider: str, *resources: Resource, **changes: Any) -> Provider:
    """The real provider, holding only `resources`, with `changes` made to it."""
    return dataclasses.replace(get_provider(provider), resources=resources, **changes)


def _problem(provider: Provider) -> str:
    with pytest.raises(UnknownNameError) as raised:
        check_catalogue([provider])
    return str(raised.value)


def test_the_catalogue_names_only_registered_things() -> None:
    assert unknown_names(PROVIDERS.values()) == []
    check_catalogue()


def test_every_registry_is_used_by_the_catalogue() -> None:
    providers = list(PROVIDERS.values())
    resources = [r for p in providers for r in p.resources]
    assert {p.adapter for p in providers} == set(ADAPTERS.names())
    assert {p.options["factory"] for p in providers if "factory" in p.options} == set(FACTORIES.names())
    assert {r.call.client for r in resources if isinstance(r.call, FileCall)} == set(IMPORTERS.names())
    assert {name for r in resources for name in r.enrich} == set(ENRICHERS.names())


def test_a_misspelt_enricher_names_the_resource_the_name_and_the_known_enrichers() -> None:
    typo = dataclasses.replace(get_resource("aws.ecr.repositories"), enrich=("ecr_tagz",))
    message = _problem(_with("aws", typo))
    assert "resource aws.ecr.repositories: unknown enricher 'ecr_tagz'" in message
    assert f"(known: {', '.join(ENRICHERS.names())})" in message
    assert "ecr_tags" in ENRICHERS.names()


def test_the_declared_enrichers_are_the_implemented_ones() -> None:
    assert set(ENRICHER_CALLS) == set(ENRICHERS.names())
    assert unmatched_enrichers() == []


def test_an_enricher_declared_but_not_implemented_and_the_reverse_are_named() -> None:
    problems = unmatched_enrichers({*ENRICHER_CALLS, "ghost_tags"} - {"ecr_tags"})
    assert problems == [
        "enricher ghost_tags: declared in shared/enrichers.py, registered by no module of "
        "services/api/providers/enrich/",
        "enricher ecr_tags: registered in services/api/providers/enrich/, not declared (with "
        "the calls it makes) in shared/enrichers.py",
    ]


def test_a_misspelt_adapter_names_the_provider() -> None:
    message = _problem(_with("gce", adapter="libclod"))
    assert "provider gce: unknown adapter 'libclod' (known: aws, files, libcloud)" in message


def test_a_misspelt_factory_names_the_provider_and_its_option() -> None:
    gce = get_provider("gce")
    message = _problem(_with("gce", options={**gce.options, "factory": "gcee"}))
    assert "provider gce option factory: unknown libcloud factory 'gcee' (known: " in message
    assert f"(known: {', '.join(FACTORIES.names())})" in message


def test_a_misspelt_import_format_names_the_resource() -> None:
    resource = next(r for r in get_provider("file").resources if isinstance(r.call, FileCall))
    typo = dataclasses.replace(resource, call=FileCall("maestr", resource.call.operation))
    message = _problem(_with("file", typo))
    known = "(known: ansible, maestro, terraform)"
    assert f"resource {resource.key}: unknown import format 'maestr' {known}" in message


def test_every_problem_is_said_on_one_line() -> None:
    typo = dataclasses.replace(get_resource("aws.ecr.repositories"), enrich=("ecr_tagz", "tagz"))
    message = _problem(_with("aws", typo, adapter="awz"))
    assert "\n" not in message
    assert message.startswith(
        "the catalogue names what nothing registers: provider aws: unknown adapter 'awz' (known: "
    )
    assert "unknown enricher 'ecr_tagz'" in message and "unknown enricher 'tagz'" in message
