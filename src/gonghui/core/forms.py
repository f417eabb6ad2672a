"""Form helpers shared by every domain: Tabler styling and HTML5 date inputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TablerFormMixin:
    """Give every widget Tabler's classes so templates can render fields generically."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
                attrs["class"] = attrs.get("class", "") + " is-invalid"


def save_form(request: Any, form: forms.BaseForm, save: Callable[[dict[str, Any]], Any], *,
              success: str | Callable[[Any], str], redirect_to: str | Callable[[Any], str]) -> HttpResponse | None:
    """The POST half of every edit page: validate, call the service, show its errors on the form.

    ``save`` receives the cleaned data (for a ModelForm: only the changed fields) and
    returns what it saved. Returns the redirect on success, ``None`` to re-render.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    if isinstance(form, forms.ModelForm) and form.instance.pk:
        data = {name: data[name] for name in form.changed_data if name in data}
    try:
        saved = save(data)
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None
    messages.success(request, success(saved) if callable(success) else success)
    return redirect(redirect_to(saved) if callable(redirect_to) else redirect_to)


def apply_validation_error(form: forms.BaseForm, exc: Any) -> None:
    """Show a service's ValidationError on the form: on its field, or at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for err in errors:
                form.add_error(target, err)
    else:
        for msg in exc.messages:
            form.add_error(None, msg)
