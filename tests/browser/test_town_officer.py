"""Journey: a town officer logs in, browses the tree, edits a union, and finds the change in the audit log."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, no_console_errors, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_town_officer_edits_a_union_and_sees_it_audited(live_server, live_world, page) -> None:
    errors = no_console_errors(page)
    login(page, live_server, "town_officer")
    expect(page.get_by_test_id("org-switcher")).to_contain_text("A区一街道总工会")

    page.locator(".navbar-vertical").get_by_role("link", name="组织架构").click()
    tree = page.get_by_test_id("org-tree")
    expect(tree).to_contain_text("A区一街道总工会")
    expect(tree).not_to_contain_text("B区")
    page.get_by_role("button", name="展开 A区一街道总工会").click()
    expect(tree.get_by_role("link", name="乙公司工会委员会")).to_be_visible()
    shot(page, "tree-town-officer")

    tree.get_by_role("link", name="乙公司工会委员会").click()
    page.get_by_test_id("edit-org").click()
    page.get_by_label("涵盖职工人数").fill("168")
    page.get_by_label("地址").fill("广州市天河区猎德大道88号")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(page.get_by_text("168 人")).to_be_visible()

    page.locator(".navbar-vertical").get_by_role("link", name="审计日志").click()
    row = page.get_by_test_id("audit-table").locator("tr", has_text="乙公司工会委员会").first
    expect(row).to_contain_text("town_officer")
    expect(row).to_contain_text("修改")
    expect(row).to_contain_text("168")
    expect(row).to_contain_text("广州市天河区猎德大道88号")
    shot(page, "audit-after-edit")
    assert not errors, errors


def test_search_and_phone_layout(live_server, live_world, page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "town_officer")
    page.goto(f"{live_server.url}/orgs/")
    page.get_by_test_id("tree-search").fill("乙公司")
    expect(page.locator("#search-results")).to_contain_text("乙公司工会委员会")
    page.get_by_test_id("tree-search").fill("丙公司")
    expect(page.locator("#search-results")).to_contain_text("没有找到")
    page.get_by_role("button", name="展开菜单").click()
    expect(page.get_by_role("link", name="用人单位")).to_be_visible()
    shot(page, "phone-tree")
