"""The form set as data: the shipped definition is sound, a broken one is refused with Chinese reasons,
and each kind of cross-check fires with a message naming the table, row and column."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from gonghui.reports.annual_return import checks, compute, definition, expressions
from gonghui.reports.annual_return.compute import Filled
from gonghui.reports.annual_return.definition import NO_SOURCE, TOTAL
from gonghui.reports.registry import REGISTRY


def test_default_form_is_sound() -> None:
    data = definition.read(definition.DEFAULT_FORM)
    assert definition.validate(data) == []
    form = definition.load()
    assert len(form.tables) == 6 and len(form.rows) == 116  # ANNUAL_RETURN.md: six forms, 116 rows
    b1 = [r.code for r in form.rows.values() if r.column_set == "B1"]
    assert len(b1) == 16 and len(form.column_sets["B1"]) == 12
    assert {c.id for c in form.checks} >= {"C1-1", "C2-4", "C3-2", "C4-8", "C5-1", "C6-8"}
    assert form.where("2-05", "c05") == "表2 2-05“其中：女会员”私营及其他内资企业栏"


def test_rows_follow_the_registry_status() -> None:
    form = definition.load()
    for row in form.rows.values():
        ok, why = row.source_status()
        if row.key and row.key not in REGISTRY.metrics:
            assert not ok and "尚未实现" in why, row.code  # pending metric: typed by hand, never invented
        if row.key in REGISTRY.metrics and not row.filters:
            assert ok, row.code
    assert form.rows["2-04"].from_records and form.rows["2-05"].filters == {"gender": "female"}
    assert not form.rows["4-19"].from_records and not form.rows["2-03"].from_records


@pytest.mark.parametrize(("change", "problem"), [
    (lambda d: d["tables"][0]["rows"].append(dict(d["tables"][0]["rows"][0])), "行代码 1-01 重复"),
    (lambda d: d["tables"][1]["rows"][4].update(parent="9-99"), "所属项 9-99 不存在"),
    (lambda d: d["tables"][3]["rows"][11].update(parent="4-11"), "计量单位不同"),
    (lambda d: d["tables"][0]["rows"][0].update(source={"key": "orgs.no_such_thing"}), "不在指标目录中"),
    (lambda d: d["checks"].append({"id": "X", "exprs": ["[2-05] <= [7-01]"], "severity": "E", "message": "m"}),
     "不存在的行 7-01"),
    (lambda d: d["checks"].append({"id": "X", "exprs": ["__import__('os')"], "severity": "E", "message": "m"}),
     "只能调用 abs()"),
    (lambda d: d["checks"].append({"id": "X", "exprs": ["[1-01] <="], "severity": "E", "message": "m"}), "无法解析"),
    (lambda d: d["checks"].append({"id": "X", "exprs": ["[1-01] >= 0"], "severity": "Z", "message": "m"}),
     "级别应为 E 或 W"),
])
def test_broken_definitions_are_refused(change: Any, problem: str) -> None:
    data = copy.deepcopy(definition.read(definition.DEFAULT_FORM))
    change(data)
    with pytest.raises(definition.FormError) as exc:
        definition.build(data)
    assert any(problem in p for p in exc.value.problems), exc.value.problems


def test_expressions() -> None:
    values = {"1-01": Decimal(1), "1-03": Decimal(0), "2-14": Decimal(5)}

    def v(code: str) -> Decimal:
        return values.get(code, Decimal(0))

    def no_prev(code: str) -> Decimal:
        raise expressions.MissingPrevious(code)

    assert not expressions.holds(expressions.parse("[1-03] = 0 -> [2-14] = 0"), v, no_prev)
    assert expressions.holds(expressions.parse("[1-03] > 0 -> [2-14] = 0"), v, no_prev)
    assert expressions.holds(expressions.parse("([1-03] = 0) = ([4-11] = 0)"), v, no_prev)
    assert expressions.holds(expressions.parse("abs([1-01] - 1.005) <= 0.01"), v, no_prev)
    assert expressions.parse("[2-04] = prev[2-04] + [2-08]").rows == ("2-04", "2-08")


# -- each kind of cross-check -------------------------------------------------------------------


def filled(values: dict[tuple[str, str] | str, int | str | None], *, org: Any = None) -> Filled:
    """A grassroots return with every cell 0 but ``values`` (row or (row, column) → own value)."""
    form = definition.load()
    out = compute.blank(form, org, aggregate=False) if org is not None else Filled(
        {(r.code, c.code): compute.Cell(r.code, c.code, compute.cell_kind(form, r, c.code)) for r, c in form.cells()})
    for cell in out.cells.values():
        cell.own = Decimal(0)
    for key, value in values.items():
        row, column = key if isinstance(key, tuple) else (key, TOTAL)
        out.cells[(row, column)].own = None if value is None else Decimal(str(value))
    out.cells[("1-01", TOTAL)].own = out.cells[("1-01", TOTAL)].own if "1-01" in values else Decimal(1)
    compute.recompute(form, out, aggregate=False)
    return out


def run(f: Filled, **kw: Any) -> list[checks.Finding]:
    return checks.run(definition.load(), f, aggregate=kw.pop("aggregate", False), **kw)


def ids(found: list[checks.Finding]) -> set[str]:
    return {f.check_id for f in found}


def test_a_clean_return_passes() -> None:
    one: dict[tuple[str, str] | str, int | str | None] = {
        (row, col): 1 for row in ("1-01", "1-02", "1-05") for col in ("c01", "c02", "c05")}
    found = run(filled({**one, "3-05": 1}))
    assert found == [], [f.message for f in found]


def test_part_not_above_total() -> None:
    found = run(filled({"2-04": 20, "2-05": 30, "2-01": 40, "2-02": 40}))
    c24 = [f for f in found if f.check_id == "C2-4"]
    assert c24[0].severity == "E"
    assert c24[0].message.startswith("表2 2-05“其中：女会员”合计栏：女会员人数不能大于会员人数")
    assert "2-05 = 30，2-04 = 20" in c24[0].message
    assert "G-2" in ids(found)  # 其中 row above its parent


def test_total_equals_sum_of_parts() -> None:
    found = run(filled({"1-02": 1, "1-03": 1}))
    assert "C1-1" in ids(found)
    income = run(filled({"5-02": "1000.00", "5-03": "400.00", "5-04": "500.00"}))
    c51 = next(f for f in income if f.check_id == "C5-1")
    assert "收入各项之和应等于本年收入合计" in c51.message and c51.row == "5-03"


def test_b1_columns_add_up_per_column() -> None:
    found = run(filled({("2-01", "c01"): 100, ("2-01", "c02"): 100, ("2-01", "c05"): 60}))
    g3 = [f for f in found if f.check_id == "G-3"]
    assert g3 and "分单位类型各栏之和应等于合计" in g3[0].message and g3[0].column in ("c01", "c02")
    per_column = run(filled({("2-01", "c05"): 10, ("2-01", "c02"): 10, "2-01": 10, ("2-04", "c05"): 12,
                             ("2-04", "c02"): 12, "2-04": 12}))
    c22 = [f for f in per_column if f.check_id == "C2-2"]
    assert {f.column for f in c22} == {"c01", "c02", "c05"}
    assert any("私营及其他内资企业栏" in f.message for f in c22)


def test_cross_table_and_implications() -> None:
    found = run(filled({"3-05": 2, "4-03": 50, "2-01": 10, "2-14": 3, "2-04": 5}))
    assert {"C3-2", "C4-3", "C2-9"} <= ids(found)
    c32 = next(f for f in found if f.check_id == "C3-2")
    assert c32.message.startswith("表3 3-05“工会主席”合计栏：工会主席人数不能大于基层工会数")
    c48 = run(filled({"4-11": 1}))
    assert "C4-8" in ids(c48)  # contracts without covered workers


def test_grassroots_flags_and_blanks() -> None:
    found = run(filled({"1-13": 2, "1-17": None, ("2-01", "c03"): 5, ("2-01", "c05"): 5, ("2-01", "c02"): 10,
                        "2-01": 10}))
    g4 = [f for f in found if f.check_id == "G-4"]
    assert any("基层工会填报的标志项只能填0或1" in f.message and f.row == "1-13" for f in g4)
    assert any("只填本单位所属类型一栏" in f.message for f in g4)
    g5 = next(f for f in found if f.check_id == "G-5")
    assert g5.row == "1-17" and "请填写数值，没有请填0" in g5.message
    aggregate = run(filled({"1-13": 2, "1-01": 7}), aggregate=True)
    assert "G-4" not in ids(aggregate)


def test_values_must_be_whole_and_not_negative() -> None:
    found = run(filled({"2-04": "-1", "2-08": "1.5", "5-15": "-20.00"}))
    g1 = {f.row for f in found if f.check_id == "G-1"}
    assert {"2-04", "2-08"} <= g1 and "5-15" not in g1  # a balance may be negative (C5-5 warns instead)
    assert "C5-5" in ids(found) and next(f for f in found if f.check_id == "C5-5").severity == "W"


def test_override_without_reason() -> None:
    f = filled({})
    cell = f.cells[("2-04", TOTAL)]
    cell.origin, cell.computed = "override", Decimal(3)
    found = run(f)
    assert any(x.check_id == "G-6" and "请填写修改原因" in x.message for x in found)


def test_ratios_are_recomputed() -> None:
    f = filled({"2-01": 8, ("2-01", "c05"): 8, ("2-01", "c02"): 8, "2-04": 3, ("2-04", "c05"): 3,
                ("2-04", "c02"): 3})
    assert f.value("2-15") == Decimal("37.5") and f.value("2-15", "c05") == Decimal("37.5")
    assert f.value("2-15", "c03") is None  # no workforce in that column: no rate, not 0


def test_previous_year_checks() -> None:
    prev = {("2-04", TOTAL): Decimal(100), ("1-01", TOTAL): Decimal(1), ("6-11", TOTAL): Decimal(2)}
    now = filled({"2-04": 300, "2-08": 10, "2-01": 400, "6-11": 5, "6-12": 1})
    found = run(now, prev=prev)
    assert "C2-10" in ids(found) and "C6-4" in ids(found)
    assert "G-7" not in ids(found)  # year-on-year swing: aggregates only
    assert "G-7" in ids(run(now, prev=prev, aggregate=True))
    assert "C2-10" not in ids(run(now))  # no accepted return last year: not applied


def test_children_not_accepted() -> None:
    kids = [checks.ChildState("GZ.A.S1.0001", "甲公司工会委员会", "submitted", "已上报"),
            checks.ChildState("GZ.A.S1.0002", "乙公司工会委员会", "", "尚未填报", missing_reason="停产"),
            checks.ChildState("GZ.A.S1.0003", "丙公司工会委员会", "accepted", "已审核")]
    found = run(filled({"1-01": 0}), aggregate=True, children=kids, stale_children=True)
    g8 = [f for f in found if f.check_id == "G-8"]
    assert [f.subject for f in g8] == ["GZ.A.S1.0001"]
    assert "甲公司工会委员会" in g8[0].message and "已上报" in g8[0].message
    assert "G-9" in ids(found)


def test_no_source_marker() -> None:
    assert NO_SOURCE == "暂无记录来源，请手工填写"
