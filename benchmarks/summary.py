"""Annual summary generation for a city federation (issue 7): 100,000 members, 50,000 unions, 150,000 officers.

Times what ``gonghui report summary`` does for the root of a generated city tree —
every figure of the federation template through the registry, the composition and
the .docx — and compares it with the bare evaluation of the same figures measured
in the same run (what ``gonghui stats --keys …`` would cost). The city is the one
``benchmarks/dashboard.py`` generates (unions, employers, members with their membership
events, activities and facilities), with the member tally built as the demo and the
services keep it, plus three officers per grassroots union.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from _harness import best_of, database, ms, parser
from dashboard import generate


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--units", type=int, default=50_000)
    p.add_argument("--members", type=int, default=100_000)
    p.add_argument("--year", type=int, default=dt.date.today().year - 1)
    args = p.parse_args()
    with database(args, "summary") as vendor:
        from django.db import connection

        from gonghui.core.scope import OPERATOR
        from gonghui.members import tally
        from gonghui.orgs.models import Officer, Org, OrgKind
        from gonghui.reports import registry
        from gonghui.reports.summary import build
        from gonghui.reports.summary.docx import render_docx
        from gonghui.reports.windows import Window

        started = time.perf_counter()
        made = generate(args.members, args.units, dt.date.today())
        tally.rebuild()
        rng = random.Random(3)
        batch = []
        for org_id in Org.objects.filter(kind=OrgKind.GRASSROOTS).values_list("pk", flat=True):
            for role in ("chair", "vice_chair", "committee_member"):
                batch.append(Officer(org_id=org_id, role=role, name="测试", gender=rng.choice(["male", "female"]),
                                     full_time=rng.random() < 0.1, started_on=dt.date(2020, 1, 1)))
        Officer.objects.bulk_create(batch, batch_size=5000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        build_time = time.perf_counter() - started
        root = Org.objects.get(code="BM")
        district = Org.objects.get(code="BM.D01")

        def summary(org: Org) -> tuple[int, int]:
            draft = build.draft_from_default(OPERATOR, org, args.year, base="federation")
            return len(render_docx(draft)), len(draft.sources)

        # Baseline: every figure the template asks for (printed or not), evaluated bare through the registry.
        probe = build.LiveSource(OPERATOR, root)
        build.compose(build.specs.validate(build.specs.default_template("federation")), {}, probe,
                      org_name="", org_code="BM", year=args.year, dated=dt.date.today())
        asked = [ident for ident in probe.fetched if ident[0] in registry.REGISTRY.metrics]

        def figures_only(org: Org) -> int:
            for key, filters, own, year in asked:
                registry.evaluate(OPERATOR, key, org, Window.year(year), filters=dict(filters), own_only=own)
            return len(asked)

        t_root, (size, used) = best_of(lambda: summary(root), repeat=3)
        t_district, _ = best_of(lambda: summary(district), repeat=3)
        t_figs, _ = best_of(lambda: figures_only(root), repeat=3)
        t_draft, _ = best_of(lambda: build.draft_from_default(OPERATOR, root, args.year, base="federation"),
                             repeat=3)
        print(f"annual summary — {vendor}, {made['unions']:,} unions, {made['people']:,} members, "
              f"{len(batch):,} officers built in {build_time:.1f}s")
        print(f"  root (city federation): figures + composition + .docx   {ms(t_root)}   "
              f"({used} figures printed, {size // 1024} KiB .docx)   target < 5000 ms")
        print(f"  root: figures + composition (no .docx)                  {ms(t_draft)}")
        print(f"  baseline: the {len(asked)} registry figures the template asks for, bare  {ms(t_figs)}   "
              f"summary / baseline = {t_root / t_figs:4.2f}x")
        print(f"  district (1/16 of the tree): whole summary              {ms(t_district)}")


if __name__ == "__main__":
    main()
