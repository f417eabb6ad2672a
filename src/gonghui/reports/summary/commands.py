"""``gonghui report summary``: the annual work summary (年度工作总结) as a .docx, drafted from records."""

from __future__ import annotations

import argparse
from pathlib import Path

from gonghui.cli import CommandError, emit
from gonghui.reports.commands import report_kind


@report_kind("summary", "年度工作总结：gonghui report summary --org CODE --year YYYY -o OUT.docx")
class SummaryReport:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--org", required=True, help="工会代码（统计该工会及所属工会）")
        p.add_argument("--year", type=int, required=True, help="报告年度")
        p.add_argument("-o", "--output", required=True, help="输出的 Word 文件（.docx）")
        p.add_argument("--template", choices=["federation", "town", "organ"],
                       help="不使用已保存的草稿，改用系统默认模板："
                            "federation 总工会、town 乡镇（街道）总工会、organ 机关（基层）工会")
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.core.scope import OPERATOR
        from gonghui.orgs.models import Org
        from gonghui.reports.summary import build
        from gonghui.reports.summary.docx import render_docx
        from gonghui.reports.summary.models import AnnualSummary

        org = Org.objects.filter(code=args.org.strip().upper()).first()
        if org is None:
            raise CommandError(f"找不到工会代码“{args.org}”")
        if not 1949 <= args.year <= 2100:
            raise CommandError("年度不正确")
        out = Path(args.output)
        if out.suffix.lower() != ".docx":
            raise CommandError("输出文件须以 .docx 结尾")
        stored = None if args.template else AnnualSummary.objects.filter(org=org, year=args.year).first()
        if stored is not None:
            draft, _source = build.draft_for(OPERATOR, stored)
            state = "定稿" if stored.is_final else "草稿"
            origin = f"已保存的{state}（第{stored.version}版，模板“{stored.template.name}”）"
        else:
            draft = build.draft_from_default(OPERATOR, org, args.year, base=args.template)
            origin = "系统默认模板（尚无保存的草稿，未含工会撰写的内容）"
        try:
            out.write_bytes(render_docx(draft))
        except OSError as exc:
            raise CommandError(f"无法写入 {out}：{exc}") from None
        lines = [f"{draft.title}：已写入 {out}", f"  来源：{origin}",
                 f"  一、主要工作 {len(draft.sections)} 个栏目，引用统计数字 {len(draft.sources)} 项"]
        if draft.skipped:
            lines.append(f"  无记录数字而未写入的栏目：{'、'.join(draft.skipped)}")
        if draft.missing:
            lines.append(f"  尚待撰写：{'、'.join(draft.missing)}")
        lines += [f"  注意：{w}" for w in draft.warnings]
        emit(args, {"output": str(out), "title": draft.title, "sections": [s.title for s in draft.sections],
                    "figures": {f.key if not f.filters and not f.own_only else f.display_label: f.value
                                for f in draft.sources},
                    "missing": draft.missing, "final": bool(stored and stored.is_final)}, lines)
        return 0
