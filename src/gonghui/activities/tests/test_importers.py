"""Bulk entry from Excel: the template, Chinese row errors, all or nothing, re-import refused; and the CLI."""

import datetime as dt
import io
import json

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from gonghui.activities import importers
from gonghui.activities.importers import ACTIVITY_COLUMNS, ACTIVITY_SHEET, PEOPLE_COLUMNS, PEOPLE_SHEET
from gonghui.activities.models import Activity, ActivityParticipant, MaterialDistribution
from gonghui.activities.testing import id_number
from gonghui.cli import main

pytestmark = pytest.mark.django_db


def workbook(activities, people=(), *, title_rows=1, id_as_number=False):
    """A workbook in the template's layout (rows given as {column: value})."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer)
    ws = wb.add_worksheet(ACTIVITY_SHEET)
    for i in range(title_rows):
        ws.write(i, 0, "活动登记表")
    for col, header in enumerate(ACTIVITY_COLUMNS):
        ws.write(title_rows, col, header)
    for r, row in enumerate(activities, start=title_rows + 1):
        for col, header in enumerate(ACTIVITY_COLUMNS):
            if header in row:
                value = row[header]
                if isinstance(value, dt.date):
                    ws.write_datetime(r, col, dt.datetime.combine(value, dt.time()),
                                      wb.add_format({"num_format": "yyyy-mm-dd"}))
                else:
                    ws.write(r, col, value)
    ps = wb.add_worksheet(PEOPLE_SHEET)
    for col, header in enumerate(PEOPLE_COLUMNS):
        ps.write(0, col, header)
    for r, row in enumerate(people, start=1):
        for col, header in enumerate(PEOPLE_COLUMNS):
            if header in row:
                value = row[header]
                if header == "身份证号码" and id_as_number:
                    ps.write_number(r, col, float(value[:17]))
                else:
                    ps.write_string(r, col, str(value))
    wb.close()
    return buffer.getvalue()


def good_rows(world):
    return [
        {"序号": "1", "活动名称": "“安全生产月”专题讲座", "活动类型": "宣讲（报告会、专题辅导）",
         "开始日期": dt.date(2025, 6, 12), "签到人数": 120, "人数为估算": "否", "发放资料（份）": 200,
         "资料主题": "安全生产", "活动品牌": "“安康杯”竞赛", "主题标签": "安全生产、法律法规",
         "经费支出（元）": "1,500.50"},
        {"序号": "2", "活动名称": "职工电工技能培训", "活动类型": "training", "开始日期": "2025/7/1",
         "结束日期": "2025年7月3日", "场次": 3, "学时": 12, "主办工会代码": "GZ.A.S1.0002"},
        {"序号": "3", "活动名称": "“五一”职工趣味运动会", "活动类型": "体育活动（运动会、球赛、健步走）",
         "开始日期": "20250430", "签到人数": 260, "人数为估算": "是", "参赛队伍数": 12, "协办工会代码": "GZ.A.S1.0001"},
    ]


def good_people():
    return [
        {"活动序号": "2", "姓名": "李娜", "身份证号码": id_number("female"), "参加场次": "3", "取得证书": "是",
         "是否农民工": "是"},
        {"活动序号": "2", "姓名": "王强", "身份证号码": id_number("male").lower(), "参加场次": "2"},
    ]


def test_a_good_file_records_every_activity_with_its_roster_and_materials(world) -> None:
    data = workbook(good_rows(world), good_people())
    result = importers.import_activities(world.town_officer, world.street_a, data)
    assert result.ok and (result.rows, result.people, result.created) == (3, 2, 3)
    lecture = Activity.objects.get(title="“安全生产月”专题讲座")
    assert lecture.org == world.street_a and lecture.headcount_only and lecture.headcount == 120
    assert lecture.campaign == "ankang_cup" and lecture.topics == ["safety", "legal"]
    assert str(lecture.amount_spent) == "1500.50"
    assert MaterialDistribution.objects.get(activity=lecture).copies == 200
    training = Activity.objects.get(title="职工电工技能培训")
    assert training.org == world.union_a2 and not training.headcount_only and training.end_on == dt.date(2025, 7, 3)
    assert (training.persons, training.person_times) == (2, 5)
    assert training.participants.get(name="李娜").certified
    sports = Activity.objects.get(title="“五一”职工趣味运动会")
    assert sports.estimated and list(sports.co_organisers.all()) == [world.union_a]


def test_any_error_writes_nothing_and_each_is_reported_by_row_in_chinese(world) -> None:
    rows = good_rows(world)
    rows[0]["开始日期"] = "2025-13-40"
    rows[1]["活动类型"] = "跳广场舞"
    rows[2]["主办工会代码"] = "GZ.B.S1.0001"  # another branch
    rows.append({"序号": "4", "活动名称": "无人数的活动", "活动类型": "lecture", "开始日期": "2025-08-01"})
    people = [*good_people(), {"活动序号": "9", "姓名": "赵敏", "身份证号码": id_number()},
              {"活动序号": "2", "姓名": "钱多", "身份证号码": "440106198801010000"}]
    result = importers.import_activities(world.town_officer, world.street_a, workbook(rows, people))
    messages = {(e.sheet, e.row, e.code) for e in result.errors}
    assert (ACTIVITY_SHEET, 3, "date_invalid") in messages  # title row, header row, then data from row 3
    assert (ACTIVITY_SHEET, 4, "vocab_unknown") in messages
    assert (ACTIVITY_SHEET, 5, "org_unknown") in messages
    assert (ACTIVITY_SHEET, 6, "required_missing") in messages
    assert (PEOPLE_SHEET, 4, "activity_unknown") in messages
    assert (PEOPLE_SHEET, 5, "id_invalid") in messages
    assert all(e.message and not e.message.isascii() for e in result.errors)
    assert result.created == 0 and not Activity.objects.exists() and not ActivityParticipant.objects.exists()


def test_an_id_number_stored_as_a_number_is_refused(world) -> None:
    result = importers.import_activities(None, world.street_a, workbook(good_rows(world), good_people(),
                                                                        id_as_number=True))
    assert {e.code for e in result.errors} == {"id_excel_number"}
    assert not Activity.objects.exists()


def test_importing_the_same_file_twice_is_refused_the_second_time(world) -> None:
    data = workbook(good_rows(world), good_people())
    assert importers.import_activities(None, world.street_a, data).created == 3
    again = importers.import_activities(None, world.street_a, data)
    assert {e.code for e in again.errors} == {"duplicate"} and again.created == 0
    assert Activity.objects.count() == 3


def test_dry_run_and_unreadable_files(world) -> None:
    result = importers.import_activities(None, world.street_a, workbook(good_rows(world), good_people()),
                                         dry_run=True)
    assert result.ok and result.created == 0 and not Activity.objects.exists()
    with pytest.raises(importers.ImportFileError, match="无法读取"):
        importers.import_activities(None, world.street_a, b"not a workbook")
    headerless = workbook([{"活动名称": "x"}], title_rows=0)
    bad = CalamineWorkbook.from_filelike(io.BytesIO(headerless))
    assert ACTIVITY_SHEET in bad.sheet_names
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer)
    wb.add_worksheet(ACTIVITY_SHEET).write(0, 0, "名称")
    wb.close()
    with pytest.raises(importers.ImportFileError, match="找不到表头"):
        importers.import_activities(None, world.street_a, buffer.getvalue())


def test_the_template_reimports_cleanly_and_lists_the_vocabularies(world) -> None:
    data = importers.template_bytes(world.street_a)
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert wb.sheet_names == [ACTIVITY_SHEET, PEOPLE_SHEET, "字典"]
    dictionary = wb.get_sheet_by_name("字典").to_python()
    assert dictionary[0][0] == "活动类型" and "宣讲（报告会、专题辅导）" in [r[0] for r in dictionary]
    result = importers.import_activities(None, world.street_a, data)  # only the example row: skipped
    assert result.ok and result.rows == 0


def test_cli_imports_and_exports_with_exit_codes(world, tmp_path, capsys) -> None:
    good = tmp_path / "活动.xlsx"
    good.write_bytes(workbook(good_rows(world), good_people()))
    assert main(["import-activities", str(good), "--org", "GZ.A.S1", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["created"] == 0
    assert main(["import-activities", str(good), "--org", "GZ.A.S1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["created"] == 3
    assert main(["import-activities", str(good), "--org", "GZ.A.S1", "--json"]) == 1  # duplicates rejected
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["rejected"] == 3 and report["errors"][0]["code"] == "duplicate"
    assert main(["import-activities", str(tmp_path / "missing.xlsx"), "--org", "GZ.A.S1"]) == 2
    assert main(["import-activities", str(good), "--org", "NOPE"]) == 2
    capsys.readouterr()
    out = tmp_path / "导出.xlsx"
    assert main(["export-activities", "--org", "GZ.A", "--year", "2025", "-o", str(out), "--json"]) == 0
    rows = CalamineWorkbook.from_filelike(io.BytesIO(out.read_bytes())).get_sheet_by_index(0).to_python()
    assert rows[1][:3] == ["编号", "活动名称", "活动类型"] and len(rows) == 2 + 3
    template = tmp_path / "模板.xlsx"
    assert main(["import-activities", "--org", "GZ.A.S1", "--template", str(template)]) == 0
    assert template.stat().st_size > 1000
