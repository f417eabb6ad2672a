"""Demo step 1: a city federation with districts, streets and towns, industry unions,
several hundred grassroots unions over plausible employers, officers with terms,
a few moves and dissolutions, and the three demo logins."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from gonghui.core import audit, demo_data, uscc
from gonghui.core.models import AuditLog
from gonghui.core.services import create_user
from gonghui.demo import DEMO_PASSWORD, DemoContext
from gonghui.orgs import services
from gonghui.orgs.models import (
    Committee,
    CommitteeKind,
    Employer,
    Officer,
    OfficerRole,
    Org,
    OrgKind,
    OrgLevel,
    OrgMode,
)

# (code, district name, region code, [(code, street/town name, level)])
DISTRICTS = [
    ("TH", "天河区", "440106", [("LD", "猎德街道", "subdistrict"), ("SP", "石牌街道", "subdistrict"),
                                ("LH", "林和街道", "subdistrict"), ("WS", "五山街道", "subdistrict"),
                                ("YC", "员村街道", "subdistrict"), ("CB", "车陂街道", "subdistrict")]),
    ("YX", "越秀区", "440104", [("BJ", "北京街道", "subdistrict"), ("NL", "农林街道", "subdistrict"),
                                ("DS", "东山街道", "subdistrict"), ("DT", "大塘街道", "subdistrict")]),
    ("HZ", "海珠区", "440105", [("CG", "赤岗街道", "subdistrict"), ("PZ", "琶洲街道", "subdistrict"),
                                ("JH", "江海街道", "subdistrict"), ("RB", "瑞宝街道", "subdistrict")]),
    ("BY", "白云区", "440111", [("SYL", "三元里街道", "subdistrict"), ("JX", "京溪街道", "subdistrict"),
                                ("THZ", "太和镇", "town"), ("RH", "人和镇", "town")]),
    ("PY", "番禺区", "440113", [("SQ", "市桥街道", "subdistrict"), ("DSH", "大石街道", "subdistrict"),
                                ("NC", "南村镇", "town"), ("SL", "石楼镇", "town")]),
    ("HP", "黄埔区", "440112", [("LG", "萝岗街道", "subdistrict"), ("HPJ", "黄埔街道", "subdistrict"),
                                ("JL", "九龙镇", "town"), ("XL", "新龙镇", "town")]),
]
DISTRICT_BUREAUS = ["人力资源和社会保障局", "教育局", "卫生健康局", "住房和城乡建设局", "市场监督管理局",
                    "应急管理局", "文化广电旅游体育局", "城市管理和综合执法局"]
INDUSTRY_UNIONS = [("JKWW", "广州市教科文卫工会"), ("JTYS", "广州市交通运输工会")]
INDUSTRY_MEMBERS = {
    "JKWW": [("P", "public_institution", "广州市第{n}中学"), ("Q", "public_institution", "广州市第{n}人民医院"),
             ("M", "public_institution", "广州市{w}科学研究所")],
    "JTYS": [("G", "state_owned", "广州{w}公共交通集团第{n}分公司"), ("G", "non_public", "广州{w}出租汽车有限公司"),
             ("G", "state_owned", "广州地铁{w}运营分公司")],
}
JOINT_KINDS = [("building", "楼宇"), ("business_district", "商圈"), ("market", "市场"), ("community", "社区")]
INDUSTRY_WEIGHTS = {"C": 20, "G": 12, "F": 12, "H": 10, "I": 10, "E": 8, "K": 8, "L": 8, "M": 4, "O": 4, "R": 2}


def _employer(ctx: DemoContext, rng: random.Random, area: Org, region: str, district: str, *,
              industry: str | None = None, ownership: str | None = None, name: str | None = None,
              small: bool = False) -> Employer:
    industry = industry or rng.choices(list(INDUSTRY_WEIGHTS), weights=list(INDUSTRY_WEIGHTS.values()))[0]
    ownership = ownership or rng.choices(["non_public", "state_owned", "collective"], weights=[85, 10, 5])[0]
    headcount = rng.randint(5, 24) if small else int(rng.lognormvariate(4.0, 1.0)) + 8
    female = int(headcount * rng.uniform(0.2, 0.65))
    for _attempt in range(5):
        candidate = name or demo_data.company_name(rng, industry)
        if not Employer.objects.filter(name=candidate).exists():
            break
        name = None
    employer = services.create_employer(
        None, area, name=candidate, uscc=uscc.generate(rng, region, "91" if ownership not in (
            "government", "public_institution") else "12"),
        industry=industry, ownership=ownership, headcount=headcount, female_headcount=female,
        is_small_micro=headcount < 100 and ownership == "non_public",
        above_scale=headcount >= 300 or (industry == "C" and headcount >= 150),
        new_sector=industry in ("I", "G", "L") and rng.random() < 0.4,
        trades=(["快递业"] if "快递" in candidate else ["保安业"] if "保安" in candidate else []),
        region_code=region, address=demo_data.address(rng, district),
        contact_name=demo_data.person_name(rng, rng.choice(["male", "female"])),
        established_on=dt.date(rng.randint(1985, 2022), rng.randint(1, 12), rng.randint(1, 28)),
    )
    ctx.employers.append(employer)
    return employer


def _founded(ctx: DemoContext, rng: random.Random, *, recent_share: float = 0.18) -> dt.date:
    """Most unions are old; a share were founded in the three demo years (for 新建 figures)."""
    if rng.random() < recent_share:
        year = rng.choice(ctx.years)
        end = ctx.today if year == ctx.today.year else dt.date(year, 12, 31)
        return ctx.random_date(rng, dt.date(year, 1, 1), end)
    return ctx.random_date(rng, dt.date(2003, 1, 1), dt.date(ctx.years[0] - 1, 12, 31))


def _reelected(ctx: DemoContext, rng: random.Random, founded: dt.date, term: int) -> dt.date | None:
    """Latest election; about one union in eight missed its last one (换届逾期)."""
    last = None
    year = founded.year + term
    while year <= ctx.today.year:
        if ctx.today.year - 3 <= year < ctx.today.year and rng.random() < 0.25:
            break  # missed the election that fell due recently
        held = dt.date(year, founded.month, min(founded.day, 28)) + dt.timedelta(days=rng.randint(-40, 60))
        if held > ctx.today:
            break
        last = held
        year = held.year + term
    return last


def _grassroots(ctx: DemoContext, rng: random.Random, parent: Org, code: str, employer: Employer,
                region: str, *, name_suffix: str = "工会委员会") -> Org:
    founded = _founded(ctx, rng)
    founded = max(founded, employer.established_on or founded)
    term = rng.choice([3, 5, 5])
    org = services.create_org(
        None, parent, code=code, name=f"{employer.name}{name_suffix}", kind=OrgKind.GRASSROOTS,
        mode=OrgMode.SINGLE, founded_on=founded, reelected_on=_reelected(ctx, rng, founded, term),
        term_years=term, covered_workers=employer.headcount, region_code=region,
        address=employer.address, realname_complete=rng.random() < 0.8,
        has_own_account=rng.random() < 0.7, central_accounting=rng.random() < 0.4,
        covered_entities=[employer],
    )
    ctx.orgs[code] = org
    return org


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("orgs")
    root = services.create_org(
        None, None, code="GZ", name="广州市总工会", kind=OrgKind.FEDERATION, level=OrgLevel.CITY,
        founded_on=dt.date(1950, 5, 1), reelected_on=dt.date(ctx.today.year - 3, 4, 20), term_years=5,
        region_code="440100", address="广州市越秀区越秀中路", realname_complete=True, has_own_account=True,
    )
    ctx.orgs["GZ"] = root

    for dcode, dname, region, streets in DISTRICTS:
        district = services.create_org(
            None, root, code=f"GZ.{dcode}", name=f"广州市{dname}总工会", kind=OrgKind.FEDERATION,
            level=OrgLevel.DISTRICT, founded_on=dt.date(rng.randint(1952, 1988), 5, 1),
            reelected_on=dt.date(ctx.today.year - rng.randint(1, 4), rng.randint(3, 11), rng.randint(1, 28)),
            region_code=region, has_own_account=True,
        )
        ctx.orgs[district.code] = district
        # Organ unions of the district government (机关工会).
        for i, bureau in enumerate(rng.sample(DISTRICT_BUREAUS, 5), start=1):
            employer = _employer(ctx, rng, district, region, dname, industry="S", ownership="government",
                                 name=f"广州市{dname}{bureau}")
            employer.headcount = rng.randint(40, 180)
            employer.female_headcount = int(employer.headcount * rng.uniform(0.35, 0.6))
            employer.save(update_fields=["headcount", "female_headcount"])
            _grassroots(ctx, rng, district, f"GZ.{dcode}.{i:04d}", employer, region, name_suffix="机关工会")
        for scode, sname, level in streets:
            street = services.create_org(
                None, district, code=f"GZ.{dcode}.{scode}", name=f"{dname}{sname}总工会",
                kind=OrgKind.FEDERATION, level=level,
                founded_on=dt.date(rng.randint(1985, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                reelected_on=dt.date(ctx.today.year - rng.randint(0, 4), rng.randint(1, 12), rng.randint(1, 28)),
                region_code=region, has_own_account=True,
            )
            ctx.orgs[street.code] = street
            n = 1
            for _ in range(rng.randint(11, 17)):
                employer = _employer(ctx, rng, street, region, dname)
                org = _grassroots(ctx, rng, street, f"{street.code}.{n:04d}", employer, region)
                n += 1
                if employer.headcount >= 300:
                    _branches(ctx, rng, org)
            # A joint union (楼宇/商圈/市场/社区) over several small employers.
            jtype, jlabel = rng.choice(JOINT_KINDS)
            small = [_employer(ctx, rng, street, region, dname, small=True) for _ in range(rng.randint(5, 12))]
            place = f"{rng.choice(demo_data.NAME_WORDS)}{'广场' if jtype == 'building' else ''}"
            founded = _founded(ctx, rng, recent_share=0.3)
            joint = services.create_org(
                None, street, code=f"{street.code}.{n:04d}", name=f"{sname}{place}{jlabel}联合工会委员会",
                kind=OrgKind.GRASSROOTS, mode=OrgMode.JOINT, joint_type=jtype, founded_on=founded,
                reelected_on=_reelected(ctx, rng, founded, 3), term_years=3,
                covered_workers=sum(e.headcount for e in small), region_code=region,
                realname_complete=rng.random() < 0.6, covered_entities=small,
            )
            ctx.orgs[joint.code] = joint
            # Employers of the area with no union yet (for 建会率 and 组建 campaigns).
            for _ in range(rng.randint(3, 7)):
                _employer(ctx, rng, street, region, dname, small=rng.random() < 0.5)

    for icode, iname in INDUSTRY_UNIONS:
        industry_org = services.create_org(
            None, root, code=f"GZ.{icode}", name=iname, kind=OrgKind.INDUSTRY,
            founded_on=dt.date(rng.randint(1953, 1985), 5, 1),
            reelected_on=dt.date(ctx.today.year - 2, 6, 18), region_code="440100", has_own_account=True,
        )
        ctx.orgs[industry_org.code] = industry_org
        for n in range(1, rng.randint(12, 18)):
            ind, own, pattern = rng.choice(INDUSTRY_MEMBERS[icode])
            name = pattern.format(n=n + rng.randint(1, 60), w=rng.choice(demo_data.NAME_WORDS))
            employer = _employer(ctx, rng, industry_org, "440100", "越秀区", industry=ind, ownership=own, name=name)
            _grassroots(ctx, rng, industry_org, f"{industry_org.code}.{n:04d}", employer, "440100")

    _history(ctx, rng)
    _officers(ctx, rng)
    _logins(ctx)
    ctx.counts["orgs"] = Org.objects.count()
    ctx.counts["employers"] = Employer.objects.count()


def _branches(ctx: DemoContext, rng: random.Random, org: Org) -> None:
    """Large unions have branch unions (分工会) and groups (工会小组)."""
    for b in range(1, rng.randint(2, 4)):
        branch = services.create_org(
            None, org, code=f"{org.code}.B{b}", name=f"{org.name.removesuffix('工会委员会')}第{b}分工会",
            kind=OrgKind.BRANCH, founded_on=org.founded_on, reelected_on=org.reelected_on,
            term_years=org.term_years,
        )
        ctx.orgs[branch.code] = branch
        for g in range(1, rng.randint(2, 4)):
            group = services.create_org(None, branch, code=f"{branch.code}.G{g}", name=f"{branch.name}第{g}工会小组",
                                        kind=OrgKind.GROUP, founded_on=org.founded_on, term_years=org.term_years)
            ctx.orgs[group.code] = group


def _history(ctx: DemoContext, rng: random.Random) -> None:
    """A few dated moves between streets and some dissolved unions, as real trees have."""
    last_year = ctx.years[1]
    candidates = [o for code, o in ctx.orgs.items() if o.kind == OrgKind.GRASSROOTS and code.startswith("GZ.TH.")
                  and code.count(".") == 3 and not code.startswith("GZ.TH.LD")]
    targets = [ctx.orgs[c] for c in ("GZ.TH.SP", "GZ.TH.LH", "GZ.TH.WS")]
    for org in rng.sample(candidates, 3):
        new_parent = rng.choice([t for t in targets if not org.code.startswith(t.code)])
        org.refresh_from_db()
        services.move_org(None, org, new_parent, on=dt.date(last_year, rng.randint(2, 11), rng.randint(1, 28)),
                          note="因属地管理调整，划转隶属关系")
    grassroots = [o for o in ctx.orgs.values() if o.kind == OrgKind.GRASSROOTS and o.numchild == 0
                  and o.founded_on.year < ctx.years[0]]
    for org in rng.sample(grassroots, 6):
        org.refresh_from_db()
        year = rng.choice(ctx.years[:2])
        services.dissolve_org(None, org, on=dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                              reason=rng.choice(["企业注销", "企业迁出本区", "与其他单位合并"]))


def _officers(ctx: DemoContext, rng: random.Random) -> None:
    """Committees and officers with dated terms, written in bulk (one audit row)."""
    committees, officers = [], []
    orgs = list(Org.objects.filter(kind__in=[OrgKind.FEDERATION, OrgKind.INDUSTRY, OrgKind.GRASSROOTS]))
    for org in orgs:
        start = org.reelected_on or org.founded_on
        kinds = [CommitteeKind.UNION, CommitteeKind.AUDIT]
        if rng.random() < 0.7 or org.kind != OrgKind.GRASSROOTS:
            kinds.append(CommitteeKind.WOMEN)
        if org.kind == OrgKind.GRASSROOTS and rng.random() < 0.35:
            kinds.append(rng.choice([CommitteeKind.SAFETY, CommitteeKind.MEDIATION, CommitteeKind.LEGAL_SUPERVISION]))
        for kind in kinds:
            committees.append(Committee(org=org, kind=kind, elected_on=start, term_ends_on=org.term_ends_on))
    Committee.objects.bulk_create(committees)
    by_org: dict[int, dict[str, Committee]] = {}
    for c in Committee.objects.all():
        by_org.setdefault(c.org_id, {})[c.kind] = c

    def officer(org: Org, role: str, committee: Committee | None, *, female: float = 0.45, **kw: Any) -> None:
        gender = "female" if rng.random() < female else "male"
        start = kw.pop("started_on", None) or org.reelected_on or org.founded_on
        officers.append(Officer(org=org, committee=committee, role=role, gender=gender,
                                name=demo_data.person_name(rng, gender),
                                mobile=demo_data.mobile(rng), started_on=start, **kw))

    for org in orgs:
        cs = by_org.get(org.pk, {})
        union = cs.get(CommitteeKind.UNION)
        federation = org.kind != OrgKind.GRASSROOTS
        if org.founded_on > ctx.today - dt.timedelta(days=30) and rng.random() < 0.5:
            officer(org, OfficerRole.ORGANISER, None)  # newly founded: an organiser until the first election
            continue
        officer(org, OfficerRole.CHAIR, union, female=0.35, full_time=federation or rng.random() < 0.15)
        for _ in range(rng.randint(1, 3 if federation else 2)):
            officer(org, OfficerRole.VICE_CHAIR, union, full_time=federation)
        for _ in range(rng.randint(3, 7)):
            officer(org, OfficerRole.COMMITTEE_MEMBER, union)
        if rng.random() < 0.15:  # a by-election during the term (增补委员)
            start = (org.reelected_on or org.founded_on) + dt.timedelta(days=rng.randint(200, 700))
            if start < ctx.today:
                officer(org, OfficerRole.COMMITTEE_MEMBER, union, by_election=True, started_on=start)
        for kind in (CommitteeKind.AUDIT, CommitteeKind.WOMEN):
            if kind in cs:
                for _ in range(rng.randint(1, 3)):
                    officer(org, OfficerRole.COMMITTEE_MEMBER, cs[kind], female=0.95 if kind == "women" else 0.5)
        if federation:
            for _ in range(rng.randint(2, 6)):
                officer(org, OfficerRole.STAFF, None, full_time=True, is_social_worker=rng.random() < 0.5)
        elif CommitteeKind.SAFETY in cs:
            officer(org, OfficerRole.SAFETY_INSPECTOR, cs[CommitteeKind.SAFETY])
        # The previous chair, whose term ended at the last election.
        if org.reelected_on:
            gender = rng.choice(["male", "female"])
            officers.append(Officer(org=org, committee=None, role=OfficerRole.CHAIR, gender=gender,
                                    name=demo_data.person_name(rng, gender), mobile=demo_data.mobile(rng),
                                    started_on=org.founded_on, ended_on=org.reelected_on))
    Officer.objects.bulk_create(officers, batch_size=2000)
    audit.record(None, AuditLog.Action.CREATE, ctx.orgs["GZ"], object_type="orgs.Officer",
                 object_repr="演示数据", note=f"演示数据：新增委员会 {len(committees)} 个、工会干部 {len(officers)} 名")
    ctx.counts["officers"] = len(officers)


def _logins(ctx: DemoContext) -> None:
    grassroots = Org.objects.filter(code__startswith="GZ.TH.LD.", kind=OrgKind.GRASSROOTS,
                                    mode=OrgMode.SINGLE, dissolved_on__isnull=True).order_by("path").first()
    assert grassroots is not None
    logins = [
        ("city_admin", "市总工会管理员", ctx.orgs["GZ"], "federation_admin"),
        ("town_officer", "猎德街道总工会干部", ctx.orgs["GZ.TH.LD"], "officer"),
        ("grassroots_officer", "基层工会干部", grassroots, "officer"),
    ]
    for username, full_name, org, role in logins:
        create_user(None, username, org=org, role_code=role, password=DEMO_PASSWORD, full_name=full_name)
        ctx.logins.append({"username": username, "password": DEMO_PASSWORD, "org": org.code, "role": role,
                           "org_name": org.name})

