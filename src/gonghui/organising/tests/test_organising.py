"""Organisation building: coverage (建会率) by independent recount, drives, ratings, assessments, pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client

from gonghui.core.services import create_token
from gonghui.organising import selectors, services
from gonghui.organising.models import Assessment, OrganisingCampaign
from gonghui.orgs import services as org_services
from gonghui.testing import make_employer, make_grassroots

pytestmark = pytest.mark.django_db
D = dt.date


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_coverage_counts_the_area_at_a_date(world) -> None:
    big = make_employer(world.street_a, name="大型未建会公司", headcount=260, above_scale=True)
    make_employer(world.street_a, name="小作坊", headcount=8, female_headcount=3)
    make_employer(world.street_a, name="未开业公司", headcount=80, established_on=D(2030, 1, 1))
    today = D(2026, 1, 1)
    cov = selectors.coverage(world.town_officer, world.street_a, today)
    assert (cov.employers, cov.covered, cov.rate) == (4, 2, Decimal("50.0"))
    assert selectors.coverage(world.town_officer, world.street_a, today, above_scale=True).rate == Decimal("0.0")
    assert [e.name for e in selectors.unorganised(world.town_officer, world.street_a, today)] == ["大型未建会公司"]
    # The employer founds a union: coverage rises from its founding date, not before.
    union = make_grassroots(world.street_a, "GZ.A.S1.0009", name="大型公司工会")
    union.covered_entities.set([big])
    org_services.update_org(None, union, founded_on=D(2025, 7, 1))
    assert selectors.coverage(world.town_officer, world.street_a, D(2025, 6, 30)).covered == 2
    assert selectors.coverage(world.town_officer, world.street_a, today).covered == 3
    with pytest.raises(Http404):
        selectors.coverage(world.officer_b, world.street_a, today)


def test_new_employment_form_sectors_are_found_by_trade(world) -> None:
    make_employer(world.street_a, name="某快递网点", headcount=40, female_headcount=6, trades=["快递业"])
    make_employer(world.street_a, name="某外卖站点", headcount=60, female_headcount=9, trades=["外卖", "即时配送"])
    rows = {g.group: g for g in selectors.new_forms(world.town_officer, world.street_a, D(2026, 1, 1))}
    assert rows["courier"].employers == 1 and rows["courier"].covered == 0
    assert rows["food_delivery_rider"].workers == 60 and "truck_driver" not in rows


def test_a_drive_lists_employers_without_a_union_and_sees_unions_founded(world) -> None:
    target = make_employer(world.street_a, name="某物流公司", headcount=90)
    campaign = services.create_campaign(world.town_officer, world.street_a, name="百日建会行动",
                                        start_on=D(2025, 3, 1), end_on=D(2025, 6, 30), target_unions=3)
    with pytest.raises(ValidationError, match="已建立工会"):
        services.add_targets(world.town_officer, campaign, [world.union_a.covered_entities.get()])
    services.add_targets(world.town_officer, campaign, [target])
    with pytest.raises(ValidationError, match="已在本次行动"):
        services.add_targets(world.town_officer, campaign, [target])
    t = campaign.targets.get()
    with pytest.raises(ValidationError, match="联系日期"):
        services.update_target(world.town_officer, t, status="contacted")
    services.update_target(world.town_officer, t, status="preparing", contacted_on=D(2025, 4, 2),
                           situation="已成立筹备组")
    assert selectors.progress(world.town_officer, campaign).founded == 0
    union = make_grassroots(world.street_a, "GZ.A.S1.0010", name="某物流公司工会")
    union.covered_entities.set([target])
    org_services.update_org(None, union, founded_on=D(2025, 5, 20))
    progress = selectors.progress(world.town_officer, campaign)
    assert (progress.targets, progress.contacted, progress.founded) == (1, 1, 1)
    page = _client(world.town_officer).get(f"/organising/campaigns/{campaign.pk}/").content.decode()
    assert "2025-05-20 建会" in page


def test_ratings_and_assessments_are_decided_above(world) -> None:
    with pytest.raises((ValidationError, Http404)):
        services.award_star_rating(world.officer_a, world.union_a, stars=5, level="district",
                                   awarded_on=D(2025, 1, 1), awarded_by="自评")
    rating = services.award_star_rating(world.town_officer, world.union_a, stars=4, level="district",
                                        awarded_on=D(2025, 1, 10), awarded_by="A区总工会")
    assert rating.org == world.union_a
    assessment = services.record_assessment(world.town_officer, world.union_a, year=2025,
                                            assessed_on=D(2025, 12, 10), score=Decimal("88.5"))
    assert (assessment.grade, assessment.assessor) == ("good", world.street_a)
    services.update_assessment(world.town_officer, assessment, score=Decimal("93"))
    assessment.refresh_from_db()
    assert assessment.grade == "excellent"
    with pytest.raises(ValidationError, match="已登记"):
        services.record_assessment(world.town_officer, world.union_a, year=2025, assessed_on=D(2025, 12, 11),
                                   score=Decimal("70"))
    with pytest.raises(ValidationError, match="考核日期"):
        services.record_assessment(world.town_officer, world.union_a2, year=2025, assessed_on=D(2023, 1, 1),
                                   score=Decimal("70"))


def test_pages_and_api(world) -> None:
    make_employer(world.street_a, name="规上未建会公司", headcount=400, above_scale=True)
    client = _client(world.town_officer)
    page = client.get("/organising/coverage/").content.decode()
    assert 'data-testid="rate-all">66.7%' in page and "应建未建 1 家" in page
    assert "规上未建会公司" in client.get("/organising/unorganised/").content.decode()
    assert client.get("/organising/unorganised/?export=1")["Content-Type"].startswith("application/vnd")
    org_services.update_org(None, world.union_a, founded_on=D(2015, 3, 1), reelected_on=None, term_years=5)
    terms = client.get("/organising/terms/").content.decode()
    assert "甲公司工会委员会" in terms  # term ended in 2020 with no new election
    response = client.post("/organising/ratings/", {"org_code": "GZ.A.S1.0002", "stars": 3, "level": "district",
                                                    "awarded_on": "2025-06-01", "awarded_by": "A区总工会"})
    assert response.status_code == 302
    response = client.post("/organising/ratings/", {"org_code": "GZ.B.S1.0001", "stars": 3, "level": "district",
                                                    "awarded_on": "2025-06-01", "awarded_by": "A区总工会"})
    assert "不在您的管理范围内" in response.content.decode()
    headers = {"Authorization": f"Bearer {create_token(None, world.town_officer)[1]}"}
    body = Client().get("/api/v1/coverage?org=GZ.A.S1", headers=headers).json()
    assert (body["employers"], body["covered"], body["establishment_rate"]) == (3, 2, "66.7")
    assert body["unorganised_large"] == 1


def test_campaign_rating_and_assessment_forms(world) -> None:
    employer = make_employer(world.street_a, name="未建会物流公司", headcount=60)
    client = _client(world.town_officer)
    form = client.get("/organising/campaigns/new/").content.decode()
    assert "发起建会行动" in form and "Select an option" not in form and "请选择" in form
    page = client.post("/organising/campaigns/new/", {"name": "", "start_on": "2025-03-01"}).content.decode()
    assert "必填" in page and not OrganisingCampaign.objects.exists()
    response = client.post("/organising/campaigns/new/", {"name": "百日建会行动", "start_on": "2025-03-01",
                                                          "end_on": "2025-06-30", "target_unions": ""})
    campaign = OrganisingCampaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url() and campaign.target_unions == 0
    client.post(campaign.get_absolute_url(), {"employers": [employer.pk]})
    target = campaign.targets.get()
    response = client.post(f"/organising/targets/{target.pk}/edit/",
                           {"status": "contacted", "contacted_on": "2025-03-10", "situation": "已面谈"})
    assert response["Location"] == campaign.get_absolute_url()
    target.refresh_from_db()
    assert target.status == "contacted"
    response = client.post(f"/organising/campaigns/{campaign.pk}/edit/", {
        "name": "百日建会行动（延长）", "start_on": "2025-03-01", "end_on": "2025-07-31", "target_unions": 5})
    campaign.refresh_from_db()
    assert campaign.name == "百日建会行动（延长）" and campaign.target_unions == 5

    response = client.post("/organising/assessments/", {"org_code": "gz.a.s1.0002", "year": 2025,
                                                        "assessed_on": "2025-12-10", "score": "88"})
    assert response["Location"] == "/organising/assessments/"
    assessment = Assessment.objects.get(org=world.union_a2)
    response = client.post(f"/organising/assessments/{assessment.pk}/edit/", {"assessed_on": "2025-12-10",
                                                                              "score": "92", "findings": "台账齐全"})
    assessment.refresh_from_db()
    assert assessment.score == Decimal("92") and assessment.findings == "台账齐全"
    page = client.post("/organising/assessments/", {"org_code": "GZ.B.S1.0001", "year": 2025,
                                                    "assessed_on": "2025-12-10", "score": "80"}).content.decode()
    assert "不在您的管理范围内" in page
    assert _client(world.officer_b).get(f"/organising/assessments/{assessment.pk}/edit/").status_code == 404
