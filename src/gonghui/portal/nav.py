"""The sidebar: each domain app registers its pages in its AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass

from gonghui.core.scope import DOMAINS, Scope


@dataclass(frozen=True, slots=True)
class NavItem:
    domain: str
    label: str
    url_name: str
    icon: str
    capability: str
    order: int = 500
    section: str = ""  # sidebar heading; default: the domain's name


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _ITEMS[item.url_name] = item


def sections_for(scope: Scope) -> list[tuple[str, list[NavItem]]]:
    """Nav items the user may open, grouped by domain in registration order."""
    grouped: dict[str, list[NavItem]] = {}
    for item in sorted(_ITEMS.values(), key=lambda i: i.order):
        if scope.has(item.capability):
            grouped.setdefault(item.section or DOMAINS.get(item.domain, item.domain), []).append(item)
    return list(grouped.items())
