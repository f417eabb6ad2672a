"""``gonghui import-activities`` and ``gonghui export-activities``: bulk entry and export of the activity log."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from gonghui.cli import CommandError, command, emit


def _org(code: str) -> object:
    from gonghui.orgs.models import Org

    org = Org.objects.filter(code=code.strip().upper()).first()
    if org is None:
        raise CommandError(f"找不到工会代码“{code}”")
    return org


@command("import-activities", "从 Excel 批量导入活动（模板见网页“批量导入”或 --template）；有错误时不写入任何数据")
class ImportActivities:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("file", nargs="?", help="活动登记表 .xlsx")
        p.add_argument("--org", required=True, help="导入到的工会代码（主办工会代码留空的行即为该工会）")
        p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        p.add_argument("--template", metavar="OUT.xlsx", help="只生成空白模板到该文件")
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.activities import importers

        org = _org(args.org)
        if args.template:
            Path(args.template).write_bytes(importers.template_bytes(org))  # type: ignore[arg-type]
            emit(args, {"template": args.template}, [f"已生成模板：{args.template}"])
            return 0
        if not args.file:
            raise CommandError("请指定要导入的文件")
        path = Path(args.file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            result = importers.import_activities(None, org, path.read_bytes(),  # type: ignore[arg-type]
                                                 dry_run=args.dry_run)
        except importers.ImportFileError as exc:
            raise CommandError(str(exc)) from None
        lines = [f"活动 {result.rows} 条，参加人员 {result.people} 人次；"
                 + (f"发现 {len(result.errors)} 处错误，未导入任何数据。" if result.errors
                    else ("检查通过（未写入）。" if args.dry_run else f"已导入 {result.created} 条。"))]
        lines += [f"  {e.sheet} 第{e.row}行 {e.column}：{e.message}" for e in result.errors[:200]]
        emit(args, result.as_dict(), lines)
        return 1 if result.errors else 0


@command("export-activities", "导出某工会及所属工会的活动记录（Excel）")
class ExportActivities:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--org", required=True, help="工会代码")
        p.add_argument("--year", type=int, help="年度（默认全部）")
        p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")
        p.add_argument("--own-only", action="store_true", help="只导出本级")
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.activities import exporters
        from gonghui.core.excel import write_workbook
        from gonghui.core.scope import OPERATOR

        org = _org(args.org)
        filters: dict[str, object] = {"own_only": args.own_only}
        if args.year:
            filters.update(date_from=dt.date(args.year, 1, 1), date_to=dt.date(args.year, 12, 31))
        sheet = exporters.export_activities(OPERATOR, org, **filters)  # type: ignore[arg-type]
        rows = write_workbook(args.output, [sheet])
        emit(args, {"rows": rows, "output": args.output}, [f"已导出活动 {rows} 条到 {args.output}"])
        return 0
