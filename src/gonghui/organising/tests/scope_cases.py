from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from gonghui.core.scopecase import ScopeCase
from gonghui.organising import selectors, services
from gonghui.organising.models import Assessment, CampaignTarget, OrganisingCampaign, StarRating
from gonghui.testing import make_employer

_n = itertools.count(1)


def _campaign(world, org):
    return services.create_campaign(None, org, name=f"范围测试建会行动{next(_n)}", start_on=dt.date(2025, 3, 1),
                                    end_on=dt.date(2025, 9, 30), target_unions=5)


def _target(world, org):
    employer = make_employer(org, name=f"范围测试未建会单位{next(_n)}", headcount=60)
    return services.add_targets(None, _campaign(world, org), [employer])[0]


def _rating(world, org):
    return services.award_star_rating(None, org, stars=4, level="district", awarded_on=dt.date(2024, 12, 20),
                                      awarded_by=f"范围测试评定单位{next(_n)}")


def _assessment(world, org):
    return services.record_assessment(None, org, year=2024, assessed_on=dt.date(2024, 12, 1),
                                      score=Decimal("86.5"), findings=f"范围测试考核{next(_n)}")


CASES = [
    ScopeCase(
        model=OrganisingCampaign,
        make=_campaign,
        list=lambda user: selectors.visible_campaigns(user),
        change=lambda user, obj: services.update_campaign(user, obj, target_unions=8),
        ui_urls=lambda obj: [f"/organising/campaigns/{obj.pk}/", f"/organising/campaigns/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/organising_campaigns/{obj.pk}"],
        ui_lists=lambda obj: [("/organising/campaigns/", obj.name)],
        api_lists=lambda obj: [("/api/v1/organising_campaigns?page_size=500", obj.name)],
    ),
    ScopeCase(
        model=CampaignTarget,
        make=_target,
        list=lambda user: selectors.visible_targets(user),
        change=lambda user, obj: services.update_target(user, obj, status="contacted",
                                                        contacted_on=dt.date(2025, 4, 2)),
        ui_urls=lambda obj: [f"/organising/targets/{obj.pk}/edit/", f"/organising/campaigns/{obj.campaign_id}/"],
        api_urls=lambda obj: [f"/api/v1/organising_campaigns/{obj.campaign_id}/targets"],
    ),
    ScopeCase(
        model=StarRating,
        make=_rating,
        list=lambda user: selectors.visible_ratings(user),
        change=lambda user, obj: services.update_star_rating(user, obj, valid_until=dt.date(2027, 12, 31)),
        ui_urls=lambda obj: [f"/organising/ratings/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/star_ratings/{obj.pk}"],
        ui_lists=lambda obj: [("/organising/ratings/", obj.awarded_by)],
        api_lists=lambda obj: [("/api/v1/star_ratings?page_size=500", obj.awarded_by)],
    ),
    ScopeCase(
        model=Assessment,
        make=_assessment,
        list=lambda user: selectors.visible_assessments(user),
        change=lambda user, obj: services.update_assessment(user, obj, score=Decimal("91")),
        ui_urls=lambda obj: [f"/organising/assessments/{obj.pk}/edit/"],
        api_urls=lambda obj: [f"/api/v1/assessments/{obj.pk}"],
        ui_lists=lambda obj: [("/organising/assessments/", obj.findings)],
        api_lists=lambda obj: [("/api/v1/assessments?page_size=500", obj.findings)],
    ),
]
