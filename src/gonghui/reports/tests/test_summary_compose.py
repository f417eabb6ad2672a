"""Composing a summary: templates, zero and pending figures, clauses, parts, 同比, completion, scope, lifecycle."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from gonghui.core.models import AuditLog
from gonghui.orgs.models import Org, OrgKind
from gonghui.reports import registry
from gonghui.reports.registry import FLOW, Column, Metric
from gonghui.reports.summary import build, services, specs
from gonghui.reports.summary.compose import FrozenSource, LiveSource, TemplateSpec, compose
from gonghui.reports.summary.models import AnnualSummary, SummaryStatus
from gonghui.reports.summary.numbers import Qualifier
from gonghui.reports.summary.templating import TemplateError, parse_sentence, section_from_data
from gonghui.testing import make_grassroots

DAY = dt.date(2026, 1, 15)


def spec(*sections: dict[str, Any], opening: str = "") -> TemplateSpec:
    return TemplateSpec(title="{工会}{年度}年工作总结", opening=opening, main_heading="{年度}年主要工作",
                        problems_heading="存在的问题", plans_heading="{下一年}年工作计划",
                        sections=tuple(section_from_data(s) for s in sections))


def fig(key: str, value: Any, year: int = 2025, unit: str = "人", records: int | None = None,
        filters: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    return {"key": key, "label": key, "unit": unit, "value": str(value), "year": year,
            "record_count": records if records is not None else 1, "filters": [list(f) for f in filters]}


def frozen(*figures: dict[str, Any], narrative: dict[str, str] | None = None, **sections: str) -> Any:
    s = spec(*[{"code": code, "title": f"{code}标题", "sentences": text} for code, text in sections.items()])
    return compose(s, narrative or {}, FrozenSource(list(figures)), org_name="测试工会", org_code="T", year=2025,
                   dated=DAY)


# -- the sentence language -------------------------------------------------------------------


def test_a_sentence_with_a_zero_figure_is_left_out_and_optional_clauses_fall_away() -> None:
    draft = frozen(fig("members.new", 1234), fig("members.new.migrant", 0), fig("orgs.grassroots.new", 0, unit="家"),
                   a="新增会员{members.new|余}[，其中农民工会员{members.new.migrant|其中}]。\n"
                     "新建基层工会{orgs.grassroots.new}。")
    assert [p.text for p in draft.sections[0].paras] == ["新增会员1200余人。"]
    assert "0人" not in draft.plain_text() and "0家" not in draft.plain_text()


def test_a_pending_key_produces_no_sentence_until_it_is_registered(world) -> None:
    """care.visits.persons is pending (no care app yet): its sentence is left out; registering it brings it in,
    with no template change (the way the care app will). (members.new was the example until the members app
    registered it.)"""
    make_grassroots(world.street_a, "GZ.A.S1.0009", founded_on=dt.date(2025, 5, 1))
    template = spec({"code": "org", "title": "组织建设",
                     "sentences": "新建基层工会{orgs.grassroots.new}。\n慰问职工{care.visits.persons|单位:名}。"})
    assert "care.visits.persons" not in registry.REGISTRY.metrics
    assert registry.REGISTRY.status("care.visits.persons")[0] == "pending"
    before = compose(template, {}, LiveSource(world.city_admin, world.root), org_name="测试", org_code="GZ",
                     year=2025, dated=DAY)
    assert before.sections[0].paras[0].text == "新建基层工会1家。"
    registry.register(Metric(
        key="care.visits.persons", label="慰问职工", unit="人", kind=FLOW, domain="orgs", org_field="",
        records=lambda ctx: Org.objects.filter(kind=OrgKind.GRASSROOTS, founded_on__range=ctx.window.range),
        columns=(Column("代码", "code"),)))
    try:
        after = compose(template, {}, LiveSource(world.city_admin, world.root), org_name="测试", org_code="GZ",
                        year=2025, dated=DAY)
    finally:
        del registry.REGISTRY.metrics["care.visits.persons"]
    assert after.sections[0].paras[0].text == "新建基层工会1家。慰问职工1名。"
    assert [f.key for f in after.sources] == ["orgs.grassroots.new", "care.visits.persons"]


def test_a_section_with_no_figures_is_left_out_or_reworded() -> None:
    s = spec({"code": "rights", "title": "维权", "sentences": "签订工资集体协议{rights.wage_bargaining.enterprises}。"},
             {"code": "care", "title": "帮扶", "sentences": "慰问职工{care.visits.persons}。",
              "empty": "{年度}年帮扶工作以走访了解为主。"},
             {"code": "org", "title": "组织", "sentences": "新建基层工会{orgs.grassroots.new}。"})
    draft = compose(s, {"rights": "推动企业建立工资集体协商制度。"},
                    FrozenSource([fig("orgs.grassroots.new", 3, unit="家")]),
                    org_name="测试", org_code="T", year=2025, dated=DAY)
    assert [(x.number, x.title) for x in draft.sections] == [("（一）", "维权"), ("（二）", "帮扶"), ("（三）", "组织")]
    assert draft.sections[0].paras[0].text == "推动企业建立工资集体协商制度。"  # officers' text only
    assert draft.sections[1].paras[0].text == "2025年帮扶工作以走访了解为主。"  # reworded
    bare = compose(s, {}, FrozenSource([]), org_name="测试", org_code="T", year=2025, dated=DAY)
    assert [x.title for x in bare.sections] == ["帮扶"]
    assert bare.skipped == ["维权", "组织"]


def test_a_list_of_optional_clauses_keeps_its_opening_punctuation() -> None:
    text = ("推进联合工会建设[，成立楼宇联合工会{orgs.joint.total|joint_type=building}]"
            "[、商圈联合工会{orgs.joint.total|joint_type=business_district}]"
            "[、市场联合工会{orgs.joint.total|joint_type=market}]。")
    draft = frozen(fig("orgs.joint.total", 0, unit="家", filters=(("joint_type", "building"),)),
                   fig("orgs.joint.total", 5, unit="家", filters=(("joint_type", "business_district"),)),
                   fig("orgs.joint.total", 2, unit="家", filters=(("joint_type", "market"),)), a=text)
    assert draft.sections[0].paras[0].text == "推进联合工会建设，商圈联合工会5家、市场联合工会2家。"
    none = frozen(a=text)
    assert none.sections == []


def test_parts_never_exceed_their_total_and_carry_its_rounding_only_when_both_are_rounded() -> None:
    draft = frozen(fig("members.new", 1234), fig("members.new.migrant", 567), fig("members.new.eight_groups", 8),
                   a="新增会员{members.new|余}[，其中农民工会员{members.new.migrant|其中}]"
                     "[、“八大群体”会员{members.new.eight_groups|其中}]。")
    text = draft.sections[0].paras[0].text
    assert text == "新增会员1200余人，其中农民工会员560余人、“八大群体”会员8人。"
    quals = {p.figure.key: p.qualifier for p in draft.printed}
    assert quals == {"members.new": Qualifier.OVER, "members.new.migrant": Qualifier.OVER,
                     "members.new.eight_groups": Qualifier.EXACT}
    exact_total = frozen(fig("members.new", 1234), fig("members.new.migrant", 567),
                         a="新增会员{members.new}[，其中农民工会员{members.new.migrant|其中}]。")
    assert exact_total.sections[0].paras[0].text == "新增会员1234人，其中农民工会员567人。"
    too_big = frozen(fig("orgs.grassroots.new", 3, unit="家"), fig("orgs.grassroots.total", 12, unit="家"),
                     a="新建基层工会{orgs.grassroots.new}[，其中{orgs.grassroots.total|其中}]。")
    assert too_big.sections[0].paras[0].text == "新建基层工会3家。"
    assert "大于其总数" in too_big.warnings[0]


def test_year_over_year_only_when_both_years_come_from_records() -> None:
    text = "新建基层工会{orgs.grassroots.new}[（{同比:orgs.grassroots.new}）]。"
    both = frozen(fig("orgs.grassroots.new", 12, unit="家"), fig("orgs.grassroots.new", 10, 2024, "家"), a=text)
    assert both.sections[0].paras[0].text == "新建基层工会12家（同比增长20%）。"
    assert [(b.year, b.value) for b in both.yoy_bases] == [(2024, 10)]
    assert [f.year for f in both.sources] == [2025]  # the base is noted, not a row of the source table
    down = frozen(fig("orgs.grassroots.new", 9, unit="家"), fig("orgs.grassroots.new", 12, 2024, "家"), a=text)
    assert down.sections[0].paras[0].text == "新建基层工会9家（同比下降25%）。"
    alone = frozen(fig("orgs.grassroots.new", 12, unit="家"), a=text)
    assert alone.sections[0].paras[0].text == "新建基层工会12家。"


def test_completion_wording_from_targets_completion_rate() -> None:
    text = "新增会员{members.new}[，{完成:members.new}]。"
    rate = {**fig("targets.completion_rate", Decimal("125.0"), unit="%"), "filters": [["key", "members.new"]]}
    draft = frozen(fig("members.new", 250), rate, a=text)
    assert draft.sections[0].paras[0].text == "新增会员250人，超额完成全年任务，完成率125%。"
    assert frozen(fig("members.new", 250), a=text).sections[0].paras[0].text == "新增会员250人。"


def test_variables_opening_headings_and_authored_parts() -> None:
    s = spec({"code": "org", "title": "组织", "sentences": "新建基层工会{orgs.grassroots.new}。"},
             opening="{年度}年，{工会}围绕中心工作开展工作。")
    draft = compose(s, {"problems": "一是……\n二是……", "plans": "继续推进。", "opening": "补充一段。"},
                    FrozenSource([fig("orgs.grassroots.new", 3, unit="家")]), org_name="某区总工会", org_code="T",
                    year=2025, dated=DAY)
    assert draft.title == "某区总工会2025年工作总结"
    assert [p.text for p in draft.opening] == ["2025年，某区总工会围绕中心工作开展工作。", "补充一段。"]
    assert draft.headings == [("h1", "一、2025年主要工作"), ("h1", "二、存在的问题"), ("h1", "三、2026年工作计划")]
    assert [p.text for p in draft.problems] == ["一是……", "二是……"] and draft.missing == []
    no_problems = compose(s, {"plans": "继续推进。"}, FrozenSource([]), org_name="某", org_code="T", year=2025,
                          dated=DAY)
    assert no_problems.headings[-1] == ("h1", "二、2026年工作计划")
    assert no_problems.missing == ["存在的问题"]


@pytest.mark.parametrize(("text", "message"), [
    ("新建{orgs.grassroots.new", "花括号"),
    ("新建[{orgs.grassroots.new}", "方括号"),
    ("新建[[{orgs.grassroots.new}]]", "方括号"),
    ("新建{X}家", "不是指标代码"),
    ("新建{orgs.grassroots.new|大约}家", "无法识别"),
    ("新建{orgs.grassroots.new|余|近}家", "一个修饰语"),
    ("[，固定文字]", "须含有指标"),
])
def test_bad_sentences_are_refused_in_chinese(text: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        parse_sentence(text)


@pytest.mark.django_db
def test_template_validation_checks_keys_and_filters() -> None:
    data = specs.default_template("federation")
    data["sections"][0]["sentences"] += "\n未知{orgs.no_such.key}。\n筛选{orgs.grassroots.new|colour=red}。"
    with pytest.raises(ValidationError) as exc:
        specs.validate(data)
    text = " ".join(exc.value.messages)
    assert "orgs.no_such.key" in text and "colour" in text


@pytest.mark.parametrize("base", specs.BASES)
def test_shipped_defaults_are_valid_and_name_only_catalogue_keys(base: str) -> None:
    data = specs.default_template(base)
    spec_ = specs.validate(data)
    assert len(spec_.sections) >= 5
    keys = {s.key for sec in spec_.sections for p in sec.paragraphs for st in p.sentences for s in st.slots()
            if s.kind != "var"}
    assert {k for k in keys if specs.known_key(k)} == keys
    assert any(k in registry.REGISTRY.metrics for k in keys)  # produces a draft from today's records
    assert any(registry.REGISTRY.status(k)[0] == "pending" for k in keys)  # grows as domains arrive


# -- services, scope, lifecycle ---------------------------------------------------------------


@pytest.mark.django_db
def test_an_officer_drafts_only_in_scope_and_counts_only_the_subtree(world) -> None:
    make_grassroots(world.street_a, "GZ.A.S1.0009", founded_on=dt.date(2025, 5, 1))
    make_grassroots(world.street_b, "GZ.B.S1.0009", founded_on=dt.date(2025, 6, 1))
    with pytest.raises(Http404):
        services.start_summary(world.town_officer, world.street_b, 2025)
    with pytest.raises(Http404):
        services.start_summary(world.officer_a, world.street_a, 2025)  # above their union
    summary = services.start_summary(world.town_officer, world.street_a, 2025)
    draft, _ = build.draft_for(world.town_officer, summary, today=DAY)
    by_key = {f.key: f.value for f in draft.sources if not f.filters}
    assert by_key["orgs.grassroots.new"] == 1  # street B's new union is not counted
    assert by_key["orgs.grassroots.total"] == 3
    city = services.start_summary(world.city_admin, world.root, 2025)
    assert {f.key: f.value for f in build.draft_for(world.city_admin, city)[0].sources}["orgs.grassroots.new"] == 2
    with pytest.raises(Http404):
        services.save_narrative(world.officer_b, summary, {"problems": "越权"})


@pytest.mark.django_db
def test_versions_finalise_freezes_figures_and_reopen_refreshes_them(world) -> None:
    summary = services.start_summary(world.town_officer, world.street_a, 2025)
    assert summary.template.base == "town" and summary.template.org == world.street_a
    summary = services.save_narrative(world.town_officer, summary, {"organisation": "走访企业宣传建会。"},
                                      note="初稿")
    with pytest.raises(ValidationError, match="存在的问题"):
        services.finalise(world.town_officer, summary)
    summary = services.save_narrative(world.town_officer, summary, {
        "organisation": "走访企业宣传建会。", "problems": "新建工会运行不规范。", "plans": "加强培训。"})
    assert summary.version == 3 and summary.versions.count() == 3
    with pytest.raises(ValidationError, match="花括号"):
        services.save_narrative(world.town_officer, summary, {"plans": "新建{orgs.grassroots.new}家"})
    with pytest.raises(ValidationError, match="占位符"):
        services.save_narrative(world.town_officer, summary, {"plans": "新建工会X家"})
    with pytest.raises(ValidationError, match="未知的栏目"):
        services.save_narrative(world.town_officer, summary, {"nonsense": "文字"})

    summary = services.finalise(world.town_officer, summary, today=DAY)
    assert summary.status == SummaryStatus.FINAL and summary.finalised_by == world.town_officer
    assert summary.snapshot is not None
    frozen_total = {f["key"]: f["value"] for f in summary.snapshot["figures"] if not f["filters"]}
    assert frozen_total["orgs.grassroots.total"] == "2"
    assert AuditLog.objects.filter(object_type="reports.AnnualSummary", note="定稿").count() == 1

    make_grassroots(world.street_a, "GZ.A.S1.0010", founded_on=dt.date(2025, 3, 1))  # records change afterwards
    summary = AnnualSummary.objects.get(pk=summary.pk)
    draft, _ = build.draft_for(world.town_officer, summary)
    assert {f.key: f.value for f in draft.sources if not f.filters}["orgs.grassroots.total"] == 2
    assert draft.dated == DAY
    assert "新建工会运行不规范。" in draft.plain_text()
    with pytest.raises(ValidationError, match="重新打开"):
        services.save_narrative(world.town_officer, summary, {"plans": "改"})
    with pytest.raises(ValidationError, match="原因"):
        services.reopen(world.town_officer, summary, reason=" ")

    summary = services.reopen(world.town_officer, summary, reason="补充新数据")
    draft, _ = build.draft_for(world.town_officer, summary)
    assert {f.key: f.value for f in draft.sources if not f.filters}["orgs.grassroots.total"] == 3
    assert [v.remark for v in summary.versions.order_by("number")][-2:] == ["定稿", "重新打开：补充新数据"]


@pytest.mark.django_db
def test_a_clerk_may_draft_but_not_finalise(world) -> None:
    from django.core.exceptions import PermissionDenied

    summary = services.start_summary(world.clerk_a, world.union_a, 2025)
    assert summary.template.base == "organ"
    summary = services.save_narrative(world.clerk_a, summary, {"problems": "问题。", "plans": "计划。"})
    with pytest.raises(PermissionDenied):
        services.finalise(world.clerk_a, summary)
    services.finalise(world.officer_a, summary)


@pytest.mark.django_db
def test_template_edits_reorder_and_retitle_sections(world) -> None:
    template = services.ensure_template(world.town_officer, world.street_a)
    assert services.ensure_template(world.town_officer, world.street_a) == template  # copied once
    sections = list(reversed(template.sections))
    sections[0] = {**sections[0], "title": "新的标题"}
    services.update_template(world.town_officer, template, sections=sections)
    summary = services.start_summary(world.town_officer, world.street_a, 2025, template=template)
    summary = services.save_narrative(world.town_officer, summary, {sections[0]["code"]: "本栏目的内容。"})
    draft, _ = build.draft_for(world.town_officer, summary)
    assert draft.sections[0].title == "新的标题"
    with pytest.raises(ValidationError):
        services.update_template(world.town_officer, template, sections=[{"code": "a", "title": "甲",
                                                                         "sentences": "{orgs.nope}"}])
    with pytest.raises(Http404):
        services.update_template(world.officer_b, template, title="越权")
