"""The demo federation's activity, facility and organising records: believable, and figures that recount.

建会率 is recounted here independently from the raw employer and union rows (plain Python over
``values_list``), and must equal the selector, the registry figure and the API for every district.
"""

import datetime as dt
import io
from collections.abc import Callable
from contextlib import redirect_stdout
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from gonghui.activities.models import Activity, ActivityParticipant, MaterialDistribution, PublicityItem
from gonghui.cli import main
from gonghui.core.models import User
from gonghui.core.scope import OPERATOR
from gonghui.core.services import create_token
from gonghui.facilities.models import Facility, FacilityRecognition
from gonghui.organising import selectors as organising
from gonghui.organising.models import Assessment, CampaignTarget, StarRating
from gonghui.orgs.models import Employer, Org
from gonghui.reports import dashboard, registry
from gonghui.reports.windows import Window

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demo build for the module, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        with redirect_stdout(io.StringIO()):
            assert main(["demo", "--members", "400", "--seed", "11"]) == 0
        yield
        transaction.set_rollback(True)


def recount(area: Org, day: dt.date, *, above_scale: bool = False) -> tuple[int, int]:
    """(employers of the area in business on ``day``, those covered by a union active that day), from raw rows."""
    paths = dict(Org.objects.values_list("pk", "path"))
    active = {pk for pk, founded, dissolved in Org.objects.values_list("pk", "founded_on", "dissolved_on")
              if founded <= day and (dissolved is None or dissolved > day)}
    unions_of: dict[int, set[int]] = {}
    for org_id, employer_id in Org.covered_entities.through.objects.values_list("org_id", "employer_id"):
        unions_of.setdefault(employer_id, set()).add(org_id)
    employers = covered = 0
    for pk, org_id, established, closed, big in Employer.objects.values_list(
            "pk", "org_id", "established_on", "closed_on", "above_scale"):
        in_area = paths[org_id].startswith(area.path) or any(
            paths[u].startswith(area.path) for u in unions_of.get(pk, ()))
        in_business = (established is None or established <= day) and (closed is None or closed > day)
        if not (in_area and in_business) or (above_scale and not big):
            continue
        employers += 1
        covered += bool(unions_of.get(pk, set()) & active)
    return employers, covered


def pct(num: int, den: int) -> Decimal:
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_establishment_rates_recount_independently(demo) -> None:
    root = Org.objects.get(code="GZ")
    today = dt.date.today()
    headers = {"Authorization": f"Bearer {create_token(None, User.objects.get(username='city_admin'))[1]}"}
    for area in [root, *Org.objects.filter(depth=2, kind="federation")]:
        for year_end in (dt.date(today.year - 1, 12, 31), today):
            employers, covered = recount(area, year_end)
            cov = organising.coverage(OPERATOR, area, year_end)
            assert (cov.employers, cov.covered) == (employers, covered), area.code
            assert cov.rate == pct(covered, employers)
            big_employers, big_covered = recount(area, year_end, above_scale=True)
            window = Window(dt.date(year_end.year, 1, 1), year_end)
            figure = registry.evaluate(OPERATOR, "orgs.establishment_rate.above_scale", area, window)
            assert figure.value == pct(big_covered, big_employers), area.code
            assert figure.record_count == big_employers
        body = Client().get(f"/api/v1/coverage?org={area.code}", headers=headers).json()
        assert (body["employers"], body["covered"]) == recount(area, today)
    assert 0 < recount(root, today)[1] < recount(root, today)[0]  # neither empty nor complete


def recount_membership(area: Org, day: dt.date) -> tuple[int, int]:
    """(members active on ``day`` in the subtree, workforce covered by its active grassroots unions), from raw rows."""
    from gonghui.members.models import Member, MembershipChange

    paths = dict(Org.objects.values_list("pk", "path"))
    latest: dict[int, tuple[dt.date, int, str]] = {}
    for member_id, changed_on, pk, change_type in MembershipChange.objects.values_list(
            "member_id", "changed_on", "pk", "change_type"):
        if changed_on <= day and (member_id not in latest or (changed_on, pk) > latest[member_id][:2]):
            latest[member_id] = (changed_on, pk, change_type)
    people = {person for pk, org_id, person, joined in Member.objects.values_list("pk", "org_id", "person_id",
                                                                                  "joined_on")
              if paths[org_id].startswith(area.path) and joined <= day
              and latest.get(pk, (None, None, ""))[2] in ("join", "transfer_in", "restore")}
    workforce = sum(workers for path, kind, founded, dissolved, workers in Org.objects.values_list(
        "path", "kind", "founded_on", "dissolved_on", "covered_workers")
        if path.startswith(area.path) and kind == "grassroots" and founded <= day
        and (dissolved is None or dissolved > day))
    return len(people), workforce


def test_membership_rates_recount_independently(demo) -> None:
    today = dt.date.today()
    headers = {"Authorization": f"Bearer {create_token(None, User.objects.get(username='city_admin'))[1]}"}
    for area in [Org.objects.get(code="GZ"), *Org.objects.filter(depth=2, kind="federation")]:
        for day in (dt.date(today.year - 1, 12, 31), today):
            members, workforce = recount_membership(area, day)
            rate = organising.membership_rate(OPERATOR, area, day)
            assert rate is not None and (rate.members, rate.workforce) == (members, workforce), area.code
            assert rate.rate == pct(members, workforce)
        body = Client().get(f"/api/v1/coverage?org={area.code}", headers=headers).json()
        assert (body["members"], body["workforce"]) == recount_membership(area, today)
    assert recount_membership(Org.objects.get(code="GZ"), today)[0] > 300


def test_activities_span_the_three_years_with_rosters_and_paper_counts(demo) -> None:
    today = dt.date.today()
    for year in (today.year - 2, today.year - 1, today.year):
        assert Activity.objects.filter(start_on__year=year).count() > 500, year
    assert not Activity.objects.filter(start_on__gt=today).exists()
    assert Activity.objects.filter(headcount_only=True).exists() and Activity.objects.filter(
        headcount_only=False).exists()
    assert Activity.objects.filter(co_organisers__isnull=False).exists()
    assert Activity.objects.filter(campaign="ankang_cup", participating_employers__isnull=False).exists()
    participants = ActivityParticipant.objects
    assert participants.values("person_key").distinct().count() < participants.count()  # people come back
    sample = participants.first()
    assert sample is not None and len(sample.id_number) == 18 and 2 <= len(sample.name) <= 3
    assert MaterialDistribution.objects.exists() and PublicityItem.objects.exclude(adopted_by="").exists()


def test_activity_figures_add_up_for_the_demo(demo) -> None:
    root, year = Org.objects.get(code="GZ"), Window.year(dt.date.today().year - 1)
    audience = registry.evaluate(OPERATOR, "publicity.lectures.audience", root, year).value
    lectures = Activity.objects.filter(type__base_code="lecture", start_on__range=year.range)
    roster = ActivityParticipant.objects.filter(activity__in=lectures, role="participant")
    paper = sum(lectures.filter(headcount_only=True).values_list("headcount", flat=True))
    assert audience == roster.values("person_key").distinct().count() + paper
    copies = registry.evaluate(OPERATOR, "publicity.materials.copies", root, year).value
    assert copies == sum(MaterialDistribution.objects.filter(distributed_on__range=year.range)
                         .values_list("copies", flat=True))


def test_facilities_ratings_and_drives_are_present_and_dated(demo) -> None:
    today = dt.date.today()
    assert Facility.objects.filter(type="home").count() > 100
    assert Facility.objects.filter(type="outdoor_station", closed_on__isnull=False).exists()
    assert FacilityRecognition.objects.filter(level__in=["provincial", "national"]).exists()
    assert not FacilityRecognition.objects.filter(recognised_on__gt=today).exists()
    assert StarRating.objects.filter(awarded_on__year=today.year - 1).exists()
    assert Assessment.objects.values("grade").distinct().count() >= 3
    founded = [t for c in {t.campaign for t in CampaignTarget.objects.select_related("campaign")}
               for t in organising.targets(OPERATOR, c) if t.union_founded_on]
    assert founded, "some targeted employers founded a union after the drive began"


def _exported(client: Client, url: str) -> list[dict[str, Any]]:
    """Download an Excel export as the user would; its rows keyed by the header row (the first row of more
    than one cell: a title may stand alone above it)."""
    from python_calamine import CalamineWorkbook

    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml"), url
    content = b"".join(response.streaming_content) if response.streaming else response.content
    table = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    at = next(i for i, row in enumerate(table) if len(row) > 1 and row[1] not in ("", None))
    headers = table[at]
    return [dict(zip(headers, row, strict=True)) for row in table[at + 1:] if any(cell != "" for cell in row)]


def _day(value: Any) -> dt.date | None:
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _stats(code: str, year: int, keys: list[str]) -> dict[str, Any]:
    """What ``gonghui stats --json`` prints (the CLI door)."""
    import json

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["stats", "--org", code, "--year", str(year), "--keys", ",".join(keys), "--json"]) == 0
    return json.loads(out.getvalue())


def test_union_and_activity_figures_recount_from_the_exported_records(demo) -> None:
    """Export the registers the way an officer does, recount by hand, compare with ``gonghui stats``."""
    client = Client()
    client.force_login(User.objects.get(username="city_admin"))
    today = dt.date.today()
    orgs = _exported(client, "/orgs/GZ/export/")
    activities = _exported(client, "/activities/?org=GZ&export=1")
    assert len(orgs) == Org.objects.count() and len(activities) == Activity.objects.count()
    for year in (today.year - 2, today.year - 1):
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

        def active(row: dict[str, Any], end: dt.date = end) -> bool:
            founded, dissolved = _day(row["成立日期"]), _day(row["撤销日期"])
            return founded is not None and founded <= end and (dissolved is None or dissolved > end)

        grassroots = [r for r in orgs if r["类别"] == "基层工会"]
        in_year = [a for a in activities if start <= _day(a["开始日期"]) <= end]  # type: ignore[operator]

        def of_type(*codes: str, rows: list = in_year) -> list[dict[str, Any]]:
            return [a for a in rows if a["统计类型"] in codes]

        recount = {
            "orgs.grassroots.total": sum(active(r) for r in grassroots),
            "orgs.grassroots.new": sum(start <= _day(r["成立日期"]) <= end for r in grassroots),  # type: ignore[operator]
            "orgs.grassroots.dissolved": sum(start <= (_day(r["撤销日期"]) or dt.date.min) <= end for r in grassroots),
            "orgs.grassroots.total.workers_covered": sum(int(r["涵盖职工人数"] or 0) for r in grassroots if active(r)),
            "orgs.joint.total": sum(active(r) and r["建会方式"] == "联合建会" for r in grassroots),
            "orgs.groups.total": sum(active(r) for r in orgs if r["类别"] == "工会小组"),
            "culture.events": len(of_type("culture", "sports")),
            "culture.sports.matches": sum(int(a["场次"]) for a in of_type("sports")),
            "publicity.lectures.events": sum(int(a["场次"]) for a in of_type("lecture")),
            "skills.training.classes": len(of_type("training")),
            "skills.training.person_times": sum(int(a["人次"]) for a in of_type("training")),
        }
        figures = _stats("GZ", year, list(recount))
        assert figures == recount, year
        assert all(recount[k] for k in ("orgs.grassroots.total", "culture.events", "skills.training.person_times"))


def test_demo_targets_split_down_two_levels_and_cover_their_parents(demo) -> None:
    from gonghui.targets import selectors as targets
    from gonghui.targets.models import AssessmentScheme, Target

    root = Org.objects.get(depth=1)
    this_year = dt.date.today().year
    assert {t.year for t in Target.objects.filter(org=root)} == {this_year - 1, this_year}
    split = list(Target.objects.filter(shares__isnull=False).distinct())
    assert {t.org.depth for t in split} == {1, 2}  # the city splits to districts, districts to streets
    for target in split:
        shares = list(target.shares.all())
        assert sum(s.value for s in shares) >= target.value, target
        assert {s.set_by_id for s in shares} == {target.org_id} and all(s.year == target.year for s in shares)
    # The completion page and the registry's targets.completion_rate agree for every target of last year.
    for target in Target.objects.filter(year=this_year - 1, org__depth__lte=2):
        row = targets.completion(OPERATOR, target)
        figure = registry.evaluate(OPERATOR, "targets.completion_rate", target.org, Window.year(target.year),
                                   filters={"key": target.metric_key})
        assert figure.value == row.rate, target
    scheme = AssessmentScheme.objects.get(org=root, year=this_year - 1)
    results = targets.scheme_results(OPERATOR, scheme)
    assert len(results) == Org.objects.filter(depth=2, dissolved_on__isnull=True).count()
    assert results[0].rank == 1 and {r.grade for r in results} <= {"优秀", "良好", "合格", "不合格"}
    assert all(r.items[-1].note != "尚未评分" for r in results)  # the manual item was scored, with a reason


def distinct(column: str) -> Callable[[list[dict[str, Any]]], int]:
    return lambda rows: len({r[column] for r in rows})


def total(column: str) -> Callable[[list[dict[str, Any]]], int]:
    return lambda rows: int(sum(r[column] or 0 for r in rows))


def rate(rows: list[dict[str, Any]]) -> Decimal | None:
    covered = sum(1 for r in rows if r["已建会"] == "是")
    return (Decimal(covered) * 100 / len(rows)).quantize(Decimal("0.1"), ROUND_HALF_UP) if rows else None


RECOUNT: dict[str, Callable[[list[dict[str, Any]]], Any]] = {
    "members.total": distinct("证件号码"),  # 人: distinct persons (the administrator sees full ID numbers)
    "members.new": distinct("证件号码"),
    "orgs.grassroots.total": distinct("工会代码"),
    "orgs.grassroots.new": distinct("工会代码"),
    "orgs.grassroots.term_overdue": distinct("工会代码"),
    "orgs.establishment_rate.above_scale": rate,
    "facilities.home.total": len,
    "publicity.lectures.events": total("场次"),  # 场 = sessions
    "culture.events": len,  # one activity, one event
    "skills.training.person_times": total("人次"),
}


def test_key_figures_equal_a_recount_of_their_exported_records(demo) -> None:
    """Each dashboard key figure equals a recount of the records exported from its drill-down page."""
    admin = User.objects.get(username="city_admin")
    client = Client()
    client.force_login(admin)
    year = dt.date.today().year - 1
    districts = list(Org.objects.filter(depth=2).order_by("path")[:2])
    checked = 0
    for org in [Org.objects.get(depth=1), *districts]:
        figures = {kf.figure.key: kf.figure for kf in dashboard.key_figures(admin, org, Window.year(year))}

        def drilled(key: str, code: str = org.code) -> list[dict[str, Any]]:
            return _exported(client, f"/figures/{key}/?org={code}&year={year}&export=1")

        for key, recount in RECOUNT.items():
            rows = drilled(key)
            assert recount(rows) == figures[key].value, (org.code, key)
            checked += bool(rows)
        # 入会率 from its two exports: distinct members ÷ workers covered by the grassroots unions.
        members = distinct("证件号码")(drilled("members.total"))
        workers = total("涵盖职工")(drilled("members.workforce.total"))
        expected = (Decimal(members) * 100 / workers).quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert figures["members.membership_rate"].value == expected, org.code
    assert checked >= 20  # the demo has records behind most figures
