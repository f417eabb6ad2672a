"""``gonghui demo``: a believable federation built by the domain apps, step by step.

Each step module exposes ``build(ctx: DemoContext)``; the orgs step builds the
tree, employers, officers and the demo logins, later steps add the records of
their domain for the two previous calendar years and the current year to date.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

DEMO_STEPS = [
    "gonghui.orgs.demo",
    "gonghui.members.demo",
    "gonghui.facilities.demo",
    "gonghui.activities.demo",
    "gonghui.organising.demo",
    "gonghui.targets.demo",
    "gonghui.reports.summary.demo",  # after every step that adds records: its figures come from them
    "gonghui.reports.annual_return.demo",  # last statistical year's returns under 猎德街道, every state
]

DEMO_PASSWORD = "Gonghui@2026"


@dataclass
class DemoContext:
    seed: int
    members: int
    today: dt.date
    rng: random.Random
    orgs: dict[str, Any] = field(default_factory=dict)  # code -> Org
    employers: list[Any] = field(default_factory=list)
    logins: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        """The two previous calendar years and the current one."""
        return [self.today.year - 2, self.today.year - 1, self.today.year]

    def rng_for(self, name: str) -> random.Random:
        """An independent stream per step, so adding a step never changes another's data."""
        return random.Random(f"{self.seed}:{name}")

    def random_date(self, rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
        span = (end - start).days
        return start + dt.timedelta(days=rng.randint(0, max(span, 0)))


def database_is_empty() -> bool:
    from gonghui.orgs.models import Org

    return not Org.objects.exists()


def run(*, members: int = 2000, seed: int = 2026, today: dt.date | None = None,
        progress: Any = None) -> DemoContext:
    """Build the demo federation into an empty database."""
    if not database_is_empty():
        raise RuntimeError("数据库中已有数据：演示数据只能装入空数据库（可先执行 gonghui manage flush）")
    ctx = DemoContext(seed=seed, members=members, today=today or dt.date.today(), rng=random.Random(seed))
    for name in DEMO_STEPS:
        started = time.perf_counter()
        module = importlib.import_module(name)
        with transaction.atomic():
            module.build(ctx)
        ctx.timings[name.rsplit(".", 2)[-2]] = round(time.perf_counter() - started, 2)
        if progress:
            progress(name, ctx)
    return ctx
