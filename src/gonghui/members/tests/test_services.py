"""Memberships as dated events, transfers confirmed by both sides, personal data, export, figures."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from python_calamine import CalamineWorkbook

from gonghui.cli import main
from gonghui.core.models import AuditLog
from gonghui.members import exporters, selectors, services
from gonghui.members.importers import import_members
from gonghui.members.models import Member, MembershipChange, MemberStatus, TransferRequest
from gonghui.members.testing import make_member, person_row, unique_id, write_xlsx
from gonghui.orgs.selectors import tree_children
from gonghui.reports.registry import evaluate
from gonghui.reports.windows import Window
from gonghui.testing import refresh

pytestmark = pytest.mark.django_db
D = dt.date


def test_join_creates_person_member_event_and_audit(world: Any) -> None:
    number = unique_id("female")
    m = services.join_member(world.officer_a, world.union_a, id_number=number, name="林晓燕", joined_on=D(2025, 3, 1),
                             mobile="138-0013-8000", ethnicity="汉", is_migrant=True, new_group="courier")
    assert m.person.gender == "female" and m.person.ethnicity == "汉族" and m.person.mobile == "13800138000"
    assert list(m.changes.values_list("change_type", flat=True)) == ["join"]
    assert AuditLog.objects.filter(object_type="members.Member", object_id=str(m.pk), action="create").exists()
    with pytest.raises(ValidationError, match=world.union_a.name):
        services.join_member(world.city_admin, world.union_b, id_number=number, name="林晓燕",
                             joined_on=D(2025, 4, 1))
    with pytest.raises(Http404):
        services.join_member(world.officer_a, world.union_b, id_number=unique_id(), name="王强",
                             joined_on=D(2025, 4, 1))
    with pytest.raises(ValidationError, match="校验位"):
        wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
        services.join_member(world.officer_a, world.union_a, id_number=wrong, name="王强", joined_on=D(2025, 4, 1))


def test_clerk_cannot_reveal_but_officer_can_and_it_is_audited(world: Any) -> None:
    m = make_member(world.union_a, name="周敏", mobile="13912345678")
    with pytest.raises(PermissionDenied):
        services.reveal(world.clerk_a, m)
    values = services.reveal(world.officer_a, m)
    assert values == {"id_number": m.person.id_number, "mobile": "13912345678"}
    log = AuditLog.objects.get(action="reveal")
    assert log.username == "officer_a" and log.object_id == str(m.pk)


def test_api_detail_masked_for_clerk_full_for_officer_list_always_masked(world: Any) -> None:
    m = make_member(world.union_a, name="周敏", mobile="13912345678")
    number = m.person.id_number
    clerk, officer = Client(), Client()
    clerk.force_login(world.clerk_a)
    officer.force_login(world.officer_a)
    masked = clerk.get(f"/api/v1/members/{m.pk}").json()
    assert masked["masked"] and masked["id_number"] == number[:4] + "*" * 10 + number[-4:]
    assert masked["mobile"] == "139****5678"
    assert not AuditLog.objects.filter(action="reveal").exists()
    full = officer.get(f"/api/v1/members/{m.pk}").json()
    assert full["id_number"] == number and full["mobile"] == "13912345678"
    assert AuditLog.objects.filter(action="reveal", username="officer_a").count() == 1
    listed = officer.get("/api/v1/members").json()
    assert listed["count"] == 1 and listed["items"][0]["id_number"] != number
    page = clerk.get(f"/members/{m.pk}/").content.decode()
    assert number not in page and "显示完整信息" not in page
    assert "显示完整信息" in officer.get(f"/members/{m.pk}/").content.decode()
    revealed = officer.post(f"/members/{m.pk}/reveal/").content.decode()
    assert number in revealed


def test_membership_changes_follow_the_rules(world: Any) -> None:
    m = make_member(world.union_a, joined_on=D(2023, 5, 1))
    with pytest.raises(ValidationError, match="不能办理"):
        services.change_membership(world.officer_a, m, "restore", on=D(2024, 1, 1))
    with pytest.raises(ValidationError, match="原因"):
        services.change_membership(world.officer_a, m, "retain", on=D(2024, 1, 1))
    services.change_membership(world.officer_a, m, "retain", on=D(2024, 1, 1), reason="退休")
    assert refresh(m).status == MemberStatus.RETAINED
    with pytest.raises(ValidationError, match="不能早于"):
        services.change_membership(world.officer_a, m, "restore", on=D(2023, 12, 1))
    services.change_membership(world.officer_a, m, "restore", on=D(2024, 6, 1), reason="返聘")
    services.change_membership(world.officer_a, m, "leave", on=D(2025, 2, 1), reason="本人申请")
    m = refresh(m)
    assert (m.status, m.left_on) == (MemberStatus.LEFT, D(2025, 2, 1))
    assert [c.change_type for c in m.changes.order_by("changed_on")] == ["join", "retain", "restore", "leave"]
    # State as of any date derives from the events.
    qs = Member.objects.filter(pk=m.pk)
    assert [selectors.active_on(qs, day).exists() for day in
            (D(2023, 4, 30), D(2023, 6, 1), D(2024, 3, 1), D(2024, 7, 1), D(2025, 3, 1))] == [
        False, True, False, True, False]


def test_transfer_needs_both_unions(world: Any) -> None:
    m = make_member(world.union_a, name="调动会员", card_no="GZ0001")
    t = services.request_transfer(world.officer_a, m, world.union_b, on=D(2025, 5, 1), reason="工作调动",
                                  new_employer_name="丙公司")
    # Both sides see it: the releasing union in its outbox, the receiving one in its inbox.
    assert list(selectors.transfers(world.officer_a, within=world.union_a, direction="out")) == [t]
    assert list(selectors.transfers(world.officer_b, within=world.union_b, direction="in")) == [t]
    assert not selectors.transfers(world.officer_a, within=world.union_a, direction="in").exists()
    # The releasing side cannot confirm its own transfer; the receiving side cannot cancel it.
    with pytest.raises(PermissionDenied):
        services.accept_transfer(world.officer_a, t)
    with pytest.raises(PermissionDenied):
        services.cancel_transfer(world.officer_b, t)
    with pytest.raises(ValidationError, match="待接收"):
        services.request_transfer(world.officer_a, m, world.union_a2, on=D(2025, 5, 2), reason="再次")
    assert refresh(m).status == MemberStatus.ACTIVE  # nothing happens before the confirmation
    new = services.accept_transfer(world.officer_b, t, note="同意")
    old = refresh(m)
    assert (old.status, old.left_on, old.card_no) == (MemberStatus.LEFT, D(2025, 5, 1), "")
    assert (new.org, new.status, new.card_no, new.joined_on) == (world.union_b, "active", "GZ0001", old.joined_on)
    assert new.employer_name == "丙公司"
    assert list(old.changes.values_list("change_type", flat=True).order_by("id")) == ["join", "transfer_out"]
    assert list(new.changes.values_list("change_type", "counterpart")) == [("transfer_in", world.union_a.pk)]
    assert refresh(t).status == "accepted"
    # Each union keeps its record: A sees the former member, B the new one.
    assert old.pk in selectors.visible_members(world.officer_a).values_list("pk", flat=True)
    assert new.pk not in selectors.visible_members(world.officer_a).values_list("pk", flat=True)
    # A transfer-in is not a new member.
    year = Window.year(2025)
    assert evaluate(world.officer_b, "members.new", world.union_b, year).value == 0
    assert evaluate(world.officer_b, "members.transferred_in", world.union_b, year).value == 1
    assert evaluate(world.officer_a, "members.decrease", world.union_a, year).value == 1


def test_reject_and_cancel_leave_the_member_in_place(world: Any) -> None:
    m = make_member(world.union_a)
    t = services.request_transfer(world.officer_a, m, world.union_b, on=D(2025, 5, 1), reason="工作调动")
    with pytest.raises(ValidationError, match="退回原因"):
        services.reject_transfer(world.officer_b, t, note="")
    services.reject_transfer(world.officer_b, t, note="查无此人")
    t2 = services.request_transfer(world.officer_a, m, world.union_b, on=D(2025, 6, 1), reason="工作调动")
    services.cancel_transfer(world.officer_a, t2)
    assert refresh(m).status == "active" and TransferRequest.objects.filter(status="pending").count() == 0
    assert MembershipChange.objects.filter(member=m).count() == 1


def test_transfer_pages_inbox_and_confirm(world: Any) -> None:
    m = make_member(world.union_a, name="页面转会")
    officer_a, officer_b = Client(), Client()
    officer_a.force_login(world.officer_a)
    officer_b.force_login(world.officer_b)
    r = officer_a.post(f"/members/{m.pk}/transfer/", {"to_org": world.union_b.code.lower(), "on": "2025-05-01",
                                                      "reason": "工作调动", "new_employer_name": ""})
    t = TransferRequest.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/members/transfers/{t.pk}/"
    assert "页面转会" in officer_b.get("/members/transfers/").content.decode()
    page = officer_a.get(f"/members/transfers/{t.pk}/").content.decode()
    assert 'data-testid="accept-transfer"' not in page and 'data-testid="cancel-transfer"' in page
    r = officer_b.post(f"/members/transfers/{t.pk}/", {"action": "accept", "note": "欢迎"})
    assert r.status_code == 302 and refresh(t).status == "accepted"


def test_export_is_scoped_masked_by_role_and_audited(world: Any) -> None:
    m = make_member(world.union_a, name="导出会员", mobile="13712345678")
    make_member(world.union_b, name="他区会员")
    full = exporters.export_members(world.officer_a, world.union_a)[0]
    rows = list(full.rows)
    assert [r[1] for r in rows] == ["导出会员"] and rows[0][7] == m.person.id_number
    masked = list(exporters.export_members(world.clerk_a, world.union_a)[0].rows)
    assert masked[0][7] != m.person.id_number and "*" in masked[0][7] and masked[0][10] == "137****5678"
    logs = list(AuditLog.objects.filter(action="export").order_by("id"))
    assert [(log.after or {}).get("full_personal_data") for log in logs] == [True, False]
    with pytest.raises(Http404):
        exporters.export_members(world.officer_a, world.union_b)


def test_export_then_import_changes_nothing(world: Any, tmp_path: Path, capsys: Any) -> None:
    rows = [person_row(会籍变化类型="入会", 会籍变化日期="2023-04-01") for _ in range(6)]
    rows[1].update({"民族": "", "学历": "", "移动电话": ""})
    import_members(write_xlsx(tmp_path / "in.xlsx", rows), world.union_a)
    m = Member.objects.first()
    assert m is not None
    services.change_membership(None, m, "retain", on=D(2024, 2, 1), reason="退休")
    make_member(world.union_a2, name="乙厂会员")
    before = (Member.objects.count(), MembershipChange.objects.count())
    out = tmp_path / "out.xlsx"
    assert main(["export-members", "--org", world.street_a.code, "--subtree", "-o", str(out), "--json"]) == 0
    exported = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert exported["members"] == 7
    sheets = CalamineWorkbook.from_path(str(out))
    assert sheets.sheet_names == ["会员信息", "字典"]
    assert main(["import-members", str(out), "--org", world.street_a.code, "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (result["created"], result["updated"], result["unchanged"], result["rejected"]) == (0, 0, 7, 0)
    assert (Member.objects.count(), MembershipChange.objects.count()) == before
    assert AuditLog.objects.filter(action="export", username__startswith="命令行:").exists()


def test_template_has_dictionary_and_imports_its_example(world: Any, tmp_path: Path) -> None:
    client = Client()
    client.force_login(world.clerk_a)
    response = client.get("/members/template/")
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    wb = CalamineWorkbook.from_path(str(path))
    dictionary = wb.get_sheet_by_name("字典").to_python()
    heads = dictionary[0]
    assert "会籍变化类型" in heads and "民族" in heads
    col = [row[heads.index("学历")] for row in dictionary[1:] if row[heads.index("学历")]]
    assert col == ["研究生", "大学本科", "大学专科", "中专", "技校", "高中", "初中", "小学及以下"]
    assert import_members(path, world.union_a).created == 1


def test_search_by_name_id_phone_and_employer(world: Any) -> None:
    m = make_member(world.union_a, name="欧阳娜娜", mobile="13612345678", employer_name="羊城快递有限公司")
    make_member(world.union_a, name="张伟")
    number = m.person.id_number

    def found(q: str) -> list[str]:
        return [x.person.name for x in selectors.members(world.clerk_a, filters=selectors.MemberFilters(query=q))]

    assert found("欧阳") == ["欧阳娜娜"]
    assert found(number) == ["欧阳娜娜"] and found(number.lower()) == ["欧阳娜娜"]
    assert found(number[:10]) == []  # ID numbers match exactly (blind index), never by fragment
    assert found("136-1234-5678") == ["欧阳娜娜"]
    assert found("羊城快递") == ["欧阳娜娜"]


def test_list_filters_and_counts(world: Any) -> None:
    make_member(world.union_a, name="甲一", is_migrant=True, new_group="food_delivery_rider")
    make_member(world.union_a, name="甲二")
    old = make_member(world.union_a2, name="乙一")
    services.change_membership(None, old, "retain", on=D(2025, 1, 1), reason="退休")
    make_member(world.union_b, name="丙一")
    client = Client()
    client.force_login(world.town_officer)
    qs = selectors.members(world.town_officer, within=world.street_a)
    counts = selectors.facet_counts(qs)
    assert (counts["total"], counts["active"], counts["retained"], counts["migrant"], counts["new_form"]) == (
        3, 2, 1, 1, 1)
    migrants = selectors.members(world.town_officer, filters=selectors.MemberFilters(migrant=True))
    assert [m.person.name for m in migrants] == ["甲一"]
    page = client.get("/members/?migrant=1").content.decode()
    assert "甲一" in page and "甲二" not in page and "丙一" not in page


def test_subtree_counter_on_the_tree(world: Any) -> None:
    make_member(world.union_a)
    make_member(world.union_a2)
    gone = make_member(world.union_b)
    services.change_membership(None, gone, "leave", on=D(2025, 1, 1))
    counts = {n.org.code: n.counts for n in tree_children(world.city_admin, refresh(world.root))}
    assert counts["GZ.A"]["members"] == 2 and counts["GZ.B"]["members"] == 0


def test_dormant_report(world: Any) -> None:
    from django.utils import timezone

    sleeper = make_member(world.union_a, joined_on=D(2023, 1, 1))
    payer = make_member(world.union_a, joined_on=D(2023, 1, 1))
    services.record_dues(None, payer, paid_until=dt.date.today().replace(day=1))
    make_member(world.union_a, joined_on=dt.date.today())  # too new to judge
    old = timezone.now() - dt.timedelta(days=300)
    Member.objects.update(updated_at=old)
    MembershipChange.objects.filter(member__in=[sleeper, payer]).update(changed_on=D(2023, 1, 1))
    assert [m.pk for m in selectors.dormant(world.officer_a)] == [sleeper.pk]
    assert not selectors.dormant(world.officer_b).exists()


def test_staged_web_import(world: Any, tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    client = Client()
    client.force_login(world.clerk_a)
    rows = [person_row(), person_row(证件号码="123", 姓名="错号码"), person_row()]
    path = write_xlsx(tmp_path / "messy.xlsx", rows)
    with path.open("rb") as fh:
        r = client.post("/members/imports/", {"org": world.union_a.code, "file": fh})
    assert r.status_code == 302
    job_url = r["Location"]
    page = client.get(job_url).content.decode()
    assert "id_format" in page and "错号码" not in page  # errors by row; the row's data stays in the workbook
    assert "下载错误工作簿" in page and "不能导入" in page
    errors = client.get(job_url + "errors/")
    assert errors.status_code == 200
    assert not Member.objects.exists()
    with path.open("rb") as fh:
        r = client.post("/members/imports/", {"org": world.union_a.code, "file": fh, "skip_invalid": "on"})
    job_url = r["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(job_url + "commit/").status_code == 302
    page = client.get(job_url).content.decode()
    assert "导入完成" in page
    assert Member.objects.count() == 2
    from gonghui.members.models import ImportJob

    job = ImportJob.objects.latest("id")
    assert not job.file  # the upload (personal data in clear) is gone once imported
    assert client.get(job_url + "errors/").status_code == 200  # the rejected rows stay downloadable
    assert client.get(job_url + "progress/")["HX-Refresh"] == "true"


def test_list_as_of_a_date(world: Any) -> None:
    early = make_member(world.union_a, name="早入会", joined_on=D(2020, 1, 1))
    make_member(world.union_a, name="晚入会", joined_on=D(2024, 6, 1))
    services.change_membership(None, early, "leave", on=D(2023, 3, 1), reason="本人申请")
    client = Client()
    client.force_login(world.officer_a)
    names = lambda day: [m.person.name for m in selectors.members(  # noqa: E731
        world.officer_a, filters=selectors.MemberFilters(on=day))]
    assert names(D(2022, 1, 1)) == ["早入会"]
    assert names(D(2024, 7, 1)) == ["晚入会"]
    page = client.get("/members/?on=2022-01-01").content.decode()
    assert "早入会" in page and "晚入会" not in page


def test_join_edit_and_change_pages(world: Any) -> None:
    client = Client()
    client.force_login(world.officer_a)
    number = unique_id("female")
    r = client.post("/members/join/", {"org": world.union_a.code, "name": "页面入会", "id_type": "resident_id",
                                       "id_number": number,
                                       "joined_on": "2025-03-01", "mobile": "13700001111", "ethnicity": "汉族",
                                       "education": "bachelor", "new_group": "courier"})
    assert r.status_code == 302, r.content.decode()[:2000]
    m = Member.objects.get()
    assert (m.person.gender, m.new_group, m.person.education) == ("female", "courier", "bachelor")
    bad = client.post("/members/join/", {"org": world.union_a.code, "name": "重复", "id_type": "resident_id",
                                         "id_number": number,
                                         "joined_on": "2025-03-01"})
    assert bad.status_code == 200 and "已是" in bad.content.decode()
    r = client.post(f"/members/{m.pk}/edit/", {"name": "页面入会", "mobile": "13700002222", "ethnicity": "汉族",
                                               "education": "postgraduate", "employer_name": "新单位",
                                               "new_group": "courier", "dues_paid_until": "2025-10-31"})
    assert r.status_code == 302
    m = refresh(m)
    assert (m.person.mobile, m.person.education, m.employer_name, m.dues_paid_until) == (
        "13700002222", "postgraduate", "新单位", D(2025, 10, 31))
    r = client.post(f"/members/{m.pk}/change/", {"change_type": "leave", "on": "2025-11-01", "reason": "离职"})
    assert r.status_code == 302 and refresh(m).status == "left"
    clerk = Client()
    clerk.force_login(world.clerk_a)
    assert clerk.get(f"/members/{m.pk}/edit/").status_code == 200  # clerks edit, but never see full numbers
    assert clerk.post(f"/members/{m.pk}/reveal/").status_code == 403


def test_town_officer_admits_into_a_grassroots_union_of_the_street(world: Any) -> None:
    client = Client()
    client.force_login(world.town_officer)
    page = client.get("/members/join/").content.decode()
    assert world.union_a2.name in page and world.union_b.name not in page
    r = client.post("/members/join/", {"org": world.union_a2.code, "name": "街道登记", "id_type": "resident_id",
                                       "id_number": unique_id(), "joined_on": "2025-03-01"})
    assert r.status_code == 302 and Member.objects.get().org == world.union_a2
    r = client.post("/members/join/", {"org": world.union_b.code, "name": "越界登记", "id_type": "resident_id",
                                       "id_number": unique_id(), "joined_on": "2025-03-01"})
    assert r.status_code == 200 and Member.objects.count() == 1  # not a choice: refused by the form


def test_card_number_clash_is_refused_in_chinese(world: Any) -> None:
    make_member(world.union_a, card_no="GZ-0009")
    with pytest.raises(ValidationError, match="会员证号已被使用"):
        make_member(world.union_a, card_no="GZ-0009")
