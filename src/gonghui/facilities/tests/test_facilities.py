"""The facility registry: services, recognitions, services counted from activities, pages and API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gonghui.activities.testing import make_activity, person
from gonghui.core.models import AuditLog
from gonghui.core.services import create_token
from gonghui.facilities import selectors, services
from gonghui.facilities.forms import RecognitionForm

pytestmark = pytest.mark.django_db
D = dt.date


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _station(world, **kw):
    return services.create_facility(world.officer_a, world.union_a, type="outdoor_station", name="甲公司爱心驿站",
                                    address="广州市天河区猎德大道1号", opened_on=D(2024, 6, 1),
                                    services=["water", "rest", "charging"], **kw)


def test_facilities_validate_and_audit(world) -> None:
    station = _station(world)
    assert AuditLog.objects.filter(object_type="facilities.Facility", username="officer_a").exists()
    with pytest.raises(ValidationError, match="会站家一体化"):
        services.update_facility(world.officer_a, station, with_service_station=True)
    station.refresh_from_db()
    with pytest.raises(ValidationError, match="未知的服务项目"):
        services.update_facility(world.officer_a, station, services=["spa"])
    station.refresh_from_db()
    with pytest.raises(ValidationError, match="只能命名为"):
        services.add_recognition(world.officer_a, station, title="model_home", level="city",
                                 recognised_on=D(2025, 1, 1), awarded_by="市总工会")
    services.add_recognition(world.officer_a, station, title="model_station", level="city",
                             recognised_on=D(2025, 1, 1), awarded_by="市总工会")
    with pytest.raises(ValidationError, match="同一级别"):
        services.add_recognition(world.officer_a, station, title="model_station", level="city",
                                 recognised_on=D(2025, 2, 1), awarded_by="市总工会")
    with pytest.raises(ValidationError, match="停用原因"):
        services.close_facility(world.officer_a, station, on=D(2025, 12, 1), reason=" ")
    services.close_facility(world.officer_a, station, on=D(2025, 12, 1), reason="道路改造拆除")
    with pytest.raises(ValidationError, match="已于"):
        services.close_facility(world.officer_a, station, on=D(2025, 12, 2), reason="再次停用")


def test_grants_come_from_the_union_or_above(world) -> None:
    library = services.create_facility(None, world.union_a, type="library", name="甲公司职工书屋", address="x",
                                       opened_on=D(2020, 4, 23))
    services.add_grant(world.town_officer, library, granted_on=D(2025, 4, 23), granted_by=world.street_a,
                       amount=Decimal("3000"), books=200)
    with pytest.raises(ValidationError, match="拨付工会应为"):
        services.add_grant(world.officer_a, library, granted_on=D(2025, 4, 23), granted_by=world.union_a2,
                           amount=Decimal("1"))
    with pytest.raises(ValidationError, match="补助金额或配送图书"):
        services.add_grant(None, library, granted_on=D(2025, 4, 23))


def test_services_are_counted_from_the_activities_held_there(world) -> None:
    station = _station(world)
    regular = person("陈师傅")
    make_activity(world.union_a, "facility_service", title="驿站1月服务", start_on=D(2025, 1, 31), facility=station,
                  headcount=420, estimated=True)
    make_activity(world.union_a, "volunteer_service", title="驿站义诊", start_on=D(2025, 3, 5), facility=station,
                  sessions=2, people=[services_person(regular, 2), person()])
    make_activity(world.union_a, "volunteer_service", title="驿站送清凉", start_on=D(2025, 7, 5), facility=station,
                  people=[regular])
    make_activity(world.union_a, "facility_service", title="去年服务", start_on=D(2024, 12, 20), facility=station,
                  headcount=100)
    year = selectors.services(world.officer_a, station, date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    assert (year.activities, year.sessions, year.visits, year.persons, year.estimated) == (3, 4, 424, 422, True)
    assert selectors.services(world.officer_a, station).visits == 524
    page = _client(world.officer_a).get(f"/facilities/{station.pk}/").content.decode()
    assert "驿站义诊" in page and "约524" in page  # all-time visits, one record estimated
    api = Client().get(f"/api/v1/facilities/{station.pk}/services?date_from=2025-01-01",
                       headers={"Authorization": f"Bearer {create_token(None, world.officer_a)[1]}"}).json()
    assert api["visits"] == 424 and api["persons"] == 422


def services_person(p, attendances):
    from gonghui.activities.services import PersonIn

    return PersonIn(**{**p.__dict__, "attendances": attendances})


def test_pages_list_filter_create_and_figures(world) -> None:
    _station(world)
    client = _client(world.town_officer)
    assert "甲公司爱心驿站" in client.get("/facilities/?type=outdoor_station").content.decode()
    assert "甲公司爱心驿站" not in client.get("/facilities/?type=library").content.decode()
    response = client.post("/facilities/new/", {"type": "home", "name": "A区一街道职工之家", "address": "猎德路8号",
                                                "opened_on": "2025-05-01", "books": 0, "services": ["books", "legal"]})
    assert response.status_code == 302
    figures = client.get("/facilities/figures/?year=2025").content.decode()
    assert "职工之家" in figures and "户外劳动者服务站" in figures
    assert client.get("/facilities/?export=1")["Content-Type"].startswith("application/vnd.openxmlformats")


def test_api_creates_and_recognises(world) -> None:
    headers = {"Authorization": f"Bearer {create_token(None, world.town_officer)[1]}"}
    client = Client()
    created = client.post("/api/v1/facilities", content_type="application/json", headers=headers, data={
        "org": "GZ.A.S1", "type": "home", "name": "街道职工之家", "address": "猎德路8号", "opened_on": "2021-05-01"})
    assert created.status_code == 201
    pk = created.json()["id"]
    rec = client.post(f"/api/v1/facilities/{pk}/recognitions", content_type="application/json", headers=headers,
                      data={"title": "model_home", "level": "national", "recognised_on": "2025-04-28",
                            "awarded_by": "中华全国总工会"})
    assert rec.status_code == 201
    listed = client.get("/api/v1/facilities?level=national", headers=headers).json()
    assert [f["name"] for f in listed["items"]] == ["街道职工之家"]
    assert listed["items"][0]["recognitions"][0]["level"] == "national"


def test_edit_close_recognition_and_grant_pages(world) -> None:
    station = _station(world)
    client = _client(world.officer_a)
    url = f"/facilities/{station.pk}/"
    edit = client.get(url + "edit/").content.decode()
    assert "编辑 甲公司爱心驿站" in edit and "Select an option" not in edit
    assert 'type="checkbox" name="services"' in edit
    response = client.post(url + "edit/", {"type": "outdoor_station", "name": "甲公司爱心驿站（二期）",
                                           "address": station.address, "opened_on": "2024-06-01", "books": 0,
                                           "services": ["water", "rest"]})
    assert response.status_code == 302 and response["Location"] == url
    station.refresh_from_db()
    assert station.name == "甲公司爱心驿站（二期）" and station.services == ["water", "rest"]

    page = client.post(url + "recognitions/new/", {"title": "", "level": "city"}).content.decode()
    assert "这个字段是必填项" in page or "必填" in page  # re-rendered with the error, nothing saved
    assert not station.recognitions.exists()
    title = RecognitionForm(facility=station).fields["title"].initial
    response = client.post(url + "recognitions/new/", {"title": title, "level": "city", "recognised_on": "2025-04-28",
                                                       "awarded_by": "市总工会"})
    assert response["Location"] == url + "#recognitions"
    recognition = station.recognitions.get()
    response = client.post(f"/facilities/recognitions/{recognition.pk}/edit/",
                           {"title": title, "level": "provincial", "recognised_on": "2025-04-28",
                            "awarded_by": "省总工会"})
    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.level == "provincial"

    response = client.post(url + "grants/new/", {"granted_on": "2025-03-01", "granted_by": world.union_a.pk,
                                                 "amount": "5000.00", "books": 200, "purpose": "更新图书"})
    assert response["Location"] == url + "#grants"
    grant = station.grants.get()
    client.post(f"/facilities/grants/{grant.pk}/edit/", {"granted_on": "2025-03-01", "granted_by": world.union_a.pk,
                                                         "amount": "6000.00", "books": 200, "purpose": "更新图书"})
    grant.refresh_from_db()
    assert grant.amount == Decimal("6000.00")

    response = client.post(url + "close/", {"on": "2025-12-31", "reason": "厂区搬迁"})
    assert response["Location"] == url
    station.refresh_from_db()
    assert station.closed_on == D(2025, 12, 31)
    assert _client(world.officer_b).get(url + "edit/").status_code == 404
