from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from gonghui.core.scopecase import ScopeCase
from gonghui.orgs.models import Org
from gonghui.targets import exporters, selectors, services
from gonghui.targets.models import AssessmentItem, AssessmentScheme, AssessmentScore, ItemKind, Target

_n = itertools.count(1)
MANUAL = {"name": "日常工作", "kind": ItemKind.MANUAL, "weight": Decimal(20)}


def _target(world: Any, org: Any) -> Target:
    return services.set_target(None, Org.objects.get_parent(org), org, year=2025, metric_key="orgs.grassroots.new",
                               value=3, remarks=f"范围测试目标{next(_n)}")


def _scheme(world: Any, org: Any) -> AssessmentScheme:
    return services.create_scheme(None, org, year=2025, name=f"范围测试方案{next(_n)}", items=[MANUAL])


def _item(world: Any, org: Any) -> AssessmentItem:
    scheme = services.create_scheme(None, org, year=2025, name=f"范围测试方案{next(_n)}",
                                    items=[{**MANUAL, "name": f"范围测试项目{next(_n)}"}])
    return scheme.items.get()


def _score(world: Any, org: Any) -> AssessmentScore:
    scheme = services.create_scheme(None, Org.objects.get_parent(org), year=2025, name=f"范围测试方案{next(_n)}",
                                    items=[MANUAL])
    return services.score_manual_item(None, scheme.items.get(), org, score=Decimal(15),
                                      reason=f"范围测试评分{next(_n)}")


def _export(user: Any, org: Any) -> list[list[Any]]:
    return [list(row) for row in exporters.export_completion(user, org, 2025).rows]


CASES = [
    ScopeCase(
        model=Target,
        make=_target,
        list=lambda user: selectors.visible_targets(user),
        change=lambda user, obj: services.update_target(user, obj, value=obj.value + 1),
        ui_urls=lambda obj: [f"/targets/{obj.pk}/edit/", f"/targets/{obj.pk}/split/"],
        api_urls=lambda obj: [f"/api/v1/targets/{obj.pk}", f"/api/v1/targets/{obj.pk}/completion"],
        ui_lists=lambda obj: [(f"/targets/?org={obj.set_by.code}&year=2025", obj.remarks),
                              (f"/targets/completion/?org={obj.set_by.code}&year=2025", obj.org.name)],
        api_lists=lambda obj: [("/api/v1/targets?page_size=500", obj.remarks),
                               (f"/api/v1/targets/completion?org={obj.set_by.code}&year=2025", obj.org.code)],
        export=_export,
        export_marker=lambda obj: obj.org.code,
    ),
    ScopeCase(
        model=AssessmentScheme,
        make=_scheme,
        list=lambda user: selectors.visible_schemes(user),
        change=lambda user, obj: services.update_scheme(user, obj, name=obj.name + "（修订）"),
        ui_urls=lambda obj: [f"/targets/assessments/{obj.pk}/"],
        api_urls=lambda obj: [f"/api/v1/targets/schemes/{obj.pk}", f"/api/v1/targets/schemes/{obj.pk}/results"],
        ui_lists=lambda obj: [(f"/targets/assessments/?org={obj.org.code}&year=2025", obj.name)],
        api_lists=lambda obj: [("/api/v1/targets/schemes?page_size=500", obj.name)],
    ),
    ScopeCase(
        model=AssessmentItem,
        make=_item,
        list=lambda user: selectors.visible_items(user),
        change=lambda user, obj: services.update_item(user, obj, weight=Decimal(25)),
        ui_urls=lambda obj: [f"/targets/assessments/{obj.scheme_id}/", f"/targets/assessments/items/{obj.pk}/score/"],
        api_urls=lambda obj: [f"/api/v1/targets/schemes/{obj.scheme_id}"],
        api_lists=lambda obj: [("/api/v1/targets/schemes?page_size=500", obj.name)],
    ),
    ScopeCase(
        model=AssessmentScore,
        make=_score,
        list=lambda user: selectors.visible_scores(user),
        change=lambda user, obj: services.score_manual_item(user, obj.item, obj.org, score=Decimal(18),
                                                            reason="复核后调整"),
        ui_urls=lambda obj: [f"/targets/assessments/{obj.item.scheme_id}/"],
        api_urls=lambda obj: [f"/api/v1/targets/schemes/{obj.item.scheme_id}/results"],
        ui_lists=lambda obj: [(f"/targets/assessments/{obj.item.scheme_id}/", obj.reason)],
        api_lists=lambda obj: [(f"/api/v1/targets/schemes/{obj.item.scheme_id}/results", obj.reason)],
    ),
]
