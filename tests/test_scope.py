"""Data scope, proven for every model that holds data, through every door.

The models are discovered from the app registry: a new model without a scope
rule (``Scoped``) or without a ``ScopeCase`` in its app's ``tests/scope_cases.py``
fails ``test_every_model_has_a_scope_rule_and_a_case``.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

import gonghui
from gonghui.core.scope import GLOBAL_MODELS, Scoped
from gonghui.core.scopecase import ScopeCase


def _gonghui_models() -> list[Any]:
    return [m for m in apps.get_models() if m.__module__.startswith("gonghui.") and not m._meta.abstract]


def _cases() -> dict[str, ScopeCase]:
    cases: dict[str, ScopeCase] = {}
    for info in pkgutil.iter_modules(gonghui.__path__):
        try:
            module = importlib.import_module(f"gonghui.{info.name}.tests.scope_cases")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(f"gonghui.{info.name}.tests"):
                continue
            raise
        for case in module.CASES:
            cases[case.model._meta.label] = case
    return cases


CASES = _cases()


def test_every_model_has_a_scope_rule_and_a_case() -> None:
    problems = []
    for model in _gonghui_models():
        label = model._meta.label
        if label in GLOBAL_MODELS:
            continue
        if not issubclass(model, Scoped):
            problems.append(f"{label}: not Scoped — say how it belongs to a union (scope_fields)")
        elif label not in CASES:
            problems.append(f"{label}: no ScopeCase in {model._meta.app_config.name}.tests.scope_cases")
    assert not problems, "\n".join(problems)


def test_no_case_for_a_global_model() -> None:
    assert not set(GLOBAL_MODELS) & set(CASES)


def _ids(qs: Any) -> set[Any]:
    return set(qs.values_list("pk", flat=True))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bearer(user: Any) -> dict[str, str]:
    from gonghui.core.services import create_token

    _token, key = create_token(None, user, "scope test")
    return {"Authorization": f"Bearer {key}"}


pytestmark = pytest.mark.django_db


@pytest.fixture(params=sorted(CASES), ids=lambda label: label)
def case(request: Any) -> ScopeCase:
    return CASES[request.param]


@pytest.fixture
def obj_b(world: Any, case: ScopeCase) -> Any:
    """An object of the case's model that belongs to branch B's grassroots union."""
    obj = case.make(world, world.union_b)
    return type(obj)._default_manager.get(pk=obj.pk)


def test_list_selector_hides_other_branch(world: Any, case: ScopeCase, obj_b: Any) -> None:
    assert obj_b.pk not in _ids(case.list(world.officer_a))
    assert obj_b.pk not in _ids(case.list(world.town_officer))
    assert obj_b.pk not in _ids(case.list(world.nobody))
    assert obj_b.pk in _ids(case.list(world.city_admin))


def test_service_refuses_other_branch(world: Any, case: ScopeCase, obj_b: Any) -> None:
    if case.change is None:
        pytest.skip(case.note or "immutable record")
    for user in (world.officer_a, world.town_officer, world.nobody):
        with pytest.raises((Http404, PermissionDenied)):
            case.change(user, type(obj_b)._default_manager.get(pk=obj_b.pk))
    case.change(world.city_admin, type(obj_b)._default_manager.get(pk=obj_b.pk))


def test_pages_answer_404_for_other_branch(world: Any, case: ScopeCase, obj_b: Any) -> None:
    urls = case.ui_urls(obj_b) if case.ui_urls else []
    lists = case.ui_lists(obj_b) if case.ui_lists else []
    if not urls and not lists:
        pytest.skip("no page shows this record")
    officer, admin = _client(world.officer_a), _client(world.city_admin)
    for url in urls:
        assert officer.get(url).status_code == 404, url
        assert admin.get(url).status_code == 200, url
    for url, marker in lists:
        assert marker not in officer.get(url).content.decode(), url
    admin_lists = [(u, m) for u, m in lists if u != "/account/"]  # tokens are shown to their owner only
    for url, marker in admin_lists:
        assert marker in admin.get(url).content.decode(), url


def test_api_answers_404_for_other_branch(world: Any, case: ScopeCase, obj_b: Any) -> None:
    urls = case.api_urls(obj_b) if case.api_urls else []
    lists = case.api_lists(obj_b) if case.api_lists else []
    if not urls and not lists:
        pytest.skip("the API has no collection for this record")
    client = Client()
    officer, admin = _bearer(world.officer_a), _bearer(world.city_admin)
    for url in urls:
        response = client.get(url, headers=officer)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
        assert client.get(url, headers=admin).status_code == 200, url
    for url, marker in lists:
        assert marker not in client.get(url, headers=officer).content.decode(), url
        assert marker in client.get(url, headers=admin).content.decode(), url


def test_export_leaves_out_other_branch(world: Any, case: ScopeCase, obj_b: Any) -> None:
    if case.export is None:
        pytest.skip("no export of this record")
    marker = case.export_marker(obj_b)
    own_rows = case.export(world.officer_a, world.union_a)
    assert all(marker not in map(str, row) for row in own_rows)
    with pytest.raises(Http404):
        from gonghui.orgs.selectors import get_org

        case.export(world.officer_a, get_org(world.officer_a, world.union_b.code))
    admin_rows = case.export(world.city_admin, world.root)
    assert any(marker in map(str, row) for row in admin_rows)
