"""What the scope test needs to know about each data model, contributed by its app.

Each app lists a ``ScopeCase`` per model in ``<app>/tests/scope_cases.py``. The
test in ``tests/test_scope.py`` walks every model of every gonghui app and fails
for one without a case, then proves through the real doors (list selector,
service, page, API, export) that an officer of branch A cannot reach an object
of branch B, while the city administrator can.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet


@dataclass
class ScopeCase:
    model: type[Model]
    # Create an object owned by the union ``org`` (the test passes branch B's union).
    make: Callable[[Any, Any], Any]  # (world, org) -> obj
    # The selector a list page or API uses, for the acting user.
    list: Callable[[Any], QuerySet[Any]]
    # A write through the real service, as the acting user (None: the record is immutable).
    change: Callable[[Any, Any], Any] | None = None
    # Pages and API addresses that show the object; out of scope they answer 404.
    ui_urls: Callable[[Any], Sequence[str]] | None = None
    api_urls: Callable[[Any], Sequence[str]] | None = None
    # List pages / API lists where the object must not appear: (url, text that identifies it).
    ui_lists: Callable[[Any], Sequence[tuple[str, str]]] | None = None
    api_lists: Callable[[Any], Sequence[tuple[str, str]]] | None = None
    # An export for the acting user over ``org``'s subtree, returning rows (lists of cells).
    export: Callable[[Any, Any], Any] | None = None
    export_marker: Callable[[Any], str] | None = None
    note: str = ""
