"""Journey: a grassroots officer records an activity, picks its participants from the members, and finds it in
the union's calendar."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gonghui.activities.models import Activity
from gonghui.activities.testing import id_number, make_activity, person
from tests.browser.helpers import login, no_console_errors, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_an_activity_pick_participants_and_see_it_in_the_calendar(live_server, live_world, page) -> None:
    from gonghui.members.testing import make_member

    world = live_world
    # Members of the union, and a member of another branch who must never be offered.
    for name in ("李娜", "王强", "李建国"):
        make_member(world.union_a, name=name, employer_name="甲公司")
    make_member(world.union_b, name="李丙")
    # Someone on an earlier roster who is not a member (a contract worker).
    make_activity(world.union_a, "training", title="上月的安全培训", start_on=dt.date.today() - dt.timedelta(days=40),
                  people=[person("王小工")])
    errors = no_console_errors(page)
    login(page, live_server, "officer_a")

    page.locator(".navbar-vertical").get_by_role("link", name="活动日历").click()
    expect(page.get_by_test_id("activity-calendar")).to_be_visible()
    page.get_by_role("link", name="登记活动").first.click()
    page.get_by_label("活动名称").fill("职工心理健康讲座")
    page.get_by_label("活动类型").select_option(label="宣讲（报告会、专题辅导）")
    page.get_by_label("地点").fill("甲公司三楼会议室")
    page.get_by_label("心理健康").check()
    shot(page, "activity-form")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记活动")

    # Pick two members, and type in a third person.
    search = page.get_by_test_id("people-search")
    search.fill("李")
    results = page.get_by_test_id("people-results")
    expect(results).to_contain_text("李娜")
    expect(results).to_contain_text("会员 · 甲公司工会委员会")
    expect(results).to_contain_text("李建国")
    expect(results).not_to_contain_text("李丙")
    shot(page, "activity-picker")
    results.get_by_role("button", name="添加 李娜").click()
    roster = page.get_by_test_id("participants-table")
    expect(roster).to_contain_text("李娜")
    page.get_by_test_id("people-search").fill("王")
    expect(page.get_by_test_id("people-results")).to_contain_text("曾参加活动")  # 王小工, from the earlier roster
    page.get_by_test_id("people-results").get_by_role("button", name="添加 王强").click()
    expect(page.get_by_test_id("participants-table")).to_contain_text("王强")
    page.get_by_text("名单中没有？直接填写姓名和身份证号码").click()
    page.get_by_label("姓名").fill("赵敏")
    page.get_by_label("身份证号码").fill(id_number("female"))
    page.get_by_test_id("add-person").click()
    expect(page.get_by_test_id("participants-table")).to_contain_text("赵敏")
    expect(page.get_by_test_id("participants-card")).to_contain_text("3 人")
    page.reload()
    expect(page.get_by_test_id("persons")).to_have_text("3")
    shot(page, "activity-detail-roster")

    # The activity is in the union's calendar on its day, and leads back to its page.
    activity = Activity.objects.get(title="职工心理健康讲座")
    page.get_by_role("link", name="活动日历").first.click()
    day = page.locator(f"td[data-date='{activity.start_on:%Y-%m-%d}']")
    expect(day).to_contain_text("职工心理健康讲座")
    shot(page, "activity-calendar")
    day.get_by_role("link", name="职工心理健康讲座").click()
    expect(page.get_by_test_id("participants-table")).to_contain_text("赵敏")
    assert activity.participants.count() == 3 and activity.org == world.union_a
    assert activity.participants.filter(person__isnull=False).count() == 2  # the two members
    assert not errors, errors


def test_the_calendar_reads_well_on_a_phone(live_server, live_world, page) -> None:
    make_activity(live_world.union_a, "sports", title="职工趣味运动会", start_on=dt.date.today(), headcount=80)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "town_officer")
    page.goto(f"{live_server.url}/activities/calendar/")
    agenda = page.get_by_test_id("activity-agenda")  # a list of days instead of the month grid
    expect(agenda).to_contain_text("职工趣味运动会")
    expect(page.get_by_test_id("activity-calendar")).to_be_hidden()
    shot(page, "phone-activity-calendar")
