"""``gonghui report annual-return``: the statistical annual return (统计年报) as .xlsx in the form layout."""

from __future__ import annotations

import argparse
from pathlib import Path

from gonghui.cli import CommandError, emit
from gonghui.reports.commands import report_kind


@report_kind("annual-return", "统计年报：gonghui report annual-return --org CODE --year YYYY -o OUT.xlsx")
class AnnualReturnReport:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--org", required=True, help="工会代码")
        p.add_argument("--year", type=int, required=True,
                       help="统计年度（上年10月1日至本年9月30日，如 2025 即 2024年10月1日至2025年9月30日）")
        p.add_argument("-o", "--output", required=True, help="输出的 Excel 文件（.xlsx）")
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.core.scope import OPERATOR
        from gonghui.orgs.models import Org
        from gonghui.reports.annual_return import excel, selectors
        from gonghui.reports.annual_return.definition import TOTAL
        from gonghui.reports.annual_return.models import AnnualReturn

        org = Org.objects.filter(code=args.org.strip().upper()).first()
        if org is None:
            raise CommandError(f"找不到工会代码“{args.org}”")
        if not 2000 <= args.year <= 2100:
            raise CommandError("统计年度不正确")
        out = Path(args.output)
        if out.suffix.lower() != ".xlsx":
            raise CommandError("输出文件须以 .xlsx 结尾")
        stored = AnnualReturn.objects.filter(org=org, year=args.year).select_related("org").first()
        if stored is not None:
            sheet = selectors.sheet_for(OPERATOR, stored)
            origin = f"已保存的年报（{stored.get_status_display()}）"
        else:
            sheet = selectors.transient_sheet(OPERATOR, org, args.year)
            origin = "尚无保存的年报：按记录生成的草稿，手工项空白"
        try:
            excel.write(str(out), sheet)
        except OSError as exc:
            raise CommandError(f"无法写入 {out}：{exc}") from None
        errors = sum(1 for c in sheet.checks if c[1] == "错误")
        warnings = len(sheet.checks) - errors
        lines = [f"{org.name}{args.year}统计年度统计年报：已写入 {out}", f"  来源：{origin}",
                 f"  校验：错误 {errors} 项，提示 {warnings} 项"]
        values = {f"{row}": sheet.filled.value(row, TOTAL) for row in sheet.form.rows}
        emit(args, {"output": str(out), "org": org.code, "year": args.year, "status": sheet.status,
                    "errors": errors, "warnings": warnings,
                    "values": {k: None if v is None else (int(v) if v == v.to_integral_value() else float(v))
                               for k, v in values.items()}}, lines)
        return 0
