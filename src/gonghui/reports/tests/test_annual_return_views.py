"""The annual return through the pages and the command line: grid, edits, review, Excel in the form layout."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from gonghui.cli import main
from gonghui.members.testing import make_member
from gonghui.reports.annual_return import services
from gonghui.reports.annual_return.models import AnnualReturn, ReturnStatus, ReturnValue

pytestmark = pytest.mark.django_db
YEAR = 2025


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def sheet(content: bytes, name: str) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(name).to_python()


def row_of(rows: list[list[Any]], code: str) -> list[Any]:
    return next(r for r in rows if len(r) > 1 and r[1] == code)


def test_officer_fills_submits_and_the_street_reviews(world: Any) -> None:
    import datetime as dt

    make_member(world.union_a, joined_on=dt.date(2025, 2, 1))
    officer, street = client(world.officer_a), client(world.town_officer)
    assert "统计年报" in officer.get("/").content.decode()
    page = officer.post("/reports/annual-returns/", {"year": YEAR}, follow=True)
    assert "已新建" in page.content.decode()
    base = f"/reports/annual-returns/GZ.A.S1.0001/{YEAR}/"
    html = officer.get(base + "?t=2").content.decode()
    assert f'href="/figures/members.total/?org=GZ.A.S1.0001&amp;year={YEAR}&amp;stats_year=1"' in html
    assert "暂无记录来源，请手工填写" in officer.get(base + "?t=4").content.decode()
    assert 'name="v|2-03|c05"' in html and 'name="v|2-03|c03"' not in html  # own type column only

    officer.post(base + "fill-zero/", {"t": "2"})
    response = officer.post(base + "values/", {"t": "2", "v|2-03|c05": "abc"}, follow=True)
    assert "“abc”不是数字" in response.content.decode()
    officer.post(base + "values/", {"t": "2", "v|2-03|c05": "1"})
    ret = AnnualReturn.objects.get(org=world.union_a, year=YEAR)
    assert ReturnValue.objects.get(annual_return=ret, row="2-03", column="c01").value == 1
    refused = officer.post(base + "values/", {"t": "2", "override_row": "2-04", "override_column": "c01",
                                              "override_value": "5", "override_reason": ""}, follow=True)
    assert "请填写修改原因" in refused.content.decode()
    officer.post(base + "values/", {"t": "2", "override_row": "2-04", "override_column": "c01",
                                    "override_value": "1", "override_reason": "与台账一致"})
    ret.refresh_from_db()
    explain = {f"x|{r.key}": "已核实" for r in ret.check_results.filter(severity="W")}
    if explain:
        officer.post(base + "explain/", explain)
    officer.post(base + "submit/", follow=True)
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED, list(ret.check_results.values_list("message", flat=True))

    own_review = officer.post(base + "accept/", follow=True).content.decode()
    assert "统计年报由上级工会（A区一街道总工会）审核" in own_review
    assert client(world.officer_b).get(base).status_code == 404
    assert client(world.officer_b).post(base + "accept/").status_code == 404
    listing = street.get("/reports/annual-returns/").content.decode()
    assert "甲公司工会委员会" in listing and "审核" in listing
    street.post(base + "return/", {"reason": "请核实农民工人数"})
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.RETURNED
    assert "请核实农民工人数" in officer.get(base).content.decode()
    officer.post(base + "submit/")
    street.post(base + "accept/")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.ACCEPTED

    street.post("/reports/annual-returns/", {"year": YEAR})
    agg = street.get(f"/reports/annual-returns/GZ.A.S1/{YEAR}/?t=2").content.decode()
    assert "下级汇总情况" in agg and "乙公司工会委员会" in agg and "G-8" in agg

    xlsx = officer.get(base + "xlsx/")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet(xlsx.content, "表2")
    assert row_of(rows, "2-04")[3] == 1 and row_of(rows, "2-03")[3 + 4] == 1  # c05 is the fifth column


def test_cli_writes_the_form_layout(world: Any, tmp_path: Path, capsys: Any) -> None:
    import datetime as dt

    make_member(world.union_a, joined_on=dt.date(2025, 2, 1))
    make_member(world.union_a, joined_on=dt.date(2024, 1, 1), is_migrant=True)
    out = tmp_path / "return.xlsx"
    # no return saved yet: a draft from records, manual cells blank
    assert main(["report", "annual-return", "--org", "GZ.A.S1.0001", "--year", str(YEAR), "-o", str(out),
                 "--json"]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed["values"]["2-04"] == 2 and printed["values"]["2-03"] is None and printed["errors"] > 0
    t2 = sheet(out.read_bytes(), "表2")
    assert any("工统基1表" in str(c) for r in t2[:3] for c in r)
    assert t2[5][3:6] == ["合计", "企业", ""] or t2[4][3:5] == ["合计", "企业"]
    assert row_of(t2, "2-04")[3] == 2 and row_of(t2, "2-06")[3] == 1 and row_of(t2, "2-03")[3] == ""

    ret = services.start_return(None, world.union_a, YEAR)
    ret = services.fill_blanks_with_zero(None, ret)
    assert main(["report", "annual-return", "--org", "GZ.A.S1.0001", "--year", str(YEAR), "-o", str(out)]) == 0
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names[:6] == ["表1", "表2", "表3", "表4", "表5", "表6"] and "校验与说明" in book.sheet_names
    stored = {(v.row, v.column): v.value for v in ReturnValue.objects.filter(annual_return=ret)}
    for name in ("表1", "表2", "表3", "表5", "表6"):
        rows = sheet(out.read_bytes(), name)
        codes = next(r for r in rows if r[:3] == ["甲", "乙", "丙"])[3:]
        for r in rows:
            if len(r) > 1 and isinstance(r[1], str) and r[1][:1] == name[1] and "-" in r[1]:
                for col, cell in zip(codes, r[3:], strict=False):
                    value = stored.get((r[1], col))
                    if value is not None:
                        assert float(cell) == float(value), (r[1], col)
    assert main(["report", "annual-return", "--org", "NOPE", "--year", str(YEAR), "-o", str(out)]) == 2
    assert main(["report", "annual-return", "--org", "GZ", "--year", str(YEAR), "-o", str(tmp_path / "x.pdf")]) == 2
