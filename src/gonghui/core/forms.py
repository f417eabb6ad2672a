"""Form helpers shared by every domain: Tabler styling and HTML5 date inputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

BLANK_LABEL = "请选择"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TablerFormMixin:
    """Tabler's classes on every widget (templates render fields generically), Chinese blank choices, and
    optional number fields where the model has a default."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            # Django 6.1 has no Chinese for its blank choice (“- Select an option -”).
            if getattr(field, "empty_label", None):
                field.empty_label = BLANK_LABEL
            choices = list(getattr(field, "choices", None) or [])
            if choices and isinstance(choices[0], tuple) and choices[0][0] == "" and "Select" in str(choices[0][1]):
                field.choices = [("", BLANK_LABEL), *choices[1:]]
            # A number with a model default may be left empty: the box means the default (0), not an error.
            if isinstance(field, forms.IntegerField | forms.DecimalField) and self._has_default(name):
                field.required = False
                self.initial.setdefault(name, self._model_field(name).get_default())  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def _model_field(self, name: str) -> Any:
        meta = getattr(self, "_meta", None)
        if meta is None or meta.model is None:
            return None
        try:
            return meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def _has_default(self, name: str) -> bool:
        model_field = self._model_field(name)
        return model_field is not None and model_field.has_default()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # type: ignore[misc]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if data.get(name) is None and not field.required and self._has_default(name) and \
                    isinstance(field, forms.IntegerField | forms.DecimalField):
                data[name] = self._model_field(name).get_default()
        return data

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


def form_page(request: Any, form: forms.BaseForm, save: Callable[[dict[str, Any]], Any], *,
              success: str | Callable[[Any], str], redirect_to: str | Callable[[Any], str], title: str,
              back: str, back_label: str = "", crumbs: list[tuple[str, str]] | None = None,
              submit: str = "保存", delete_url: str = "", delete_label: str = "") -> HttpResponse:
    """A whole one-form edit page: on a valid POST call the service (``save_form``), else (re)render the form."""
    done = save_form(request, form, save, success=success, redirect_to=redirect_to)
    if done is not None:
        return done
    return render(request, "form_page.html", {"form": form, "title": title, "back": back,
                                              "back_label": back_label, "crumbs": crumbs, "submit": submit,
                                              "delete_url": delete_url, "delete_label": delete_label})


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
