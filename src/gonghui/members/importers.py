"""Member import (会员信息导入) per CONTRACT.md: read, normalise, validate, classify, write.

The file is streamed in chunks. For each chunk the existing people are found with
one query on the blind indexes (never one per row), rows are classified as
created / updated / unchanged / rejected, and the chunk is written with
executemany (SQLite) or COPY (PostgreSQL). The whole import is one transaction:
a bad file (without ``skip_invalid``), a dry run or a crash leaves the database
as it was. One audit row records the import with its counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
import xlsxwriter
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from gonghui.core import audit
from gonghui.core.crypto import blind_index, blind_indexer, bulk_encryptor, mask_id_number
from gonghui.core.idnumber import IdNumberError
from gonghui.core.idnumber import parse as parse_id
from gonghui.core.models import AuditLog
from gonghui.members import normalise, tally, vocab
from gonghui.members.models import STATUS_AFTER, Member, MembershipChange, MemberStatus, Person
from gonghui.orgs.models import Employer, Org

TEMPLATE_HEADERS = [
    "序号", "姓名", "性别", "出生日期", "民族", "就业状况", "有效证件类别", "证件号码", "学历", "技能等级", "移动电话",
    "户籍类型", "户籍所在地", "会籍变化类型", "会籍变化日期", "会籍变化原因", "政治面貌", "工作单位", "籍贯",
    "是否农民工",
]
# Header text → field key.
COLUMNS = {
    "姓名": "name", "性别": "gender", "出生日期": "birth_date", "民族": "ethnicity", "就业状况": "employment_status",
    "有效证件类别": "id_type", "证件号码": "id_number", "学历": "education", "技能等级": "skill_level",
    "移动电话": "mobile", "户籍类型": "household_type", "户籍所在地": "household_place",
    "会籍变化类型": "change_type", "会籍变化日期": "changed_on", "会籍变化原因": "reason",
    "政治面貌": "political_status", "工作单位": "employer_name", "籍贯": "native_place", "是否农民工": "is_migrant",
}
CODED = ("employment_status", "education", "skill_level", "household_type", "political_status")
PERSON_FIELDS = ("id_type", "name", "gender", "birth_date", "ethnicity", "employment_status", "education",
                 "skill_level", "mobile_bidx", "household_type", "household_place", "political_status",
                 "native_place")
MIN_AGE, MAX_AGE = 16, 100
CHUNK = 2000
MEMO_LIMIT = 20_000  # distinct values cached per column (bounded memory)
UNIQUE_COLUMNS = frozenset({"name", "id_number", "mobile"})
MAX_KEPT_ERRORS = 500
ERROR_COLUMN = "错误原因"

ID_BIDX, MOBILE_BIDX = "person.id_number", "person.mobile"


def id_bidx(number: str) -> str:
    return blind_index(number, ID_BIDX)


def mobile_bidx(number: str) -> str:
    return blind_index(number, MOBILE_BIDX) if number else ""


class ReadError(Exception):
    """The file cannot be read as a member table (exit 2, nothing written)."""


@dataclass
class RowError:
    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    written: bool = False
    dry_run: bool = False
    headers: list[str] = field(default_factory=list)
    samples: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {"created": [], "updated": []})

    def as_dict(self, limit: int | None = None) -> dict[str, Any]:
        errors = self.errors if limit is None else self.errors[:limit]
        return {"rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "errors": [e.as_dict() for e in errors],
                "written": self.written, "dry_run": self.dry_run}


# -- reading ---------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]          # original header texts
    columns: dict[str, int]     # field key -> column index
    header_row: int             # Excel row number of the header
    rows: Iterator[tuple[int, list[Any]]]  # (Excel row number, cells) after the header
    total: int                  # rows below the header (an upper bound: blank rows count)


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError("CSV 文件的编码无法识别，请另存为 UTF-8 编码的 CSV 或 Excel 文件")
    if "\x00" in content:
        raise ReadError("文件不是有效的 CSV 文本，请上传 .xlsx、.xls 或 .csv 文件")
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    return list(csv.reader(io.StringIO(content), dialect))


def open_table(path: str | os.PathLike[str], original_name: str = "") -> Table:
    """Open a member table and find its header row; raises ReadError (exit 2)."""
    p = Path(path)
    suffix = Path(original_name or p.name).suffix.lower()
    if not p.exists():
        raise ReadError(f"找不到文件：{p}")
    rows_iter: Iterator[list[Any]]
    if suffix in (".csv", ".txt"):
        data = _csv_rows(p)
        total = len(data)
        rows_iter = iter(data)
    elif suffix in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        try:
            wb = python_calamine.CalamineWorkbook.from_path(str(p))
            names = [n for n in wb.sheet_names if normalise.header(n) != "字典"] or wb.sheet_names
            sheet = wb.get_sheet_by_name(names[0])
        except Exception as exc:  # calamine raises its own error types for broken files
            raise ReadError(f"无法读取 Excel 文件（{exc.__class__.__name__}），"
                            "请确认文件未损坏且为 .xlsx 或 .xls 格式") from None
        total = sheet.total_height
        rows_iter = sheet.iter_rows()
    else:
        raise ReadError("只支持 .xlsx、.xls 和 .csv 文件，请用“下载模板”中的格式整理数据")
    header_row = -1
    headers: list[str] = []
    for index in range(10):
        cells = next(rows_iter, None)
        if cells is None:
            break
        keys = [normalise.header(c) for c in cells]
        if "姓名" in keys and "证件号码" in keys:
            header_row, headers = index, [normalise.text(c) for c in cells]
            columns: dict[str, int] = {}
            for i, key in enumerate(keys):
                if key in COLUMNS and COLUMNS[key] not in columns:
                    columns[COLUMNS[key]] = i
            break
    if header_row < 0:
        raise ReadError("前10行中没有找到同时包含“姓名”和“证件号码”的表头行，请使用下载的模板，不要删除表头")

    def numbered() -> Iterator[tuple[int, list[Any]]]:
        yield from enumerate(rows_iter, start=header_row + 2)

    return Table(headers, columns, header_row + 1, numbered(), max(total - header_row - 1, 0))


# -- validating one row ------------------------------------------------------------------


@dataclass(slots=True)
class ValidRow:
    row: int
    cells: list[Any]
    id_number: str
    bidx: str
    person: dict[str, Any]        # Person fields given in the row (blank cells left out)
    mobile: str
    employer_name: str | None
    is_migrant: bool | None
    change_type: str | None
    changed_on: dt.date | None
    reason: str


class RowValidator:
    """Checks one row against the contract; normalises values into model values."""

    def __init__(self, columns: dict[str, int], today: dt.date) -> None:
        self.columns = columns
        self.column_items = list(columns.items())
        # Per-column caches of normalised text, except for columns unique to each person.
        self.plan: list[tuple[str, int, dict[str, str] | None]] = [
            (key, i, None if key in UNIQUE_COLUMNS else {}) for key, i in self.column_items]
        self.dates: dict[str, dt.date] = {}
        self.today = today
        self.labels = {kind: vocab.by_label(kind) for kind in (*CODED, "id_type", "gender", "change_type",
                                                                 "is_migrant")}
        self.allowed = {kind: "、".join(vocab.choices(kind).values()) for kind in self.labels}
        self.seen: set[str] = set()
        self.id_bidx, self.mobile_bidx = blind_indexer(ID_BIDX), blind_indexer(MOBILE_BIDX)

    def _date(self, raw: Any, text: str) -> dt.date | None:
        """A date cell or text, parsed once per distinct text (ValueError when unreadable)."""
        if not isinstance(raw, str):
            return normalise.date(raw)
        found = self.dates.get(text)
        if found is None:
            found = normalise.date(text)
            if found is not None and len(self.dates) < MEMO_LIMIT:
                self.dates[text] = found
        return found

    def cell(self, cells: list[Any], key: str) -> Any:
        i = self.columns.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    def check(self, number: int, cells: list[Any]) -> ValidRow | list[RowError] | None:
        """A ValidRow, the row's errors, or None for a blank row."""
        get = self.cell
        # The hot loop of the import: text cells take the inlined fast path.
        texts: dict[str, str] = {}
        width = len(cells)
        table, text, needs = normalise.TABLE, normalise.text, normalise.NEEDS_TRANSLATION
        blank = True
        for key, i, memo in self.plan:
            v = cells[i] if i < width else None
            if v.__class__ is not str:
                t = text(v)
            elif not v:
                t = ""
            elif memo is not None:
                # Coded and repetitive columns: each distinct value is normalised once per import.
                t = memo.get(v)  # type: ignore[assignment]
                if t is None:
                    t = (v.translate(table) if needs(v) else v).strip()
                    if len(memo) < MEMO_LIMIT:
                        memo[v] = t
            else:
                t = (v.translate(table) if needs(v) else v).strip()
            texts[key] = t
            if t:
                blank = False
        if blank:
            return None
        errors: list[RowError] = []

        def err(key: str, code: str, message: str) -> None:
            errors.append(RowError(number, vocab_header(key), code, message))

        name = texts.get("name", "")
        if not name:
            err("name", "required_missing", "姓名不能为空，请填写会员姓名")
        elif not normalise.name_ok(name):
            err("name", "name_invalid", f"姓名“{name}”不符合要求：应为2至50个汉字或字母，不能含数字和符号")

        id_type = "resident_id"
        raw_type = texts.get("id_type", "")
        if raw_type:
            code = self.labels["id_type"].get(raw_type)
            if code is None:
                err("id_type", "vocab_unknown", f"有效证件类别“{raw_type}”不在字典中，可填：{self.allowed['id_type']}")
            else:
                id_type = code

        raw_id = get(cells, "id_number")
        id_text = texts.get("id_number", "")
        id_no = ""
        birth_from_id: dt.date | None = None
        gender_from_id = ""
        if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
            err("id_number", "id_excel_number",
                "证件号码被Excel保存成了数字，末几位已丢失：请把该列设为“文本”格式后重新输入完整号码")
        elif not id_text:
            err("id_number", "required_missing", "证件号码不能为空，请填写会员的证件号码")
        elif id_type == "resident_id":
            if normalise.looks_like_excel_number(id_text):
                err("id_number", "id_excel_number",
                    f"证件号码“{id_text}”是Excel科学计数法，末几位已丢失：请把该列设为“文本”格式后重新输入完整号码")
            else:
                try:
                    parsed = parse_id(id_text.replace(" ", ""), self.today)
                except IdNumberError as exc:
                    err("id_number", exc.code, exc.message)
                else:
                    id_no, birth_from_id, gender_from_id = parsed.number, parsed.birth_date, parsed.gender
                    age = self.today.year - birth_from_id.year - (
                        (self.today.month, self.today.day) < (birth_from_id.month, birth_from_id.day))
                    if not MIN_AGE <= age <= MAX_AGE:
                        err("id_number", "age_out_of_range",
                            f"按证件号码计算年龄为{age}岁，会员年龄应在{MIN_AGE}至{MAX_AGE}岁之间，请核对号码")
        else:
            candidate = id_text.replace(" ", "").upper()
            if not (4 <= len(candidate) <= 30 and candidate.replace("-", "").replace("(", "").replace(")", "")
                    .isalnum() and candidate.isascii()):
                err("id_number", "id_format", f"{vocab.label('id_type', id_type)}号码“{id_text}”格式不正确，"
                    "应为4至30位字母或数字")
            else:
                id_no = candidate

        bidx = ""
        if id_no:
            bidx = self.id_bidx(id_no)
            if bidx in self.seen:
                err("id_number", "id_duplicate_in_file",
                    "该证件号码在本文件中已出现过，同一人只能填写一行，请删除重复行")
            else:
                self.seen.add(bidx)

        person: dict[str, Any] = {"id_type": id_type}
        if name:
            person["name"] = name
        gender = gender_from_id
        raw_gender = texts.get("gender", "")
        if raw_gender:
            code = self.labels["gender"].get(raw_gender)
            if code is None:
                err("gender", "vocab_unknown", f"性别“{raw_gender}”不在字典中，可填：男、女")
            elif gender_from_id and code != gender_from_id:
                err("gender", "gender_mismatch",
                    f"性别“{raw_gender}”与证件号码不符（号码显示为{'男' if gender_from_id == 'male' else '女'}），"
                    "请核对性别或号码")
            else:
                gender = code
        if gender:
            person["gender"] = gender

        birth = birth_from_id
        raw_birth = get(cells, "birth_date")
        if texts.get("birth_date"):
            try:
                given = self._date(raw_birth, texts["birth_date"])
            except ValueError:
                err("birth_date", "date_invalid", f"出生日期“{texts['birth_date']}”无法识别，"
                    "请写成 1985-03-12、1985/3/12、1985.03.12、19850312 或 1985年3月12日")
            else:
                if birth_from_id and given != birth_from_id:
                    err("birth_date", "birthdate_mismatch",
                        f"出生日期{given:%Y-%m-%d}与证件号码中的{birth_from_id:%Y-%m-%d}不一致，请核对")
                elif birth is None:
                    birth = given
        if birth:
            person["birth_date"] = birth

        raw_eth = texts.get("ethnicity", "")
        if raw_eth:
            eth = vocab.normalise_ethnicity(raw_eth)
            if eth is None:
                err("ethnicity", "ethnicity_unknown", f"民族“{raw_eth}”不是56个民族之一，请填写如“汉族”“壮族”")
            else:
                person["ethnicity"] = eth

        for kind in CODED:
            raw = texts.get(kind, "")
            if raw:
                code = self.labels[kind].get(raw)
                if code is None:
                    err(kind, "vocab_unknown", f"{vocab.header(kind)}“{raw}”不在字典中，可填：{self.allowed[kind]}")
                else:
                    person[kind] = code

        mobile = ""
        raw_phone = texts.get("mobile", "")
        if raw_phone:
            ok = normalise.phone(raw_phone)
            if ok is None:
                err("mobile", "phone_invalid", f"移动电话“{raw_phone}”不正确：应为13至19开头的11位手机号")
            else:
                mobile = ok
                person["mobile_bidx"] = self.mobile_bidx(ok)

        for key in ("household_place", "native_place"):
            if texts.get(key):
                person[key] = texts[key][:100]

        change_type = None
        raw_change = texts.get("change_type", "")
        if raw_change:
            change_type = self.labels["change_type"].get(raw_change)
            if change_type is None:
                err("change_type", "vocab_unknown",
                    f"会籍变化类型“{raw_change}”不在字典中，可填：{self.allowed['change_type']}")
        changed_on = None
        if texts.get("changed_on"):
            raw_date = get(cells, "changed_on")
            try:
                changed_on = self._date(raw_date, texts["changed_on"])
            except ValueError:
                err("changed_on", "date_invalid", f"会籍变化日期“{texts['changed_on']}”无法识别，"
                    "请写成 2024-03-12、2024/3/12、2024.03.12、20240312 或 2024年3月12日")
            else:
                if changed_on and changed_on > self.today:
                    err("changed_on", "date_invalid", f"会籍变化日期{changed_on:%Y-%m-%d}晚于今天，请核对")
                elif changed_on and birth and changed_on < birth:
                    err("changed_on", "date_invalid", f"会籍变化日期{changed_on:%Y-%m-%d}早于出生日期，请核对")

        is_migrant = None
        raw_migrant = texts.get("is_migrant", "")
        if raw_migrant:
            flag = self.labels["is_migrant"].get(raw_migrant)
            if flag is None:
                err("is_migrant", "vocab_unknown", f"是否农民工“{raw_migrant}”不在字典中，可填：是、否")
            else:
                is_migrant = flag == "yes"

        if errors:
            return errors
        employer = texts.get("employer_name", "")
        return ValidRow(number, cells, id_no, bidx, person, mobile, employer[:120] if employer else None,
                        is_migrant, change_type or ("join" if changed_on else None), changed_on,
                        texts.get("reason", "")[:200])


def _select(sql_in: str, values: list[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql_in`` (ending in ``IN``) with the values as the IN list; [] for no values."""
    if not values:
        return []
    with connection.cursor() as cur:
        cur.execute(f"{sql_in} ({', '.join(['%s'] * len(values))})", values)
        return cur.fetchall()


def _as_date(value: Any) -> dt.date | None:
    """A DATE column read by raw SQL: SQLite gives text, PostgreSQL a date."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def vocab_header(key: str) -> str:
    for header, k in COLUMNS.items():
        if k == key:
            return header
    return key


# -- the error workbook --------------------------------------------------------------------


class ErrorWorkbook:
    """Rejected rows with their original columns plus 错误原因, written as they come."""

    def __init__(self, target: str | os.PathLike[str], headers: list[str], id_col: int | None) -> None:
        self.wb = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_numbers": False,
                                                    "strings_to_formulas": False, "strings_to_urls": False})
        self.ws = self.wb.add_worksheet("有误的行")
        head = self.wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
        self.text_fmt = self.wb.add_format({"num_format": "@"})
        self.err_fmt = self.wb.add_format({"font_color": "#C0392B", "text_wrap": True})
        self.date_fmt = self.wb.add_format({"num_format": "yyyy-mm-dd"})
        self.width = len(headers)
        self.id_col = id_col
        for col, title in enumerate([*headers, ERROR_COLUMN]):
            self.ws.write_string(0, col, title, head)
        for col in range(self.width):
            self.ws.set_column(col, col, 14, self.text_fmt if col == id_col else None)
        self.ws.set_column(self.width, self.width, 60)
        self.ws.freeze_panes(1, 0)
        self.row = 0

    def add(self, cells: list[Any], messages: list[str]) -> None:
        self.row += 1
        for col in range(self.width):
            value = cells[col] if col < len(cells) else None
            if value is None or value == "":
                continue
            if col == self.id_col:
                self.ws.write_string(self.row, col, normalise.text(value), self.text_fmt)
            elif isinstance(value, dt.date | dt.datetime):
                self.ws.write_datetime(self.row, col, value, self.date_fmt)
            elif isinstance(value, dt.time | dt.timedelta):
                self.ws.write_string(self.row, col, str(value))
            else:
                self.ws.write(self.row, col, value)
        self.ws.write_string(self.row, self.width, "；".join(messages), self.err_fmt)

    def close(self) -> None:
        self.wb.close()


# -- classifying and writing ----------------------------------------------------------------


@dataclass
class _Existing:
    person: dict[str, Any]
    members: list[dict[str, Any]]


class _Writer:
    """Bulk writes of one import: executemany on SQLite, COPY on PostgreSQL."""

    PERSON_COLS = ["id", "id_type", "id_number", "id_number_bidx", "name", "gender", "birth_date", "ethnicity",
                   "employment_status", "education", "skill_level", "mobile", "mobile_bidx", "household_type",
                   "household_place", "political_status", "native_place", "created_at", "updated_at"]
    MEMBER_COLS = ["id", "person_id", "org_id", "employer_id", "employer_name", "card_no", "joined_on", "left_on",
                   "status", "is_migrant", "new_group", "realname_entered_on", "dues_base", "dues_paid_until",
                   "created_at", "updated_at"]
    CHANGE_COLS = ["member_id", "org_id", "change_type", "changed_on", "reason", "counterpart_id", "transfer_id",
                   "created_at"]

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"
        now = timezone.now()
        self.now = now if self.pg else connection.ops.adapt_datetimefield_value(now)
        self.next_id: dict[str, int] = {}
        # Writes run in one background thread on the import's own connection (same transaction),
        # overlapping with the validation of the next chunk; the main thread waits for them
        # before it touches the database again, so the connection is never used by both at once.
        connection.ensure_connection()
        self.raw: Any = connection.connection
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="member-import-writer")
        self.pending: Future[None] | None = None

    def _date(self, value: dt.date | None) -> Any:
        if value is None or self.pg:
            return value
        return value.isoformat()

    def ids(self, model: Any, n: int) -> list[int]:
        """Reserve n primary keys (main thread, after ``wait``; on SQLite the import holds the write lock)."""
        if n == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cur:
            if self.pg:
                cur.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                            "FROM generate_series(1, %s)", [n])
                return [r[0] for r in cur.fetchall()]
            if table not in self.next_id:
                cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                start = cur.fetchone()[0] + 1
                cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cur.fetchone()
                if row and row[0] is not None:
                    start = max(start, row[0] + 1)
                self.next_id[table] = start
        start = self.next_id[table]
        self.next_id[table] = start + n
        return list(range(start, start + n))

    def insert(self, model: Any, cols: list[str], rows: list[tuple[Any, ...]]) -> None:
        """Runs in the writer thread, on the raw connection of the import's transaction."""
        if not rows:
            return
        table = model._meta.db_table
        cur = self.raw.cursor()
        try:
            if self.pg:
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["?"] * len(cols))
                cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)
        finally:
            cur.close()

    def update(self, model: Any, cols: list[str], rows: list[tuple[Any, ...]]) -> None:
        """rows: (values of cols..., id). Runs in the writer thread."""
        if not rows:
            return
        mark = "%s" if self.pg else "?"
        sets = ", ".join(f"{c} = {mark}" for c in cols)
        cur = self.raw.cursor()
        try:
            cur.executemany(f"UPDATE {model._meta.db_table} SET {sets} WHERE id = {mark}", rows)
        finally:
            cur.close()

    def submit(self, ops: list[tuple[str, Any, list[str], list[tuple[Any, ...]]]]) -> None:
        """Write one chunk in the background (after the previous chunk's writes finished)."""
        self.wait()
        self.pending = self.pool.submit(self._apply, ops)

    def _apply(self, ops: list[tuple[str, Any, list[str], list[tuple[Any, ...]]]]) -> None:
        for kind, model, cols, rows in ops:
            (self.insert if kind == "insert" else self.update)(model, cols, rows)

    def wait(self) -> None:
        """Block until the background writes are done; re-raises their error (the import then rolls back)."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self.pool.shutdown(wait=True)


class MemberImport:
    """One run of the member import into ``org`` (its subtree counts as 'the target union')."""

    def __init__(self, org: Org, *, actor: Any = None, skip_invalid: bool = False, dry_run: bool = False,
                 errors_path: str | os.PathLike[str] | None = None,
                 progress: Callable[[int, int], None] | None = None, today: dt.date | None = None,
                 note: str = "") -> None:
        self.org = org
        self.actor = actor
        self.skip_invalid = skip_invalid
        self.dry_run = dry_run
        self.errors_path = errors_path
        self.progress = progress
        self.today = today or dt.date.today()
        self.note = note
        self.result = ImportResult(dry_run=dry_run)
        self.write = not dry_run
        self.employers: dict[str, int] = {}
        self.encrypt = bulk_encryptor()
        self.member_tally: tally.ImportTally | None = None

    # The public entry point -------------------------------------------------------------

    def run(self, path: str | os.PathLike[str], original_name: str = "") -> ImportResult:
        table = open_table(path, original_name)  # ReadError before anything happens
        self.result.headers = table.headers
        sink = ErrorWorkbook(self.errors_path, table.headers, table.columns.get("id_number")) \
            if self.errors_path else None
        try:
            with transaction.atomic():
                self._run(table, sink)
                wrote = self.write and not self.dry_run and (self.skip_invalid or not self.result.rejected)
                if wrote:
                    self._audit(original_name or Path(path).name)
                else:
                    transaction.set_rollback(True)
                self.result.written = wrote
        finally:
            if sink is not None:
                sink.close()
        if not self.result.written and not self.dry_run:
            # Nothing was written: the counts say so; the errors say why.
            self.result.created = self.result.updated = self.result.unchanged = 0
        return self.result

    # Internals ------------------------------------------------------------------------------

    def _run(self, table: Table, sink: ErrorWorkbook | None) -> None:
        self.employers = self._employer_names()
        validator = RowValidator(table.columns, self.today)
        writer = self.writer = _Writer()
        self.member_tally = tally.ImportTally(self.org) if self.write and tally.is_built() else None
        try:
            self._rows(table, validator, writer, sink)
            writer.wait()
        finally:
            writer.close()
        if self.member_tally is not None and self.write:
            self.member_tally.finish()

    def _rows(self, table: Table, validator: RowValidator, writer: _Writer, sink: ErrorWorkbook | None) -> None:
        chunk: list[ValidRow] = []
        done = 0
        for number, cells in table.rows:
            checked = validator.check(number, cells)
            done += 1
            if checked is None:
                continue
            self.result.rows += 1
            if isinstance(checked, list):
                self._reject(checked, cells, sink)
                continue
            checked.row = number
            chunk.append(checked)
            if len(chunk) >= CHUNK:
                self._chunk(chunk, writer, sink)
                chunk = []
                if self.progress:
                    self.progress(done, table.total)
        if chunk:
            self._chunk(chunk, writer, sink)
        if self.progress:
            self.progress(done, done)

    def _reject(self, errors: list[RowError], cells: list[Any], sink: ErrorWorkbook | None) -> None:
        self.result.rejected += 1
        self.result.error_count += len(errors)
        room = MAX_KEPT_ERRORS * 20 - len(self.result.errors)
        if room > 0:
            self.result.errors.extend(errors[:room])
        if sink is not None:
            sink.add(cells, [f"{e.column}：{e.message}" for e in errors])
        if not self.skip_invalid:
            self.write = False  # nothing will be kept: stop writing, keep checking

    def _employer_names(self) -> dict[str, int]:
        path = self.org.path
        qs = Employer.objects.filter(Q(org__path__startswith=path) | Q(covering_unions__path__startswith=path))
        return {name: pk for pk, name in qs.values_list("pk", "name").distinct()}

    def _existing(self, rows: list[ValidRow]) -> dict[str, _Existing]:
        """The people of a chunk already in the database, with their memberships and events.

        Three set-based queries per chunk (never one per row), in plain SQL: the ORM's
        per-value handling of 2,000-value IN lists costs more than the queries themselves.
        """
        fields = ["id", *PERSON_FIELDS, "id_number_bidx"]
        people: dict[str, _Existing] = {}
        for values in _select(f"SELECT {', '.join(fields)} FROM {Person._meta.db_table} WHERE id_number_bidx IN",
                              [r.bidx for r in rows]):
            person = dict(zip(fields, values, strict=True))
            person["birth_date"] = _as_date(person["birth_date"])
            people[person["id_number_bidx"]] = _Existing(person, [])
        if not people:
            return people
        by_id = {e.person["id"]: e for e in people.values()}
        member_fields = ["id", "person_id", "org_id", "org__path", "org__name", "status", "employer_id",
                         "employer_name", "is_migrant", "left_on"]
        members = [dict(zip(member_fields, values, strict=True)) for values in _select(
            f"SELECT m.id, m.person_id, m.org_id, o.path, o.name, m.status, m.employer_id, m.employer_name, "
            f"m.is_migrant, m.left_on FROM {Member._meta.db_table} m JOIN {Org._meta.db_table} o "
            "ON o.id = m.org_id WHERE m.person_id IN", list(by_id))]
        history: dict[int, list[tuple[dt.date, int, str]]] = {}
        for member_id, changed_on, pk, change_type in _select(
                f"SELECT member_id, changed_on, id, change_type FROM {MembershipChange._meta.db_table} "
                "WHERE member_id IN", [m["id"] for m in members]):
            history.setdefault(member_id, []).append((_as_date(changed_on), pk, change_type))  # type: ignore[arg-type]
        for m in members:
            m["is_migrant"] = bool(m["is_migrant"])
            m["left_on"] = _as_date(m["left_on"])
            m["history"] = sorted(history.get(m["id"], []))
            by_id[m["person_id"]].members.append(m)
        return people

    def _chunk(self, rows: list[ValidRow], writer: _Writer, sink: ErrorWorkbook | None) -> None:
        writer.wait()  # the previous chunk is written before this one reads the database
        existing = self._existing(rows)
        path = self.org.path
        new_people: list[ValidRow] = []
        new_members: list[tuple[ValidRow, int | None]] = []  # (row, existing person id)
        person_updates: list[tuple[Any, ...]] = []
        member_updates: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        touched: list[int] = []  # people on file whose memberships this chunk changes (member tally)
        samples = self.result.samples
        for row in rows:
            found = existing.get(row.bidx)
            if found is None:
                new_people.append(row)
                self._count_created(row)
                continue
            current = next((m for m in found.members if m["status"] != MemberStatus.LEFT), None)
            if current is not None and not current["org__path"].startswith(path):
                self._reject([RowError(row.row, "证件号码", "member_elsewhere",
                                       f"此人已是“{current['org__name']}”的会员，不能重复入会：请由该工会办理转会（转出）")],
                             row.cells, sink)
                continue
            target = current or max((m for m in found.members if m["org__path"].startswith(path)),
                                    key=lambda m: m["id"], default=None)
            person_diff = {k: v for k, v in row.person.items() if found.person.get(k) != v}
            if target is None:
                new_members.append((row, found.person["id"]))
                touched.append(found.person["id"])
                if person_diff:
                    person_updates.append(self._person_update(found.person, person_diff, row.mobile))
                self._count_created(row)
                continue
            member_diff: dict[str, Any] = {}
            if row.employer_name is not None and row.employer_name != target["employer_name"]:
                member_diff["employer_name"] = row.employer_name
                member_diff["employer_id"] = self.employers.get(row.employer_name)
            if row.is_migrant is not None and row.is_migrant != target["is_migrant"]:
                member_diff["is_migrant"] = row.is_migrant
            event = None
            if row.change_type:
                day = row.changed_on or self.today
                if not any(d == day and t == row.change_type for d, _i, t in target["history"]):
                    event = (row.change_type, day)
                    history = sorted([*target["history"], (day, 1 << 62, row.change_type)])
                    status = STATUS_AFTER[history[-1][2]]
                    if status != target["status"]:
                        member_diff["status"] = status
                        member_diff["left_on"] = history[-1][0] if status == MemberStatus.LEFT else None
            if not person_diff and not member_diff and event is None:
                self.result.unchanged += 1
                continue
            self.result.updated += 1
            if len(samples["updated"]) < 20:
                fields = [vocab_header(k) if k != "mobile_bidx" else "移动电话" for k in person_diff]
                fields += [{"employer_name": "工作单位", "is_migrant": "是否农民工", "status": "会籍状态"}[k]
                           for k in member_diff if k in ("employer_name", "is_migrant", "status")]
                if event:
                    fields.append(f"会籍变化（{vocab.label('change_type', event[0])}）")
                samples["updated"].append({"row": row.row, "name": row.person.get("name", ""),
                                           "id_number": mask_id_number(row.id_number), "fields": fields})
            if not self.write:
                continue
            if person_diff:
                person_updates.append(self._person_update(found.person, person_diff, row.mobile))
            if member_diff or event:
                member_updates.append(self._member_update(target, member_diff))
            if event:
                changes.append(self._change(target["id"], target["org_id"], event[0], event[1], row.reason))
                touched.append(found.person["id"])
        if not self.write:
            return
        if self.member_tally is not None:
            self.member_tally.existing(touched)
        self._write(writer, new_people, new_members, person_updates, member_updates, changes)

    def _count_created(self, row: ValidRow) -> None:
        self.result.created += 1
        if len(self.result.samples["created"]) < 20:
            self.result.samples["created"].append({"row": row.row, "name": row.person.get("name", ""),
                                                   "id_number": mask_id_number(row.id_number)})

    def _person_update(self, person: dict[str, Any], diff: dict[str, Any], mobile: str) -> tuple[Any, ...]:
        """(values of PERSON_FIELDS..., updated_at, new mobile ciphertext or None, id)."""
        merged = {**person, **diff}
        cipher = self.encrypt(mobile) if "mobile_bidx" in diff and mobile else None
        return (*[self._db(merged[k]) for k in PERSON_FIELDS], self._writer_now(), cipher, person["id"])

    def _member_update(self, member: dict[str, Any], diff: dict[str, Any]) -> tuple[Any, ...]:
        merged = {**member, **diff}
        return (merged["employer_id"], merged["employer_name"], merged["is_migrant"], merged["status"],
                self._db(merged["left_on"]), self._writer_now(), member["id"])

    def _change(self, member_id: int, org_id: int, change_type: str, day: dt.date, reason: str) -> tuple[Any, ...]:
        return (member_id, org_id, change_type, self._db(day), reason, None, None, self._writer_now())

    def _db(self, value: Any) -> Any:
        if isinstance(value, dt.date) and connection.vendor != "postgresql":
            return value.isoformat()
        return value

    def _writer_now(self) -> Any:
        return self.writer.now

    def _write(self, writer: _Writer, new_people: list[ValidRow], new_members: list[tuple[ValidRow, int | None]],
               person_updates: list[tuple[Any, ...]], member_updates: list[tuple[Any, ...]],
               changes: list[tuple[Any, ...]]) -> None:
        now = writer.now
        d = writer._date
        encrypt = self.encrypt
        org_id = self.org.pk
        person_ids = writer.ids(Person, len(new_people))
        person_rows = []
        for pid, row in zip(person_ids, new_people, strict=True):
            p = row.person
            person_rows.append((
                pid, p["id_type"], encrypt(row.id_number), row.bidx, p.get("name", ""), p.get("gender", ""),
                d(p.get("birth_date")), p.get("ethnicity", ""), p.get("employment_status", ""),
                p.get("education", ""), p.get("skill_level", ""), encrypt(row.mobile) if row.mobile else "",
                p.get("mobile_bidx", ""), p.get("household_type", ""), p.get("household_place", ""),
                p.get("political_status", ""), p.get("native_place", ""), now, now))
        ops: list[tuple[str, Any, list[str], list[tuple[Any, ...]]]] = [
            ("insert", Person, _Writer.PERSON_COLS, person_rows)]
        all_new = [(row, pid) for pid, row in zip(person_ids, new_people, strict=True)]
        all_new += [(row, pid) for row, pid in new_members if pid is not None]
        member_ids = writer.ids(Member, len(all_new))
        member_rows = []
        today = d(self.today)
        for mid, (row, pid) in zip(member_ids, all_new, strict=True):
            change_type = row.change_type or "join"
            day = row.changed_on or self.today
            status = STATUS_AFTER[change_type]
            employer_name = row.employer_name or ""
            member_rows.append((
                mid, pid, org_id, self.employers.get(employer_name) if employer_name else None, employer_name, "",
                d(day), d(day) if status == MemberStatus.LEFT else None, status, bool(row.is_migrant), "",
                today, None, None, now, now))
            changes.append(self._change(mid, org_id, change_type, day, row.reason))
            if self.member_tally is not None and len(member_rows) <= len(person_ids):  # a person the import creates
                self.member_tally.new_person(mid, change_type, day)
        ops.append(("insert", Member, _Writer.MEMBER_COLS, member_rows))
        if person_updates:
            cols = [*PERSON_FIELDS, "updated_at"]
            ops.append(("update", Person, cols, [(*u[:-2], u[-1]) for u in person_updates]))
            mobiles = [(u[-2], u[-1]) for u in person_updates if u[-2] is not None]
            ops.append(("update", Person, ["mobile"], mobiles))
        member_cols = ["employer_id", "employer_name", "is_migrant", "status", "left_on", "updated_at"]
        ops.append(("update", Member, member_cols, member_updates))
        ops.append(("insert", MembershipChange, _Writer.CHANGE_COLS, changes))
        writer.submit(ops)

    def _audit(self, filename: str) -> None:
        r = self.result
        audit.record(self.actor, AuditLog.Action.IMPORT, self.org, object_type="members.Member",
                     object_repr=f"会员导入：{filename}"[:200],
                     after={"file": filename, "rows": r.rows, "created": r.created, "updated": r.updated,
                            "unchanged": r.unchanged, "rejected": r.rejected, "skip_invalid": self.skip_invalid},
                     note=self.note or f"导入会员 {r.rows} 行：新增 {r.created}，更新 {r.updated}，"
                                       f"无变化 {r.unchanged}，有误 {r.rejected}")


def import_members(path: str | os.PathLike[str], org: Org, **options: Any) -> ImportResult:
    """Import a member file into ``org`` (see MemberImport)."""
    original_name = options.pop("original_name", "")
    return MemberImport(org, **options).run(path, original_name)
