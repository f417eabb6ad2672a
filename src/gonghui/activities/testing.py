"""Factories for tests of the activity log (and of the apps that count from it)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from gonghui.activities import services
from gonghui.activities.models import Activity, ActivityType
from gonghui.core import idnumber
from gonghui.orgs.models import Org

_counter = itertools.count(1)
_rng = random.Random(11)
# A 1×1 PNG: the smallest real image for upload tests.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def national(code: str) -> ActivityType:
    return ActivityType.objects.get(org__isnull=True, code=code)


def id_number(gender: str = "female", year: int = 1988) -> str:
    """A valid synthetic resident ID number (never a real person's)."""
    birth = dt.date(year, _rng.randint(1, 12), _rng.randint(1, 28))
    return idnumber.generate(_rng, "440106", birth, gender)


def person(name: str = "", **values: Any) -> services.PersonIn:
    return services.PersonIn(name=name or f"测试{next(_counter):03d}号", id_number=values.pop("id_number", None)
                             or id_number(), **values)


def make_activity(org: Org, code: str = "lecture", *, people: list[services.PersonIn] | None = None,
                  headcount: int = 0, actor: Any = None, **values: Any) -> Activity:
    """An activity of ``org``: with a roster when ``people`` is given, else from a paper sign-in of ``headcount``."""
    values.setdefault("title", f"测试活动{next(_counter)}")
    values.setdefault("start_on", dt.date(2025, 5, 12))
    if people is None:
        values.update(headcount_only=True, headcount=headcount or 30)
    activity = services.create_activity(actor, org, type=national(code), **values)
    if people:
        services.add_participants(actor, activity, people)
    return activity
