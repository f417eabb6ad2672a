"""/api/v1/members: join, changes, transfers through the API; errors are JSON with 4xx codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from gonghui.core.services import create_token
from gonghui.members.models import Member, TransferRequest
from gonghui.members.testing import make_member, unique_id

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, key = create_token(None, user, "test")
    return {"Authorization": f"Bearer {key}"}


def test_join_change_and_history_through_the_api(world: Any) -> None:
    client, auth = Client(), bearer(world.officer_a)
    number = unique_id()
    r = client.post("/api/v1/members", {"org": world.union_a.code, "name": "接口会员", "id_number": number,
                                        "joined_on": "2025-02-03", "mobile": "13800138000", "is_migrant": True},
                    content_type="application/json", headers=auth)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["masked"] and body["id_number"] != number and body["is_migrant"]
    r = client.post(f"/api/v1/members/{body['id']}/changes", {"change_type": "retain", "on": "2025-06-01",
                                                              "reason": "退休"},
                    content_type="application/json", headers=auth)
    assert r.status_code == 200 and r.json()["status"] == "retained"
    history = client.get(f"/api/v1/members/{body['id']}/history", headers=auth).json()
    assert [h["change_type"] for h in history["items"]] == ["retain", "join"]
    bad = client.post(f"/api/v1/members/{body['id']}/changes", {"change_type": "retain", "on": "2025-07-01"},
                      content_type="application/json", headers=auth)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    dup = client.post("/api/v1/members", {"org": world.union_a.code, "name": "接口会员", "id_number": number,
                                          "joined_on": "2025-02-03"}, content_type="application/json", headers=auth)
    assert dup.status_code == 400 and "已是" in str(dup.json()["detail"])
    elsewhere = client.post("/api/v1/members", {"org": world.union_b.code, "name": "越权", "id_number": unique_id(),
                                                "joined_on": "2025-02-03"}, content_type="application/json",
                            headers=auth)
    assert elsewhere.status_code == 404


def test_transfer_through_the_api(world: Any) -> None:
    m = make_member(world.union_a, name="接口转会")
    client = Client()
    r = client.post(f"/api/v1/members/{m.pk}/transfer", {"to_org": world.union_b.code, "on": "2025-05-01",
                                                         "reason": "工作调动"},
                    content_type="application/json", headers=bearer(world.officer_a))
    assert r.status_code == 201, r.content
    tid = r.json()["id"]
    inbox = client.get(f"/api/v1/members/transfers?org={world.union_b.code}&direction=in",
                       headers=bearer(world.officer_b)).json()
    assert [t["id"] for t in inbox["items"]] == [tid]
    own = client.post(f"/api/v1/members/transfers/{tid}", {"action": "accept"}, content_type="application/json",
                      headers=bearer(world.officer_a))
    assert own.status_code == 403
    ok = client.post(f"/api/v1/members/transfers/{tid}", {"action": "accept", "note": "同意"},
                     content_type="application/json", headers=bearer(world.officer_b))
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    assert Member.objects.get(org=world.union_b).person_id == m.person_id
    assert TransferRequest.objects.get().status == "accepted"


def test_list_filters_and_pagination(world: Any) -> None:
    for i in range(3):
        make_member(world.union_a, name=f"列表会员{'一二三'[i]}", joined_on=dt.date(2024, 1, 1),
                    is_migrant=i == 0)
    make_member(world.union_b, name="他区会员")
    client, auth = Client(), bearer(world.town_officer)
    page = client.get("/api/v1/members?page_size=2", headers=auth).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert client.get("/api/v1/members?migrant=true", headers=auth).json()["count"] == 1
    assert client.get(f"/api/v1/members?org={world.union_b.code}", headers=auth).status_code == 404
    vocab = client.get("/api/v1/members/vocabulary", headers=auth).json()
    assert any(v["column"] == "学历" and v["values"]["bachelor"] == "大学本科" for v in vocab)
