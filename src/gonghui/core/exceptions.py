"""Errors services raise; views and the API turn them into Chinese messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from gonghui.core.scope import NotFound

__all__ = ["NotFound", "PermissionDenied", "ValidationError"]
