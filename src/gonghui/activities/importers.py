"""Bulk entry of activities from Excel: template, checks with Chinese row errors, all or nothing.

The workbook has a sheet 活动登记 (one row per activity) and an optional sheet
参加人员 (one row per person, keyed by the activity's 序号). An activity with
rows in 参加人员 is recorded with its roster; one without is recorded from its
paper sign-in count (签到人数, ``headcount_only``). Any error means nothing is
written; the same file imported twice is refused the second time (``duplicate``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from python_calamine import CalamineWorkbook

from gonghui.activities import selectors, services
from gonghui.activities.models import Activity
from gonghui.activities.vocab import Audience, Campaign, MaterialTopic, Topic
from gonghui.core.excel import Sheet, write_workbook
from gonghui.core.scope import Scope
from gonghui.orgs.models import Org

ACTIVITY_SHEET = "活动登记"
PEOPLE_SHEET = "参加人员"
ACTIVITY_COLUMNS = [
    "序号", "活动名称", "活动类型", "开始日期", "结束日期", "主办工会代码", "场次", "签到人数", "人数为估算",
    "参与单位数", "参赛队伍数", "学时", "经费支出（元）", "发放资料（份）", "资料主题", "资料名称", "媒体报道（篇）",
    "关注人次", "活动品牌", "主题标签", "对象", "地点", "协办工会代码", "活动简介",
]
PEOPLE_COLUMNS = ["活动序号", "姓名", "身份证号码", "工作单位", "是否农民工", "参加场次", "取得证书"]
REQUIRED = ("序号", "活动名称", "活动类型", "开始日期")
PEOPLE_REQUIRED = ("活动序号", "姓名", "身份证号码")
MAX_ROWS = 5000
EXAMPLE = "示例"
TEMPLATE_NOTE = ("序号为“示例”的行不会导入。序号、活动名称、活动类型、开始日期必填；有人员名单的活动在“参加人员”表中"
                 "按序号列出，签到人数不填；只有纸质签到表的活动填写签到人数。日期写成 2025-06-12。")
# Model fields named in a service's ValidationError → the template column to point at.
FIELD_COLUMNS = {
    "type": "活动类型", "title": "活动名称", "start_on": "开始日期", "end_on": "结束日期", "sessions": "场次",
    "headcount": "签到人数", "estimated": "人数为估算", "units": "参与单位数", "teams": "参赛队伍数", "hours": "学时",
    "amount_spent": "经费支出（元）", "media_reports": "媒体报道（篇）", "reach": "关注人次", "campaign": "活动品牌",
    "topics": "主题标签", "audience": "对象", "venue": "地点", "co_organisers": "协办工会代码", "name": "姓名",
    "id_number": "身份证号码", "attendances": "参加场次", "certified": "取得证书", "copies": "发放资料（份）",
}


class ImportFileError(Exception):
    """The file cannot be read at all (exit code 2)."""


@dataclass
class RowError:
    sheet: str
    row: int  # Excel row number
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "code": self.code,
                "message": self.message}


@dataclass
class ImportResult:
    rows: int = 0
    people: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    activity_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "people": self.people, "created": self.created, "rejected": len(self.errors),
                "errors": [e.as_dict() for e in self.errors]}


def _norm(value: Any) -> str:
    """Trimmed text with full-width forms and zero-width characters made plain."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\u200b-\u200d\ufeff]", "", text).strip()


def _header_key(value: Any) -> str:
    return re.sub(r"\s+", "", _norm(value)).replace("(", "（").replace(")", "）")


DATE_PATTERNS = (r"^(\d{4})-(\d{1,2})-(\d{1,2})$", r"^(\d{4})/(\d{1,2})/(\d{1,2})$", r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$",
                 r"^(\d{4})(\d{2})(\d{2})$", r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _norm(value)
    for pattern in DATE_PATTERNS:
        match = re.match(pattern, text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def _choices(enum: Any) -> dict[str, str]:
    """Label or value → value, for a TextChoices vocabulary."""
    out = {}
    for value, label in enum.choices:
        out[value] = value
        out[_norm(label)] = value
        out[_norm(label).strip("“”")] = value
    return out


CAMPAIGNS, TOPICS, AUDIENCES, MATERIAL_TOPICS = (_choices(Campaign), _choices(Topic), _choices(Audience),
                                                 _choices(MaterialTopic))
YES, NO = {"是", "Y", "y", "1", "TRUE", "True", "true", "√"}, {"否", "N", "n", "0", "FALSE", "False", "false", ""}


def _read(upload: IO[bytes] | bytes) -> CalamineWorkbook:
    data = upload if isinstance(upload, bytes) else upload.read()
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise ImportFileError("无法读取该文件，请上传用模板填写的 Excel（.xlsx）文件") from exc


def _table(wb: CalamineWorkbook, name: str, required: Iterable[str]) -> tuple[int, list[str], list[list[Any]]] | None:
    """(header row number, headers, data rows) of a sheet, the header found among the first 10 rows."""
    if name not in wb.sheet_names:
        return None
    rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    required = tuple(required)
    for i, row in enumerate(rows[:10]):
        headers = [_header_key(c) for c in row]
        if all(r in headers for r in required):
            return i + 1, headers, rows[i + 1:]
    missing = "、".join(required)
    raise ImportFileError(f"“{name}”表中找不到表头（须包含：{missing}），请使用模板")


class _Row:
    def __init__(self, headers: list[str], values: list[Any], number: int, sheet: str,
                 errors: list[RowError]) -> None:
        self.cells = {h: (values[i] if i < len(values) else None) for i, h in enumerate(headers) if h}
        self.number, self.sheet, self.errors = number, sheet, errors

    def blank(self) -> bool:
        return all(_norm(v) == "" for v in self.cells.values())

    def text(self, column: str) -> str:
        return _norm(self.cells.get(column))

    def error(self, column: str, code: str, message: str) -> None:
        self.errors.append(RowError(self.sheet, self.number, column, code, message))

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.error(column, "required_missing", f"“{column}”不能为空")
        return value

    def integer(self, column: str, default: int = 0, minimum: int = 0) -> int:
        raw = self.cells.get(column)
        text = _norm(raw)
        if text == "":
            return default
        try:
            number = Decimal(text)
        except InvalidOperation:
            self.error(column, "number_invalid", f"“{column}”应为整数，现为“{text}”")
            return default
        if number != number.to_integral_value() or number < minimum:
            self.error(column, "number_invalid", f"“{column}”应为不小于{minimum}的整数，现为“{text}”")
            return default
        return int(number)

    def decimal(self, column: str, places: str = "0.01") -> Decimal:
        text = _norm(self.cells.get(column)).replace(",", "").replace("元", "")
        if text == "":
            return Decimal("0")
        try:
            number = Decimal(text)
        except InvalidOperation:
            self.error(column, "number_invalid", f"“{column}”应为数字，现为“{text}”")
            return Decimal("0")
        if number < 0:
            self.error(column, "number_invalid", f"“{column}”不能为负数")
        return number.quantize(Decimal(places))

    def flag(self, column: str) -> bool:
        text = self.text(column)
        if text in YES:
            return True
        if text not in NO:
            self.error(column, "vocab_unknown", f"“{column}”请填“是”或“否”，现为“{text}”")
        return False

    def date(self, column: str, required: bool = False) -> dt.date | None:
        raw = self.cells.get(column)
        if _norm(raw) == "":
            if required:
                self.error(column, "required_missing", f"“{column}”不能为空")
            return None
        day = parse_date(raw)
        if day is None:
            self.error(column, "date_invalid", f"“{column}”不是有效日期：“{_norm(raw)}”，请写成 2025-03-12 这样的格式")
        return day

    def vocab(self, column: str, mapping: dict[str, str]) -> str:
        text = self.text(column)
        if not text:
            return ""
        value = mapping.get(text) or mapping.get(text.strip("“”"))
        if value is None:
            self.error(column, "vocab_unknown", f"“{column}”的值“{text}”不在字典中，请按“字典”表填写")
            return ""
        return value


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[，,、;；\s]+", text) if p.strip()]


def import_activities(actor: Any, org: Org, upload: IO[bytes] | bytes, *, dry_run: bool = False) -> ImportResult:
    """Check a workbook and, when every row is valid and not ``dry_run``, record all its activities."""
    if actor is not None:
        Scope.of(actor).require_org(org, "activities.edit")
    wb = _read(upload)
    table = _table(wb, ACTIVITY_SHEET, REQUIRED)
    if table is None:
        raise ImportFileError(f"文件中没有“{ACTIVITY_SHEET}”表，请使用模板")
    result = ImportResult()
    errors = result.errors
    header_row, headers, data = table
    if len(data) > MAX_ROWS:
        raise ImportFileError(f"一次最多导入 {MAX_ROWS} 条活动，请分批导入")
    scope = Scope.of(actor) if actor is not None else None
    orgs: dict[str, Org | None] = {}

    def organiser(row: _Row) -> Org | None:
        code = row.text("主办工会代码").upper()
        if not code:
            return org
        if code not in orgs:
            found = Org.objects.filter(code=code, path__startswith=org.path).first()
            if found is not None and scope is not None and not scope.allows_org(found, "activities.edit"):
                found = None
            orgs[code] = found
        if orgs[code] is None:
            row.error("主办工会代码", "org_unknown", f"主办工会代码“{code}”不是{org.name}或其所属工会")
        return orgs[code]

    parsed: dict[str, tuple[_Row, dict[str, Any]]] = {}
    seen_keys: set[tuple[int, str, dt.date]] = set()
    for offset, values in enumerate(data):
        row = _Row(headers, values, header_row + 1 + offset, ACTIVITY_SHEET, errors)
        if row.blank() or row.text("序号") == EXAMPLE:
            continue
        result.rows += 1
        number = row.required("序号")
        if number in parsed:
            row.error("序号", "number_duplicate", f"序号“{number}”重复，每条活动的序号应唯一")
        title = row.required("活动名称")
        lead = organiser(row)
        type_text = row.required("活动类型")
        activity_type = selectors.type_by_code(lead, type_text) if lead is not None and type_text else None
        if lead is not None and type_text and activity_type is None:
            row.error("活动类型", "vocab_unknown", f"活动类型“{type_text}”不在字典中，请按“字典”表填写")
        start = row.date("开始日期", required=True)
        end = row.date("结束日期") or start
        co = []
        for code in _split(row.text("协办工会代码").upper()):
            found_co = Org.objects.filter(code=code).first()
            if found_co is None:
                row.error("协办工会代码", "org_unknown", f"协办工会代码“{code}”不存在")
            else:
                co.append(found_co)
        topics = [TOPICS.get(t) for t in _split(row.text("主题标签"))]
        if None in topics:
            row.error("主题标签", "vocab_unknown", "主题标签不在字典中，请按“字典”表填写，多个标签用顿号分隔")
        values_ = {
            "type": activity_type, "title": title, "start_on": start, "end_on": end,
            "sessions": row.integer("场次", default=1, minimum=1), "headcount": row.integer("签到人数"),
            "estimated": row.flag("人数为估算"), "units": row.integer("参与单位数"), "teams": row.integer("参赛队伍数"),
            "hours": row.decimal("学时", "0.1"), "amount_spent": row.decimal("经费支出（元）"),
            "media_reports": row.integer("媒体报道（篇）"), "reach": row.integer("关注人次"),
            "campaign": row.vocab("活动品牌", CAMPAIGNS), "topics": [t for t in topics if t],
            "audience": row.vocab("对象", AUDIENCES), "venue": row.text("地点")[:120],
            "description": row.text("活动简介"), "co_organisers": co,
        }
        copies = row.integer("发放资料（份）")
        material_topic = row.vocab("资料主题", MATERIAL_TOPICS)
        if copies and not material_topic:
            row.error("资料主题", "required_missing", "填写了发放资料份数，请同时填写资料主题")
        if lead is not None and start is not None and title:
            key = (lead.pk, title, start)
            if key in seen_keys:
                row.error("活动名称", "duplicate_in_file", "同一主办工会、同名、同一开始日期的活动在表中重复")
            elif Activity.objects.filter(org=lead, title=title, start_on=start).exists():
                row.error("活动名称", "duplicate", f"“{title}”（{start:%Y-%m-%d}）已登记过，不再重复导入")
            seen_keys.add(key)
        materials = ([{"title": row.text("资料名称") or f"{title}宣传资料", "topic": material_topic, "copies": copies,
                       "campaign": values_["campaign"]}] if copies and material_topic else [])
        if number:
            parsed[number] = (row, {"org": lead, "values": values_, "materials": materials, "people": [],
                                    "listed": 0})

    people_table = _table(wb, PEOPLE_SHEET, PEOPLE_REQUIRED)
    if people_table is not None:
        p_header, p_headers, p_data = people_table
        for offset, values in enumerate(p_data):
            row = _Row(p_headers, values, p_header + 1 + offset, PEOPLE_SHEET, errors)
            if row.blank():
                continue
            result.people += 1
            number = row.required("活动序号")
            if not number:
                continue
            if number not in parsed:
                row.error("活动序号", "activity_unknown", f"“{ACTIVITY_SHEET}”表中没有序号为“{number}”的活动")
                continue
            parsed[number][1]["listed"] += 1
            name, id_number = row.required("姓名"), row.required("身份证号码")
            if isinstance(row.cells.get("身份证号码"), float | int):
                row.error("身份证号码", "id_excel_number",
                          "身份证号码被 Excel 存成了数字，后几位已丢失；请把该列设为文本后重新填写")
                continue
            person = services.PersonIn(name=name, id_number=id_number, employer_name=row.text("工作单位"),
                                       is_migrant=row.flag("是否农民工"),
                                       attendances=row.integer("参加场次", default=1, minimum=1),
                                       certified=row.flag("取得证书"))
            if name and id_number:
                try:
                    services.normalise_person(person)
                except ValidationError as exc:
                    for msgs in exc.message_dict.values():
                        for m in msgs:
                            row.error("身份证号码", "id_invalid", m)
                    continue
                parsed[number][1]["people"].append((row, person))

    for number, (row, spec) in parsed.items():
        v = spec["values"]
        if spec["people"]:
            if v["headcount"]:
                row.error("签到人数", "headcount_with_roster",
                          f"序号“{number}”在“{PEOPLE_SHEET}”表中有人员名单，签到人数不填（人数按名单统计）")
            v["headcount_only"] = False
        else:
            if not v["headcount"] and not spec["listed"]:  # a roster with bad rows is reported there
                row.error("签到人数", "required_missing",
                          f"请填写签到人数，或在“{PEOPLE_SHEET}”表中列出序号“{number}”的参加人员")
            v["headcount_only"] = True
    if errors or dry_run:
        errors.sort(key=lambda e: (e.sheet != ACTIVITY_SHEET, e.row))
        return result
    try:
        with transaction.atomic():
            for row, spec in parsed.values():
                try:
                    activity = services.create_activity(actor, spec["org"], materials=spec["materials"],
                                                        **spec["values"])
                    if spec["people"]:
                        services.add_participants(actor, activity, [p for _, p in spec["people"]])
                except ValidationError as exc:
                    for name, msgs in exc.message_dict.items():
                        for m in msgs:
                            row.error(FIELD_COLUMNS.get(name, ""), "invalid", m)
                    continue
                result.created += 1
                result.activity_ids.append(activity.pk)
            if errors:
                raise _Rollback()
    except _Rollback:
        result.created = 0
        result.activity_ids = []
    return result


class _Rollback(Exception):
    pass


def template(org: Org) -> list[Sheet]:
    """The workbook users fill in: the two sheets and a 字典 sheet of allowed values."""
    types = [t.name for t in selectors.usable_types(org)]
    example = [EXAMPLE, "“安全生产月”专题讲座", "宣讲（报告会、专题辅导）", "2025-06-12", "2025-06-12", "", "1",
               "120", "否", "3", "", "", "1500", "200", "安全生产", "安全生产知识手册", "1", "860", "“安康杯”竞赛",
               "安全生产、法律法规", "", "公司三楼会议室", "", "邀请应急管理局专家授课"]
    dictionary = [
        ("活动类型", types), ("活动品牌", [label for _, label in Campaign.choices]),
        ("主题标签", [label for _, label in Topic.choices]), ("对象", [label for v, label in Audience.choices if v]),
        ("资料主题", [label for _, label in MaterialTopic.choices]), ("是否", ["是", "否"]),
    ]
    longest = max(len(values) for _, values in dictionary)
    dict_rows = [[values[i] if i < len(values) else "" for _, values in dictionary] for i in range(longest)]
    return [
        Sheet(ACTIVITY_SHEET, ACTIVITY_COLUMNS, [example], text_columns=(0, 5, 22),
              title=f"{org.name}活动登记表", notes=[TEMPLATE_NOTE]),
        Sheet(PEOPLE_SHEET, PEOPLE_COLUMNS, [], text_columns=(0, 2),
              title="参加人员名单（身份证号码列请保持文本格式）"),
        Sheet("字典", [name for name, _ in dictionary], dict_rows),
    ]


def template_bytes(org: Org) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, template(org))
    return buffer.getvalue()
