"""Writes through the services: validation, scope, audit, attachments, taxonomy."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from gonghui.activities import selectors, services
from gonghui.activities.models import Activity, ActivityParticipant
from gonghui.activities.testing import PNG, make_activity, national, person
from gonghui.core.models import AuditLog

pytestmark = pytest.mark.django_db
D = dt.date


def test_create_validates_in_chinese_and_audits(world) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_activity(world.officer_a, world.union_a, type=national("lecture"), title="讲座",
                                 start_on=D(2025, 5, 2), end_on=D(2025, 5, 1), headcount_only=True, headcount=0)
    assert "结束日期不能早于开始日期" in str(exc.value) and "请填写签到人数" in str(exc.value)
    activity = services.create_activity(world.officer_a, world.union_a, type=national("lecture"),
                                        title="安全生产月专题讲座", start_on=D(2025, 6, 12), headcount_only=True,
                                        headcount=120, topics=["safety"], amount_spent="1500.00",
                                        materials=[{"title": "安全生产手册", "topic": "safety", "copies": 200}])
    assert activity.end_on == activity.start_on and activity.days == 1
    assert activity.materials.get().copies == 200
    row = AuditLog.objects.get(object_type="activities.Activity", object_id=str(activity.pk))
    assert row.username == "officer_a" and row.org == world.union_a and (row.after or {})["headcount"] == 120
    assert AuditLog.objects.filter(object_type="activities.MaterialDistribution").count() == 1


def test_unknown_topics_and_measures_are_refused(world) -> None:
    with pytest.raises(ValidationError, match="未知的主题标签"):
        make_activity(world.union_a, topics=["astrology"])
    with pytest.raises(ValidationError, match="没有数据项"):
        make_activity(world.union_a, "lecture", measures={"lots": 3})
    with pytest.raises(ValidationError, match="非负整数"):
        make_activity(world.union_a, "charity_auction", measures={"lots": "2.5"})
    with pytest.raises(ValidationError, match="只有培训类活动填写学时"):
        make_activity(world.union_a, "lecture", hours="2")


def test_participants_need_a_valid_id_and_fit_the_sessions(world) -> None:
    activity = make_activity(world.union_a, "training", sessions=2, people=[])
    with pytest.raises(ValidationError, match="校验位"):
        services.add_participants(None, activity, [services.PersonIn(name="李娜", id_number="440106198801010000")])
    with pytest.raises(ValidationError, match="参加场次应在1到2之间"):
        services.add_participants(None, activity, [services.PersonIn(**{**person().__dict__, "attendances": 3})])
    added = services.add_participants(world.officer_a, activity, [person("李娜")])
    assert added[0].gender in ("male", "female") and len(added[0].person_key) == 40
    stored = ActivityParticipant.objects.get(pk=added[0].pk)
    assert stored.masked_id.startswith("4401") and "*" in stored.masked_id
    log = AuditLog.objects.get(object_type="activities.ActivityParticipant")
    assert stored.id_number not in str(log.after)  # personal data never copied into the log
    with pytest.raises(ValidationError, match="只有培训类活动"):
        lecture = make_activity(world.union_a, "lecture", people=[])
        services.add_participants(None, lecture, [services.PersonIn(**{**person().__dict__, "certified": True})])


def test_co_organisers_see_the_activity_but_only_the_organiser_edits_it(world) -> None:
    activity = make_activity(world.street_a, "lecture", co_organisers=[world.union_a])
    assert activity in selectors.visible_activities(world.officer_a)
    assert activity not in selectors.visible_activities(world.officer_b)
    with pytest.raises((PermissionDenied, Http404)):
        services.update_activity(world.officer_a, activity, title="改名")
    services.update_activity(world.town_officer, activity, title="改名")


def test_a_grassroots_officer_may_name_the_union_above_as_co_organiser_but_not_another_branch(world) -> None:
    make_activity(world.union_a, "lecture", co_organisers=[world.street_a], actor=world.officer_a)
    with pytest.raises(ValidationError, match="不在您的管理范围内"):
        make_activity(world.union_a, "lecture", co_organisers=[world.union_b], actor=world.officer_a)


def test_types_of_a_federation_serve_its_subtree_only(world) -> None:
    moral = services.create_type(world.town_officer, world.street_a, name="道德讲堂", code="moral-lecture",
                                 counts_as=national("lecture"))
    assert moral.base_code == "lecture" and moral.group == national("lecture").group
    assert moral in selectors.usable_types(world.union_a)
    assert moral not in selectors.usable_types(world.union_b)
    assert selectors.type_by_code(world.union_a, "道德讲堂") == moral
    make_activity(world.union_a2, "lecture", title="形势政策宣讲", headcount=40)
    activity = services.create_activity(None, world.union_a, type=moral, title="道德讲堂", start_on=D(2025, 3, 3),
                                        headcount_only=True, headcount=30)
    with pytest.raises(ValidationError, match="其他工会设立"):
        services.create_activity(None, world.union_b, type=moral, title="讲堂", start_on=D(2025, 3, 3),
                                 headcount_only=True, headcount=30)
    from gonghui.core.scope import OPERATOR
    from gonghui.reports import registry
    from gonghui.reports.windows import Window

    # The union's own type counts as the national type it names: 30 + 40 lecture attendees.
    assert registry.evaluate(OPERATOR, "publicity.lectures.audience", world.root, Window.year(2025)).value == 70
    with pytest.raises(ValidationError, match="全国通用类型"):
        services.create_type(None, world.street_a, name="讲座", code="lecture", counts_as=national("lecture"))
    with pytest.raises(ValidationError, match="全国通用类型不能修改"):
        services.update_type(None, national("lecture"), name="改名")
    services.update_type(world.town_officer, moral, is_active=False)
    with pytest.raises(ValidationError, match="已停用"):
        services.update_activity(None, activity, type=moral)


def test_attachments_are_checked_by_content_stored_and_removed(world, settings) -> None:
    activity = make_activity(world.union_a)
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="只能上传"):
        services.add_attachment(world.officer_a, activity, fake)
    big = SimpleUploadedFile("大图.png", PNG + b"\0" * (services.MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(ValidationError, match="不能超过"):
        services.add_attachment(world.officer_a, activity, big)
    pdf = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 sign-in", content_type="application/pdf")
    with pytest.raises(ValidationError, match="活动照片请上传"):
        services.add_attachment(world.officer_a, activity, pdf, "photo")
    pdf.seek(0)
    sheet = services.add_attachment(world.officer_a, activity, pdf, "sign_in")
    photo = services.add_attachment(world.officer_a, activity, SimpleUploadedFile("现场.png", PNG))
    assert (sheet.content_type, photo.content_type) == ("application/pdf", "image/png")
    stored = photo.file.name or ""
    assert Path(settings.MEDIA_ROOT, stored).is_file() and "现场" not in stored
    assert photo.original_name == "现场.png"


@pytest.mark.django_db(transaction=True)
def test_deleting_an_activity_removes_its_rows_and_files(live_world) -> None:
    world = live_world
    activity = make_activity(world.union_a, "lecture", people=[person(), person()])
    photo = services.add_attachment(world.officer_a, activity, SimpleUploadedFile("现场.png", PNG))
    name = photo.file.name or ""
    assert default_storage.exists(name)
    services.delete_activity(world.officer_a, activity, reason="重复录入")
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not ActivityParticipant.objects.exists()
    assert not default_storage.exists(name)
    row = AuditLog.objects.get(action="delete", object_type="activities.Activity")
    assert (row.before or {})["participants"] == 2 and row.note == "重复录入"


def test_entries_keep_the_team_count_and_check_results(world) -> None:
    contest = make_activity(world.union_a, "contest", people=[person("赵敏")])
    with pytest.raises(ValidationError, match="团体奖只能授予代表队"):
        services.add_entry(None, contest, kind="person", name="赵敏", result="team_prize")
    services.add_entry(None, contest, kind="team", name="一车间代表队")
    services.add_entry(None, contest, kind="team", name="二车间代表队")
    contest.refresh_from_db()
    assert contest.teams == 2
    other = make_activity(world.union_a, "contest", people=[person()])
    with pytest.raises(ValidationError, match="选手必须是本活动的参加人员"):
        services.add_entry(None, other, kind="person", name="赵敏", participant=contest.participants.get())


def test_clubs_and_periodicals(world) -> None:
    club = services.create_club(world.city_admin, world.root, name="市职工摄影协会", kind="culture",
                                founded_on=D(2018, 5, 1))
    branch = services.create_club(world.town_officer, world.street_a, name="A区一街道摄影分会", kind="culture",
                                  parent=club, founded_on=D(2022, 5, 1))
    with pytest.raises(ValidationError, match="分会之下不再设分会"):
        services.create_club(None, world.union_a, name="甲公司摄影小组", kind="culture", parent=branch,
                             founded_on=D(2023, 5, 1))
    with pytest.raises(ValidationError, match="上级协会所属工会"):
        other = services.create_club(None, world.union_b, name="丙公司摄影协会", kind="culture",
                                     founded_on=D(2018, 5, 1))
        services.create_club(None, world.union_a, name="甲公司摄影分会", kind="culture", parent=other,
                             founded_on=D(2023, 5, 1))
    rows = services.give_subscriptions(world.town_officer, world.street_a, [world.union_a, world.union_a2],
                                       periodical="《工人日报》", year=2025)
    assert [r.periodical for r in rows] == ["工人日报", "工人日报"]
    with pytest.raises(ValidationError, match="已登记赠阅"):
        services.give_subscriptions(world.town_officer, world.street_a, [world.union_a], periodical="工人日报",
                                    year=2025)
    with pytest.raises(ValidationError, match="只能向本工会或所属工会赠阅"):
        services.give_subscriptions(None, world.street_a, [world.union_b], periodical="工人日报", year=2025)
    # The receiving union sees what it was given; another branch does not.
    assert set(selectors.subscriptions(world.officer_a, within=world.union_a)) == {rows[0]}
    assert not selectors.visible_subscriptions(world.officer_b).exists()


def test_participants_known_to_the_member_registry_are_linked_to_it(world) -> None:
    from gonghui.members.testing import make_member

    member = make_member(world.union_a, name="陈静", number=person().id_number)
    typed = services.PersonIn(name="陈静", id_number=member.person.id_number)
    activity = make_activity(world.union_a, "lecture", people=[typed, person("路人")])
    linked = activity.participants.get(name="陈静")
    assert linked.person == member.person and linked.person_key == member.person.id_number_bidx
    assert activity.participants.get(name="路人").person is None
    # Picked by person: identity taken from the registry (whatever its document type).
    other = make_activity(world.union_a, "reading", people=[])
    services.add_participants(None, other, [services.PersonIn(name="", id_number="", person_id=member.person_id)])
    assert other.participants.get().name == "陈静"
    with pytest.raises(ValidationError, match="已在本活动"):
        services.add_participants(None, other, [typed])
