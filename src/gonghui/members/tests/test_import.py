"""Member import per CONTRACT.md: every error code, every normalisation, all-or-nothing, idempotence."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from gonghui.cli import main
from gonghui.core.models import AuditLog
from gonghui.members.importers import ReadError, import_members
from gonghui.members.models import Member, MembershipChange, MemberStatus, Person
from gonghui.members.testing import id_number, make_member, person_row, unique_id, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def run(tmp_path: Path, org: Any, rows: list[dict[str, Any]], **options: Any) -> Any:
    path = write_xlsx(tmp_path / "m.xlsx", rows, **{k: options.pop(k) for k in ("above", "headers", "numeric_ids")
                                                    if k in options})
    return import_members(path, org, **options)


def codes(result: Any) -> list[tuple[int, str]]:
    return [(e.row, e.code) for e in result.errors]


def test_valid_file_creates_people_members_and_join_events(world: Any, tmp_path: Path) -> None:
    rows = [person_row(), person_row(), person_row()]
    result = run(tmp_path, world.union_a, rows)
    assert (result.rows, result.created, result.updated, result.unchanged, result.rejected) == (3, 3, 0, 0, 0)
    assert result.written
    members = Member.objects.filter(org=world.union_a).select_related("person")
    assert members.count() == 3
    m = members.get(person__name=rows[0]["姓名"])
    assert m.person.id_number == rows[0]["证件号码"]
    assert m.person.mobile == rows[0]["移动电话"]
    assert m.status == MemberStatus.ACTIVE and m.joined_on == dt.date(2024, 5, 6)
    assert m.employer_name == "广州测试有限公司" and m.realname_entered_on == dt.date.today()
    assert m.person.education == "high_school" and m.person.political_status == "masses"
    assert list(m.changes.values_list("change_type", "changed_on")) == [("join", dt.date(2024, 5, 6))]
    # Encrypted at rest: the raw column never holds the number.
    raw = Person.objects.filter(pk=m.person_id).values_list("id_number", flat=True)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT id_number, mobile FROM members_person WHERE id = %s", [m.person_id])
        stored_id, stored_phone = cur.fetchone()
    assert rows[0]["证件号码"] not in stored_id and rows[0]["移动电话"] not in stored_phone
    assert list(raw) == [rows[0]["证件号码"]]
    # One audit row for the whole import, with the counts.
    log = AuditLog.objects.get(action="import")
    assert log.after is not None and log.after["created"] == 3 and log.org_id == world.union_a.pk


def test_reimport_is_idempotent(world: Any, tmp_path: Path) -> None:
    rows = [person_row() for _ in range(5)]
    first = run(tmp_path, world.union_a, rows)
    second = run(tmp_path, world.union_a, rows)
    assert first.created == 5
    assert (second.created, second.updated, second.unchanged, second.rejected) == (0, 0, 5, 0)
    assert MembershipChange.objects.count() == 5


def test_changed_row_updates_person_and_records_new_event(world: Any, tmp_path: Path) -> None:
    row = person_row()
    run(tmp_path, world.union_a, [row])
    changed = {**row, "学历": "大学本科", "移动电话": "13912345678", "会籍变化类型": "保留会籍",
               "会籍变化日期": "2025-01-10", "会籍变化原因": "退休", "是否农民工": "是"}
    result = run(tmp_path, world.union_a, [changed])
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    m = Member.objects.select_related("person").get()
    assert m.person.education == "bachelor" and m.person.mobile == "13912345678"
    assert m.status == MemberStatus.RETAINED and m.is_migrant
    assert list(m.changes.order_by("changed_on").values_list("change_type", flat=True)) == ["join", "retain"]
    assert "学历" in result.samples["updated"][0]["fields"]


def test_any_rejected_row_writes_nothing(world: Any, tmp_path: Path) -> None:
    rows = [person_row(), person_row(证件号码="440106198503121230"), person_row()]
    result = run(tmp_path, world.union_a, rows)
    assert result.rejected == 1 and not result.written
    assert (result.created, result.updated) == (0, 0)
    assert codes(result) == [(3, "id_checksum")]
    assert not Person.objects.exists() and not AuditLog.objects.filter(action="import").exists()


def test_skip_invalid_writes_valid_rows_and_error_workbook(world: Any, tmp_path: Path) -> None:
    bad = person_row(证件号码="440106198503121230", 姓名="王五")
    rows = [person_row(), bad, person_row()]
    errors = tmp_path / "errors.xlsx"
    result = run(tmp_path, world.union_a, rows, skip_invalid=True, errors_path=errors)
    assert result.written and (result.created, result.rejected) == (2, 1)
    assert Member.objects.count() == 2
    sheet = CalamineWorkbook.from_path(str(errors)).get_sheet_by_index(0).to_python()
    from gonghui.members.importers import TEMPLATE_HEADERS

    assert sheet[0] == [*TEMPLATE_HEADERS, "错误原因"]
    assert len(sheet) == 2 and sheet[1][1] == "王五" and "校验位" in str(sheet[1][-1])
    assert sheet[1][7] == "440106198503121230"  # kept as text, ready to fix
    # The fixed error workbook imports cleanly.
    fixed = tmp_path / "fixed.xlsx"
    write_xlsx(fixed, [{**bad, "证件号码": id_number(dt.date(1985, 3, 12), "male"), "出生日期": "", "性别": ""}])
    again = import_members(fixed, world.union_a)
    assert again.created == 1 and again.rejected == 0


def test_dry_run_counts_but_writes_nothing(world: Any, tmp_path: Path) -> None:
    result = run(tmp_path, world.union_a, [person_row(), person_row()], dry_run=True)
    assert (result.created, result.rejected, result.written) == (2, 0, False)
    assert not Member.objects.exists()


def test_header_found_below_title_rows_and_columns_in_any_order(world: Any, tmp_path: Path) -> None:
    row = person_row()
    headers = ["证件号码", " 姓 名 ", "*移动电话", "会籍变化日期", "备注"]
    result = run(tmp_path, world.union_a, [{"证件号码": row["证件号码"], " 姓 名 ": row["姓名"],
                                            "*移动电话": row["移动电话"], "会籍变化日期": "2023-02-01",
                                            "备注": "无关的列"}],
                 headers=headers, above=[["某某公司工会会员花名册"], ["填表说明：……"]])
    assert result.created == 1 and result.rejected == 0
    m = Member.objects.select_related("person").get()
    assert m.person.name == row["姓名"] and m.joined_on == dt.date(2023, 2, 1)


def test_blank_rows_are_skipped(world: Any, tmp_path: Path) -> None:
    result = run(tmp_path, world.union_a, [person_row(), {}, {"序号": ""}, person_row()])
    assert (result.rows, result.created) == (2, 2)


@pytest.mark.parametrize("headers", [["序号", "证件号码"], ["序号", "姓名"]])
def test_missing_name_or_id_column_is_unreadable(world: Any, tmp_path: Path, headers: list[str]) -> None:
    path = write_xlsx(tmp_path / "h.xlsx", [{"证件号码": unique_id(), "姓名": "张三"}], headers=headers)
    with pytest.raises(ReadError, match=r"姓名.*证件号码"):
        import_members(path, world.union_a)


def test_unreadable_files(world: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ReadError, match="无法读取"):
        import_members(broken, world.union_a)
    other = tmp_path / "list.pdf"
    other.write_bytes(b"%PDF-1.4")
    with pytest.raises(ReadError, match="只支持"):
        import_members(other, world.union_a)


# -- one test per error code ------------------------------------------------------------------

VALID_ID = id_number(dt.date(1990, 6, 15), "female")


def _with_check(first17: str) -> str:
    from gonghui.core.idnumber import check_char

    return first17 + check_char(first17)


@pytest.mark.parametrize(("overrides", "code", "column"), [
    ({"姓名": ""}, "required_missing", "姓名"),
    ({"证件号码": ""}, "required_missing", "证件号码"),
    ({"姓名": "张3"}, "name_invalid", "姓名"),
    ({"姓名": "李"}, "name_invalid", "姓名"),
    ({"证件号码": "44010619900615"}, "id_format", "证件号码"),
    ({"证件号码": VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")}, "id_checksum", "证件号码"),
    ({"证件号码": _with_check("44010619901315123")}, "id_birthdate", "证件号码"),
    ({"证件号码": _with_check("99110619900615123")}, "id_region", "证件号码"),
    ({"证件号码": "4.40106E+17"}, "id_excel_number", "证件号码"),
    ({"性别": "男", "证件号码": VALID_ID}, "gender_mismatch", "性别"),
    ({"出生日期": "1990-06-16", "证件号码": VALID_ID, "性别": "女"}, "birthdate_mismatch", "出生日期"),
    ({"移动电话": "12345678901"}, "phone_invalid", "移动电话"),
    ({"移动电话": "1381234567"}, "phone_invalid", "移动电话"),
    ({"民族": "火星族"}, "ethnicity_unknown", "民族"),
    ({"学历": "博士后"}, "vocab_unknown", "学历"),
    ({"有效证件类别": "驾驶证"}, "vocab_unknown", "有效证件类别"),
    ({"会籍变化类型": "开除"}, "vocab_unknown", "会籍变化类型"),
    ({"是否农民工": "不是"}, "vocab_unknown", "是否农民工"),
    ({"出生日期": "八五年三月"}, "date_invalid", "出生日期"),
    ({"会籍变化日期": "2024-13-01"}, "date_invalid", "会籍变化日期"),
    ({"会籍变化日期": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, "date_invalid", "会籍变化日期"),
])
def test_error_codes(world: Any, tmp_path: Path, overrides: dict[str, Any], code: str, column: str) -> None:
    result = run(tmp_path, world.union_a, [person_row(**{"出生日期": "", "性别": ""} | overrides)])
    assert result.rejected == 1
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, column, code)]
    assert all(e.message and not e.message.isascii() for e in result.errors)  # Chinese, says what to fix


def test_id_checksum_message_matches_gb11643(world: Any, tmp_path: Path) -> None:
    from gonghui.core.idnumber import check_char

    assert VALID_ID[17] == check_char(VALID_ID[:17])


@pytest.mark.parametrize(("birth", "expected"), [(15, True), (16, False), (100, False), (101, True)])
def test_age_out_of_range(world: Any, tmp_path: Path, birth: int, expected: bool) -> None:
    today = dt.date.today()
    born = today.replace(year=today.year - birth) - dt.timedelta(days=1 if birth in (16, 101) else 0)
    if birth == 15:
        born = today.replace(year=today.year - 16) + dt.timedelta(days=1)
    if birth == 100:
        born = today.replace(year=today.year - 101) + dt.timedelta(days=1)
    number = id_number(born, "male")
    result = run(tmp_path, world.union_a, [person_row(证件号码=number, 出生日期="", 性别="", 会籍变化日期="")])
    assert (result.rejected == 1) is expected
    if expected:
        assert codes(result) == [(2, "age_out_of_range")]


def test_id_excel_number_from_numeric_cell(world: Any, tmp_path: Path) -> None:
    result = run(tmp_path, world.union_a, [person_row()], numeric_ids=True)
    assert codes(result) == [(2, "id_excel_number")]


def test_duplicate_in_file(world: Any, tmp_path: Path) -> None:
    row = person_row()
    lower = {**person_row(), "证件号码": row["证件号码"].lower(), "出生日期": "", "性别": ""}
    result = run(tmp_path, world.union_a, [row, person_row(), lower])
    assert codes(result) == [(4, "id_duplicate_in_file")]


def test_member_elsewhere_names_that_union(world: Any, tmp_path: Path) -> None:
    number = unique_id()
    make_member(world.union_b, number=number, name="外单位会员")
    result = run(tmp_path, world.union_a, [person_row(证件号码=number, 出生日期="", 性别="")])
    assert codes(result) == [(2, "member_elsewhere")]
    assert world.union_b.name in result.errors[0].message and "转会" in result.errors[0].message


def test_member_of_a_union_inside_the_subtree_is_updated_not_duplicated(world: Any, tmp_path: Path) -> None:
    number = unique_id()
    make_member(world.union_a2, number=number, name="乙会员")
    result = run(tmp_path, world.street_a, [person_row(证件号码=number, 姓名="乙会员", 出生日期="", 性别="")])
    assert (result.created, result.updated, result.rejected) == (0, 1, 0)
    assert Member.objects.get().org == world.union_a2


def test_former_member_elsewhere_can_join(world: Any, tmp_path: Path) -> None:
    from gonghui.members import services

    number = unique_id()
    old = make_member(world.union_b, number=number, name="离会会员")
    services.change_membership(None, old, "leave", on=dt.date(2025, 1, 1), reason="个人申请")
    result = run(tmp_path, world.union_a, [person_row(证件号码=number, 姓名="离会会员", 出生日期="", 性别="",
                                                      会籍变化日期="2025-06-01")])
    assert (result.created, result.rejected) == (1, 0)
    assert Person.objects.count() == 1 and Member.objects.count() == 2


# -- normalisations ----------------------------------------------------------------------------


def test_full_width_and_zero_width_characters(world: Any, tmp_path: Path) -> None:
    number = id_number(dt.date(1988, 8, 8), "female")
    full = "".join(chr(ord(c) + 0xFEE0) for c in number)
    phone = "１３８\u200b００１３８０００"
    result = run(tmp_path, world.union_a, [person_row(证件号码=f"\u3000{full}\u200b ", 移动电话=phone, 性别="女",
                                                      出生日期="", 姓名="\ufeff陈\u200d静 ")])
    assert result.rejected == 0, result.errors
    p = Person.objects.get()
    assert p.id_number == number and p.mobile == "13800138000" and p.name == "陈静"


def test_fifteen_digit_id_and_lower_case_x(world: Any, tmp_path: Path) -> None:
    from gonghui.core.idnumber import check_char

    old = "440106850312123"  # 1985-03-12, sequence 123 (male)
    body = "44010619850312123"
    x_id = next(body[:14] + f"{s:03d}" for s in range(0, 999, 2)
                if check_char(body[:14] + f"{s:03d}") == "X")
    x_id = x_id + "X"
    result = run(tmp_path, world.union_a, [person_row(证件号码=old, 出生日期="", 性别=""),
                                           person_row(证件号码=x_id.lower(), 出生日期="", 性别="")])
    assert result.rejected == 0, result.errors
    numbers = {p.id_number for p in Person.objects.all()}
    assert numbers == {body + check_char(body), x_id}


@pytest.mark.parametrize("written", [dt.date(1985, 3, 12), "1985-03-12", "1985/3/12", "1985.03.12", "19850312",
                                     "1985年3月12日", 19850312, "1985-3-12 00:00:00"])
def test_every_date_format(world: Any, tmp_path: Path, written: Any) -> None:
    number = id_number(dt.date(1985, 3, 12), "male")
    result = run(tmp_path, world.union_a, [person_row(证件号码=number, 出生日期=written, 性别="男",
                                                      会籍变化日期=written)])
    assert result.rejected == 0, result.errors
    m = Member.objects.select_related("person").get()
    assert m.person.birth_date == dt.date(1985, 3, 12) and m.joined_on == dt.date(1985, 3, 12)


def test_blank_gender_and_birth_date_come_from_the_id(world: Any, tmp_path: Path) -> None:
    number = id_number(dt.date(1992, 11, 30), "female")
    run(tmp_path, world.union_a, [person_row(证件号码=number, 出生日期="", 性别="")])
    p = Person.objects.get()
    assert (p.gender, p.birth_date) == ("female", dt.date(1992, 11, 30))


def test_han_is_read_as_han_zu_and_phone_forms(world: Any, tmp_path: Path) -> None:
    rows = [person_row(民族="汉", 移动电话="+86 138-0013-8000"), person_row(民族="壮", 移动电话="139 1234 5678"),
            person_row(移动电话="+8613712345678")]
    result = run(tmp_path, world.union_a, rows)
    assert result.rejected == 0, result.errors
    got = {(p.ethnicity, p.mobile) for p in Person.objects.all()}
    assert got == {("汉族", "13800138000"), ("壮族", "13912345678"), ("汉族", "13712345678")}


def test_blank_id_type_means_resident_id_and_other_documents(world: Any, tmp_path: Path) -> None:
    rows = [person_row(有效证件类别=""), person_row(有效证件类别="护照", 证件号码="e12345678", 性别="男",
                                                  出生日期="1980-01-02")]
    result = run(tmp_path, world.union_a, rows)
    assert result.rejected == 0, result.errors
    assert sorted(Person.objects.values_list("id_type", flat=True)) == ["passport", "resident_id"]
    assert Person.objects.get(id_type="passport").id_number == "E12345678"


def test_csv_and_gbk_csv(world: Any, tmp_path: Path) -> None:
    rows = [person_row(), person_row()]
    result = import_members(write_csv(tmp_path / "m.csv", rows), world.union_a)
    assert result.created == 2
    gbk = import_members(write_csv(tmp_path / "g.csv", [person_row()], encoding="gb18030"), world.union_a)
    assert gbk.created == 1


def test_crash_mid_import_leaves_database_as_before(world: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from gonghui.members import importers

    rows = [person_row() for _ in range(importers.CHUNK + 10)]
    path = write_xlsx(tmp_path / "big.xlsx", rows)
    calls = {"n": 0}
    original = importers._Writer.insert

    def failing(self: Any, model: Any, cols: list[str], data: list[Any]) -> None:
        calls["n"] += 1
        if model is MembershipChange and calls["n"] > 3:
            raise OSError("disk full")  # the second chunk fails after the first was written
        original(self, model, cols, data)

    monkeypatch.setattr(importers._Writer, "insert", failing)
    with pytest.raises(OSError):
        import_members(path, world.union_a)
    assert not Person.objects.exists() and not Member.objects.exists()
    assert not AuditLog.objects.filter(action="import").exists()


# -- the command line ---------------------------------------------------------------------------


def test_cli_json_exit_codes_and_errors_workbook(world: Any, tmp_path: Path, capsys: Any) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [person_row(), person_row()])
    assert main(["import-members", str(good), "--org", world.union_a.code, "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {k: out[k] for k in ("rows", "created", "updated", "unchanged", "rejected")} == {
        "rows": 2, "created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert main(["import-members", str(good), "--org", world.union_a.code, "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (out["created"], out["updated"], out["unchanged"]) == (0, 0, 2)

    bad = write_xlsx(tmp_path / "bad.xlsx", [person_row(), person_row(移动电话="110")])
    errors = tmp_path / "err.xlsx"
    assert main(["import-members", str(bad), "--org", world.union_a.code, "--errors", str(errors), "--json"]) == 1
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["rejected"] == 1 and out["created"] == 0
    assert out["errors"] == [{"row": 3, "column": "移动电话", "code": "phone_invalid",
                              "message": out["errors"][0]["message"]}]
    assert errors.exists() and Member.objects.count() == 2

    assert main(["import-members", str(bad), "--org", world.union_a.code, "--skip-invalid", "--json"]) == 1
    assert Member.objects.count() == 3
    capsys.readouterr()

    missing = write_xlsx(tmp_path / "nohead.xlsx", [{"姓名": "张三"}], headers=["姓名", "电话"])
    assert main(["import-members", str(missing), "--org", world.union_a.code, "--json"]) == 2
    assert "error" in json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert main(["import-members", str(good), "--org", "NOPE", "--json"]) == 2
    assert Member.objects.count() == 3
    log = AuditLog.objects.filter(action="import").latest("id")
    assert log.username.startswith("命令行:")


def test_cli_dry_run(world: Any, tmp_path: Path, capsys: Any) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [person_row()])
    assert main(["import-members", str(good), "--org", world.union_a.code, "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["created"] == 1 and out["dry_run"] is True
    assert not Member.objects.exists()


def test_bulk_encryptor_matches_the_field_format() -> None:
    from gonghui.core.crypto import bulk_encryptor, decrypt, encrypt, key_id_of

    enc = bulk_encryptor()
    a, b = enc("440106198503121237"), enc("440106198503121237")
    assert a != b  # a fresh nonce each time
    assert decrypt(a) == decrypt(b) == "440106198503121237"
    assert key_id_of(a) == key_id_of(encrypt("x"))


def test_cli_refuses_a_dissolved_union(world: Any, tmp_path: Path, capsys: Any) -> None:
    from gonghui.orgs import services as org_services

    org_services.dissolve_org(None, world.union_a2, on=dt.date(2025, 1, 1), reason="企业注销")
    good = write_xlsx(tmp_path / "good.xlsx", [person_row()])
    assert main(["import-members", str(good), "--org", world.union_a2.code, "--json"]) == 2
    assert "撤销" in json.loads(capsys.readouterr().out.strip().splitlines()[-1])["error"]
    assert not Member.objects.exists()


def test_blind_indexer_gives_the_same_digests_as_blind_index() -> None:
    from gonghui.core.crypto import blind_index, blind_indexer

    index = blind_indexer("person.id_number")
    for value in ("440106198503121237", " 44010619850312123x ", "E12345678"):
        assert index(value) == blind_index(value, "person.id_number")
    assert index("X") != blind_indexer("person.mobile")("X")


def test_zero_width_inside_ascii_values_is_removed() -> None:
    from gonghui.members import normalise

    assert normalise.text("1380013\u200b8000") == "13800138000"
    assert normalise.text("ＡＢ１２") == "AB12"
    assert normalise.text("汉族") == "汉族"
