"""/api/v1/annual-returns: the workflow through the API, scoped like every collection."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gonghui.core.services import create_token

pytestmark = pytest.mark.django_db
YEAR = 2025


def bearer(user: Any) -> dict[str, str]:
    _token, key = create_token(None, user, "api test")
    return {"Authorization": f"Bearer {key}"}


def test_fill_submit_return_accept_through_the_api(world: Any) -> None:
    c = Client()
    officer, street, other = bearer(world.officer_a), bearer(world.town_officer), bearer(world.officer_b)
    created = c.post("/api/v1/annual-returns", {"org": "GZ.A.S1.0001", "year": YEAR}, content_type="application/json",
                     headers=officer)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["is_aggregate"] is False
    cells = {(v["row"], v["column"]): v for v in body["values"]}
    assert cells[("1-01", "c01")]["origin"] == "computed" and cells[("1-01", "c01")]["value"] == "1.00"
    assert any(ch["check_id"] == "G-5" for ch in body["checks"])

    url = f"/api/v1/annual-returns/GZ.A.S1.0001/{YEAR}"
    bad = c.patch(url + "/values", {"values": [{"row": "2-04", "value": 999}]}, content_type="application/json",
                  headers=officer)
    assert bad.status_code == 400 and "修改原因" in str(bad.json()["detail"])
    assert c.post(url + "/submit", headers=officer).status_code == 400

    from gonghui.reports.annual_return import services
    from gonghui.reports.annual_return.models import AnnualReturn

    services.fill_blanks_with_zero(world.officer_a, AnnualReturn.objects.get(org=world.union_a, year=YEAR))
    detail = c.get(url, headers=officer).json()
    warnings = {ch["key"]: "已核实" for ch in detail["checks"] if ch["severity"] == "W"}
    if warnings:
        c.post(url + "/explanations", {"explanations": warnings}, content_type="application/json", headers=officer)
    submitted = c.post(url + "/submit", headers=officer)
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"

    assert c.post(url + "/accept", headers=officer).status_code == 403
    assert c.get(url, headers=other).status_code == 404
    assert c.post(url + "/accept", headers=other).json()["code"] == "not_found"
    returned = c.post(url + "/return", {"reason": "请核对职工人数"}, content_type="application/json", headers=street)
    assert returned.json()["status"] == "returned" and returned.json()["return_reason"] == "请核对职工人数"
    assert c.post(url + "/submit", headers=officer).json()["status"] == "submitted"
    assert c.post(url + "/accept", headers=street).json()["status"] == "accepted"

    listed = c.get("/api/v1/annual-returns?org=GZ.A.S1", headers=street).json()
    assert c.get("/api/v1/annual-returns?org=GZ.A", headers=street).status_code == 404
    assert listed["count"] == 1 and listed["items"][0]["org"] == "GZ.A.S1.0001"
    assert c.get("/api/v1/annual-returns", headers=other).json()["count"] == 0
    kids = c.get(f"/api/v1/annual-returns/GZ.A.S1/{YEAR}/children", headers=street).json()
    assert {k["org"]: k["status"] for k in kids} == {"GZ.A.S1.0001": "accepted", "GZ.A.S1.0002": "none"}
