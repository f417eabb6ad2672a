import pytest
from django.test import Client

from gonghui.core.services import create_token

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"Authorization": f"Bearer {create_token(None, user)[1]}"}


def test_openapi_document_and_docs_are_served(world) -> None:
    client = Client()
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/orgs" in spec["paths"] and "/api/v1/employers" in spec["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


def test_missing_or_bad_token_is_401_json(world) -> None:
    client = Client()
    for headers in ({}, {"Authorization": "Bearer gh_nope"}):
        response = client.get("/api/v1/orgs", headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


def test_list_is_paginated_and_scoped(world) -> None:
    client = Client()
    body = client.get("/api/v1/orgs?page_size=2", headers=_auth(world.city_admin)).json()
    assert body["count"] == 8 and len(body["items"]) == 2
    assert body["items"][0] == {**body["items"][0], "code": "GZ", "parent": None}
    page4 = client.get("/api/v1/orgs?page_size=2&page=4", headers=_auth(world.city_admin)).json()
    assert [o["code"] for o in page4["items"]] == ["GZ.B.S1", "GZ.B.S1.0001"]
    mine = client.get("/api/v1/orgs", headers=_auth(world.officer_a)).json()
    assert [o["code"] for o in mine["items"]] == ["GZ.A.S1.0001"]
    assert mine["items"][0]["parent"] == "GZ.A.S1"


def test_org_filter_means_subtree(world) -> None:
    client = Client()
    body = client.get("/api/v1/orgs?org=GZ.A", headers=_auth(world.city_admin)).json()
    assert {o["code"] for o in body["items"]} == {"GZ.A", "GZ.A.S1", "GZ.A.S1.0001", "GZ.A.S1.0002"}
    assert client.get("/api/v1/orgs?org=GZ.B", headers=_auth(world.officer_a)).status_code == 404


@pytest.mark.parametrize("query", ["page_size=501", "page=0", "page=abc", "active=perhaps"])
def test_bad_query_is_422_json_not_500(world, query) -> None:
    response = Client().get(f"/api/v1/orgs?{query}", headers=_auth(world.city_admin))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_patch_goes_through_the_service_and_audits(world) -> None:
    from gonghui.core.models import AuditLog

    client = Client()
    response = client.patch("/api/v1/orgs/GZ.A.S1.0001", data={"name": "甲公司工会（API）", "covered_workers": 150},
                            content_type="application/json", headers=_auth(world.officer_a))
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "甲公司工会（API）"
    assert AuditLog.objects.filter(username="officer_a", object_repr="甲公司工会（API）").exists()
    bad = client.patch("/api/v1/orgs/GZ.A.S1.0001", data={"joint_type": "building"},
                       content_type="application/json", headers=_auth(world.officer_a))
    assert bad.status_code == 400 and "联合工会类型" in str(bad.json()["detail"])
    broken = client.patch("/api/v1/orgs/GZ.A.S1.0001", data="{not json", content_type="application/json",
                          headers=_auth(world.officer_a))
    assert 400 <= broken.status_code < 500


def test_viewer_patch_is_403(world) -> None:
    from gonghui.testing import make_user

    viewer = make_user("viewer_api", world.union_a, "viewer")
    response = Client().patch("/api/v1/orgs/GZ.A.S1.0001", data={"name": "x"}, content_type="application/json",
                              headers=_auth(viewer))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_create_child_and_employer(world) -> None:
    client = Client()
    response = client.post("/api/v1/orgs", data={"parent": "GZ.A.S1", "code": "GZ.A.S1.0100", "name": "API新建工会",
                                                 "kind": "grassroots", "founded_on": "2026-03-01"},
                           content_type="application/json", headers=_auth(world.town_officer))
    assert response.status_code == 201 and response.json()["parent"] == "GZ.A.S1"
    response = client.post("/api/v1/employers", data={"org": "GZ.A.S1", "name": "API单位", "industry": "G",
                                                      "ownership": "non_public", "headcount": 30},
                           content_type="application/json", headers=_auth(world.town_officer))
    assert response.status_code == 201 and response.json()["has_union"] is False
    listed = client.get("/api/v1/employers?org=GZ.A.S1&has_union=false", headers=_auth(world.town_officer)).json()
    assert [e["name"] for e in listed["items"]] == ["API单位"]


def test_session_auth_works_for_the_browser(world) -> None:
    client = Client()
    client.force_login(world.officer_a)
    assert client.get("/api/v1/me").json()["grants"][0]["org"] == "GZ.A.S1.0001"
