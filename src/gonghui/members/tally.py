"""The member tally: daily changes of each union's member counts, a summary of the membership events.

``members.total`` (people active on a date) and ``members.new`` (people with a 入会 event in a
window) are exact figures over a million memberships; the tally gives the same numbers from a
few thousand rows. For every union U (its whole subtree) and day d it keeps

- ``active_people`` / ``active_members``: the change on d of the people (distinct persons) and of
  the memberships active in U's subtree — the figure as of D is the sum of the changes up to D;
- ``joined_people`` / ``joined_members``: the people (memberships) with a 入会 event on d; a
  person who joined twice in U's subtree also leaves a *pair* row (first day, next day), so that
  the people joining in a window [a, b] = points in [a, b] − pairs with a ≤ first and next ≤ b.

"Active on D" is the registry's rule (members.selectors.active_on): joined on or before D and
the latest event on or before D (by date, then id) is 入会/转入/恢复会籍.

The tally is kept per person: ``tracking(person_ids)`` computes what those people contribute,
lets the write happen, computes it again and adds the difference, in the write's transaction.
The member services, the import and org moves do this; ``rebuild()`` recomputes everything.
A database where the tally was never built has no ``built`` row: the figures are then counted
from the records, as always.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.db import connection, transaction

from gonghui.members.models import ACTIVE_CHANGES, ChangeType, MemberTally, MemberTallyPair
from gonghui.orgs.models import Org

ACTIVE_PEOPLE, ACTIVE_MEMBERS = "active_people", "active_members"
# The same changes summed by calendar year (day = 1 January): a stock on D reads the years before
# D's year and the days of D's year, at most some 25 + 366 rows per union whatever the history.
YEARLY = {ACTIVE_PEOPLE: "active_people_y", ACTIVE_MEMBERS: "active_members_y"}
JOINED_PEOPLE, JOINED_MEMBERS = "joined_people", "joined_members"
BUILT = "built"
BUILT_DAY = dt.date(2000, 1, 1)

Deltas = Counter[tuple[int, str, dt.date]]  # (union, measure, day) -> change
Pairs = Counter[tuple[int, str, dt.date, dt.date]]  # (union, measure, first, next) -> people

_ACTIVE = frozenset(ACTIVE_CHANGES)


# -- what one person contributes -------------------------------------------------------------


def spans(joined_on: dt.date, events: Sequence[tuple[dt.date, int, str]]) -> list[tuple[dt.date, dt.date | None]]:
    """Half-open periods [start, end) in which a membership is active; events are (day, id, type)."""
    last_of_day: dict[dt.date, str] = {}
    for day, _id, change_type in sorted(events):
        last_of_day[day] = change_type
    out: list[tuple[dt.date, dt.date | None]] = []
    start: dt.date | None = None
    for day in sorted(last_of_day):
        active = last_of_day[day] in _ACTIVE
        if active and start is None:
            start = day
        elif not active and start is not None:
            out.append((start, day))
            start = None
    if start is not None:
        out.append((start, None))
    clipped = []
    for s, e in out:
        s = max(s, joined_on)
        if e is None or s < e:
            clipped.append((s, e))
    return clipped


def _union(periods: list[tuple[dt.date, dt.date | None]]) -> list[tuple[dt.date, dt.date | None]]:
    merged: list[tuple[dt.date, dt.date | None]] = []
    for s, e in sorted(periods, key=lambda p: p[0]):
        if merged:
            ps, pe = merged[-1]
            if pe is None or s <= pe:
                merged[-1] = (ps, None if pe is None or e is None else max(pe, e))
                continue
        merged.append((s, e))
    return merged


def _add_periods(deltas: Deltas, org_id: int, measure: str, periods: Iterable[tuple[dt.date, dt.date | None]]) -> None:
    for s, e in periods:
        deltas[(org_id, measure, s)] += 1
        if e is not None:
            deltas[(org_id, measure, e)] -= 1


def _add_days(deltas: Deltas, pairs: Pairs, org_id: int, measure: str, days: Iterable[dt.date]) -> None:
    ordered = sorted(set(days))
    for day in ordered:
        deltas[(org_id, measure, day)] += 1
    for first, then in itertools.pairwise(ordered):
        pairs[(org_id, measure, first, then)] += 1


class Memberships:
    """One person's memberships: (org path, joined_on, events) each."""

    def __init__(self) -> None:
        self.items: dict[int, tuple[str, dt.date, list[tuple[dt.date, int, str]]]] = {}

    def add(self, member_id: int, path: str, joined_on: dt.date, event: tuple[dt.date, int, str] | None) -> None:
        if member_id not in self.items:
            self.items[member_id] = (path, joined_on, [])
        if event is not None:
            self.items[member_id][2].append(event)


def contribute(person: Memberships, org_ids: Mapping[str, int], deltas: Deltas, pairs: Pairs) -> None:
    """Add what one person counts for in every union above their memberships."""
    steplen = Org.steplen
    by_union: dict[int, list[tuple[list[tuple[dt.date, dt.date | None]], list[dt.date]]]] = defaultdict(list)
    for path, joined_on, events in person.items.values():
        periods = spans(joined_on, events)
        joins = sorted({day for day, _id, t in events if t == ChangeType.JOIN})
        if not periods and not joins:
            continue
        for depth in range(1, len(path) // steplen + 1):
            org_id = org_ids.get(path[:depth * steplen])
            if org_id is not None:
                by_union[org_id].append((periods, joins))
    for org_id, rows in by_union.items():
        all_periods = [p for periods, _ in rows for p in periods]
        _add_periods(deltas, org_id, ACTIVE_MEMBERS, all_periods)
        _add_periods(deltas, org_id, ACTIVE_PEOPLE, _union(all_periods))
        for _periods, joins in rows:
            _add_days(deltas, pairs, org_id, JOINED_MEMBERS, joins)
        _add_days(deltas, pairs, org_id, JOINED_PEOPLE, [d for _p, joins in rows for d in joins])


def _org_ids(paths: Iterable[str]) -> dict[str, int]:
    """Ids of every union on the way to ``paths`` (the ancestors and the unions themselves)."""
    steplen = Org.steplen
    wanted = {p[:d * steplen] for p in paths for d in range(1, len(p) // steplen + 1)}
    out: dict[str, int] = {}
    ordered = sorted(wanted)
    for i in range(0, len(ordered), 500):
        out.update(Org.objects.filter(path__in=ordered[i:i + 500]).values_list("path", "pk"))
    return out


_PEOPLE_SQL = """
SELECT m.person_id, m.id, o.path, m.joined_on, c.changed_on, c.id, c.change_type
FROM members_member m
JOIN orgs_org o ON o.id = m.org_id
LEFT JOIN members_membershipchange c ON c.member_id = m.id
{where}
ORDER BY m.person_id, m.id
"""


def _as_date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _people(where: str, params: Sequence[Any]) -> Iterator[tuple[int, Memberships]]:
    """Each person's memberships and events, streamed in person order."""
    current: int | None = None
    person = Memberships()
    with connection.cursor() as cur:
        cur.execute(_PEOPLE_SQL.format(where=where), params)
        while True:
            batch = cur.fetchmany(10_000)
            if not batch:
                break
            for person_id, member_id, path, joined_on, day, change_id, change_type in batch:
                if person_id != current:
                    if current is not None:
                        yield current, person
                    current, person = person_id, Memberships()
                event = (_as_date(day), change_id, change_type) if change_id is not None else None
                person.add(member_id, path, _as_date(joined_on), event)
    if current is not None:
        yield current, person


def contributions(person_ids: Iterable[int]) -> tuple[Deltas, Pairs]:
    """What these people add to the tally now (read from the records)."""
    deltas: Deltas = Counter()
    pairs: Pairs = Counter()
    ids = sorted(set(person_ids))
    for i in range(0, len(ids), 2000):
        chunk = ids[i:i + 2000]
        people = list(_people(f"WHERE m.person_id IN ({', '.join(['%s'] * len(chunk))})", chunk))
        org_ids = _org_ids(path for _pid, p in people for path, _j, _e in p.items.values())
        for _pid, person in people:
            contribute(person, org_ids, deltas, pairs)
    return deltas, pairs


# -- writing the tally -----------------------------------------------------------------------


def is_built() -> bool:
    # The ``built`` rows hang on the top unions: an index lookup, not a scan of the tally.
    return MemberTally.objects.filter(org__depth=1, measure=BUILT, day=BUILT_DAY).exists()


def _with_years(deltas: Deltas) -> Deltas:
    """The daily changes plus their yearly sums (stock measures only)."""
    out: Deltas = Counter(deltas)
    for (org_id, measure, day), value in deltas.items():
        if measure in YEARLY:
            out[(org_id, YEARLY[measure], dt.date(day.year, 1, 1))] += value
    return out


def _day(value: dt.date) -> Any:
    return value if connection.vendor == "postgresql" else value.isoformat()


def apply(deltas: Deltas, pairs: Pairs) -> None:
    """Add changes to the tally (one upsert per row; rows that fall to zero are removed)."""
    delta_rows = [(o, m, _day(d), v) for (o, m, d), v in _with_years(deltas).items() if v]
    pair_rows = [(o, m, _day(d), _day(u), v) for (o, m, d, u), v in pairs.items() if v]
    with connection.cursor() as cur:
        if delta_rows:
            cur.executemany(
                "INSERT INTO members_membertally (org_id, measure, day, delta) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (org_id, measure, day) DO UPDATE SET delta = members_membertally.delta + excluded.delta",
                delta_rows)
            touched = sorted({r[0] for r in delta_rows})
            marks = ", ".join(["%s"] * len(touched))
            cur.execute(f"DELETE FROM members_membertally WHERE delta = 0 AND org_id IN ({marks})", touched)
        if pair_rows:
            cur.executemany(
                "INSERT INTO members_membertallypair (org_id, measure, day, until, people) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (org_id, measure, day, until) "
                "DO UPDATE SET people = members_membertallypair.people + excluded.people", pair_rows)
            cur.execute("DELETE FROM members_membertallypair WHERE people = 0")


def _stage(cur: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    """Append rows to a staging table: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(rows[0]))
        cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _diff(after: tuple[Deltas, Pairs], before: tuple[Deltas, Pairs]) -> tuple[Deltas, Pairs]:
    deltas, pairs = Counter(after[0]), Counter(after[1])
    deltas.subtract(before[0])
    pairs.subtract(before[1])
    return deltas, pairs


@contextlib.contextmanager
def tracking(person_ids: Iterable[int] = ()) -> Iterator[set[int]]:
    """Keep the tally in step with a write to these people's memberships (add ids made inside to the set)."""
    if not is_built():
        yield set()
        return
    people = set(person_ids)
    before = contributions(people)  # people added to the set inside the block had no memberships before
    yield people
    apply(*_diff(contributions(people), before))


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Recompute the whole tally from the records (and mark it built).

    Each batch of people is summed in memory and appended to a staging table; one GROUP BY
    then writes the tally, so a million members take one pass over their events."""
    MemberTally.objects.all().delete()
    MemberTallyPair.objects.all().delete()
    org_ids = dict(Org.objects.values_list("path", "pk"))
    people = 0
    with connection.cursor() as cur:
        cur.execute("CREATE TEMPORARY TABLE tally_stage (org_id bigint, measure varchar(16), day date, delta integer)")
        cur.execute("CREATE TEMPORARY TABLE tally_stage_pair (org_id bigint, measure varchar(16), day date, "
                    "until date, people integer)")

        def flush(deltas: Deltas, pairs: Pairs) -> None:
            _stage(cur, "tally_stage", "org_id, measure, day, delta",
                   [(o, m, _day(d), v) for (o, m, d), v in _with_years(deltas).items() if v])
            _stage(cur, "tally_stage_pair", "org_id, measure, day, until, people",
                   [(o, m, _day(d), _day(u), v) for (o, m, d, u), v in pairs.items() if v])

        deltas: Deltas = Counter()
        pairs: Pairs = Counter()
        for _pid, person in _people("", []):
            contribute(person, org_ids, deltas, pairs)
            people += 1
            if len(deltas) > 200_000:
                flush(deltas, pairs)
                deltas, pairs = Counter(), Counter()
        flush(deltas, pairs)
        cur.execute("INSERT INTO members_membertally (org_id, measure, day, delta) "
                    "SELECT org_id, measure, day, SUM(delta) FROM tally_stage GROUP BY org_id, measure, day "
                    "HAVING SUM(delta) <> 0")
        cur.execute("INSERT INTO members_membertallypair (org_id, measure, day, until, people) "
                    "SELECT org_id, measure, day, until, SUM(people) FROM tally_stage_pair "
                    "GROUP BY org_id, measure, day, until HAVING SUM(people) <> 0")
        cur.execute("DROP TABLE tally_stage")
        cur.execute("DROP TABLE tally_stage_pair")
    roots = Org.objects.filter(depth=1).values_list("pk", flat=True)
    MemberTally.objects.bulk_create([MemberTally(org_id=pk, measure=BUILT, day=BUILT_DAY, delta=1) for pk in roots])
    return {"people": people, "rows": MemberTally.objects.count(), "pairs": MemberTallyPair.objects.count()}


# -- reading it ------------------------------------------------------------------------------


def stock(org_ids: Sequence[int], on: dt.date) -> dict[int, tuple[int, int]] | None:
    """{union: (people, memberships) active on ``on`` in its subtree}, or None when no tally is built."""
    from django.db.models import Q

    new_year = dt.date(on.year, 1, 1)
    years = Q(measure__in=list(YEARLY.values()), day__lt=new_year)
    days = Q(measure__in=list(YEARLY), day__gte=new_year, day__lte=on)
    rows = (MemberTally.objects.filter(years | days, org_id__in=org_ids)
            .order_by().values_list("org_id", "measure").annotate(n=_sum()))
    people = {ACTIVE_PEOPLE, YEARLY[ACTIVE_PEOPLE]}
    return _shape(org_ids, ((o, ACTIVE_PEOPLE if m in people else ACTIVE_MEMBERS, n) for o, m, n in rows),
                  ACTIVE_PEOPLE, ACTIVE_MEMBERS)


def joined(org_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[int, tuple[int, int]] | None:
    """{union: (people, memberships) with a 入会 event in [start, end] in its subtree}, or None."""
    rows = list(MemberTally.objects.filter(org_id__in=org_ids, measure__in=[JOINED_PEOPLE, JOINED_MEMBERS],
                                           day__range=(start, end))
                .order_by().values_list("org_id", "measure").annotate(n=_sum()))
    shaped = _shape(org_ids, rows, JOINED_PEOPLE, JOINED_MEMBERS)
    if shaped is None or all(n < 2 for _o, _m, n in rows):
        return shaped  # a pair inside the window needs two of its 入会 days in it
    twice = (MemberTallyPair.objects.filter(org_id__in=org_ids, day__gte=start, until__lte=end)
             .order_by().values_list("org_id", "measure").annotate(n=_sum("people")))
    for org_id, measure, n in twice:
        people, members = shaped[org_id]
        shaped[org_id] = (people - n, members) if measure == JOINED_PEOPLE else (people, members - n)
    return shaped


def _sum(field: str = "delta") -> Any:
    from django.db.models import Sum

    return Sum(field)


def _shape(org_ids: Sequence[int], rows: Iterable[tuple[int, str, int]], people: str,
           members: str) -> dict[int, tuple[int, int]] | None:
    rows = list(rows)
    if not rows and not is_built():  # rows are only ever written once the tally is built
        return None
    out = {pk: (0, 0) for pk in org_ids}
    for org_id, measure, n in rows:
        p, m = out[org_id]
        out[org_id] = (p + int(n), m) if measure == people else (p, m + int(n))
    return out


class ImportTally:
    """The tally's share of one member import: people already on file are counted before their rows
    are written and again at the end; people the import creates are counted from their rows."""

    def __init__(self, org: Org) -> None:
        self.path = org.path
        self.org_ids = _org_ids([org.path])
        self.people: set[int] = set()
        self.before: tuple[Deltas, Pairs] = (Counter(), Counter())
        self.created: tuple[Deltas, Pairs] = (Counter(), Counter())

    def existing(self, person_ids: Iterable[int]) -> None:
        """Before a chunk is written: the people on file whose memberships it changes."""
        fresh = set(person_ids) - self.people
        if fresh:
            deltas, pairs = contributions(fresh)
            self.before[0].update(deltas)
            self.before[1].update(pairs)
            self.people |= fresh

    def new_person(self, member_id: int, change_type: str, day: dt.date) -> None:
        person = Memberships()
        person.add(member_id, self.path, day, (day, 0, change_type))
        contribute(person, self.org_ids, *self.created)

    def finish(self) -> None:
        """After every write of the import, in its transaction."""
        deltas, pairs = _diff(contributions(self.people), self.before)
        deltas.update(self.created[0])
        pairs.update(self.created[1])
        apply(deltas, pairs)


def following_move(org: Org) -> contextlib.AbstractContextManager[set[int]]:
    """Wraps an org move (orgs.services.MOVE_HOOKS): the people of the moved subtree are counted again."""
    from gonghui.members.models import Member

    if not is_built():
        return contextlib.nullcontext(set())
    people = Member.objects.filter(org__path__startswith=org.path).values_list("person_id", flat=True).distinct()
    return tracking(people)
