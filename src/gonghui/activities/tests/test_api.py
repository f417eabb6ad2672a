"""/api/v1/activities and the publicity collections through bearer tokens."""

from typing import Any

import pytest
from django.test import Client

from gonghui.activities.models import Activity
from gonghui.activities.testing import id_number, make_activity, person
from gonghui.core.models import AuditLog
from gonghui.core.services import create_token

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"Authorization": f"Bearer {create_token(None, user)[1]}"}


def test_openapi_lists_the_collections(world) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/activities", "/api/v1/activities/{activity_id}/participants", "/api/v1/activity_types",
                 "/api/v1/publicity_items", "/api/v1/material_distributions", "/api/v1/facilities",
                 "/api/v1/star_ratings", "/api/v1/assessments", "/api/v1/organising_campaigns", "/api/v1/coverage"):
        assert path in paths, path


def test_create_add_participants_and_read_back_counts(world) -> None:
    client, headers = Client(), _auth(world.officer_a)
    created = client.post("/api/v1/activities", content_type="application/json", headers=headers, data={
        "org": "GZ.A.S1.0001", "title": "职工书法培训班", "type": "training", "start_on": "2025-04-01",
        "end_on": "2025-04-03", "sessions": 3, "hours": "9", "co_organisers": ["GZ.A.S1"]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["co_organisers"] == ["GZ.A.S1"] and body["persons"] == 0 and body["hours"] in ("9.0", 9.0)
    url = f"/api/v1/activities/{body['id']}/participants"
    people = [{"name": "李娜", "id_number": id_number("female"), "attendances": 3, "certified": True},
              {"name": "王强", "id_number": id_number("male"), "attendances": 2}]
    added = client.post(url, content_type="application/json", headers=headers, data=people)
    assert added.status_code == 201 and len(added.json()) == 2
    assert "*" in added.json()[0]["id_number"]  # masked, never the full number
    one = client.get(f"/api/v1/activities/{body['id']}", headers=headers).json()
    assert (one["persons"], one["person_times"]) == (2, 5)
    listed = client.get(url, headers=headers).json()
    assert listed["count"] == 2
    duplicate = client.post(url, content_type="application/json", headers=headers, data=people[:1])
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "invalid"
    assert AuditLog.objects.filter(object_type="activities.ActivityParticipant", username="officer_a").count() == 2


def test_bad_input_is_a_chinese_4xx_never_a_500(world) -> None:
    client, headers = Client(), _auth(world.officer_a)
    base = {"org": "GZ.A.S1.0001", "title": "讲座", "type": "lecture", "start_on": "2025-04-01"}
    cases: list[tuple[dict[str, Any], int]] = [
        ({"type": "不存在的类型"}, 400),
        ({"end_on": "2025-03-01", "headcount_only": True, "headcount": 5}, 400),
        ({"start_on": "2025-02-30"}, 422),
        ({"co_organisers": ["NOPE"]}, 400),
        ({"org": "GZ.B.S1.0001"}, 404),
    ]
    for extra, status in cases:
        response = client.post("/api/v1/activities", content_type="application/json", headers=headers,
                               data={**base, **extra})
        assert response.status_code == status, (extra, response.content)
        assert response.json()["code"] in ("invalid", "invalid_input", "not_found")
    assert not Activity.objects.exists()


def test_lists_filter_by_subtree_type_and_date(world) -> None:
    make_activity(world.union_a, "lecture", title="甲讲座")
    make_activity(world.union_a2, "sports", title="乙运动会")
    make_activity(world.union_b, "lecture", title="丙讲座")
    client, headers = Client(), _auth(world.city_admin)
    titles = {a["title"] for a in client.get("/api/v1/activities?org=GZ.A&type=lecture",
                                             headers=headers).json()["items"]}
    assert titles == {"甲讲座"}
    mine = client.get("/api/v1/activities", headers=_auth(world.officer_a)).json()
    assert [a["title"] for a in mine["items"]] == ["甲讲座"]
    assert client.get("/api/v1/activities?date_from=2026-01-01", headers=headers).json()["count"] == 0


def test_patch_and_delete_go_through_the_services(world) -> None:
    activity = make_activity(world.union_a, "lecture", people=[person()])
    client, headers = Client(), _auth(world.officer_a)
    patched = client.patch(f"/api/v1/activities/{activity.pk}", content_type="application/json", headers=headers,
                           data={"title": "改名后的讲座", "topics": ["legal"]})
    assert patched.status_code == 200 and patched.json()["topics"] == ["legal"]
    assert client.patch(f"/api/v1/activities/{activity.pk}", content_type="application/json", headers=headers,
                        data={"headcount_only": True, "headcount": 9}).status_code == 400
    assert client.delete(f"/api/v1/activities/{activity.pk}", headers=_auth(world.officer_b)).status_code == 404
    assert client.delete(f"/api/v1/activities/{activity.pk}", headers=headers).status_code == 204
    assert not Activity.objects.exists()


def test_types_publicity_and_materials(world) -> None:
    client, headers = Client(), _auth(world.town_officer)
    created = client.post("/api/v1/activity_types", content_type="application/json", headers=headers,
                          data={"org": "GZ.A.S1", "name": "道德讲堂", "code": "moral-lecture", "counts_as": "lecture"})
    assert created.status_code == 201 and created.json()["base_code"] == "lecture"
    types = client.get("/api/v1/activity_types?page_size=500", headers=_auth(world.officer_b)).json()["items"]
    assert "道德讲堂" not in {t["name"] for t in types} and "普法宣传" in {t["name"] for t in types}
    item = client.post("/api/v1/publicity_items", content_type="application/json", headers=headers, data={
        "org": "GZ.A.S1", "type": "report", "title": "街道开展普法", "published_on": "2025-03-16", "outlet": "南方工报",
        "level": "provincial", "adopted_by": "工人日报", "adopted_level": "national"})
    assert item.status_code == 201, item.content
    assert client.post("/api/v1/publicity_items", content_type="application/json", headers=headers, data={
        "org": "GZ.A.S1", "type": "report", "title": "x", "published_on": "2025-03-16", "outlet": "y",
        "adopted_by": "工人日报"}).status_code == 400  # adopted without its level
    material = client.post("/api/v1/material_distributions", content_type="application/json", headers=headers,
                           data={"org": "GZ.A.S1", "distributed_on": "2025-03-15", "topic": "legal",
                                 "title": "劳动合同法问答", "copies": 500})
    assert material.status_code == 201
    assert client.get("/api/v1/material_distributions?topic=legal", headers=headers).json()["count"] == 1


def test_participants_can_be_added_by_member_id(world) -> None:
    from gonghui.members.testing import make_member

    member = make_member(world.union_a, name="陈静")
    activity = make_activity(world.union_a, "lecture", people=[])
    client, headers = Client(), _auth(world.officer_a)
    added = client.post(f"/api/v1/activities/{activity.pk}/participants", content_type="application/json",
                        headers=headers, data=[{"member": member.pk}])
    assert added.status_code == 201 and added.json()[0]["person"] == member.person_id
    stranger = make_member(world.union_b, name="陈亮")
    refused = client.post(f"/api/v1/activities/{activity.pk}/participants", content_type="application/json",
                          headers=headers, data=[{"member": stranger.pk}])
    assert refused.status_code == 404
