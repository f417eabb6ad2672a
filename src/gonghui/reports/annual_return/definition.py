"""The form set of the annual return, as data: tables, rows, columns, cell sources and cross-checks.

A definition is a JSON file in ``definitions/`` (``annual_return_v1.json`` is the default
form of ANNUAL_RETURN.md). ``load`` reads and validates it; a deployment adds rows or
checks by shipping another version. Each row is either sourced from a metric key of the
registry (with filters), a ratio of two rows, or a manual entry; a sourced row whose
metric is not implemented yet (or lacks the filter) is filled in by hand, marked
"暂无记录来源，请手工填写" — never with a made-up figure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from gonghui.reports.annual_return import expressions
from gonghui.reports.registry import REGISTRY

DEFINITIONS = Path(__file__).with_name("definitions")
DEFAULT_FORM = "annual_return_v1"
NO_SOURCE = "暂无记录来源，请手工填写"
TOTAL = "c01"
TYPES = {"S": "时点数", "F": "时期数", "R": "比率", "M": "手工"}
SEVERITIES = {"E": "错误", "W": "提示"}
LEVELS = {"all", "G", "A"}


class FormError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Column:
    code: str
    label: str


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    unit: str
    type: str
    table: str
    key: str = ""  # metric key ("" for a manual row)
    filters: Mapping[str, str] = field(default_factory=dict)
    ratio: tuple[str, str] | None = None  # (numerator row, denominator row)
    parent: str = ""
    flag: bool = False
    column_set: str = ""  # "B1" or "" (one value)
    note: str = ""

    @property
    def is_money(self) -> bool:
        return self.unit == "元"

    @property
    def is_ratio(self) -> bool:
        return self.ratio is not None

    def source_status(self) -> tuple[bool, str]:
        """(from records?, why not): a row is computed only when its metric and filters are implemented."""
        if self.is_ratio:
            return True, ""
        if not self.key:
            return False, self.note or "无记录可依，须手工填写"
        metric = REGISTRY.metrics.get(self.key)
        if metric is None:
            _state, reason = REGISTRY.status(self.key)
            return False, f"指标 {self.key} 尚未实现：{reason}" if reason else f"指标 {self.key} 尚未实现"
        missing = [k for k in self.filters if k not in metric.filters]
        if missing:
            return False, f"指标 {self.key} 暂不支持筛选条件 {'、'.join(missing)}"
        return True, ""

    @property
    def from_records(self) -> bool:
        return self.source_status()[0]


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    own_only: bool
    rows: tuple[Row, ...]

    @property
    def column_set(self) -> str:
        return "B1" if any(r.column_set for r in self.rows) else ""


@dataclass(frozen=True)
class Check:
    id: str
    rules: tuple[expressions.Rule, ...]
    severity: str
    level: str
    message: str


@dataclass(frozen=True)
class Form:
    code: str
    version: int
    title: str
    header: Mapping[str, str]
    column_sets: Mapping[str, tuple[Column, ...]]
    column_sums: Mapping[str, Mapping[str, tuple[str, ...]]]
    tables: tuple[Table, ...]
    checks: tuple[Check, ...]
    general: Mapping[str, Mapping[str, Any]]
    negative_allowed: frozenset[str]

    @property
    def rows(self) -> dict[str, Row]:
        return {r.code: r for t in self.tables for r in t.rows}

    def columns_of(self, row: Row) -> tuple[Column, ...]:
        return self.column_sets[row.column_set] if row.column_set else (Column(TOTAL, "合计"),)

    def table_columns(self, table: Table) -> tuple[Column, ...]:
        return self.column_sets[table.column_set] if table.column_set else (Column(TOTAL, "数值"),)

    def cells(self) -> list[tuple[Row, Column]]:
        return [(row, col) for t in self.tables for row in t.rows for col in self.columns_of(row)]

    def column_label(self, code: str) -> str:
        for cols in self.column_sets.values():
            for c in cols:
                if c.code == code:
                    return c.label
        return "合计"

    def table_of(self, row_code: str) -> Table:
        return next(t for t in self.tables if any(r.code == row_code for r in t.rows))

    def where(self, row_code: str, column: str = TOTAL) -> str:
        """A cell named the way an officer finds it: 表2 第2-05行“其中：女会员” 合计栏."""
        row = self.rows[row_code]
        table = self.table_of(row_code)
        return f"{table.title.split(' ')[0]} {row.code}“{row.label}”{self.column_label(column)}栏"


def validate(data: Mapping[str, Any]) -> list[str]:
    """Everything wrong with a form definition, in Chinese (empty when it is sound)."""
    problems: list[str] = []
    for name in ("code", "title", "tables", "checks", "column_sets"):
        if name not in data:
            problems.append(f"缺少“{name}”")
    if problems:
        return problems
    sets = data["column_sets"]
    for set_code, spec in sets.items():
        codes = [c["code"] for c in spec["columns"]]
        if len(set(codes)) != len(codes):
            problems.append(f"栏目组 {set_code} 的栏目代码重复")
        for total, parts in spec.get("sums", {}).items():
            for c in [total, *parts]:
                if c not in codes:
                    problems.append(f"栏目组 {set_code} 的合计关系引用了不存在的栏目 {c}")
    rows: dict[str, Mapping[str, Any]] = {}
    for table in data["tables"]:
        for row in table["rows"]:
            code = row.get("code", "")
            if code in rows:
                problems.append(f"行代码 {code} 重复")
            if not code.startswith(f"{table['code']}-"):
                problems.append(f"行 {code} 不属于表{table['code']}")
            rows[code] = row
            if row.get("type") not in TYPES:
                problems.append(f"行 {code} 的类型“{row.get('type')}”应为 S、F、R 或 M")
            if row.get("columns") and row["columns"] not in sets:
                problems.append(f"行 {code} 引用了不存在的栏目组 {row['columns']}")
            source = row.get("source")
            if row.get("type") == "R":
                if not (isinstance(row.get("ratio"), list) and len(row["ratio"]) == 2):
                    problems.append(f"比率行 {code} 需要 ratio: [分子行, 分母行]")
            elif source != "manual":
                if not isinstance(source, Mapping) or not source.get("key"):
                    problems.append(f"行 {code} 的来源应为 manual 或 {{key, filters}}")
                elif REGISTRY.status(source["key"])[0] == "missing":
                    problems.append(f"行 {code} 的指标 {source['key']} 不在指标目录中")
    for code, row in rows.items():
        parent = row.get("parent")
        if parent and parent not in rows:
            problems.append(f"行 {code} 的所属项 {parent} 不存在")
        elif parent and rows[parent].get("unit") != row.get("unit"):
            problems.append(f"行 {code} 与所属项 {parent} 的计量单位不同，不能作为其中项")
        for ref in row.get("ratio") or ():
            if ref not in rows:
                problems.append(f"比率行 {code} 引用了不存在的行 {ref}")
    for check in data["checks"]:
        cid = check.get("id", "?")
        if check.get("severity") not in SEVERITIES:
            problems.append(f"校验 {cid} 的级别应为 E 或 W")
        if check.get("level", "all") not in LEVELS:
            problems.append(f"校验 {cid} 的适用范围应为 all、G 或 A")
        if not check.get("message"):
            problems.append(f"校验 {cid} 缺少提示语")
        for text in check.get("exprs", []):
            try:
                rule = expressions.parse(text)
            except expressions.ExpressionError as exc:
                problems.append(f"校验 {cid}：{exc}")
                continue
            unknown = [r for r in rule.rows if r not in rows]
            if unknown:
                problems.append(f"校验 {cid} 引用了不存在的行 {'、'.join(unknown)}")
    return problems


def build(data: Mapping[str, Any]) -> Form:
    problems = validate(data)
    if problems:
        raise FormError(problems)
    column_sets = {code: tuple(Column(c["code"], c["label"]) for c in spec["columns"])
                   for code, spec in data["column_sets"].items()}
    sums = {code: {t: tuple(p) for t, p in spec.get("sums", {}).items()} for code, spec in data["column_sets"].items()}
    tables = []
    for t in data["tables"]:
        rows = []
        for r in t["rows"]:
            source = r.get("source")
            key, filters = ("", {}) if source == "manual" or source is None else (
                source["key"], {k: str(v) for k, v in source.get("filters", {}).items()})
            rows.append(Row(code=r["code"], label=r["label"], unit=r["unit"], type=r["type"], table=t["code"],
                            key=key, filters=filters, ratio=tuple(r["ratio"]) if r.get("ratio") else None,  # type: ignore[arg-type]
                            parent=r.get("parent", ""), flag=bool(r.get("flag")), column_set=r.get("columns", ""),
                            note=r.get("note", "")))
        tables.append(Table(t["code"], t["title"], bool(t.get("own_only")), tuple(rows)))
    checks = tuple(Check(c["id"], tuple(expressions.parse(e) for e in c["exprs"]), c["severity"],
                         c.get("level", "all"), c["message"]) for c in data["checks"])
    header = {k: data.get(k, "") for k in ("form_no", "authority", "approval_no", "valid_until")}
    return Form(data["code"], int(data.get("version", 1)), data["title"], header, column_sets, sums, tuple(tables),
                checks, data.get("general", {}), frozenset(data.get("negative_allowed", ())))


def read(code: str) -> dict[str, Any]:
    path = DEFINITIONS / f"{code}.json"
    if not path.is_file():
        raise FormError([f"找不到报表定义 {code}"])
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def load(code: str = DEFAULT_FORM) -> Form:
    """The validated form definition (cached per process)."""
    return build(read(code))


def available() -> list[str]:
    return sorted(p.stem for p in DEFINITIONS.glob("*.json"))
