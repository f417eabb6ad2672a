"""Targets: setting, splitting (shares must cover the target), completion from records, ranking,
assessment scoring, the API, and the summary's {完成:KEY} wording from a stored target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client

from gonghui.core.models import AuditLog
from gonghui.core.scope import OPERATOR
from gonghui.core.services import create_token
from gonghui.reports import registry
from gonghui.reports.summary.compose import LiveSource, TemplateSpec, compose
from gonghui.reports.summary.templating import section_from_data
from gonghui.reports.windows import Window
from gonghui.targets import selectors, services
from gonghui.targets.completion import CompletionStatus
from gonghui.targets.models import AssessmentScore, ItemKind, Target
from gonghui.testing import make_grassroots

pytestmark = pytest.mark.django_db
NEW = "orgs.grassroots.new"
D = dt.date


def _founded(world: Any) -> None:
    """2025: three unions founded in branch A, one in branch B (and one in 2024 that must not count)."""
    for n, day in enumerate([D(2025, 1, 1), D(2025, 6, 30), D(2025, 12, 31)], start=3):
        make_grassroots(world.street_a, f"GZ.A.S1.{n:04d}", founded_on=day)
    make_grassroots(world.street_b, "GZ.B.S1.0002", founded_on=D(2025, 5, 4))
    make_grassroots(world.street_b, "GZ.B.S1.0003", founded_on=D(2024, 12, 31))


def _city_target(world: Any, value: int = 4) -> Target:
    return services.set_target(world.city_admin, world.root, world.root, year=2025, metric_key=NEW, value=value)


# -- services ------------------------------------------------------------------------------------


def test_split_must_cover_the_target_and_says_what_is_missing(world: Any) -> None:
    city = _city_target(world, 10)
    with pytest.raises(ValidationError) as err:
        services.split_target(world.city_admin, city, {world.district_a: 4, world.district_b: "5"})
    assert "合计9家，少于测试市总工会的目标10家，还差1家" in err.value.messages[0]
    assert not Target.objects.filter(parent=city).exists()  # nothing written
    shares = services.split_target(world.city_admin, city, {world.district_a: 6, world.district_b: 5})
    assert sorted((t.org.code, t.value, t.set_by.code) for t in shares) == [
        ("GZ.A", Decimal("6.00"), "GZ"), ("GZ.B", Decimal("5.00"), "GZ")]
    # Re-splitting updates the shares; a blank share removes it (the rest still has to cover the target).
    with pytest.raises(ValidationError, match="还差4家"):
        services.split_target(world.city_admin, city, {world.district_a: 6, world.district_b: ""})
    # A child left out of the mapping keeps its share, and it counts.
    services.split_target(world.city_admin, city, {world.district_a: 5})
    assert sorted(t.value for t in city.shares.all()) == [5, 5]
    with pytest.raises(ValidationError, match="还差1家"):
        services.split_target(world.city_admin, city, {world.district_a: 4})
    services.split_target(world.city_admin, city, {world.district_a: 10, world.district_b: None})
    assert [(t.org.code, t.value) for t in city.shares.all()] == [("GZ.A", Decimal("10.00"))]


def test_split_only_to_direct_children_and_only_by_the_union_carrying_the_target(world: Any) -> None:
    city = _city_target(world)
    with pytest.raises(ValidationError, match="不是测试市总工会的直属下级工会"):
        services.split_target(world.city_admin, city, {world.street_a: 4})
    with pytest.raises(Http404):
        services.split_target(world.town_officer, city, {world.district_a: 4})
    with pytest.raises(ValidationError, match="不是数字"):
        services.split_target(world.city_admin, city, {world.district_a: "四"})


def test_shares_and_targets_keep_covering_after_edits_and_deletes(world: Any) -> None:
    city = _city_target(world, 4)
    a, b = services.split_target(world.city_admin, city, {world.district_a: 2, world.district_b: 2})
    with pytest.raises(ValidationError, match="还差1家"):
        services.update_target(world.city_admin, a, value=1)
    with pytest.raises(ValidationError, match="已分解到下级工会"):
        services.update_target(world.city_admin, city, value=5)
    with pytest.raises(ValidationError, match="请先在分解页面清空分解"):
        services.delete_target(world.city_admin, city)
    with pytest.raises(ValidationError, match="还差2家"):
        services.delete_target(world.city_admin, b)
    services.update_target(world.city_admin, a, value=3)
    services.update_target(world.city_admin, city, value=5)
    # The district may split its own share further, but never change it: the city set it.
    district_officer = _officer(world, world.district_a)
    with pytest.raises(PermissionDenied, match="由测试市总工会下达"):
        services.update_target(district_officer, a, value=9)
    services.split_target(district_officer, a, {world.street_a: 3})
    assert Target.objects.get(org=world.street_a).set_by == world.district_a


def test_one_target_per_union_key_and_year_and_only_for_own_or_children(world: Any) -> None:
    _city_target(world)
    with pytest.raises(ValidationError, match="已有“新建基层工会”目标"):
        services.set_target(world.city_admin, world.root, world.root, year=2025, metric_key=NEW, value=9)
    with pytest.raises(ValidationError, match="不是其直属下级"):
        services.set_target(world.city_admin, world.root, world.street_a, year=2025, metric_key=NEW, value=1)
    with pytest.raises(ValidationError, match="比率指标不能分解"):
        services.set_target(world.city_admin, world.root, world.root, year=2025, metric_key="members.membership_rate",
                            value=90)
    with pytest.raises(Http404):
        services.set_target(world.officer_a, world.root, world.district_a, year=2025, metric_key=NEW, value=1)


def test_every_write_is_audited(world: Any) -> None:
    before = AuditLog.objects.count()
    city = _city_target(world)
    a, _b = services.split_target(world.city_admin, city, {world.district_a: 2, world.district_b: 2})
    services.update_target(world.city_admin, a, value=3)
    rows = list(AuditLog.objects.order_by("pk")[before:])
    assert rows[1].after is not None and rows[3].before is not None and rows[3].after is not None
    assert [(r.action, r.object_type, r.username) for r in rows] == [
        ("create", "targets.Target", "city_admin"), ("create", "targets.Target", "city_admin"),
        ("create", "targets.Target", "city_admin"), ("update", "targets.Target", "city_admin")]
    assert rows[1].note == "分解" and Decimal(rows[1].after["value"]) == 2 and rows[1].after["parent"] == city.pk
    assert Decimal(rows[3].before["value"]) == 2 and Decimal(rows[3].after["value"]) == 3
    services.split_target(world.city_admin, city, {world.district_a: 4, world.district_b: None})
    removed = AuditLog.objects.filter(action="delete", object_type="targets.Target").get()
    assert removed.before is not None
    assert removed.note == "分解时移除" and Decimal(removed.before["value"]) == 2


# -- completion -------------------------------------------------------------------------------------


def test_completion_from_records_with_status_and_ranking(world: Any) -> None:
    _founded(world)
    city = _city_target(world, 4)
    services.split_target(world.city_admin, city, {world.district_a: 3, world.district_b: 2})
    services.set_target(world.city_admin, world.root, world.root, year=2025,
                        metric_key="orgs.grassroots.new_or_reelected", value=5)
    table = {e.key: e for e in selectors.completion_table(world.city_admin, world.root, 2025)}
    own = table[NEW].own
    assert own is not None
    assert (own.actual, own.target.value, own.rate, own.status) == (4, 4, Decimal("100.0"),
                                                                    CompletionStatus.COMPLETED)
    assert [(c.org.code, c.actual, c.rate, c.status.label, c.rank) for c in table[NEW].children] == [
        ("GZ.A", 3, Decimal("100.0"), "完成", 1), ("GZ.B", 1, Decimal("50.0"), "未完成", 2)]
    assert table[NEW].children[0].drill_url == "/figures/orgs.grassroots.new/?org=GZ.A&year=2025"
    other = table["orgs.grassroots.new_or_reelected"].own
    assert other is not None and other.status is CompletionStatus.NOT_COMPLETED
    assert selectors.overall([own, other]) is None
    # One more union in branch B: B reaches 100 %, both rank first; the city exceeds its target.
    make_grassroots(world.street_b, "GZ.B.S1.0009", founded_on=D(2025, 8, 8))
    table = {e.key: e for e in selectors.completion_table(world.city_admin, world.root, 2025)}
    own = table[NEW].own
    assert own is not None and own.status.label == "超额完成" and own.rate == Decimal("125.0")
    assert [(c.org.code, c.rank) for c in table[NEW].children] == [("GZ.A", 1), ("GZ.B", 1)]


def test_the_registry_metric_agrees_with_the_completion_page(world: Any) -> None:
    _founded(world)
    city = _city_target(world, 3)
    services.split_target(world.city_admin, city, {world.district_a: 2, world.district_b: 2})
    for user in (world.city_admin, OPERATOR):
        for org in (world.root, world.district_a, world.district_b):
            target = Target.objects.get(org=org)
            page = selectors.completion(user, target)
            figure = registry.evaluate(user, "targets.completion_rate", org, Window.year(2025), filters={"key": NEW})
            assert figure.value == page.rate and figure.record_count == 1
            rows = registry.records(user, "targets.completion_rate", org, Window.year(2025), filters={"key": NEW})
            assert [(r.actual, r.completion) for r in rows] == [(page.actual, page.rate)]
    # Out of scope: the registry refuses as for any figure.
    with pytest.raises(Http404):
        registry.evaluate(world.officer_a, "targets.completion_rate", world.district_b, Window.year(2025),
                          filters={"key": NEW})
    with pytest.raises(registry.BadFilter):
        registry.evaluate(OPERATOR, "targets.completion_rate", world.root, Window.year(2025),
                          filters={"key": "members.membership_rate"})


def test_summary_words_completion_from_a_stored_target(world: Any) -> None:
    _founded(world)
    section = section_from_data({"code": "org", "title": "组织建设",
                                 "sentences": "全年新建基层工会{orgs.grassroots.new}[，{完成:orgs.grassroots.new}]。"})
    spec = TemplateSpec(title="{工会}{年度}年工作总结", opening="", main_heading="主要工作", problems_heading="问题",
                        plans_heading="计划", sections=(section,))

    def text(org: Any) -> str:
        draft = compose(spec, {}, LiveSource(world.city_admin, org), org_name=org.name, org_code=org.code,
                        year=2025, dated=D(2026, 1, 10))
        return draft.sections[0].paras[0].text

    assert text(world.root) == "全年新建基层工会4家。"  # no target: no wording, never "0%"
    city = _city_target(world, 5)
    assert text(world.root) == "全年新建基层工会4家，完成全年任务的80%。"
    services.update_target(world.city_admin, city, value=4)
    assert text(world.root) == "全年新建基层工会4家，完成全年任务。"
    services.split_target(world.city_admin, city, {world.district_a: 2, world.district_b: 2})
    assert text(world.district_a) == "全年新建基层工会3家，超额完成全年任务，完成率150%。"


# -- assessment ---------------------------------------------------------------------------------------


def test_assessment_scores_completion_and_manual_items_with_grades_and_ranking(world: Any) -> None:
    _founded(world)
    city = _city_target(world, 4)
    services.split_target(world.city_admin, city, {world.district_a: 2, world.district_b: 2})
    scheme = services.create_scheme(world.city_admin, world.root, year=2025, name="区总工会目标考核", items=[
        {"name": "新建基层工会", "kind": ItemKind.AUTO, "metric_key": NEW, "weight": 60, "cap": Decimal("1.2")},
        {"name": "日常工作", "kind": ItemKind.MANUAL, "weight": 40},
    ])
    manual = scheme.items.get(kind=ItemKind.MANUAL)
    with pytest.raises(ValidationError, match="不能超过该项分值 40 分"):
        services.score_manual_item(world.city_admin, manual, world.district_a, score=41, reason="超分")
    with pytest.raises(ValidationError, match="评分说明"):
        services.score_manual_item(world.city_admin, manual, world.district_a, score=30, reason=" ")
    with pytest.raises(ValidationError, match="不是测试市总工会的直属下级工会"):
        services.score_manual_item(world.city_admin, manual, world.street_a, score=30, reason="越级")
    with pytest.raises(Http404):
        services.score_manual_item(world.town_officer, manual, world.district_a, score=30, reason="无权")
    services.score_manual_item(world.city_admin, manual, world.district_a, score=30, reason="台账规范")
    services.score_manual_item(world.city_admin, manual, world.district_b, score=38, reason="亮点突出")
    results = selectors.scheme_results(world.city_admin, scheme)
    # A: 3 of 2 = 150 % capped at 120 % → 60 × 1.2 = 72, + 30 = 102 → 优秀. B: 1 of 2 = 50 % → 30 + 38 = 68 → 合格.
    assert [(r.org.code, r.score, r.grade, r.rank) for r in results] == [
        ("GZ.A", Decimal("102.0"), "优秀", 1), ("GZ.B", Decimal("68.0"), "合格", 2)]
    assert results[0].items[0].rate == Decimal("150.0")
    # Rescoring updates the one score row (audited), and the ranking follows.
    services.score_manual_item(world.city_admin, manual, world.district_b, score=20, reason="复核扣分")
    assert AssessmentScore.objects.get(org=world.district_b).score == 20
    assert AuditLog.objects.filter(object_type="targets.AssessmentScore", action="update").count() == 1
    assert selectors.scheme_results(world.city_admin, scheme)[1].grade == "不合格"  # 30 + 20 = 50


def test_auto_score_is_weight_times_capped_completion() -> None:
    assert selectors.auto_score(Decimal(25), Decimal("1.0"), Decimal("125.0")) == Decimal("25.0")
    assert selectors.auto_score(Decimal(25), Decimal("1.2"), Decimal("110.0")) == Decimal("27.5")
    assert selectors.auto_score(Decimal(25), Decimal("1.2"), Decimal("48.0")) == Decimal("12.0")
    assert selectors.auto_score(Decimal(25), Decimal("1.2"), None) == Decimal("0.0")


def test_scheme_needs_items_that_make_sense(world: Any) -> None:
    with pytest.raises(ValidationError, match="至少要有一个考核项目"):
        services.create_scheme(world.city_admin, world.root, year=2025, name="空方案", items=[])
    with pytest.raises(ValidationError, match=r"第1项“建会”：.*须选择目标指标"):
        services.create_scheme(world.city_admin, world.root, year=2025, name="缺指标",
                               items=[{"name": "建会", "kind": ItemKind.AUTO, "weight": 50}])
    with pytest.raises(ValidationError, match="优秀 > 良好 > 合格"):
        services.create_scheme(world.city_admin, world.root, year=2025, name="分数线", good_from=95,
                               items=[{"name": "日常", "kind": ItemKind.MANUAL, "weight": 50}])


# -- pages and API ---------------------------------------------------------------------------------------


def _officer(world: Any, org: Any) -> Any:
    from gonghui.testing import make_user

    return make_user(f"officer_{org.code.replace('.', '_').lower()}", org, "officer")


def test_pages_show_targets_completion_and_export(world: Any) -> None:
    _founded(world)
    city = _city_target(world, 4)
    client = Client()
    client.force_login(world.city_admin)
    response = client.post(f"/targets/{city.pk}/split/", {"share-GZ.A": "1", "share-GZ.B": "1"})
    assert "还差2家" in response.content.decode()
    response = client.post(f"/targets/{city.pk}/split/", {"share-GZ.A": "2", "share-GZ.B": "2"})
    assert response.status_code == 302
    page = client.get("/targets/completion/?year=2025").content.decode()
    assert page.count('data-testid="status">超额完成<') == 1  # A: 3 of 2
    assert page.count('data-testid="status">未完成<') == 1  # B: 1 of 2
    assert page.count('data-testid="status">完成<') == 1  # the city: 4 of 4
    assert 'href="/figures/orgs.grassroots.new/?org=GZ.A&amp;year=2025"' in page
    export = client.get("/targets/completion/?year=2025&export=1")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditLog.objects.filter(action="export", object_type="targets.Target").exists()
    assert client.get("/targets/?year=2025").status_code == 200
    response = client.post("/targets/new/", {"org": "GZ.B", "metric_key": "members.new", "year": "2025",
                                             "value": "50", "set_on": "2025-01-10"})
    assert response.status_code == 302 and Target.objects.filter(org=world.district_b, metric_key="members.new")
    # A grassroots officer sees no targets of the city.
    officer = Client()
    officer.force_login(world.officer_a)
    assert officer.get(f"/targets/{city.pk}/split/").status_code == 404
    assert officer.get("/targets/completion/?org=GZ&year=2025").status_code == 404


def test_api_sets_splits_and_reports_completion(world: Any) -> None:
    _founded(world)
    _token, key = create_token(None, world.city_admin, "test")
    auth = {"Authorization": f"Bearer {key}"}
    client = Client()
    made = client.post("/api/v1/targets", {"org": "GZ", "year": 2025, "metric_key": NEW, "value": 4},
                       content_type="application/json", headers=auth)
    assert made.status_code == 201 and made.json()["set_by"] == "GZ"
    target_id = made.json()["id"]
    short = client.post(f"/api/v1/targets/{target_id}/split", {"shares": {"GZ.A": 1, "GZ.B": 1}},
                        content_type="application/json", headers=auth)
    assert short.status_code == 400 and "还差2家" in str(short.json()["detail"])
    split = client.post(f"/api/v1/targets/{target_id}/split", {"shares": {"GZ.A": 2, "GZ.B": 2}},
                        content_type="application/json", headers=auth)
    assert [(t["org"], t["set_by"], t["parent"]) for t in split.json()] == [("GZ.A", "GZ", target_id),
                                                                           ("GZ.B", "GZ", target_id)]
    rows = client.get("/api/v1/targets/completion?year=2025", headers=auth).json()
    assert [(r["org"], r["level"], r["completion_rate"], r["status"], r["rank"]) for r in rows] == [
        ("GZ", "own", "100.0", "completed", None), ("GZ.A", "child", "150.0", "exceeded", 1),
        ("GZ.B", "child", "50.0", "not_completed", 2)]
    listed = client.get("/api/v1/targets?year=2025&key=orgs.grassroots.new", headers=auth).json()
    assert listed["count"] == 3
    officer_key = create_token(None, world.officer_a, "t")[1]
    response = client.get(f"/api/v1/targets/{target_id}", headers={"Authorization": f"Bearer {officer_key}"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.delete(f"/api/v1/targets/{target_id}", headers=auth).status_code == 400
    scheme = client.post("/api/v1/targets/schemes", {
        "org": "GZ", "year": 2025, "name": "考核", "items": [
            {"name": "建会", "metric_key": NEW, "weight": 70}, {"name": "日常", "kind": "manual", "weight": 30}]},
        content_type="application/json", headers=auth)
    assert scheme.status_code == 201
    manual = scheme.json()["items"][1]["id"]
    scored = client.put(f"/api/v1/targets/schemes/items/{manual}/scores/GZ.B", {"score": 30, "reason": "满分"},
                        content_type="application/json", headers=auth)
    assert scored.status_code == 200
    results = client.get(f"/api/v1/targets/schemes/{scheme.json()['id']}/results", headers=auth).json()
    assert [(r["org"], r["score"], r["grade"], r["rank"]) for r in results] == [
        ("GZ.A", "70.0", "合格", 1), ("GZ.B", "65.0", "合格", 2)]  # 70 × min(150 %, 100 %); 35 + 30


def test_scheme_form_defines_items_and_explains_mistakes(world: Any) -> None:
    client = Client()
    client.force_login(world.city_admin)
    base = {"name": "区总工会目标考核", "year": "2025", "excellent_from": "90", "good_from": "80", "pass_from": "60"}
    for n in range(8):
        base |= {f"item{n}-kind": "auto", f"item{n}-cap": "1.00"}
    wrong = client.post("/targets/assessments/new/", base | {"item0-name": "新建基层工会", "item0-weight": "60"})
    assert "第1项“新建基层工会”：自动计分的项目须选择目标指标" in wrong.content.decode()
    made = client.post("/targets/assessments/new/", base | {
        "item0-name": "新建基层工会", "item0-metric_key": NEW, "item0-weight": "60", "item0-cap": "1.2",
        "item1-name": "日常工作", "item1-kind": "manual", "item1-weight": "40"})
    assert made.status_code == 302
    scheme = world.root.assessment_schemes.get()
    assert [(i.name, i.kind, i.metric_key, i.weight, i.cap) for i in scheme.items.all()] == [
        ("新建基层工会", "auto", NEW, Decimal("60.0"), Decimal("1.20")), ("日常工作", "manual", "", Decimal("40.0"),
                                                                     Decimal("1.00"))]
    assert "区总工会目标考核" in client.get("/targets/assessments/?year=2025").content.decode()
