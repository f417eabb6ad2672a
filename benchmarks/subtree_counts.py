"""Subtree counts on a generated 50,000-unit tree (issue 3).

Measures what the tree page does for one node: the counts of every child's
subtree (grassroots unions, workers covered) in one GROUP BY per counter, and
compares it with a full-table count and with a naive loop of one COUNT per child,
both measured in the same run.
"""

from __future__ import annotations

import time

from _harness import best_of, database, ms, parser


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--units", type=int, default=50_000)
    args = p.parse_args()
    with database(args, "subtree") as vendor:
        from django.db import connection
        from django.db.models import Count

        from gonghui.orgs import bulk, selectors
        from gonghui.orgs.models import Org, OrgKind
        from gonghui.testing import make_user

        started = time.perf_counter()
        created = bulk.create_tree(bulk.city_spec(args.units))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE orgs_org")
        build = time.perf_counter() - started
        from gonghui.core.roles import ensure_default_roles

        ensure_default_roles()
        admin = make_user("bench_admin", Org.objects.get(code="BM"), "federation_admin")
        root = Org.objects.get(code="BM")
        district = Org.objects.get(code="BM.D01")

        def full_count() -> int:
            return Org.objects.order_by().count()

        def root_children() -> list:
            admin.__dict__.pop("_gonghui_scope", None)
            return selectors.tree_children(admin, root)

        def district_children() -> list:
            admin.__dict__.pop("_gonghui_scope", None)
            return selectors.tree_children(admin, district)

        def naive_root() -> dict:
            return {c.code: Org.objects.order_by().filter(path__startswith=c.path, kind=OrgKind.GRASSROOTS,
                                                         dissolved_on__isnull=True).count()
                    for c in Org.objects.filter(depth=2)}

        t_full, total = best_of(full_count)
        t_root, nodes = best_of(root_children)
        t_district, _ = best_of(district_children)
        t_naive, naive = best_of(naive_root)
        grassroots = sum(n.counts["grassroots"] for n in nodes)
        assert grassroots == Org.objects.filter(kind=OrgKind.GRASSROOTS).count()
        assert {n.org.code: n.counts["grassroots"] for n in nodes} == naive
        per_kind = dict(Org.objects.order_by().values_list("kind").annotate(n=Count("id")))

        print(f"subtree counts — {vendor}, {created} unions built in {build:.1f}s ({per_kind})")
        print(f"  full-table COUNT(*) of orgs (baseline)     {ms(t_full)}")
        print(f"  root: 16 child subtrees, 2 figures         {ms(t_root)}   "
              f"ratio to full count {t_root / t_full:5.1f}x")
        print(f"  district: 20 child subtrees, 2 figures     {ms(t_district)}   "
              f"ratio to full count {t_district / t_full:5.1f}x")
        print(f"  naive loop, one COUNT per child (root)     {ms(t_naive)}   ratio to grouped {t_naive / t_root:4.1f}x"
              " (the loop computes one figure, the grouped query two)")
        print(f"  grassroots unions in the tree: {grassroots} (checked against the naive loop)")
        assert total == created


if __name__ == "__main__":
    main()
