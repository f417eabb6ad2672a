"""For the demo federation, each key figure of the dashboard equals a recount of the records exported from its
drill-down page (the 导出Excel workbook an officer would check the number with)."""

import datetime as dt
import io
from collections.abc import Callable
from contextlib import redirect_stdout
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from python_calamine import CalamineWorkbook

from gonghui.cli import main
from gonghui.core.models import User
from gonghui.orgs.models import Org
from gonghui.reports import dashboard
from gonghui.reports.windows import Window

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with redirect_stdout(io.StringIO()):
            assert main(["demo", "--members", "300", "--seed", "5"]) == 0
        yield
        transaction.set_rollback(True)


def export(client: Client, key: str, org: str, year: int) -> list[dict[str, Any]]:
    response = client.get(f"/figures/{key}/?org={org}&year={year}&export=1")
    assert response.status_code == 200, key
    content = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    header_at = next(i for i, r in enumerate(rows) if len(r) > 1 and r[1] not in ("", None))
    header = rows[header_at]
    return [dict(zip(header, r, strict=True)) for r in rows[header_at + 1:]]


def distinct(column: str) -> Callable[[list[dict[str, Any]]], int]:
    return lambda rows: len({r[column] for r in rows})


def total(column: str) -> Callable[[list[dict[str, Any]]], int]:
    return lambda rows: int(sum(r[column] or 0 for r in rows))


def rate(rows: list[dict[str, Any]]) -> Decimal | None:
    covered = sum(1 for r in rows if r["已建会"] == "是")
    return (Decimal(covered) * 100 / len(rows)).quantize(Decimal("0.1"), ROUND_HALF_UP) if rows else None


RECOUNT: dict[str, Callable[[list[dict[str, Any]]], Any]] = {
    "members.total": distinct("证件号码"),  # 人: distinct persons (the administrator sees full ID numbers)
    "members.new": distinct("证件号码"),
    "orgs.grassroots.total": distinct("工会代码"),
    "orgs.grassroots.new": distinct("工会代码"),
    "orgs.grassroots.term_overdue": distinct("工会代码"),
    "orgs.establishment_rate.above_scale": rate,
    "facilities.home.total": len,
    "publicity.lectures.events": total("场次"),  # 场 = sessions
    "culture.events": len,  # one activity, one event
    "skills.training.person_times": total("人次"),
}


def test_key_figures_equal_a_recount_of_their_exported_records(demo) -> None:
    admin = User.objects.get(username="city_admin")
    client = Client()
    client.force_login(admin)
    year = dt.date.today().year - 1
    districts = list(Org.objects.filter(depth=2).order_by("path")[:2])
    checked = 0
    for org in [Org.objects.get(depth=1), *districts]:
        figures = {kf.figure.key: kf.figure for kf in dashboard.key_figures(admin, org, Window.year(year))}
        for key, recount in RECOUNT.items():
            rows = export(client, key, org.code, year)
            assert recount(rows) == figures[key].value, (org.code, key)
            checked += bool(rows)
        # 入会率 from its two exports: distinct members ÷ workers covered by the grassroots unions.
        members = distinct("证件号码")(export(client, "members.total", org.code, year))
        workers = total("涵盖职工")(export(client, "members.workforce.total", org.code, year))
        expected = (Decimal(members) * 100 / workers).quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert figures["members.membership_rate"].value == expected, org.code
    assert checked >= 20  # the demo has records behind most figures
