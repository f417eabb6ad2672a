"""Journey: a town officer drafts last year's summary, writes the sections, follows a figure to its records
and downloads the Word document."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gonghui.testing import make_grassroots
from tests.browser.helpers import login, no_console_errors, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_town_officer_drafts_the_annual_summary(live_server, live_world, page) -> None:
    make_grassroots(live_world.street_a, "GZ.A.S1.0009", name="丁公司工会委员会", founded_on=dt.date(2025, 5, 1))
    errors = no_console_errors(page)
    login(page, live_server, "town_officer")
    page.locator(".navbar-vertical").get_by_role("link", name="年度工作总结").click()
    page.get_by_label("年度").fill("2025")
    page.get_by_label("模板").select_option("town")
    page.get_by_test_id("start-summary").click()
    expect(page.locator(".alert-success")).to_contain_text("已新建")
    preview = page.get_by_test_id("summary-preview")
    expect(preview).to_contain_text("A区一街道总工会2025年度工作总结")
    expect(preview).to_contain_text("今年新建基层工会1家")

    page.get_by_test_id("edit-summary").click()
    page.get_by_label("服务基层，强化工会组织建设").fill("街道总工会深入辖区企业开展建会宣传和指导。")
    page.get_by_label("存在的问题").fill("一是辖区小微企业多，建会后运行仍有薄弱环节。")
    page.get_by_label("下一年工作计划").fill("一是推进联合工会规范化运行。\n二是组织一次基层工会干部培训班。")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(preview).to_contain_text("街道总工会深入辖区企业开展建会宣传和指导。")
    expect(preview).to_contain_text("三、2026年工作思路")
    figure = preview.get_by_test_id("figure").first
    expect(figure).to_have_attribute("href", "/figures/orgs.grassroots.new/?org=GZ.A.S1&year=2025")
    shot(page, "summary-preview")

    with page.expect_download() as info:
        page.get_by_test_id("download-docx").click()
    assert info.value.suggested_filename == "A区一街道总工会2025年度工作总结.docx"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("finalise").click()
    expect(page.get_by_test_id("status")).to_have_text("已定稿")
    assert not errors, errors
