"""The drill-down page behind every figure: the figure, its records, the Excel export, scope and bad input."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import re
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from python_calamine import CalamineWorkbook

from gonghui.core.models import AuditLog
from gonghui.core.scope import OPERATOR
from gonghui.members.tests import metric_cases as member_cases
from gonghui.orgs.models import Org
from gonghui.reports import registry
from gonghui.reports.figures import links
from gonghui.reports.figures import views as figure_views
from gonghui.reports.summary.compose import FigureValue
from gonghui.reports.summary.preview import figure_url as preview_url
from gonghui.reports.windows import Window
from gonghui.testing import make_grassroots

pytestmark = pytest.mark.django_db
Y2025 = Window.year(2025)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def members(world: Any) -> Any:
    member_cases.build(world)
    return world


def normalise(value: Any) -> Any:
    """A cell as python-calamine reads it back, compared with what the registry column gives."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def read_back(content: bytes) -> list[list[Any]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    return [[normalise(c) for c in row] for row in sheet.to_python()]


def test_page_shows_the_figure_then_the_records_behind_it(members: Any) -> None:
    page = _client(members.city_admin).get("/figures/members.total/?org=GZ&year=2025")
    assert page.status_code == 200
    html = page.content.decode()
    figure = registry.evaluate(OPERATOR, "members.total", members.root, Y2025)
    assert figure.value == 4
    assert re.search(r'data-testid="figure-value">4<span class="figure-unit">人', html)
    assert "会员总数" in html and "测试市总工会" in html and "2025年" in html and "4 条" in html
    table = html[html.index('data-testid="records-table"'):]
    assert table.count("<tr>") == 1 + 4  # header + the four members
    for header in ("姓名", "证件号码", "所在工会", "入会日期"):
        assert f"<th>{header}</th>" in table
    assert 'data-testid="export"' in html and "导出Excel" in html


def test_export_reads_back_equal_to_the_records_and_is_audited(members: Any) -> None:
    client = _client(members.city_admin)
    response = client.get("/figures/members.total/?org=GZ&year=2025&export=1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = read_back(body(response))
    assert rows[0][0].startswith("测试市总工会及所属工会 2025年 会员总数（members.total）= 4人")
    metric = registry.REGISTRY.get("members.total")
    header_at = next(i for i, r in enumerate(rows) if r[0] == "姓名")
    assert rows[header_at] == [c.header for c in metric.columns]
    qs = registry.records(OPERATOR, "members.total", members.root, Y2025)
    expected = [[normalise(c.of(m, full=True)) for c in metric.columns] for m in qs]
    assert sorted(rows[header_at + 1:], key=str) == sorted(expected, key=str)
    assert len(expected) == 4 and all(re.fullmatch(r"\d{17}[\dX]", r[1]) for r in expected)  # full ID numbers
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT, object_type="members.Member")
    assert log.user == members.city_admin and log.org == members.root and log.after is not None
    assert log.after["rows"] == 4 and log.after["key"] == "members.total" and log.after["full_personal_data"]


def test_a_role_without_the_personal_data_right_gets_masked_id_numbers(members: Any) -> None:
    page = _client(members.clerk_a).get("/figures/members.total/?org=GZ.A.S1.0001&year=2025").content.decode()
    records = registry.records(OPERATOR, "members.total", members.union_a, Y2025)
    full = records.get(joined_on=dt.date(2025, 3, 1)).person.id_number
    assert full not in page and full[:4] + "**********" + full[-4:] in page
    response = _client(members.clerk_a).get("/figures/members.total/?org=GZ.A.S1.0001&year=2025&export=1")
    rows = read_back(body(response))
    ids = [r[1] for r in rows if re.fullmatch(r"\d{4}\*+[\dX]{4}", str(r[1]))]
    assert len(ids) == 3 and not any(re.fullmatch(r"\d{17}[\dX]", str(c)) for r in rows for c in r)
    assert "个人信息已脱敏" in [r[0] for r in rows]
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT, user=members.clerk_a)
    assert log.after is not None
    assert log.after["full_personal_data"] is False and log.after["rows"] == 3
    # The officer of the same union holds members.pii: full numbers.
    officer_page = _client(members.officer_a).get("/figures/members.total/?org=GZ.A.S1.0001&year=2025")
    assert full in officer_page.content.decode()


def test_scope_out_of_scope_union_is_404_and_city_admin_sees_all(members: Any) -> None:
    url = "/figures/members.total/?org={}&year=2025"
    officer_b = _client(members.officer_b)
    assert officer_b.get(url.format("GZ.A.S1.0001")).status_code == 404
    assert officer_b.get(url.format("GZ.A.S1.0001") + "&export=1").status_code == 404
    assert officer_b.get(url.format("GZ")).status_code == 404
    assert officer_b.get(url.format("GZ.B.S1.0001")).status_code == 200
    assert _client(members.officer_a).get(url.format("GZ.A")).status_code == 404
    assert _client(members.nobody).get(url.format("GZ")).status_code == 404
    admin = _client(members.city_admin)
    for code in ("GZ", "GZ.A", "GZ.B.S1.0001"):
        assert admin.get(url.format(code)).status_code == 200
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT).exists()  # refused exports write nothing


def test_without_org_the_current_union_is_used(members: Any) -> None:
    page = _client(members.officer_a).get("/figures/members.total/?year=2025").content.decode()
    assert "甲公司工会委员会" in page and "3 条" in page


def test_unknown_key_and_bad_input_say_what_to_fix(members: Any) -> None:
    client = _client(members.city_admin)
    unknown = client.get("/figures/members.nonsense/?org=GZ&year=2025")
    assert unknown.status_code == 404 and "指标代码“members.nonsense”不存在" in unknown.content.decode()
    bad_filter = client.get("/figures/members.total/?org=GZ&year=2025&f_colour=red")
    assert bad_filter.status_code == 400
    text = bad_filter.content.decode()
    assert "不支持筛选条件 colour" in text and "f_gender" in text
    bad_year = client.get("/figures/members.total/?org=GZ&year=20x5")
    assert bad_year.status_code == 400 and "year 应为 1949 至 2100 之间的四位年份" in bad_year.content.decode()
    bad_date = client.get("/figures/members.new/?org=GZ&year=2025&from=2025-13-01")
    assert bad_date.status_code == 400 and "起始日期“2025-13-01”无效" in bad_date.content.decode()
    backwards = client.get("/figures/members.new/?org=GZ&year=2025&from=2025-09-01&to=2025-03-01")
    assert backwards.status_code == 400 and "晚于截止日期" in backwards.content.decode()


def test_filters_periods_and_own_only(members: Any) -> None:
    client = _client(members.city_admin)
    female = client.get("/figures/members.total/?org=GZ&year=2025&f_gender=female").content.decode()
    assert "1 条" in female and "gender = female" in female
    july = client.get("/figures/members.new/?org=GZ&year=2025&from=2025-07-01&to=2025-07-31").content.decode()
    assert "2025年7月1日至2025年7月31日" in july and 'data-testid="figure-value">1<' in july
    own = client.get("/figures/members.total/?org=GZ.A.S1&year=2025&own=1").content.decode()
    assert "（本级）" in own and "0 条" in own  # the street itself has no members of its own
    stats = client.get("/figures/members.new/?org=GZ&year=2025&stats_year=1").content.decode()
    assert "2025统计年度" in stats


def test_a_ratio_shows_numerator_and_denominator_each_linking_to_its_records(world: Any) -> None:
    from gonghui.members.testing import make_member

    for _ in range(3):
        make_member(world.union_a, joined_on=dt.date(2025, 3, 1))
    page = _client(world.city_admin).get("/figures/members.membership_rate/?org=GZ.A.S1.0001&year=2025&own=1")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="figure-value">2.5<' in html  # 3 of 120
    assert 'href="/figures/members.total/?org=GZ.A.S1.0001&amp;year=2025&amp;own=1"' in html
    assert 'href="/figures/members.workforce.total/?org=GZ.A.S1.0001&amp;year=2025&amp;own=1"' in html
    assert "分子“会员总数”的记录" in html


def test_records_are_paginated_and_a_page_costs_few_queries(world: Any, monkeypatch: Any,
                                                            django_assert_max_num_queries: Any) -> None:
    for n in range(5):
        make_grassroots(world.street_b, f"GZ.B.S1.01{n:02d}", founded_on=dt.date(2025, 4, 1))
    monkeypatch.setattr(figure_views, "PAGE_SIZE", 2)
    client = _client(world.city_admin)
    first = client.get("/figures/orgs.grassroots.new/?org=GZ&year=2025").content.decode()
    assert "共 <strong>5</strong> 条，第 1/3 页" in first and "GZ.B.S1.0100" in first and "GZ.B.S1.0102" not in first
    third = client.get("/figures/orgs.grassroots.new/?org=GZ&year=2025&page=3").content.decode()
    assert "GZ.B.S1.0104" in third and "GZ.B.S1.0100" not in third
    monkeypatch.setattr(figure_views, "PAGE_SIZE", 50)
    with django_assert_max_num_queries(15):
        client.get("/figures/orgs.grassroots.new/?org=GZ&year=2025")


def test_activity_records_page_does_not_query_per_row(world: Any, django_assert_max_num_queries: Any) -> None:
    from gonghui.activities.testing import make_activity, person

    for n in range(12):
        make_activity(world.union_a, "lecture", title=f"讲座{n}", start_on=dt.date(2025, 5, 1 + n),
                      people=[person(f"听众{n}")])
    client = _client(world.city_admin)
    with django_assert_max_num_queries(15):
        html = client.get("/figures/publicity.lectures.events/?org=GZ&year=2025").content.decode()
    assert html.count("讲座") >= 12


def test_figure_link_tag_and_the_summary_preview_agree(world: Any) -> None:
    figure = registry.evaluate(OPERATOR, "orgs.grassroots.total", Org.objects.get(code="GZ.A"), Y2025,
                               filters={"mode": "single"})
    html = Template("{% load figures %}{% figure_link figure %}|{% figure_link figure own=True unit=False %}").render(
        Context({"figure": figure}))
    assert html == (
        '<a href="/figures/orgs.grassroots.total/?org=GZ.A&amp;year=2025&amp;f_mode=single" class="figure-link " '
        'data-key="orgs.grassroots.total" title="基层工会总数（orgs.grassroots.total），记录 2 条：点击查看记录">2</a>'
        '<span class="figure-unit">家</span>|'
        '<a href="/figures/orgs.grassroots.total/?org=GZ.A&amp;year=2025&amp;f_mode=single&amp;own=1" '
        'class="figure-link " data-key="orgs.grassroots.total" '
        'title="基层工会总数（orgs.grassroots.total），记录 2 条：点击查看记录">2</a>')
    printed = FigureValue(key="orgs.grassroots.total", label="基层工会总数", unit="家", value=2, record_count=2,
                          year=2025, filters=(("mode", "single"),), own_only=True)
    assert preview_url(printed, "GZ.A") == links.figure_url(figure, own_only=True)
    assert links.window_params(Window.stats_year(2025)) == {"year": "2025", "stats_year": "1"}
    assert links.window_params(Window(dt.date(2025, 1, 1), dt.date(2025, 6, 30))) == {"year": "2025",
                                                                                       "to": "2025-06-30"}
