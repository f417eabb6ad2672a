import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_tree_page_shows_scope_roots_with_counts(world) -> None:
    page = _client(world.town_officer).get("/orgs/").content.decode()
    assert "A区一街道总工会" in page and "基层工会 2" in page
    assert "测试市总工会" not in page


def test_children_fragment_and_search(world) -> None:
    client = _client(world.city_admin)
    fragment = client.get("/orgs/GZ.A/children/").content.decode()
    assert "A区一街道总工会" in fragment and "<html" not in fragment
    found = client.get("/orgs/search/?q=丙公司").content.decode()
    assert "丙公司工会委员会" in found and "B区一街道总工会" in found  # shown with its path
    assert "丙公司工会委员会" not in _client(world.officer_a).get("/orgs/search/?q=丙公司").content.decode()


def test_edit_form_saves_through_service(world) -> None:
    client = _client(world.officer_a)
    form = client.get("/orgs/GZ.A.S1.0001/edit/")
    assert form.status_code == 200
    data = {"name": "甲公司工会（修订）", "kind": "grassroots", "mode": "single", "joint_type": "", "level": "",
            "covered_workers": 125, "region_code": "", "address": "天河路1号", "founded_on": "2015-03-01",
            "reelected_on": "", "term_years": 5, "account_opened_on": ""}
    response = client.post("/orgs/GZ.A.S1.0001/edit/", data)
    assert response.status_code == 302
    page = client.get("/orgs/GZ.A.S1.0001/").content.decode()
    assert "甲公司工会（修订）" in page
    data["term_years"] = 0
    response = client.post("/orgs/GZ.A.S1.0001/edit/", data)
    assert response.status_code == 200 and "is-invalid" in response.content.decode()


def test_switcher_changes_current_org_within_scope(world) -> None:
    client = _client(world.town_officer)
    client.post("/orgs/switch/", {"code": "GZ.A.S1.0002", "next": "/"})
    assert "乙公司工会委员会" in client.get("/").content.decode()
    assert client.post("/orgs/switch/", {"code": "GZ.B.S1"}).status_code == 404


def test_employer_list_export_is_a_real_workbook(world) -> None:
    client = _client(world.town_officer)
    response = client.get("/employers/?export=1")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[1][:2] == ["单位名称", "统一社会信用代码"]
    assert len(rows) == 2 + 2  # title, header, two employers of street A


def test_org_roster_export(world) -> None:
    response = _client(world.town_officer).get("/orgs/GZ.A.S1/export/")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    codes = [r[0] for r in rows[2:]]
    assert codes == ["GZ.A.S1", "GZ.A.S1.0001", "GZ.A.S1.0002"]
    assert rows[3][2] == "GZ.A.S1"  # parent code column


def test_phone_layout_has_viewport_and_collapsible_nav(world) -> None:
    page = _client(world.officer_a).get("/").content.decode()
    assert 'name="viewport"' in page and "navbar-toggler" in page
