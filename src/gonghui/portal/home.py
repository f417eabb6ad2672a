"""Panels on the home page: each domain app may add one (rendered in registration order)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string


@dataclass(frozen=True, slots=True)
class HomePanel:
    key: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]  # None hides the panel
    order: int = 500


_PANELS: dict[str, HomePanel] = {}


def register(panel: HomePanel) -> None:
    _PANELS[panel.key] = panel


def panels_for(request: HttpRequest, org: Any) -> list[str]:
    html: list[str] = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        ctx = panel.context(request, org)
        if ctx is not None:
            html.append(render_to_string(panel.template, {**ctx, "org": org}, request=request))
    return html
