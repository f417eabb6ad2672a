"""Dashboard figures at city scale (issue 6, part 7): 50,000 unions, 1,000,000 members.

For a node of each level (the city, a district, a street, a grassroots union) this times
the work of its dashboard, all through the metric registry as the page does it:

- every key figure (``reports.dashboard.KEY_FIGURES``) for the current and the previous year,
- the roll-up by child unit (``registry.per_child``) of a few key figures,
- the monthly trend of members.new (12 windows),

and the same work done naively in the same run: each figure aggregated straight from its
drill-down records (``registry.records``), one query per child and per month. Both must give
the same numbers (checked), and the ratio naive ÷ registry is printed, with the peak RSS.

The generated database (PostgreSQL ``gonghui_bench`` by default) is kept between runs and reused
when it holds the requested number of unions and members; ``--rebuild`` generates it again.
``--sqlite`` runs a small set (2,000 unions, 20,000 members) in a temporary SQLite file.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

from _harness import kept_database, ms, parser, peak_rss_mib

ROLLUP_KEYS = ("members.total", "members.new", "members.membership_rate", "orgs.grassroots.total")
TREND_KEY = "members.new"
NODES = (("grassroots", "BM.D01.S01.0001"), ("street", "BM.D01.S01"), ("district", "BM.D01"), ("city", "BM"))


# -- the generated data set --------------------------------------------------------------------


def generate(members: int, units: int, today: dt.date, seed: int = 7) -> dict[str, Any]:
    """Unions, employers, people with memberships and their events, activities and facilities."""
    from django.db import connection

    from gonghui.orgs import bulk
    from gonghui.orgs.models import Org, OrgKind

    counts: dict[str, Any] = {}
    started = time.perf_counter()
    counts["unions"] = bulk.create_tree(bulk.city_spec(units))
    grassroots = list(Org.objects.filter(kind=OrgKind.GRASSROOTS).order_by("path")
                      .values_list("pk", "founded_on", "covered_workers", "path"))
    counts["employers"] = _employers(grassroots, seed)
    counts["t_orgs"] = time.perf_counter() - started
    started = time.perf_counter()
    counts.update(_members(grassroots, members, today, seed))
    counts["t_members"] = time.perf_counter() - started
    started = time.perf_counter()
    counts.update(_activities(grassroots, today, seed))
    counts["t_other"] = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return counts


def _employers(grassroots: list[tuple[Any, ...]], seed: int) -> int:
    from gonghui.orgs.models import Employer, Org, Ownership

    rng = random.Random(seed)
    parents = dict(Org.objects.filter(depth=3).values_list("path", "pk"))
    steplen = Org.steplen
    ownerships = [Ownership.NON_PUBLIC] * 7 + [Ownership.STATE_OWNED, Ownership.COLLECTIVE, Ownership.GOVERNMENT]
    batch = []
    for pk, founded, workers, path in grassroots:
        batch.append(Employer(org_id=parents[path[:3 * steplen]], name=f"企业{pk}", industry=rng.choice("CEFGHIK"),
                              ownership=rng.choice(ownerships), headcount=workers,
                              female_headcount=int(workers * rng.uniform(0.2, 0.6)),
                              above_scale=rng.random() < 0.2, established_on=founded - dt.timedelta(days=400)))
    # A few above-scale employers in each street have no union yet (规上企业建会率 below 100 %).
    for pk in parents.values():
        batch.extend(Employer(org_id=pk, name=f"未建会企业{pk}-{i}", industry="C", ownership=Ownership.NON_PUBLIC,
                              headcount=300, female_headcount=100, above_scale=True) for i in range(3))
    Employer.objects.bulk_create(batch, batch_size=5000)
    through = Org.covered_entities.through
    covered = [through(org_id=g[0], employer_id=e.pk) for g, e in zip(grassroots, batch, strict=False)]
    through.objects.bulk_create(covered, batch_size=5000)
    return len(batch)


def _members(grassroots: list[tuple[Any, ...]], total: int, today: dt.date, seed: int) -> dict[str, int]:
    """People and memberships written with the member import's COPY writer; history events included."""
    from gonghui.core import demo_data
    from gonghui.core.crypto import blind_indexer, bulk_encryptor
    from gonghui.core.idnumber import check_char
    from gonghui.members.importers import ID_BIDX, MOBILE_BIDX, _Writer
    from gonghui.members.models import STATUS_AFTER, ChangeType, Member, MemberStatus, Person

    rng = random.Random(seed)
    encrypt, id_index, mobile_index = bulk_encryptor(), blind_indexer(ID_BIDX), blind_indexer(MOBILE_BIDX)
    writer = _Writer()
    now = writer.now
    d = writer._date
    weights = [max(w, 5) for _pk, _f, w, _p in grassroots]
    regions = demo_data.LOCAL_REGIONS + demo_data.MIGRANT_REGIONS
    births = dt.date(1960, 1, 1)
    chunk = 50_000
    made = {"people": 0, "memberships": 0, "events": 0}
    for first in range(0, total, chunk):
        n = min(chunk, total - first)
        unions = rng.choices(grassroots, weights=weights, k=n)
        person_ids = writer.ids(Person, n)
        people, memberships, events = [], [], []
        # Members, transfers' second memberships reserve their ids up front (at most one each).
        member_ids = iter(writer.ids(Member, n + n // 10))
        for i, (pid, union) in enumerate(zip(person_ids, unions, strict=True)):
            k = first + i
            region = regions[k % len(regions)]
            gender = "male" if rng.random() < 0.55 else "female"
            birth = births + dt.timedelta(days=(k // len(regions)) % 14_000)
            seq = (k // len(regions) // 14_000) * 2 + (1 if gender == "male" else 0)
            body = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = body + check_char(body)
            phone = demo_data.mobile(rng)
            migrant = region in demo_data.MIGRANT_REGIONS
            people.append((pid, "resident_id", encrypt(number), id_index(number), demo_data.person_name(rng, gender),
                           gender, d(birth), "汉族", "employed", "", "", encrypt(phone), mobile_index(phone),
                           "agricultural" if migrant else "non_agricultural", "", "masses", "", now, now))
            org_id, founded = union[0], union[1]
            start = max(founded, dt.date(2000, 1, 1), birth + dt.timedelta(days=18 * 366))
            if rng.random() < 0.3:  # recent growth: three in ten joined since the start of last year
                start = max(start, dt.date(today.year - 1, 1, 1))
            if start >= today:
                start = today - dt.timedelta(days=1)
            joined = start + dt.timedelta(days=rng.randrange((today - start).days + 1))
            history = [(ChangeType.JOIN, joined, org_id)]
            mid = next(member_ids)
            second = None
            if rng.random() < 0.06 and (today - joined).days > 60:
                on = joined + dt.timedelta(days=rng.randint(30, (today - joined).days))
                roll = rng.random()
                if roll < 0.3:
                    history.append((ChangeType.LEAVE, on, org_id))
                elif roll < 0.6:
                    history.append((ChangeType.RETAIN, on, org_id))
                    if rng.random() < 0.3 and (today - on).days > 30:
                        history.append((ChangeType.RESTORE, on + dt.timedelta(days=rng.randint(1, (today - on).days)),
                                        org_id))
                else:  # transferred to another union the same day
                    history.append((ChangeType.TRANSFER_OUT, on, org_id))
                    target = rng.choice(grassroots)[0]
                    second = (next(member_ids), target, on)
            status = STATUS_AFTER[history[-1][0]]
            memberships.append((mid, pid, org_id, None, "", "", d(joined),
                                d(history[-1][1]) if status == MemberStatus.LEFT else None, status, migrant, "",
                                d(joined) if rng.random() < 0.9 else None, None, None, now, now))
            events.extend((mid, org, t, d(day), "", None, None, now) for t, day, org in history)
            if second is not None:
                sid, target, on = second
                memberships.append((sid, pid, target, None, "", "", d(on), None, MemberStatus.ACTIVE, migrant, "",
                                    d(on), None, None, now, now))
                events.append((sid, target, ChangeType.TRANSFER_IN, d(on), "工作调动", None, None, now))
        writer.insert(Person, _Writer.PERSON_COLS, people)
        writer.insert(Member, _Writer.MEMBER_COLS, memberships)
        from gonghui.members.models import MembershipChange

        writer.insert(MembershipChange, _Writer.CHANGE_COLS, events)
        made["people"] += len(people)
        made["memberships"] += len(memberships)
        made["events"] += len(events)
        print(f"    … {made['people']:>9,} people", flush=True)
    writer.close()
    return made


def _activities(grassroots: list[tuple[Any, ...]], today: dt.date, seed: int) -> dict[str, int]:
    from gonghui.activities.models import Activity, ActivityParticipant, ActivityType
    from gonghui.facilities.models import Facility, FacilityType
    from gonghui.members.models import Person

    rng = random.Random(seed + 1)
    types = {t.code: t for t in ActivityType.objects.filter(org__isnull=True,
                                                            code__in=["lecture", "culture", "sports", "training",
                                                                      "contest"])}
    codes = list(types)
    activities = []
    for year in (today.year - 1, today.year):
        last = min(today, dt.date(year, 12, 31))
        span = (last - dt.date(year, 1, 1)).days
        for _ in range(len(grassroots) // 2):
            start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(span + 1))
            paper = rng.random() < 0.7
            activities.append(Activity(org_id=rng.choice(grassroots)[0], type=types[rng.choice(codes)],
                                       title="活动", start_on=start, end_on=start, sessions=rng.randint(1, 4),
                                       headcount_only=paper, headcount=rng.randint(10, 200) if paper else 0))
    Activity.objects.bulk_create(activities, batch_size=5000)
    pool = list(Person.objects.order_by("pk").values_list("pk", "id_number_bidx", "name")[:20_000])
    roster = []
    for activity in activities:
        if activity.headcount_only:
            continue
        for pk, key, name in rng.sample(pool, rng.randint(3, 15)):
            roster.append(ActivityParticipant(activity=activity, person_key=key, person_id=pk, name=name,
                                              id_number="", attendances=rng.randint(1, activity.sessions)))
    ActivityParticipant.objects.bulk_create(roster, batch_size=5000)
    homes = [Facility(org_id=pk, type=FacilityType.HOME, name="职工之家", address="",
                      opened_on=max(founded, dt.date(2010, 1, 1)) + dt.timedelta(days=rng.randrange(2000)))
             for pk, founded, _w, _p in rng.sample(grassroots, len(grassroots) // 4)]
    Facility.objects.bulk_create(homes, batch_size=5000)
    return {"activities": len(activities), "participants": len(roster), "facilities": len(homes)}


def ready(units: int, members: int) -> bool:
    from gonghui.members.models import Person
    from gonghui.orgs.models import Org

    return Org.objects.count() == units and Person.objects.count() == members


# -- the dashboard's work, and the naive version -------------------------------------------------


def months(year: int) -> list[Any]:
    from gonghui.reports.windows import Window

    ends = [dt.date(year, m + 1, 1) - dt.timedelta(days=1) for m in range(1, 12)] + [dt.date(year, 12, 31)]
    return [Window.period(dt.date(year, m, 1), end) for m, end in enumerate(ends, start=1)]


def registry_work(user: Any, org: Any, year: int) -> dict[str, Callable[[], Any]]:
    """The dashboard's three parts through the registry, as the page calls it."""
    from gonghui.reports import registry
    from gonghui.reports.dashboard import KEY_FIGURES
    from gonghui.reports.windows import Window

    current, previous = Window.year(year), Window.year(year).previous()
    return {
        "figures": lambda: {k: (registry.evaluate(user, k, org, current).value,
                                registry.evaluate(user, k, org, previous).value) for k in KEY_FIGURES},
        "roll-up": lambda: {k: [(c.code, v) for c, v in registry.per_child(user, k, org, current)]
                            for k in ROLLUP_KEYS},
        "trend": lambda: [registry.evaluate(user, TREND_KEY, org, w).value for w in months(year)],
    }


def raw_value(user: Any, key: str, org: Any, window: Any) -> Any:
    """A figure aggregated straight from its drill-down records (what ``evaluate`` did before summaries)."""
    import decimal

    from django.db.models import Count

    from gonghui.reports import registry

    metric = registry.REGISTRY.get(key)
    if metric.kind == registry.RATIO:
        num, den = (raw_value(user, k, org, window) for k in (metric.numerator, metric.denominator))
        if not den:
            return None
        return (decimal.Decimal(num or 0) * 100 / decimal.Decimal(den)).quantize(
            decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)
    qs = registry.records(user, key, org, window)
    result = qs.order_by().aggregate(v=metric.value(), n=Count("pk", distinct=True))
    return registry._quantize(metric, result["v"])


def naive_work(user: Any, org: Any, year: int) -> dict[str, Callable[[], Any]]:
    """The same figures from the records, one aggregate per figure, per child and per month."""
    from gonghui.orgs.selectors import children
    from gonghui.reports.dashboard import KEY_FIGURES
    from gonghui.reports.windows import Window

    current, previous = Window.year(year), Window.year(year).previous()
    return {
        "figures": lambda: {k: (raw_value(user, k, org, current), raw_value(user, k, org, previous))
                            for k in KEY_FIGURES},
        "roll-up": lambda: {k: [(c.code, raw_value(user, k, c, current)) for c in children(user, org)]
                            for k in ROLLUP_KEYS},
        "trend": lambda: [raw_value(user, TREND_KEY, org, w) for w in months(year)],
    }


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median of ``repeat`` runs after a warm-up (repeat 1: a single cold-ish run)."""
    import statistics

    result = fn()
    if repeat <= 1:
        started = time.perf_counter()
        result = fn()
        return time.perf_counter() - started, result
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def rows(parts: dict[str, Callable[[], Any]], repeat: int) -> Iterator[tuple[str, float, Any]]:
    for name, fn in parts.items():
        seconds, result = timed(fn, repeat)
        yield name, seconds, result


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--members", type=int, default=None, help="default 1,000,000 (20,000 with --sqlite)")
    p.add_argument("--units", type=int, default=None, help="default 50,000 (2,000 with --sqlite)")
    p.add_argument("--db", default="gonghui_bench", help="PostgreSQL database kept between runs")
    p.add_argument("--rebuild", action="store_true", help="generate the data set again")
    p.add_argument("--repeat", type=int, default=3, help="timed runs of the registry work (median)")
    p.add_argument("--naive-repeat", type=int, default=1, help="timed runs of the naive work")
    p.add_argument("--skip-naive", action="store_true", help="registry timings only")
    args = p.parse_args()
    members = args.members or (20_000 if args.sqlite else 1_000_000)
    units = args.units or (2_000 if args.sqlite else 50_000)
    today = dt.date.today()
    with kept_database(args, args.db, rebuild=args.rebuild) as vendor:
        from django.db import connection

        from gonghui.core.roles import ensure_default_roles
        from gonghui.orgs.models import Org
        from gonghui.testing import make_user

        if ready(units, members):
            print(f"dashboard — {vendor}: reusing the generated data set in {args.db}")
        else:
            if Org.objects.exists():
                raise SystemExit(f"{args.db} holds another data set: run with --rebuild")
            print(f"dashboard — {vendor}: generating {units:,} unions and {members:,} members …", flush=True)
            started = time.perf_counter()
            made = generate(members, units, today)
            print(f"  generated in {time.perf_counter() - started:.1f}s "
                  f"(tree and employers {made.pop('t_orgs'):.1f}s, members {made.pop('t_members'):.1f}s, "
                  f"activities and facilities {made.pop('t_other'):.1f}s): {made}")
        from gonghui.core.models import User
        from gonghui.members import tally

        if not tally.is_built():
            started = time.perf_counter()
            built = tally.rebuild()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE members_membertally")
            print(f"  member tally built in {time.perf_counter() - started:.1f}s: {built}")
        ensure_default_roles()
        root = Org.objects.get(code="BM")
        user = User.objects.filter(username="bench_admin").first() or make_user("bench_admin", root,
                                                                                 "federation_admin")
        year = today.year
        print(f"  year {year} (and {year - 1} for year-over-year); acting user: federation admin of the city")
        print(f"  {'node':<34}{'part':<9}{'registry':>12}{'naive':>12}{'naive ÷ registry':>18}")
        totals: list[tuple[str, float, float]] = []
        for level, code in NODES:
            org = Org.objects.get(code=code)
            label = f"{level} {code} ({org.numchild} ch.)"
            fast = list(rows(registry_work(user, org, year), args.repeat))
            node_fast = sum(s for _n, s, _r in fast)
            node_naive = 0.0
            slow = None if args.skip_naive else list(rows(naive_work(user, org, year), args.naive_repeat))
            for i, (name, seconds, result) in enumerate(fast):
                line = f"  {label if i == 0 else '':<34}{name:<9}{ms(seconds):>12}"
                if slow is not None:
                    _n, naive_seconds, naive_result = slow[i]
                    node_naive += naive_seconds
                    if naive_result != result:
                        raise SystemExit(f"{code} {name}: registry {result} ≠ records {naive_result}")
                    line += f"{ms(naive_seconds):>12}{naive_seconds / seconds:>16.1f}x"
                print(line)
            totals.append((label, node_fast, node_naive))
            print(f"  {'':<34}{'total':<9}{ms(node_fast):>12}"
                  + (f"{ms(node_naive):>12}{node_naive / node_fast:>16.1f}x" if slow is not None else "")
                  + ("   ✓ under 1 s" if node_fast < 1 else "   ✗ over 1 s"), flush=True)
        print(f"  every figure equal to the naive recount: {'yes' if not args.skip_naive else 'not checked'}")
        print(f"  peak RSS {peak_rss_mib():.0f} MiB; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
              "(other work on the machine slows both columns)")


if __name__ == "__main__":
    main()
