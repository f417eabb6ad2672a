"""Journey: an officer imports a messy member workbook through the staged web import."""

import datetime as dt

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from gonghui.members.models import Member
from gonghui.members.testing import person_row, write_xlsx
from tests.browser.helpers import login, no_console_errors, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staged_import_of_a_messy_workbook(live_server, live_world, page, settings, tmp_path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    errors = no_console_errors(page)
    good = [person_row(), person_row(民族="汉", 移动电话="+86 139-1234-5678"), person_row(出生日期="", 性别="")]
    messy = [good[0], person_row(证件号码="4401061985031212"), good[1],
             person_row(姓名="王五", 移动电话="12345"), good[2], {**good[0], "姓名": "重复行"}]
    path = write_xlsx(tmp_path / "会员花名册.xlsx", messy, above=[["某某公司工会会员花名册（2025年）"]])

    login(page, live_server, "officer_a")
    page.locator(".navbar-vertical").get_by_role("link", name="会员导入").click()
    with page.expect_download() as template:
        page.get_by_test_id("download-template").click()
    assert "字典" in CalamineWorkbook.from_path(template.value.path()).sheet_names

    page.get_by_label("会员信息文件").set_input_files(str(path))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("job-status")).to_contain_text("待确认")
    table = page.get_by_test_id("import-errors")
    expect(table).to_contain_text("第 4 行")  # below a title row and the header
    expect(table).to_contain_text("id_format")
    expect(table).to_contain_text("phone_invalid")
    expect(table).to_contain_text("id_duplicate_in_file")
    expect(page.get_by_test_id("import-counts")).to_contain_text("3")
    expect(page.get_by_test_id("commit-import")).to_have_count(0)  # a bad file cannot be committed
    shot(page, "member-import-errors")

    with page.expect_download() as download:
        page.get_by_test_id("download-errors").click()
    rows = CalamineWorkbook.from_path(download.value.path()).get_sheet_by_index(0).to_python()
    assert rows[0][-1] == "错误原因" and len(rows) == 4
    assert any("手机号" in str(r[-1]) for r in rows[1:])
    assert Member.objects.count() == 0

    page.locator(".navbar-vertical").get_by_role("link", name="会员导入").click()
    page.get_by_label("会员信息文件").set_input_files(str(path))
    page.get_by_label("跳过有误的行，只导入正确的行").check()
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("preview-created")).to_contain_text(good[0]["姓名"])
    page.get_by_test_id("commit-import").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("新增 3 人")
    expect(page.get_by_test_id("import-progress")).to_contain_text("行")
    shot(page, "member-import-done")
    assert Member.objects.filter(org=live_world.union_a).count() == 3

    page.goto(f"{live_server.url}/members/")
    expect(page.get_by_test_id("member-table")).to_contain_text(good[1]["姓名"])
    page.get_by_test_id("member-table").get_by_role("link", name=good[1]["姓名"]).click()
    expect(page.get_by_test_id("history")).to_contain_text("入会")
    page.get_by_test_id("reveal").click()
    expect(page.get_by_test_id("revealed")).to_contain_text("13912345678")
    shot(page, "member-detail")
    assert not errors, errors
    assert dt.date.today()
