"""Pages of the activity log: calendar, list and export, forms, roster picker, import, figures."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from python_calamine import CalamineWorkbook

from gonghui.activities.models import Activity, ActivityType
from gonghui.activities.testing import PNG, id_number, make_activity, national, person

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_calendar_shows_activities_on_their_days_within_the_subtree(world) -> None:
    make_activity(world.union_a, "lecture", title="甲公司安全讲座", start_on=dt.date(2025, 6, 12))
    make_activity(world.union_a2, "sports", title="乙公司运动会", start_on=dt.date(2025, 6, 27),
                  end_on=dt.date(2025, 6, 28))
    make_activity(world.union_b, "lecture", title="丙公司讲座", start_on=dt.date(2025, 6, 12))
    page = _client(world.town_officer).get("/activities/calendar/?month=2025-06").content.decode()
    assert "甲公司安全讲座" in page and "丙公司讲座" not in page
    assert page.count(">乙公司运动会</a>") == 2  # shown on both days
    assert 'data-testid="month-total">2<' in page
    own = _client(world.town_officer).get("/activities/calendar/?month=2025-06&own=1").content.decode()
    assert "甲公司安全讲座" not in own


def test_list_filters_and_exports_a_real_workbook(world) -> None:
    make_activity(world.union_a, "lecture", title="甲讲座", people=[person(), person()])
    make_activity(world.union_a, "reading", title="甲读书会", headcount=30)
    client = _client(world.officer_a)
    page = client.get("/activities/?type=lecture").content.decode()
    assert "甲讲座" in page and "甲读书会" not in page
    response = client.get("/activities/?export=1")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    by_title = {r[1]: r for r in rows[2:]}
    assert by_title["甲讲座"][10:13] == ["人员名单", 2, 2] and by_title["甲读书会"][10:13] == ["签到人数", 30, 30]


def test_create_form_then_pick_people_into_the_roster(world) -> None:
    client = _client(world.officer_a)
    assert client.get("/activities/new/").status_code == 200
    data = {"type": national("training").pk, "title": "职工插花培训", "start_on": "2025-05-08", "end_on": "2025-05-08",
            "sessions": 2, "hours": "4", "units": 0, "teams": 0, "amount_spent": "800", "media_reports": 0,
            "reach": 0, "headcount": 0, "certified_count": 0, "reemployed_count": 0}
    response = client.post("/activities/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get(title="职工插花培训")
    # A person typed in, then found again by the picker for another activity.
    added = client.post(f"/activities/{activity.pk}/participants/", {"name": "林小红", "id_number": id_number(),
                                                                     "role": "participant", "attendances": 2},
                        HTTP_HX_REQUEST="true")
    assert "林小红" in added.content.decode() and "<html" not in added.content.decode()
    second = make_activity(world.union_a, "lecture", title="第二次讲座", people=[])
    found = client.get(f"/activities/{second.pk}/people/?q=林小").content.decode()
    assert "林小红" in found and "曾参加活动" in found
    ref = found.split('"ref": "')[1].split('"')[0]
    client.post(f"/activities/{second.pk}/participants/", {"ref": ref}, HTTP_HX_REQUEST="true")
    assert second.participants.get().name == "林小红"
    again = client.post(f"/activities/{second.pk}/participants/", {"ref": ref}, HTTP_HX_REQUEST="true")
    assert "已在本活动" in again.content.decode()
    # Another branch's officer cannot pick from this roster.
    other = make_activity(world.union_b, "lecture", people=[])
    assert "林小红" not in _client(world.officer_b).get(f"/activities/{other.pk}/people/?q=林").content.decode()


def test_create_form_shows_errors_and_keeps_measures_to_their_type(world) -> None:
    client = _client(world.officer_a)
    data = {"type": national("lecture").pk, "title": "讲座", "start_on": "2025-05-08", "end_on": "2025-05-01",
            "sessions": 1, "units": 0, "teams": 0, "hours": "0", "amount_spent": "0", "media_reports": 0, "reach": 0,
            "headcount": 0, "certified_count": 0, "reemployed_count": 0, "measure_lots": 5}
    page = client.post("/activities/new/", data).content.decode()
    assert "结束日期不能早于开始日期" in page and "不填写此项" in page
    assert not Activity.objects.exists()


def test_detail_shows_figures_and_serves_attachments_inline(world) -> None:
    activity = make_activity(world.union_a, "lecture", title="甲讲座", people=[person("李娜"), person("王强")])
    client = _client(world.officer_a)
    upload = SimpleUploadedFile("现场.png", PNG)
    client.post(f"/activities/{activity.pk}/attachments/", {"kind": "photo", "file": upload})
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert 'data-testid="persons">2<' in page and "李娜" in page and "现场.png" in page
    attachment = activity.attachments.get()
    served = client.get(f"/activities/attachments/{attachment.pk}/")
    assert served["Content-Type"] == "image/png" and b"".join(served.streaming_content) == PNG
    assert _client(world.officer_b).get(f"/activities/attachments/{attachment.pk}/").status_code == 404


def test_a_clerk_edits_a_read_only_account_only_reads(world) -> None:
    from gonghui.testing import make_user

    activity = make_activity(world.union_a, "lecture")
    reader = make_user("reader_a", world.union_a, "viewer")
    assert _client(world.clerk_a).get(f"/activities/{activity.pk}/edit/").status_code == 200
    assert _client(reader).get(f"/activities/{activity.pk}/").status_code == 200
    page = _client(reader).get(f"/activities/{activity.pk}/").content.decode()
    assert "edit-activity" not in page and "people-search" not in page
    # Edit pages are looked up with the edit right, as everywhere else: without it they are not found.
    assert _client(reader).get(f"/activities/{activity.pk}/edit/").status_code == 404


def test_import_page_checks_then_imports(world) -> None:
    from gonghui.activities.tests.test_importers import good_people, good_rows, workbook

    client = _client(world.town_officer)
    template = client.get("/activities/import/template/")
    assert template["Content-Disposition"].startswith("attachment") and len(template.content) > 1000
    bad_rows = good_rows(world)
    bad_rows[0]["开始日期"] = "明天"
    page = client.post("/activities/import/", {"check": "1", "file": SimpleUploadedFile(
        "活动.xlsx", workbook(bad_rows, good_people()))}).content.decode()
    assert "不是有效日期" in page and "文件未导入" in page
    response = client.post("/activities/import/", {"commit": "1", "file": SimpleUploadedFile(
        "活动.xlsx", workbook(good_rows(world), good_people()))})
    assert response.status_code == 302 and Activity.objects.count() == 3


def test_types_page_adds_a_federation_type(world) -> None:
    client = _client(world.town_officer)
    response = client.post("/activities/types/", {"name": "道德讲堂", "code": "moral-lecture",
                                                  "counts_as": national("lecture").pk})
    assert response.status_code == 302
    assert ActivityType.objects.get(code="moral-lecture").org == world.street_a
    assert "道德讲堂" not in _client(world.officer_b).get("/activities/types/").content.decode()


def test_figures_page_and_drill_down_with_export(world) -> None:
    make_activity(world.union_a, "legal_outreach", title="普法进企业", start_on=dt.date(2025, 3, 15), headcount=80,
                  estimated=True)
    client = _client(world.town_officer)
    page = client.get("/activities/figures/?year=2025").content.decode()
    assert 'data-key="rights.legal_publicity.audience">约80<' in page
    old = client.get("/activities/figures/rights.legal_publicity.audience/?year=2025")  # the former address
    assert old.status_code == 302 and old["Location"].startswith("/figures/rights.legal_publicity.audience/?org=")
    drill = client.get(old["Location"]).content.decode()
    assert "普法进企业" in drill and 'data-testid="record-count">1 条' in drill
    export = client.get(old["Location"] + "&export=1")
    content = b"".join(export.streaming_content) if export.streaming else export.content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert any("普法进企业" in r for r in rows)
    assert client.get("/activities/figures/nope.key/").status_code == 404


def test_publicity_and_materials_pages(world) -> None:
    client = _client(world.officer_a)
    response = client.post("/publicity/new/", {"type": "post", "title": "工会开展普法", "published_on": "2025-03-16",
                                               "outlet": "公众号", "level": "own", "reach": 500})
    assert response.status_code == 302
    assert "工会开展普法" in client.get("/publicity/").content.decode()
    response = client.post("/materials/new/", {"distributed_on": "2025-03-15", "topic": "legal", "title": "法律手册",
                                               "copies": 300})
    assert response.status_code == 302
    page = client.get("/materials/").content.decode()
    assert "法律手册" in page and "<strong>300</strong>" in page


def test_clubs_and_subscriptions_pages(world) -> None:
    client = _client(world.town_officer)
    assert client.post("/activities/clubs/", {"name": "A区一街道书画协会", "kind": "culture",
                                              "founded_on": "2021-05-01"}).status_code == 302
    assert "A区一街道书画协会" in client.get("/activities/clubs/").content.decode()
    response = client.post("/publicity/subscriptions/?year=2025", {
        "periodical": "南方工报", "year": 2025, "copies": 2,
        "recipients": [world.union_a.pk, world.union_a2.pk]})
    assert response.status_code == 302
    page = client.get("/publicity/subscriptions/?year=2025").content.decode()
    assert page.count("<td>《南方工报》</td>") == 2 and "共 <strong>2</strong> 家工会获赠" in page


def test_the_picker_offers_members_of_the_subtree_first(world) -> None:
    from gonghui.members.testing import make_member

    make_member(world.union_a, name="陈静", employer_name="甲公司")
    make_member(world.union_b, name="陈明")  # another branch: never offered to union A
    activity = make_activity(world.union_a, "lecture", people=[])
    client = _client(world.officer_a)
    found = client.get(f"/activities/{activity.pk}/people/?q=陈").content.decode()
    assert "陈静" in found and "会员 · 甲公司工会委员会" in found and "陈明" not in found
    ref = found.split('"ref": "')[1].split('"')[0]
    assert ref.startswith("m")
    roster = client.post(f"/activities/{activity.pk}/participants/", {"ref": ref}, HTTP_HX_REQUEST="true")
    assert "会员库" in roster.content.decode()
    assert activity.participants.get().person is not None
    # A member of another branch cannot be added by forging the reference.
    other = make_member(world.union_b, name="陈亮")
    assert client.post(f"/activities/{activity.pk}/participants/", {"ref": f"m{other.pk}"},
                       HTTP_HX_REQUEST="true").status_code == 404


def test_party_recommendations_by_id_number_with_the_figure(world) -> None:
    from gonghui.activities.models import PartyRecommendation
    from gonghui.core.models import AuditLog
    from gonghui.members.testing import make_member, unique_id

    number = unique_id()
    member = make_member(world.union_a, name="李向党", number=number)
    outsider = make_member(world.union_b, name="王外人", number=unique_id())
    client = _client(world.officer_a)
    form = client.get("/party-recommendations/new/").content.decode()
    assert "会员身份证号码" in form and "Select an option" not in form
    page = client.post("/party-recommendations/new/", {"id_number": outsider.person.id_number,
                                                       "recommended_on": "2025-04-01", "stage": "recommended"})
    assert "没有持这个证件号码的在册会员" in page.content.decode() and not PartyRecommendation.objects.exists()
    response = client.post("/party-recommendations/new/", {"id_number": number.lower().replace("x", "X"),
                                                           "recommended_on": "2025-04-01", "stage": "recommended",
                                                           "remarks": "岗位能手"})
    assert response.status_code == 302
    item = PartyRecommendation.objects.get()
    assert (item.member, item.org, item.remarks) == (member, world.union_a, "岗位能手")
    assert AuditLog.objects.filter(object_type="activities.PartyRecommendation", action="create").exists()
    again = client.post("/party-recommendations/new/", {"id_number": number, "recommended_on": "2025-05-01",
                                                        "stage": "recommended"}).content.decode()
    assert "已于2025年4月1日登记过这一阶段" in again
    listing = client.get("/party-recommendations/?year=2025").content.decode()
    assert "李向党" in listing and 'data-key="ideology.party_recommendations"' in listing
    client.post(f"/party-recommendations/{item.pk}/edit/", {"recommended_on": "2025-04-01", "stage": "activist",
                                                           "remarks": "岗位能手"})
    item.refresh_from_db()
    assert item.stage == "activist"
    assert _client(world.officer_b).get(f"/party-recommendations/{item.pk}/edit/").status_code == 404
    client.post(f"/party-recommendations/{item.pk}/delete/")
    assert not PartyRecommendation.objects.exists()
