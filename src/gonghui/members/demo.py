"""Demo step: believable members spread over the grassroots unions and their employers.

Valid synthetic ID numbers (correct check digits, never real people), Chinese
names and phones, a share of migrant workers, 八大群体 among couriers, riders,
drivers, guards, carers and the like; joins over the two previous calendar years
and the current year to date on top of an older base, and some transfers,
retentions, restorations and withdrawals through the real services.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from gonghui.core import audit, demo_data
from gonghui.core.models import AuditLog
from gonghui.demo import DemoContext
from gonghui.members import services, tally
from gonghui.members.importers import id_bidx, mobile_bidx
from gonghui.members.models import ChangeType, Member, MembershipChange, MemberStatus, NewGroup, Person
from gonghui.orgs.models import Employer, Org, OrgKind

# Words in an employer's name that say which new-employment group its workers belong to.
NEW_GROUP_WORDS = [
    ("快递", NewGroup.COURIER), ("物流", NewGroup.TRUCK_DRIVER), ("运输", NewGroup.TRUCK_DRIVER),
    ("冷链", NewGroup.TRUCK_DRIVER), ("供应链", NewGroup.TRUCK_DRIVER), ("出租汽车", NewGroup.RIDE_HAILING_DRIVER),
    ("餐饮", NewGroup.FOOD_DELIVERY_RIDER), ("饮食", NewGroup.FOOD_DELIVERY_RIDER),
    ("保安", NewGroup.SECURITY_GUARD), ("家政", NewGroup.DOMESTIC_WORKER), ("护理", NewGroup.CAREGIVER),
    ("养老", NewGroup.CAREGIVER), ("房地产经纪", NewGroup.ESTATE_AGENT), ("百货", NewGroup.MALL_INFO_CLERK),
    ("超市", NewGroup.MALL_INFO_CLERK),
]
EDUCATION = [("postgraduate", 3), ("bachelor", 22), ("college", 25), ("secondary_vocational", 12),
             ("technical_school", 6), ("high_school", 17), ("junior_high", 13), ("primary_or_below", 2)]
SKILL = [("senior_technician", 1), ("technician", 3), ("senior", 9), ("intermediate", 18), ("junior", 19),
         ("none", 50)]
POLITICAL = [("cpc_member", 9), ("cpc_probationary", 1), ("cyl_member", 18), ("democratic_party", 1),
             ("non_party", 1), ("masses", 70)]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _new_group(employer: Employer) -> str:
    for word, group in NEW_GROUP_WORDS:
        if word in employer.name:
            return group
    return ""


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("members")
    today = ctx.today
    unions = list(Org.objects.filter(kind=OrgKind.GRASSROOTS, dissolved_on__isnull=True)
                  .prefetch_related("covered_entities").order_by("path"))
    if not unions or ctx.members <= 0:
        ctx.counts["members"] = 0
        return
    weights = [max(u.covered_workers, 5) for u in unions]
    start_of_years = dt.date(ctx.years[0], 1, 1)
    now = timezone.now()
    people: list[Person] = []
    members: list[Member] = []
    seen: set[str] = set()
    for _ in range(ctx.members):
        union = rng.choices(unions, weights=weights)[0]
        employers = list(union.covered_entities.all())
        employer = rng.choice(employers) if employers else None
        group = _new_group(employer) if employer else ""
        migrant_share = 0.55 if employer and employer.industry in ("C", "E", "G", "H") else 0.2
        migrant = rng.random() < migrant_share
        gender = "female" if rng.random() < (0.3 if group in ("truck_driver", "courier") else 0.47) else "male"
        # Two in five joined during the three demo years, the rest earlier.
        if rng.random() < 0.42:
            joined = ctx.random_date(rng, max(start_of_years, union.founded_on), today)
        else:
            joined = ctx.random_date(rng, union.founded_on, max(union.founded_on, start_of_years -
                                                                 dt.timedelta(days=1)))
        # 18 to 55 at joining, and at most 70 today (older members have long left the rolls).
        birth = joined - dt.timedelta(days=rng.randint(18 * 366, 55 * 365))
        birth = max(birth, today - dt.timedelta(days=70 * 365))
        number = demo_data.id_number(rng, birth, gender, migrant)
        bidx = id_bidx(number)
        if bidx in seen:
            continue
        seen.add(bidx)
        phone = demo_data.mobile(rng)
        people.append(Person(
            id_type="resident_id", id_number=number, id_number_bidx=bidx, name=demo_data.person_name(rng, gender),
            gender=gender, birth_date=birth, ethnicity=demo_data.ethnicity(rng),
            employment_status="new_form" if group and rng.random() < 0.7 else "employed",
            education=_pick(rng, EDUCATION), skill_level=_pick(rng, SKILL), mobile=phone,
            mobile_bidx=mobile_bidx(phone),
            household_type="agricultural" if migrant else rng.choice(["non_agricultural", "resident"]),
            household_place=("外省市" if migrant else "广东省广州市"), political_status=_pick(rng, POLITICAL),
            native_place="广东广州" if not migrant else rng.choice(["广西", "湖南", "江西", "四川", "贵州", "河南"]),
        ))
        paid = today.replace(day=1) - dt.timedelta(days=1)
        if rng.random() < 0.04:  # a few have stopped paying dues long ago
            paid = joined + dt.timedelta(days=rng.randint(30, 120))
        members.append(Member(
            org=union, employer=employer, employer_name=employer.name if employer else "", joined_on=joined,
            status=MemberStatus.ACTIVE, is_migrant=migrant, new_group=group if rng.random() < 0.6 else "",
            realname_entered_on=joined if rng.random() < 0.88 else None,
            dues_base=None, dues_paid_until=min(paid, today),
        ))
    Person.objects.bulk_create(people, batch_size=1000)
    for person, member in zip(people, members, strict=True):
        member.person = person
    Member.objects.bulk_create(members, batch_size=1000)
    MembershipChange.objects.bulk_create(
        [MembershipChange(member=m, org=m.org, change_type=ChangeType.JOIN, changed_on=m.joined_on,
                          reason="本人申请，经工会小组讨论通过" if rng.random() < 0.3 else "")
         for m in members], batch_size=1000)
    audit.record(None, AuditLog.Action.IMPORT, ctx.orgs["GZ"], object_type="members.Member",
                 object_repr="演示数据", note=f"演示数据：新增会员 {len(members)} 人")
    _history(ctx, rng, members, unions)
    # Records nobody touched since they were made look as old as their last event.
    cutoff = today - dt.timedelta(days=200)
    Member.objects.filter(status=MemberStatus.ACTIVE, dues_paid_until__lt=cutoff).update(
        updated_at=now - dt.timedelta(days=240))
    ctx.counts["members"] = Member.objects.exclude(status=MemberStatus.LEFT).count()
    tally.rebuild()  # from here on the member services keep it in step (dashboard figures)


def _history(ctx: DemoContext, rng: random.Random, members: list[Member], unions: list[Org]) -> None:
    """Retentions, restorations, withdrawals and transfers within the demo years."""
    today = ctx.today
    start = dt.date(ctx.years[0], 1, 1)
    for member in rng.sample(members, k=max(1, len(members) // 25)):
        first = max(member.joined_on + dt.timedelta(days=30), start)
        if first >= today:
            continue
        on = ctx.random_date(rng, first, today)
        roll = rng.random()
        if roll < 0.35:
            services.change_membership(None, member, ChangeType.RETAIN, on=on,
                                       reason=rng.choice(["退休", "失业", "离岗待岗", "长期病休"]))
            if rng.random() < 0.3 and on + dt.timedelta(days=60) < today:
                services.change_membership(None, member, ChangeType.RESTORE,
                                           on=ctx.random_date(rng, on + dt.timedelta(days=30), today),
                                           reason="重新就业")
        elif roll < 0.65:
            services.change_membership(None, member, ChangeType.LEAVE, on=on,
                                       reason=rng.choice(["本人申请退会", "离职后未转接会籍", "出国定居"]))
        elif roll < 0.7:
            services.change_membership(None, member, ChangeType.EXPEL, on=on, reason="严重违法，依会章除名")
        else:
            target = rng.choice(unions)
            if target.pk == member.org_id:
                continue
            employer = next(iter(target.covered_entities.all()), None)
            transfer = services.request_transfer(None, member, target, on=on, reason="工作调动",
                                                 new_employer_name=employer.name if employer else "")
            if rng.random() < 0.85:
                services.accept_transfer(None, transfer, note="同意接收")
    ctx.counts["member_events"] = MembershipChange.objects.count()


