"""``gonghui stats``: the figures of METRICS.md for a union and its subtree."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from gonghui.cli import CommandError, command, emit


@command("stats", "统计指标：gonghui stats --org CODE --year YYYY [--keys k1,k2] [--json]；--coverage 查看指标实现情况")
class Stats:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--org", help="工会代码（统计该工会及所属工会）")
        p.add_argument("--year", type=int, help="报告年度（1月1日至12月31日）")
        p.add_argument("--stats-year", action="store_true", help="改用统计年度（上年10月1日至本年9月30日）")
        p.add_argument("--keys", help="只计算这些指标，逗号分隔")
        p.add_argument("--own-only", action="store_true", help="只统计本级，不含所属工会")
        p.add_argument("--coverage", action="store_true", help="METRICS.md 各指标的实现情况")
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.core.scope import OPERATOR
        from gonghui.orgs.models import Org
        from gonghui.reports import catalog, registry
        from gonghui.reports.windows import Window

        if args.coverage:
            cov = catalog.coverage()
            counts = {state: len(keys) for state, keys in cov.items()}
            lines = [f"METRICS.md 与统计年报新增指标共 {sum(counts.values())} 个："
                     f"已实现 {counts['implemented']}，待实现 {counts['pending']}，"
                     f"非记录数据 {counts['not_from_records']}，未标注 {counts['missing']}"]
            for state in ("pending", "not_from_records"):
                for key in cov[state]:
                    lines.append(f"  [{state}] {key}：{registry.REGISTRY.status(key)[1]}")
            emit(args, {**counts, "keys": cov}, lines)
            return 0
        if not args.org or not args.year:
            raise CommandError("请同时指定 --org 工会代码 和 --year 年度（或使用 --coverage）")
        org = Org.objects.filter(code=args.org.strip().upper()).first()
        if org is None:
            raise CommandError(f"找不到工会代码“{args.org}”")
        window = Window.stats_year(args.year) if args.stats_year else Window.year(args.year)
        keys = [k.strip() for k in args.keys.split(",") if k.strip()] if args.keys else registry.implemented_keys()
        unknown = [k for k in keys if k not in registry.REGISTRY.metrics]
        if unknown:
            raise CommandError(f"未实现或不存在的指标：{'、'.join(unknown)}（gonghui stats --coverage 查看全部）")
        figures = registry.evaluate_many(OPERATOR, keys, org, window, own_only=args.own_only)
        lines = [f"{org.name}（{org.code}）{window}" + ("本级" if args.own_only else "及所属工会")]
        lines += [f"  {f.key:<48} {f.label:<24} {'' if f.value is None else f.value} {f.unit}"
                  for f in figures.values()]
        emit(args, {key: f.number for key, f in figures.items()}, lines)
        return 0


# -- gonghui report <kind> ---------------------------------------------------------------------
# Each report kind (annual summary, annual return, …) registers itself here from its own module.

ReportRunner = Callable[[argparse.Namespace], int]
REPORT_KINDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], ReportRunner]] = {}


def report_kind(name: str, help: str) -> Callable[[Any], Any]:
    """Register a class with ``configure(parser)`` and ``run(args)`` as ``gonghui report <name>``."""

    def wrap(cls: Any) -> Any:
        REPORT_KINDS[name] = (help, cls.configure, cls.run)
        return cls

    return wrap


REPORT_MODULES: list[str] = [  # modules defining report kinds, imported before parsing
    "gonghui.reports.summary.commands",
    "gonghui.reports.annual_return.commands",
]


@command("report", "生成报告：gonghui report summary（年度工作总结）或 annual-return（统计年报）")
class Report:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        import importlib

        for module in REPORT_MODULES:
            importlib.import_module(module)
        sub = p.add_subparsers(dest="kind", metavar="KIND", required=True)
        for name, (help_text, configure, _run) in REPORT_KINDS.items():
            configure(sub.add_parser(name, help=help_text, description=help_text))

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        return REPORT_KINDS[args.kind][2](args)
