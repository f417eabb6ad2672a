"""``gonghui import-members`` and ``gonghui export-members`` (CONTRACT.md, 会员信息导入)."""

from __future__ import annotations

import argparse
import getpass
from types import SimpleNamespace
from typing import Any

from gonghui.cli import CommandError, command, emit


def _org(code: str) -> Any:
    from gonghui.orgs.models import Org

    org = Org.objects.filter(code=code.strip().upper()).first()
    if org is None:
        raise CommandError(f"找不到工会代码“{code}”，请用 gonghui export-members 或网页中的工会代码")
    return org


def operator() -> Any:
    """The command line acts as the operator: audited under the OS account name."""
    try:
        name = getpass.getuser()
    except Exception:  # no passwd entry in some containers
        name = "operator"
    return SimpleNamespace(pk=None, username=f"命令行:{name}")


@command("import-members", "导入会员信息（实名制模板 .xlsx/.xls/.csv）：gonghui import-members FILE --org CODE")
class ImportMembers:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("file", help="会员信息文件（.xlsx、.xls 或 .csv）")
        p.add_argument("--org", required=True, help="导入到哪个工会（代码，如 GZ.TH.LD.0001）")
        p.add_argument("--skip-invalid", action="store_true", help="跳过有误的行，只导入正确的行")
        p.add_argument("--errors", metavar="OUT.xlsx", help="把有误的行及错误原因写入该工作簿，改正后可重新导入")
        p.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入数据库")
        p.add_argument("--json", action="store_true", help="最后一行输出JSON")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.members.importers import ReadError, import_members

        org = _org(args.org)
        if org.dissolved_on is not None:
            raise CommandError(f"“{org.name}”已于 {org.dissolved_on:%Y-%m-%d} 撤销，不能再导入会员")
        try:
            result = import_members(args.file, org, actor=operator(), skip_invalid=args.skip_invalid,
                                    dry_run=args.dry_run, errors_path=args.errors)
        except ReadError as exc:
            raise CommandError(str(exc)) from None
        verb = "检查" if args.dry_run else "导入"
        lines = [f"{verb}完成：数据 {result.rows} 行，新增 {result.created}，更新 {result.updated}，"
                 f"无变化 {result.unchanged}，有误 {result.rejected}。"]
        if result.rejected and not args.skip_invalid and not args.dry_run:
            lines.append("因存在有误的行，本次没有写入任何数据；改正后重新导入，或加 --skip-invalid 只导入正确的行。")
        elif args.dry_run:
            lines.append("（试运行：没有写入数据库）")
        for e in result.errors[:50]:
            lines.append(f"  第{e.row}行 [{e.column}] {e.code}：{e.message}")
        if len(result.errors) > 50:
            lines.append(f"  …… 另有 {len(result.errors) - 50} 条错误" + ("，详见错误工作簿" if args.errors else ""))
        if args.errors and result.rejected:
            lines.append(f"有误的行已写入 {args.errors}")
        emit(args, result.as_dict(), lines)
        return 1 if result.rejected else 0


@command("export-members", "导出会员信息（与导入模板相同）：gonghui export-members --org CODE -o OUT.xlsx")
class ExportMembers:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--org", required=True, help="工会代码")
        p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")
        p.add_argument("--subtree", action="store_true", help="包括所属下级工会的会员")
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.core.excel import write_workbook
        from gonghui.members.exporters import export_members

        org = _org(args.org)
        if not args.output.lower().endswith(".xlsx"):
            raise CommandError("输出文件应为 .xlsx")
        sheets = export_members(None, org, subtree=args.subtree, channel="命令行", actor=operator())
        try:
            written = write_workbook(args.output, sheets)
        except OSError as exc:
            raise CommandError(f"无法写入 {args.output}：{exc}") from None
        count = written - len(sheets[1].rows)  # type: ignore[arg-type]  # less the 字典 sheet
        emit(args, {"file": args.output, "members": count, "org": org.code, "subtree": args.subtree},
             [f"已导出 {org.name}{'及所属工会' if args.subtree else ''} 会员 {count} 人到 {args.output}"])
        return 0


@command("member-tally", "重新计算会员计数汇总（会员总数、新增会员的按日汇总，仪表盘用）：gonghui member-tally")
class MemberTally:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.members.tally import rebuild

        counts = rebuild()
        emit(args, counts, [f"已按 {counts['people']} 人的会籍记录重新计算会员计数汇总：{counts['rows']} 行，"
                            f"重复入会 {counts['pairs']} 行。此后会员办理、导入和工会隶属调整时自动更新。"])
        return 0
