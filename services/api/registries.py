"""Every name the catalogue uses must be registered in the api stage's registries.

Providers and resources name what the api stage runs rather than import it (shared/
never imports services/): adapters (`Provider.adapter`), libcloud factories
(`options["factory"]`), import formats (`options["format"]`, `FileCall.client`) and
enrichers (`Resource.enrich`, declared with their calls in shared/enrichers.py: each
declared one must be implemented, each implemented one declared). The api stage checks
the catalogue as it starts (the worker, the gateway), so a misspelt name stops it at
once with one line saying where the name is used and which names are known, instead of
failing a crawl.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from services.api.providers import ADAPTERS
from services.api.providers.clouds import FACTORIES
from services.api.providers.enrich import ENRICHERS
from shared import catalog
from shared.enrichers import ENRICHER_CALLS
from shared.errors import UnknownNameError
from shared.importers import IMPORTERS
from shared.registry import Registry
from shared.resource import FileCall, Provider

# Provider options that name something registered, and the registry that holds it.
OPTIONS: Mapping[str, Registry[Any]] = {"factory": FACTORIES, "format": IMPORTERS}


def unknown_names(providers: Iterable[Provider]) -> list[str]:
    """What the providers and their resources name that no registry holds, one message each."""
    problems: list[str] = []
    for provider in providers:
        if provider.adapter not in ADAPTERS:
            problems.append(f"provider {provider.slug}: {ADAPTERS.unknown(provider.adapter)}")
        for option, registry in OPTIONS.items():
            name = provider.options.get(option)
            if name is not None and name not in registry:
                problems.append(f"provider {provider.slug} option {option}: {registry.unknown(str(name))}")
        for resource in provider.resources:
            problems.extend(
                f"resource {resource.key}: {ENRICHERS.unknown(name)}"
                for name in resource.enrich
                if name not in ENRICHERS
            )
            if isinstance(resource.call, FileCall) and resource.call.client not in IMPORTERS:
                problems.append(f"resource {resource.key}: {IMPORTERS.unknown(resource.call.client)}")
    return problems


def unmatched_enrichers(declared: Iterable[str] = ENRICHER_CALLS) -> list[str]:
    """The enrichers shared/enrichers.py declares that none implements, and the reverse."""
    declared = set(declared)
    implemented = set(ENRICHERS.names())
    return [
        *(
            f"enricher {name}: declared in shared/enrichers.py, registered by no module of "
            "services/api/providers/enrich/"
            for name in sorted(declared - implemented)
        ),
        *(
            f"enricher {name}: registered in services/api/providers/enrich/, not declared (with "
            "the calls it makes) in shared/enrichers.py"
            for name in sorted(implemented - declared)
        ),
    ]


def check_catalogue(providers: Iterable[Provider] | None = None) -> None:
    """UnknownNameError naming every unknown name `providers` use (default: the whole
    catalogue), and every enricher declared but not implemented or the reverse."""
    problems = unknown_names(catalog.PROVIDERS.values() if providers is None else providers)
    problems += unmatched_enrichers()
    if problems:
        raise UnknownNameError("the catalogue names what nothing registers: " + "; ".join(problems))


def aws_services() -> set[str]:
    """Every AWS service the catalogue's resources and their enrichers call."""
    from shared.enrichers import ENRICHER_CALLS

    services = {r.call.client for r in catalog.RESOURCES.values() if r.provider == "aws"}
    services |= {call.client for calls in ENRICHER_CALLS.values() for call in calls}
    return services
