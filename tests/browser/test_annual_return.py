"""Journey: a grassroots officer fills and submits the statistical annual return; the street officer returns it
with a reason; the union corrects and resubmits; the street accepts it."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gonghui.members.testing import make_member
from gonghui.reports.annual_return.compute import default_year
from tests.browser.helpers import login, no_console_errors, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_return_resubmit_accept(live_server, live_world, page, browser) -> None:
    year = default_year(dt.date.today())
    make_member(live_world.union_a, joined_on=dt.date(year, 3, 1))
    errors = no_console_errors(page)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "officer_a")
    page.locator(".navbar-vertical").get_by_role("link", name="统计年报").click()
    page.get_by_test_id("start-return").click()
    expect(page.locator(".alert-success")).to_contain_text("已新建")
    expect(page.get_by_test_id("status")).to_have_text("草稿")

    page.get_by_role("link", name="表2 会员与职工情况").click()
    grid = page.get_by_test_id("grid")
    members = grid.locator("tr[data-row='2-04']").get_by_test_id("figure")
    expect(members).to_have_text("1")
    expect(members).to_have_attribute("href", f"/figures/members.total/?org=GZ.A.S1.0001&year={year}&stats_year=1")
    page.get_by_test_id("fill-zero").click()
    expect(page.locator(".alert-success")).to_contain_text("空白的手工项已填0")
    page.get_by_test_id("cell-v|2-03|c05").fill("1")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(grid.locator("tr[data-row='2-03'] td.ar-derived").first).to_have_text("1")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "annual-return-grid")

    # a warning without its explanation blocks the submission, with a message that says what to do
    page.get_by_test_id("submit").click()
    expect(page.locator(".alert-danger").first).to_contain_text("请对以下提示逐条填写说明后再上报")
    page.get_by_role("link", name="表4 民主管理与协调劳动关系").click()
    expect(page.get_by_test_id("no-source").first).to_contain_text("暂无记录来源，请手工填写")
    warning = page.get_by_test_id("warning").first
    expect(warning).to_contain_text("未配备工会主席")
    warning.get_by_role("textbox").fill("主席于10月调离，新主席待选举")
    page.get_by_test_id("save-explanations").click()
    expect(page.get_by_test_id("checks-ok")).to_be_hidden()
    expect(page.get_by_test_id("status")).to_have_text("已校验")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("已上报")
    expect(page.get_by_test_id("save")).to_have_count(0)

    street = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    review = street.new_page()
    review.on("dialog", lambda dialog: dialog.accept())
    login(review, live_server, "town_officer")
    review.goto(f"{live_server.url}/reports/annual-returns/")
    review.get_by_test_id("open-GZ.A.S1.0001").click()
    review.get_by_test_id("return-reason").fill("农民工人数请按用工台账核实")
    review.get_by_test_id("send-back").click()
    expect(review.get_by_test_id("status")).to_have_text("已退回")

    page.reload()
    expect(page.get_by_test_id("returned")).to_contain_text("农民工人数请按用工台账核实")
    page.get_by_role("link", name="表2 会员与职工情况").click()
    page.get_by_test_id("cell-v|2-03|c05").fill("2")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("已上报")

    review.reload()
    review.get_by_test_id("accept").click()
    expect(review.get_by_test_id("status")).to_have_text("已审核")
    expect(review.locator(".alert-success").first).to_contain_text("已审核通过")
    shot(review, "annual-return-accepted")
    street.close()
    assert not errors, errors
