"""Journey: an officer opens the dashboard, clicks a figure, lands on the records behind it and exports them."""

import datetime as dt

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from gonghui.activities.testing import make_activity
from gonghui.members.testing import make_member
from gonghui.testing import make_grassroots
from tests.browser.helpers import login, no_console_errors, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_figure_to_records_to_excel(live_server, live_world, page, tmp_path) -> None:
    world = live_world
    today = dt.date.today()
    this_month = today.replace(day=1)
    for name in ("李娜", "王强"):
        make_member(world.union_a, name=name, joined_on=this_month)
    make_member(world.union_a2, name="张敏", joined_on=this_month)
    make_member(world.union_a2, name="陈刚", joined_on=this_month.replace(year=today.year - 1))
    make_member(world.union_b, name="李丙", joined_on=this_month)  # another branch: never shown
    make_grassroots(world.street_a, "GZ.A.S1.0003", name="丁公司工会委员会", founded_on=this_month)
    make_activity(world.union_a, "lecture", title="职工心理健康讲座", start_on=this_month, headcount=40)
    errors = no_console_errors(page)
    login(page, live_server, "town_officer")

    page.locator(".navbar-vertical").get_by_role("link", name="数据看板").click()
    figures = page.get_by_test_id("key-figures")
    expect(figures).to_be_visible()
    new_members = figures.locator('[data-key="members.new"]')
    expect(new_members.locator(".figure-value")).to_have_text("3人")
    expect(new_members.get_by_test_id("yoy")).to_contain_text("同比 +200.0%")
    expect(page.get_by_test_id("rollup-table")).to_contain_text("甲公司工会委员会")
    expect(page.locator("#chart-children canvas")).to_have_count(1)
    expect(page.locator("#chart-trends canvas")).to_have_count(1)
    shot(page, "dashboard")

    new_members.locator(".figure-value a").click()
    page.wait_for_url("**/figures/members.new/**")
    expect(page.get_by_test_id("figure-value")).to_have_text("3人")
    table = page.get_by_test_id("records-table")
    for name in ("李娜", "王强", "张敏"):
        expect(table).to_contain_text(name)
    expect(table).not_to_contain_text("李丙")
    expect(table).not_to_contain_text("陈刚")
    shown = sorted(table.locator("tbody tr td:first-child").all_inner_texts())
    shot(page, "drilldown")

    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "records.xlsx"
    download.save_as(path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert "新增（发展、吸纳）会员（members.new）= 3人" in rows[0][0]
    header_at = next(i for i, r in enumerate(rows) if r[0] == "姓名")
    assert sorted(r[0] for r in rows[header_at + 1:]) == shown == ["张敏", "李娜", "王强"]
    assert not errors, errors


def test_dashboard_reads_on_a_phone(live_server, live_world, page) -> None:
    make_member(live_world.union_a, name="李娜", joined_on=dt.date.today().replace(day=1))
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "town_officer")
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_test_id("key-figures")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    shot(page, "phone-dashboard")
