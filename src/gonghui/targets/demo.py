"""Demo step: the city hands yearly targets to its districts, which split them to their streets; an assessment.

Targets are set the way a federation sets them: from what each union achieved (the
registry's figures, so believable), times a factor, rounded to a round number. For the
current year the flows achieved so far are extrapolated to the full year. The city's
own target is split among its districts and industry unions, each district's share
among its streets and directly attached unions; shares are rounded up, so they always
add up to at least the target they split. The previous year gets an assessment scheme
scored from completion plus a manual item the city scored with notes.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from gonghui.core.scope import OPERATOR
from gonghui.demo import DemoContext
from gonghui.orgs.models import Org
from gonghui.reports import registry
from gonghui.reports.windows import Window
from gonghui.targets import services
from gonghui.targets.models import AssessmentItem, AssessmentScheme, ItemKind, Target

# (key, factor range for the city's target against the year's (extrapolated) figure)
KEYS: list[tuple[str, tuple[float, float]]] = [
    ("members.new", (0.9, 1.1)),
    ("orgs.grassroots.new", (0.85, 1.15)),
    ("members.realname.entered", (0.97, 1.04)),
    ("facilities.home.new", (0.8, 1.2)),
]
MANUAL_NOTES = ["台账规范，按期报送统计年报", "会员实名制信息更新及时", "职代会制度落实较好",
                "经审会作用发挥不够，扣分",
                "厂务公开栏未按季度更新，扣分", "困难职工档案动态管理到位"]


def _round(value: float) -> int:
    """A target a federation would write: 1 significant figure under 100, 2 above."""
    if value <= 10:
        return max(1, round(value))
    digits = 1 if value < 100 else 2
    step = 10 ** (int(math.log10(value)) + 1 - digits)
    return int(round(value / step) * step)


def _scale(ctx: DemoContext, key: str, year: int) -> float:
    """Flows of the current year so far, extrapolated to the full year."""
    if year != ctx.today.year or registry.REGISTRY.get(key).kind != registry.FLOW:
        return 1.0
    elapsed = (ctx.today - dt.date(year, 1, 1)).days + 1
    return 365 / max(elapsed, 30)


def _split(ctx: DemoContext, rng: random.Random, target: Target, depth_left: int) -> int:
    """Split a target among the children, weighted by their figures, rounded up; then one level further."""
    window = Window.year(target.year)
    scale = _scale(ctx, target.metric_key, target.year)
    kids = [(kid, float(value or 0) * scale) for kid, value in
            registry.per_child(OPERATOR, target.metric_key, target.org, window)]
    kids = [(kid, v * rng.uniform(0.75, 1.35)) for kid, v in kids if v > 0 and kid.dissolved_on is None]
    if not kids:
        return 0
    total = sum(v for _k, v in kids)
    shares = {kid: max(1, math.ceil(float(target.value) * v / total)) for kid, v in kids}
    made = services.split_target(None, target, shares, set_on=target.set_on)
    n = len(made)
    if depth_left > 0:
        for share in made:
            n += _split(ctx, rng, share, depth_left - 1)
    return n


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("targets")
    root = Org.objects.get(depth=1)
    made = 0
    for year in ctx.years[1:]:
        set_on = min(dt.date(year, 1, 20), ctx.today)
        for key, (low, high) in KEYS:
            if key not in registry.REGISTRY.metrics:
                continue
            figure = registry.evaluate(OPERATOR, key, root, Window.year(year))
            base = float(figure.value or 0) * _scale(ctx, key, year)
            if base <= 0:
                continue
            value = _round(base * rng.uniform(low, high))
            target = services.set_target(None, root, root, year=year, metric_key=key, value=value, set_on=set_on,
                                         remarks="市总工会年度目标任务")
            made += 1 + _split(ctx, rng, target, depth_left=1)
    ctx.counts["targets"] = made
    ctx.counts["assessment_schemes"] = _assessment(ctx, rng, root)


def _assessment(ctx: DemoContext, rng: random.Random, root: Org) -> int:
    made = 0
    for year in ctx.years[1:]:
        items = [
            {"name": "发展会员", "kind": ItemKind.AUTO, "metric_key": "members.new", "weight": Decimal(25),
             "cap": Decimal("1.2")},
            {"name": "新建基层工会", "kind": ItemKind.AUTO, "metric_key": "orgs.grassroots.new", "weight": Decimal(25),
             "cap": Decimal("1.2")},
            {"name": "会员实名制录入", "kind": ItemKind.AUTO, "metric_key": "members.realname.entered",
             "weight": Decimal(20)},
            {"name": "职工之家建设", "kind": ItemKind.AUTO, "metric_key": "facilities.home.new", "weight": Decimal(10)},
            {"name": "规范化建设与日常工作", "kind": ItemKind.MANUAL, "weight": Decimal(20)},
        ]
        items = [i for i in items if i.get("metric_key", "") in ("", *registry.REGISTRY.metrics)]
        scheme: AssessmentScheme = services.create_scheme(None, root, year=year, name="区（产业）工会目标管理考核",
                                                          items=items)
        made += 1
        if year == ctx.today.year:
            continue  # this year's manual item is scored at year end
        manual = AssessmentItem.objects.get(scheme=scheme, kind=ItemKind.MANUAL)
        for kid in Org.objects.filter(path__startswith=root.path, depth=2, dissolved_on__isnull=True):
            services.score_manual_item(None, manual, kid, score=Decimal(rng.randint(12, 20)),
                                       reason=rng.choice(MANUAL_NOTES), scored_on=dt.date(year + 1, 1, 10))
    return made
