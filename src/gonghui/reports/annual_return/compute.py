"""Filling a return: own figures from the metric registry, children's sums, totals and ratios.

A grassroots union's return reports its own figures: the registry evaluated over the
union and what lies below it (branches, groups), ``own_only`` where the table says so
(表5, finance). A higher union's return is the sum of its children's accepted returns
plus its own figures, i.e. the records of the union itself (``own_only``): nothing is
counted twice, because each child's subtree is already in the child's return.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q

from gonghui.reports import registry
from gonghui.reports.annual_return.definition import TOTAL, Form, Row
from gonghui.reports.windows import Window

# B1 columns by the employer's ownership (GLOSSARY Employer.ownership).
OWNERSHIP_COLUMN = {
    "state_owned": "c03", "collective": "c04", "non_public": "c05", "public_institution": "c08",
    "government": "c09", "social_org": "c10", "individual_business": "c11",
}
OTHER_COLUMN = "c12"
DRILL_DOWN = "/figures/{key}/"
Key = tuple[str, str]  # (row, column)


@dataclass
class Cell:
    row: str
    column: str
    origin: str  # computed | manual | override | derived
    computed: Decimal | None = None
    own: Decimal | None = None
    children: Decimal | None = None
    value: Decimal | None = None
    reason: str = ""


@dataclass
class Filled:
    """The cells of a return, keyed by (row, column)."""

    cells: dict[Key, Cell] = field(default_factory=dict)

    def value(self, row: str, column: str = TOTAL) -> Decimal | None:
        cell = self.cells.get((row, column))
        return None if cell is None else cell.value


def is_aggregate(org: Any) -> bool:
    """Unions above the grassroots (federations, industry unions) sum their children's returns."""
    return org.kind != "grassroots"


def default_year(today: dt.date) -> int:
    """The last closed statistical year: the one ending on the latest 30 September."""
    return today.year if today.month >= 10 else today.year - 1


def own_column(org: Any) -> str:
    """The B1 column a union's own figures go to: its employer's type (a joint union: most of its units)."""
    kinds = Counter(e.ownership for e in org.covered_entities.all())
    if not kinds:
        return OTHER_COLUMN
    top = max(sorted(kinds), key=lambda k: kinds[k])
    return OWNERSHIP_COLUMN.get(top, OTHER_COLUMN)


def filing_children(org: Any, year: int) -> list[Any]:
    """The unions directly below that file a return of their own: in being on 30 September."""
    from gonghui.orgs.models import Org

    end = Window.stats_year(year).end
    return list(Org.objects.filter(path__startswith=org.path, depth=org.depth + 1,
                                   kind__in=["grassroots", "federation", "industry"], founded_on__lte=end)
                .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end)).order_by("path"))


def is_total_column(form: Form, row: Row, column: str) -> bool:
    return bool(row.column_set) and column in form.column_sums.get(row.column_set, {})


def cell_kind(form: Form, row: Row, column: str, own_col: str | None = None) -> str:
    """computed (from records) | manual (typed) | derived (totals of a typed B1 row, ratios).

    With ``own_col`` (the union's own B1 column) the other type columns of a typed B1 row
    are derived too: a union types its figure in its own column only (G-4), the rest stay 0.
    """
    if row.is_ratio:
        return "derived"
    if row.from_records:
        return "computed"
    if is_total_column(form, row, column):
        return "derived"
    if own_col is not None and row.column_set and column != own_col:
        return "derived"
    return "manual"


def figure_url(row: Row, org_code: str, year: int, own_only: bool) -> str:
    """The drill-down page listing the records behind a prefilled cell."""
    params = {"org": org_code, "year": str(year), "stats_year": "1", **{f"f_{k}": v for k, v in row.filters.items()}}
    if own_only:
        params["own"] = "1"
    return DRILL_DOWN.format(key=row.key) + "?" + urlencode(params)


def own_only_for(form: Form, row: Row, aggregate: bool) -> bool:
    return aggregate or form.table_of(row.code).own_only


def own_figures(user: Any, form: Form, org: Any, year: int, aggregate: bool) -> dict[Key, Decimal]:
    """The union's own figures from records, placed in the cells of each sourced row."""
    window = Window.stats_year(year)
    column = own_column(org)
    out: dict[Key, Decimal] = {}
    for row in form.rows.values():
        if row.is_ratio or not row.from_records:
            continue
        figure = registry.evaluate(user, row.key, org, window, filters=row.filters,
                                   own_only=own_only_for(form, row, aggregate))
        value = Decimal(figure.value or 0)
        for col in form.columns_of(row):
            out[(row.code, col.code)] = Decimal(0)
        out[(row.code, TOTAL)] = value
        if row.column_set:
            out[(row.code, column)] = value
            for total, parts in form.column_sums[row.column_set].items():
                if total != TOTAL and column in parts:
                    out[(row.code, total)] = value
    return out


def children_sums(form: Form, children: Iterable[Mapping[Key, Decimal | None]]) -> dict[Key, Decimal]:
    """Cell by cell sum of the children's accepted returns (ratios are recomputed, never summed)."""
    out: dict[Key, Decimal] = {(row.code, col.code): Decimal(0) for row, col in form.cells() if not row.is_ratio}
    for values in children:
        for key in out:
            out[key] += values.get(key) or 0
    return out


def blank(form: Form, org: Any, aggregate: bool) -> Filled:
    """An empty return: manual cells blank except the B1 columns that are not the union's own (0)."""
    filled = Filled()
    column = own_column(org)
    for row, col in form.cells():
        kind = cell_kind(form, row, col.code)
        own: Decimal | None = None
        if kind == "manual" and row.column_set and col.code != column:
            own = Decimal(0)
        filled.cells[(row.code, col.code)] = Cell(row.code, col.code, kind if kind != "computed" else "computed",
                                                 own=own)
    return filled


def recompute(form: Form, filled: Filled, aggregate: bool) -> None:
    """Totals of typed B1 rows, reported values (own + children) and ratios, in that order."""
    rows = form.rows
    for row in rows.values():
        if row.is_ratio:
            continue
        if row.column_set and cell_kind(form, row, TOTAL) == "derived":
            sums = form.column_sums[row.column_set]
            for total in ("c02", "c01"):  # the subtotal first: c01 includes it
                parts = [filled.cells[(row.code, p)].own for p in sums[total]]
                filled.cells[(row.code, total)].own = None if any(p is None for p in parts) else sum(
                    (p for p in parts if p is not None), Decimal(0))
        for col in form.columns_of(row):
            cell = filled.cells[(row.code, col.code)]
            if cell.own is None:
                cell.value = None
            else:
                cell.value = cell.own + (cell.children or 0 if aggregate else 0)
    for row in rows.values():
        if not row.is_ratio:
            continue
        num, den = row.ratio  # type: ignore[misc]
        for col in form.columns_of(row):
            n, d = filled.value(num, col.code), filled.value(den, col.code)
            cell = filled.cells[(row.code, col.code)]
            cell.value = None if not d or n is None else (n * 100 / d).quantize(Decimal("0.1"), ROUND_HALF_UP)
