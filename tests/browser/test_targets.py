"""Journey: a street federation's officer sets a yearly target, splits it between its unions (the shares must
cover it), and reads the completion page: actuals from the member records, badges, bars and the ranking."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, no_console_errors, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_sets_and_splits_a_target_and_sees_completion(live_server, live_world, page) -> None:
    from gonghui.members.testing import make_member

    world = live_world
    year = dt.date.today().year
    for name in ("李娜", "王强", "张伟"):
        make_member(world.union_a, name=name, joined_on=dt.date(year, 1, 1))
    make_member(world.union_a2, name="陈静", joined_on=dt.date(year, 1, 1))
    make_member(world.union_a2, name="去年入会", joined_on=dt.date(year - 1, 6, 1))  # last year: not counted
    errors = no_console_errors(page)
    login(page, live_server, "town_officer")

    page.locator(".navbar-vertical").get_by_role("link", name="目标任务").click()
    page.get_by_test_id("new-target").click()
    page.get_by_label("承担工会").select_option(label="A区一街道总工会")
    page.get_by_label("指标", exact=True).select_option(value="members.new")
    page.get_by_label("目标值").fill("5")
    shot(page, "target-form")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("已下达")
    group = page.get_by_test_id("target-group-members.new")
    expect(group).to_contain_text("5人")

    group.get_by_test_id("split-members.new").click()
    page.get_by_label("甲公司工会委员会的分解数").fill("2")
    page.get_by_label("乙公司工会委员会的分解数").fill("2")
    page.get_by_test_id("save-split").click()
    expect(page.get_by_test_id("split-errors")).to_contain_text("合计4人，少于A区一街道总工会的目标5人，还差1人")
    page.get_by_label("乙公司工会委员会的分解数").fill("3")
    shot(page, "target-split")
    page.get_by_test_id("save-split").click()

    expect(page.locator(".alert-success")).to_contain_text("分解到2个下级工会")
    card = page.get_by_test_id("completion-members.new")
    own = card.get_by_test_id("own-row")
    expect(own.get_by_test_id("actual")).to_have_text("4人")
    expect(own).to_contain_text("80.0%")
    expect(own.get_by_test_id("status")).to_have_text("未完成")
    rows = card.get_by_test_id("children-members.new").locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("甲公司工会委员会")
    expect(rows.nth(0)).to_contain_text("150.0%")
    expect(rows.nth(0).get_by_test_id("status")).to_have_text("超额完成")
    expect(rows.nth(1)).to_contain_text("乙公司工会委员会")
    expect(rows.nth(1)).to_contain_text("33.3%")
    expect(rows.nth(1).get_by_test_id("status")).to_have_text("未完成")
    href = rows.nth(0).get_by_role("link", name="3人").get_attribute("href")
    assert href == f"/figures/members.new/?org=GZ.A.S1.0001&year={year}"
    shot(page, "target-completion")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "target-completion-phone")

    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    assert download.value.suggested_filename == f"A区一街道总工会-{year}年目标完成情况.xlsx"
    assert not errors, errors
