"""Write the generated parts of docs/providers/*.md from the task catalogue.

    python tools/provider_docs.py            # name the pages whose generated parts are stale
    python tools/provider_docs.py --write    # rewrite those parts

A page holds blocks between `<!-- generated: NAME by tools/provider_docs.py -->` and
`<!-- /generated: NAME -->`; the text around them is written by hand. The blocks:

- `form`: the fields of Maestro's connection form for the page's providers (what
  `GET /available/info/<provider>` serves), and where Maestro keeps each one;
- `resources`: one row per resource: task, resource key, provider call, collection, the
  family and provider label the sweep tells resources apart by, and (AWS) IAM actions;
- `iam-policy` (AWS): the least-privilege policy for every task, `shared.catalog.iam_policy`;
- `providers` (the generic libcloud page): each provider with its credential fields,
  regions and tasks.

Every provider of the catalogue has one page: the ones named in `PAGES`, and every other
libcloud provider on `GENERIC_PAGE`. tests/unit/test_provider_docs.py checks that each page
holds exactly what this generates.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared.catalog import PROVIDERS, iam_actions, iam_policy  # noqa: E402
from shared.resource import Provider, Resource  # noqa: E402

DOCS = ROOT / "docs" / "providers"

# page (docs/providers/<page>.md) -> the slugs of the providers it documents
PAGES: dict[str, tuple[str, ...]] = {
    "aws": ("aws",),
    "openstack": ("openstack",),
    "azure": ("azure",),
    "gce": ("gce",),
    "digitalocean": ("digitalocean", "spaces"),
    "maestro-files": ("file",),
    "ansible": ("ansible",),
    "terraform": ("terraform",),
}
GENERIC_PAGE = "libcloud"

BEGIN = "<!-- generated: {name} by tools/provider_docs.py -->"
END = "<!-- /generated: {name} -->"
_BLOCK = re.compile(
    r"<!-- generated: (?P<name>[\w-]+) by tools/provider_docs\.py -->\n"
    r"(?P<body>(?:.*?\n)?)<!-- /generated: (?P=name) -->",
    re.DOTALL,
)


class StalePageError(Exception):
    """A page lacks a block its generator makes, or the catalogue has a provider no page has."""


def generic_providers() -> list[Provider]:
    """The libcloud providers no page of their own claims, by label."""
    claimed = {slug for slugs in PAGES.values() for slug in slugs}
    generic = [p for p in PROVIDERS.values() if p.slug not in claimed and p.adapter == "libcloud"]
    return sorted(generic, key=lambda p: p.label.lower())


def page_providers(page: str) -> list[Provider]:
    if page == GENERIC_PAGE:
        return generic_providers()
    return [PROVIDERS[slug] for slug in PAGES[page]]


def pages() -> list[str]:
    """Every page's name; StalePageError when a provider would be on none."""
    names = [*PAGES, GENERIC_PAGE]
    covered = {p.slug for page in names for p in page_providers(page)}
    missing = sorted(set(PROVIDERS) - covered)
    if missing:
        raise StalePageError(
            f"providers without a page: {missing}; add them to PAGES in tools/provider_docs.py "
            "and write docs/providers/<page>.md"
        )
    return names


def _code(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"`{v}`" for v in values) or "-"


def form_table(providers: list[Provider]) -> str:
    """Each method of each provider's form: its service and fields."""
    parts: list[str] = []
    for provider in providers:
        for method in provider.info.get("data", []):
            template = method["template"]
            lines = [
                f"**{provider.label}: {method['label']}** (`provider`: `{provider.label}`, "
                f"`service`: `{method['service']}`)",
                "",
                "| Field | Form label | Kept | Required |",
                "|---|---|---|---|",
            ]
            for where, fields in (
                ("in `conn`, signed", template.get("conn", [])),
                ("on the connection", template.get("extra", [])),
            ):
                for f in fields:
                    required = "yes" if f.get("required") else "no"
                    lines.append(f"| `{f['name']}` | {f['label']} | {where} | {required} |")
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _label(r: Resource) -> str:
    return " / ".join(f"`{v}`" for v in (r.family, r.app_provider) if v) or "-"


def resources_table(providers: list[Provider]) -> str:
    """One row per resource; a Provider column when the page has several, IAM for AWS."""
    several = len(providers) > 1
    iam = any(p.adapter == "aws" for p in providers)
    head = ["Task", "Resource", "Provider call", "Collection", "Family / provider label"]
    head = (["Provider"] if several else []) + head + (["IAM actions"] if iam else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for provider in providers:
        for task, resources in sorted(provider.tasks().items()):
            for r in sorted(resources, key=lambda r: r.key):
                once = "" if r.regional or provider.adapter != "aws" else " (once per account)"
                cells = [f"`{task}`", f"`{r.key}`", f"`{r.call.client}.{r.call.operation}`{once}"]
                cells += [f"`{r.collection}`", _label(r)]
                actions = [_code(iam_actions(r))] if iam else []
                cells = ([provider.label] if several else []) + cells + actions
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def providers_table(providers: list[Provider]) -> str:
    """The generic libcloud page: one row per provider."""
    lines = [
        "| Provider (`provider` label) | Slug | `service` | Credential fields | Regions | Tasks |",
        "|---|---|---|---|---|---|",
    ]
    for p in providers:
        fields = [f for d in p.info.get("data", []) for f in d["template"].get("conn", [])]
        shown = ", ".join(f"`{f['name']}`" + ("" if f.get("required") else " (optional)") for f in fields)
        services = _code([d["service"] for d in p.info.get("data", [])])
        if p.default_regions == ("global",):
            regions = "account-wide"
        else:
            regions = "per region, default " + _code(p.default_regions)
        cells = [p.label, f"`{p.slug}`", services, shown or "-", regions, _code(sorted(p.tasks()))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def policy_block(provider: Provider) -> str:
    return "```json\n" + json.dumps(iam_policy(provider), indent=2) + "\n```"


def blocks(page: str) -> dict[str, str]:
    """The generated blocks of `page`, by name."""
    providers = page_providers(page)
    made = {"resources": resources_table(providers)}
    if page == GENERIC_PAGE:
        made["providers"] = providers_table(providers)
    else:
        made["form"] = form_table(providers)
    aws = [p for p in providers if p.adapter == "aws"]
    if aws:
        made["iam-policy"] = policy_block(aws[0])
    return made


def written(text: str) -> dict[str, str]:
    """The generated blocks a page's text holds, by name."""
    return {m["name"]: m["body"].removesuffix("\n") for m in _BLOCK.finditer(text)}


def render(page: str, text: str) -> str:
    """`text` with every generated block of `page` replaced; StalePageError if one is missing."""
    made = blocks(page)
    missing = sorted(set(made) - set(written(text)))
    if missing:
        raise StalePageError(
            f"docs/providers/{page}.md lacks the block(s) {missing}: add "
            + ", ".join(f"{BEGIN.format(name=n)} ... {END.format(name=n)}" for n in missing)
        )

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        body = made.get(name, match["body"].removesuffix("\n"))
        return f"{BEGIN.format(name=name)}\n{body}\n{END.format(name=name)}"

    return _BLOCK.sub(replace, text)


def stale() -> list[str]:
    """The pages whose generated blocks differ from what the catalogue makes now."""
    out = []
    for page in pages():
        text = (DOCS / f"{page}.md").read_text(encoding="utf-8")
        if render(page, text) != text:
            out.append(page)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="rewrite the generated blocks")
    args = parser.parse_args()
    names = stale()
    if args.write:
        for page in names:
            path = DOCS / f"{page}.md"
            path.write_text(render(page, path.read_text(encoding="utf-8")), encoding="utf-8")
    for page in names:
        print(f"docs/providers/{page}.md: {'rewritten' if args.write else 'stale'}")
    return 1 if names and not args.write else 0


if __name__ == "__main__":
    raise SystemExit(main())
