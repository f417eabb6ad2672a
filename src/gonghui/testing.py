"""Test helpers shared by every app: a small federation tree and a few named users.

Like healthchecks' ``BaseTestCase``: every test speaks of the same people —
``city_admin`` (federation admin at the root), ``town_officer`` (officer of
street A), ``officer_a`` and ``officer_b`` (officers of one grassroots union in
branch A and branch B), ``clerk_a`` (clerk of the same union as officer_a, no
personal-data right) and ``nobody`` (an account with no role).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gonghui.core import services as core_services
from gonghui.core import uscc
from gonghui.core.models import User
from gonghui.orgs import services as org_services
from gonghui.orgs.models import Employer, Org, OrgKind, OrgLevel, OrgMode

PASSWORD = "Test-Passw0rd!"
_counter = itertools.count(1)
_rng = random.Random(7)


def make_employer(org: Org, **values: Any) -> Employer:
    n = next(_counter)
    defaults: dict[str, Any] = {
        "name": f"测试单位{n}有限公司", "uscc": uscc.generate(_rng, "440106"), "industry": "C",
        "ownership": "non_public", "headcount": 120, "female_headcount": 50,
    }
    defaults.update(values)
    return org_services.create_employer(None, org, **defaults)


def make_org(parent: Org | None, code: str, **values: Any) -> Org:
    defaults: dict[str, Any] = {"name": f"{code} 工会", "kind": OrgKind.GRASSROOTS, "founded_on": dt.date(2015, 3, 1)}
    defaults.update(values)
    if defaults["kind"] == OrgKind.GRASSROOTS:
        defaults.setdefault("mode", OrgMode.SINGLE)
    return org_services.create_org(None, parent, code=code, **defaults)


def make_grassroots(parent: Org, code: str, *, headcount: int = 120, **values: Any) -> Org:
    """A single-employer grassroots union with its employer registered at ``parent``."""
    employer = make_employer(parent, headcount=headcount, female_headcount=headcount // 3)
    values.setdefault("covered_workers", headcount)
    return make_org(parent, code, covered_entities=[employer], **values)


def make_user(username: str, org: Org | None, role: str = "officer", *, subtree: bool = True) -> User:
    if org is None:
        user = User.objects.create_user(username=username, password=PASSWORD)
        return user
    return core_services.create_user(None, username, org=org, role_code=role, password=PASSWORD,
                                     full_name=username, include_subtree=subtree, check_password_strength=False)


@dataclass
class World:
    """The standard test federation.

    GZ 市总工会
    ├── GZ.A  A区总工会
    │   └── GZ.A.S1  A区一街道总工会
    │       ├── GZ.A.S1.0001  基层工会 (officer_a, clerk_a)
    │       └── GZ.A.S1.0002  基层工会
    └── GZ.B  B区总工会
        └── GZ.B.S1  B区一街道总工会
            └── GZ.B.S1.0001  基层工会 (officer_b)
    """

    root: Org
    district_a: Org
    street_a: Org
    union_a: Org
    union_a2: Org
    district_b: Org
    street_b: Org
    union_b: Org
    city_admin: User
    town_officer: User
    officer_a: User
    clerk_a: User
    officer_b: User
    nobody: User


def build_world() -> World:
    from gonghui.core.roles import ensure_default_roles

    with transaction.atomic():
        ensure_default_roles()
        root = make_org(None, "GZ", name="测试市总工会", kind=OrgKind.FEDERATION, level=OrgLevel.CITY,
                        founded_on=dt.date(1950, 5, 1))
        district_a = make_org(root, "GZ.A", name="A区总工会", kind=OrgKind.FEDERATION, level=OrgLevel.DISTRICT)
        street_a = make_org(district_a, "GZ.A.S1", name="A区一街道总工会", kind=OrgKind.FEDERATION,
                            level=OrgLevel.SUBDISTRICT)
        union_a = make_grassroots(street_a, "GZ.A.S1.0001", name="甲公司工会委员会")
        union_a2 = make_grassroots(street_a, "GZ.A.S1.0002", name="乙公司工会委员会")
        district_b = make_org(root, "GZ.B", name="B区总工会", kind=OrgKind.FEDERATION, level=OrgLevel.DISTRICT)
        street_b = make_org(district_b, "GZ.B.S1", name="B区一街道总工会", kind=OrgKind.FEDERATION,
                            level=OrgLevel.SUBDISTRICT)
        union_b = make_grassroots(street_b, "GZ.B.S1.0001", name="丙公司工会委员会")
        return World(
            root=root, district_a=district_a, street_a=street_a, union_a=union_a, union_a2=union_a2,
            district_b=district_b, street_b=street_b, union_b=union_b,
            city_admin=make_user("city_admin", root, "federation_admin"),
            town_officer=make_user("town_officer", street_a, "officer"),
            officer_a=make_user("officer_a", union_a, "officer"),
            clerk_a=make_user("clerk_a", union_a, "clerk"),
            officer_b=make_user("officer_b", union_b, "officer"),
            nobody=make_user("nobody", None),
        )


def refresh(obj: Any) -> Any:
    """Re-read an object (treebeard paths change when the tree moves)."""
    return type(obj).objects.get(pk=obj.pk)
