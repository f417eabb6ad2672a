"""The dashboard of a union: key figures with 同比, roll-up by child, monthly trends, reminders — all from the
registry, in a number of queries that does not grow with the number of child unions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gonghui.activities.tests import metric_cases as activity_cases
from gonghui.core.scope import OPERATOR
from gonghui.members.testing import make_member
from gonghui.members.tests import metric_cases as member_cases
from gonghui.orgs.models import Org
from gonghui.reports import dashboard, registry
from gonghui.reports.templatetags.figures import number
from gonghui.reports.windows import Window
from gonghui.testing import make_grassroots

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def data(world: Any) -> Any:
    member_cases.build(world)
    activity_cases.build(world)
    return world


def test_key_figures_equal_the_registry_with_last_year_beside_them(data: Any) -> None:
    board = dashboard.board(data.city_admin, data.root, 2025, TODAY)
    assert board.window == Window.year(2025)
    keys = [kf.figure.key for kf in board.figures]
    assert keys == [k for k in dashboard.KEY_FIGURES if k in registry.REGISTRY.metrics]
    for kf in board.figures:
        assert kf.figure == registry.evaluate(OPERATOR, kf.figure.key, data.root, Window.year(2025))
        assert kf.previous == registry.evaluate(OPERATOR, kf.figure.key, data.root, Window.year(2024))
    html = _client(data.city_admin).get("/dashboard/?org=GZ&year=2025").content.decode()
    for kf in board.figures:
        card = html[html.index(f'data-key="{kf.figure.key}"'):]
        link = re.search(r'<a href="([^"]+)" class="figure-link [^"]*" data-key="[^"]+" title="[^"]*">([^<]+)</a>',
                         card)
        assert link is not None
        assert link.group(1) == f"/figures/{kf.figure.key}/?org=GZ&amp;year=2025"
        assert link.group(2) == number(kf.figure.value)


def test_year_over_year_on_known_data(data: Any) -> None:
    make_grassroots(data.street_b, "GZ.B.S1.0002", founded_on=dt.date(2024, 6, 1))
    figures = {kf.figure.key: kf for kf in dashboard.key_figures(data.city_admin, data.root, Window.year(2025))}
    new = figures["members.new"]  # 2 joined in 2025, 1 in 2024
    assert (new.figure.value, new.previous.value, new.change, new.change_pct, new.direction) == (
        2, 1, 1, Decimal("100.0"), "up")
    unions = figures["orgs.grassroots.new"]  # none in 2025, one in 2024
    assert (unions.figure.value, unions.previous.value, unions.change_pct, unions.direction) == (
        0, 1, Decimal("-100.0"), "down")
    total = figures["members.total"]  # 4 at the end of 2025, 3 at the end of 2024
    assert total.change_pct == Decimal("33.3")
    lectures = figures["publicity.lectures.events"]
    now, before = lectures.figure.value, lectures.previous.value
    assert now is not None and before
    assert lectures.change_pct == (Decimal(now - before) * 100 / before).quantize(Decimal("0.1"))
    html = _client(data.city_admin).get("/dashboard/?org=GZ&year=2025").content.decode()
    assert "同比 +100.0%" in html and "同比 -100.0%" in html and "同比 +33.3%" in html
    # A zero last year gives no percentage: 上年同期为 0.
    first = {kf.figure.key: kf for kf in dashboard.key_figures(data.city_admin, data.root, Window.year(2024))}
    assert first["orgs.grassroots.new"].new_this_year and first["orgs.grassroots.new"].change_pct is None
    assert (new.tone, unions.tone) == ("good", "bad")
    overdue = figures["orgs.grassroots.term_overdue"]
    rising = dashboard.KeyFigure(overdue.figure, replace(overdue.previous, value=-1))
    assert rising.direction == "up" and rising.tone == "bad"  # more overdue unions is bad news
    # A rate changes by percentage points.
    rate = figures["members.membership_rate"]
    assert rate.points and rate.change_pct is None


def test_the_current_year_runs_to_today_and_compares_with_the_same_days_last_year() -> None:
    window = dashboard.window_for(2026, TODAY)
    assert (window.start, window.end) == (dt.date(2026, 1, 1), TODAY)
    back = dashboard.previous(window)
    assert (back.start, back.end, back.label) == (dt.date(2025, 1, 1), dt.date(2025, 11, 26), "2025年1月1日至11月26日")
    assert [m.label for m in dashboard.months(window)][-1] == "11月"
    assert dashboard.months(window)[-1].end == TODAY


def test_rollup_by_child_equals_the_registry_for_each_child(data: Any) -> None:
    for _n in range(3):
        make_member(data.union_a2, joined_on=dt.date(2025, 2, 1))
    rollup = dashboard.rollup(data.city_admin, data.district_a, Window.year(2025))
    assert [r.org.code for r in rollup.rows] == ["GZ.A.S1"]
    rollup = dashboard.rollup(data.city_admin, data.street_a, Window.year(2025))
    assert [r.org.code for r in rollup.rows] == ["GZ.A.S1.0001", "GZ.A.S1.0002"]
    assert rollup.keys == list(dashboard.ROLLUP_KEYS)
    for row in rollup.rows:
        for cell in row.cells:
            expected = registry.evaluate(OPERATOR, cell.key, row.org, Window.year(2025)).value
            assert cell.value == expected, (row.org.code, cell.key)
    assert rollup.rows[1].value("members.membership_rate") == Decimal("3.3")  # 4 of 120
    html = _client(data.city_admin).get("/dashboard/?org=GZ.A.S1&year=2025").content.decode()
    table = html[html.index('data-testid="rollup-table"'):]
    assert 'href="/figures/members.total/?org=GZ.A.S1.0002&amp;year=2025"' in table


def test_trends_add_up_to_the_year_and_link_to_each_month(data: Any) -> None:
    labels, lines = dashboard.trends(data.city_admin, data.root, Window.year(2025))
    assert labels == [f"{m}月" for m in range(1, 13)]
    by_key = {t.key: t for t in lines}
    assert [c.value for c in by_key["members.new"].cells] == [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    lectures = by_key["publicity.lectures.events"]
    assert sum(c.value or 0 for c in lectures.cells) == registry.evaluate(
        OPERATOR, "publicity.lectures.events", data.root, Window.year(2025)).value
    html = _client(data.city_admin).get("/dashboard/?org=GZ&year=2025").content.decode()
    assert 'href="/figures/members.new/?org=GZ&amp;year=2025&amp;from=2025-07-01&amp;to=2025-07-31"' in html


def test_reminders_list_overdue_and_due_terms(data: Any) -> None:
    from gonghui.orgs.models import Org as OrgModel

    OrgModel.objects.filter(pk=data.union_a.pk).update(term_ends_on=TODAY - dt.timedelta(days=30))
    OrgModel.objects.filter(pk=data.union_a2.pk).update(term_ends_on=TODAY + dt.timedelta(days=60))
    OrgModel.objects.filter(pk=data.union_b.pk).update(term_ends_on=TODAY - dt.timedelta(days=30))
    groups = dashboard.reminders(data.town_officer, data.street_a, TODAY)
    assert [g.title for g in groups] == ["换届提醒"]
    items = groups[0].items
    shown = [(i.title, i.badge) for i in items]
    assert ("甲公司工会委员会", "逾期") in shown and ("乙公司工会委员会", "将到期") in shown
    assert not any(title == "丙公司工会委员会" for title, _badge in shown)
    assert groups[0].figure is not None and groups[0].figure.value == 1  # 丙 is outside the street


def test_scope_of_the_dashboard(data: Any) -> None:
    assert _client(data.officer_b).get("/dashboard/?org=GZ.A").status_code == 404
    assert _client(data.officer_b).get("/dashboard/?org=GZ").status_code == 404
    own = _client(data.officer_a).get("/dashboard/").content.decode()
    assert "数据看板 · 甲公司工会委员会" in own
    admin = _client(data.city_admin)
    for code in ("GZ", "GZ.A", "GZ.B.S1.0001"):
        assert admin.get(f"/dashboard/?org={code}").status_code == 200
    found = admin.get("/dashboard/orgs/?q=丙&year=2025").content.decode()
    assert "/dashboard/?org=GZ.B.S1.0001&amp;year=2025" in found
    assert "丙" not in _client(data.officer_a).get("/dashboard/orgs/?q=丙").content.decode().replace("“丙”", "")


def test_nav_entry_and_home_panel(data: Any) -> None:
    home = _client(data.town_officer).get("/").content.decode()
    assert 'href="/dashboard/"' in home and "数据看板" in home
    assert 'data-testid="dashboard-panel"' in home and 'data-key="orgs.grassroots.total"' in home
    # The members and activities panels link their figures to the records too.
    assert 'href="/figures/members.total/?org=GZ.A.S1&amp;year=' in home


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_number_of_children(data: Any, django_assert_max_num_queries: Any) -> None:
    client = _client(data.city_admin)
    url = "/dashboard/?org=GZ.A.S1&year=2025"
    client.get(url)  # warm caches (content types, roles)
    before = _queries(client, url)
    street = Org.objects.get(code="GZ.A.S1")
    for n in range(3, 13):
        union = make_grassroots(street, f"GZ.A.S1.{n:04d}", founded_on=dt.date(2025, 5, 1))
        make_member(union, joined_on=dt.date(2025, 6, 1))
    after = _queries(client, url)
    print(f"dashboard queries: {before} with 2 children, {after} with 12")
    assert after == before, (before, after)
    # A bound, not a target: with no member tally built (as here) each members.* figure also asks the tally
    # and whether it is built before counting the records.
    with django_assert_max_num_queries(150):
        client.get(url)
