"""Build large trees fast (benchmarks, load tests): treebeard-compatible paths, bulk inserts.

``Org.objects.add_child`` costs several queries per node; a city-sized tree of
50,000 unions is written here with a few thousand-row INSERTs instead. The paths
follow treebeard's materialised-path scheme exactly, so every tree operation
works on the result.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction

from gonghui.orgs.models import Org, OrgKind, OrgLevel, OrgMode


def step(n: int) -> str:
    """The path segment of the n-th child (1-based), as treebeard writes it."""
    alphabet, width = Org.alphabet, Org.steplen
    out = ""
    while n:
        n, rem = divmod(n, len(alphabet))
        out = alphabet[rem] + out
    return out.rjust(width, alphabet[0])


@dataclass
class Spec:
    """One node to create; children are appended in order."""

    code: str
    name: str
    kind: str
    level: str = ""
    mode: str = ""
    covered_workers: int = 0
    founded_on: dt.date = dt.date(2010, 1, 1)
    children: list[Spec] = field(default_factory=list)


def _flatten(spec: Spec, path: str, depth: int) -> Iterator[Org]:
    yield Org(code=spec.code, name=spec.name, kind=spec.kind, level=spec.level, mode=spec.mode,
              covered_workers=spec.covered_workers, founded_on=spec.founded_on, path=path, depth=depth,
              numchild=len(spec.children), term_years=5)
    for i, child in enumerate(spec.children, start=1):
        yield from _flatten(child, path + step(i), depth + 1)


@transaction.atomic
def create_tree(root: Spec, *, batch_size: int = 5000) -> int:
    """Insert a whole tree under a new root; returns the number of unions created."""
    if Org.objects.exists():
        raise ValueError("create_tree builds a new tree into an empty table")
    batch: list[Org] = []
    total = 0
    for org in _flatten(root, step(1), 1):
        org.term_ends_on = org.compute_term_ends_on()
        batch.append(org)
        if len(batch) >= batch_size:
            Org.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    if batch:
        Org.objects.bulk_create(batch)
        total += len(batch)
    return total


def city_spec(units: int, *, seed: int = 1, districts: int = 16, streets_per_district: int = 20) -> Spec:
    """A city federation of about ``units`` unions: districts, streets, grassroots unions
    (a tenth of them with a branch union and a group)."""
    rng = random.Random(seed)
    root = Spec("BM", "基准测试市总工会", OrgKind.FEDERATION, OrgLevel.CITY)
    street_count = districts * streets_per_district
    per_street = max(1, (units - 1 - districts - street_count) // street_count)
    made = 1 + districts + street_count
    for d in range(1, districts + 1):
        district = Spec(f"BM.D{d:02d}", f"第{d}区总工会", OrgKind.FEDERATION, OrgLevel.DISTRICT)
        root.children.append(district)
        for s in range(1, streets_per_district + 1):
            street = Spec(f"{district.code}.S{s:02d}", f"第{d}区第{s}街道总工会", OrgKind.FEDERATION,
                          OrgLevel.SUBDISTRICT)
            district.children.append(street)
            n = 0
            while n < per_street and made < units:
                n += 1
                union = Spec(f"{street.code}.{n:04d}", f"基层工会{d}-{s}-{n}", OrgKind.GRASSROOTS, mode=OrgMode.SINGLE,
                             covered_workers=rng.randint(8, 600),
                             founded_on=dt.date(rng.randint(2000, 2025), rng.randint(1, 12), rng.randint(1, 28)))
                street.children.append(union)
                made += 1
                if rng.random() < 0.1 and made + 2 <= units:
                    branch = Spec(f"{union.code}.B1", f"{union.name}分工会", OrgKind.BRANCH)
                    branch.children.append(Spec(f"{branch.code}.G1", f"{branch.name}工会小组", OrgKind.GROUP))
                    union.children.append(branch)
                    made += 2
    return root
