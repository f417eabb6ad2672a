from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gonghui.core.scope import Scope
from gonghui.portal.nav import sections_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """Sidebar sections and the current union for every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_sections": sections_for(Scope.of(user)), "current_org": getattr(request, "current_org", None)}
