"""Every write on organising drives, star ratings and standardisation assessments."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gonghui.core import audit, writes
from gonghui.core.models import AuditLog, User
from gonghui.core.scope import Scope
from gonghui.organising.models import Assessment, CampaignTarget, OrganisingCampaign, StarRating, grade_for
from gonghui.orgs.models import Employer, Org, OrgKind
from gonghui.orgs.selectors import union_exists

CAMPAIGN_EDITABLE = {"name", "start_on", "end_on", "new_group", "target_unions", "description"}
TARGET_EDITABLE = {"status", "contacted_on", "situation"}
RATING_EDITABLE = {"stars", "level", "awarded_on", "valid_until", "awarded_by", "revoked_on"}
ASSESSMENT_EDITABLE = {"assessed_on", "assessor", "score", "grade", "findings"}


def _require(actor: User | None, org: Org, cap: str = "orgs.edit") -> None:
    if actor is not None:
        Scope.of(actor).require_org(org, cap)


def _require_above(actor: User | None, org: Org) -> Org:
    """Ratings and assessments are decided by a union above: the actor must approve for the parent."""
    parent = Org.objects.get_parent(org)
    if parent is None:
        raise ValidationError("顶级工会的星级和规范化建设由上级评定，不在本系统登记")
    if actor is not None:
        scope = Scope.of(actor)
        scope.require_org(org, "orgs.view")
        if not scope.allows_org(parent, "orgs.approve"):
            raise ValidationError("星级评定和规范化建设考核由上级工会登记，请联系上级工会")
    return parent


# -- organising drives --------------------------------------------------------------------


@transaction.atomic
def create_campaign(actor: User | None, org: Org, **values: Any) -> OrganisingCampaign:
    """Start a drive to found unions in the employers of ``org``'s area."""
    _require(actor, org)
    return writes.create(actor, OrganisingCampaign, org=org, **values)


@transaction.atomic
def update_campaign(actor: User | None, campaign: OrganisingCampaign, **changes: Any) -> OrganisingCampaign:
    _require(actor, campaign.org)
    return writes.update(actor, campaign, changes, allowed=CAMPAIGN_EDITABLE)


@transaction.atomic
def add_targets(actor: User | None, campaign: OrganisingCampaign,
                employers: Iterable[Employer]) -> list[CampaignTarget]:
    """Put employers of the drive's area that have no union on its list."""
    _require(actor, campaign.org)
    employers = list(employers)
    ids = [e.pk for e in employers]
    area = Employer.objects.filter(pk__in=ids, org__path__startswith=campaign.org.path)
    if actor is not None:
        area = Scope.of(actor).filter(area, "orgs.view")
    in_area = set(area.values_list("pk", flat=True))
    organised = set(Employer.objects.filter(pk__in=ids).filter(union_exists()).values_list("pk", flat=True))
    listed = set(campaign.targets.values_list("employer_id", flat=True))
    errors = []
    for e in employers:
        if e.pk not in in_area:
            errors.append(f"“{e.name}”不在{campaign.org.name}的区域内")
        elif e.pk in organised:
            errors.append(f"“{e.name}”已建立工会")
        elif e.pk in listed:
            errors.append(f"“{e.name}”已在本次行动的名单中")
    if errors:
        raise ValidationError({"employers": errors})
    created = []
    for e in employers:
        created.append(writes.create(actor, CampaignTarget, campaign=campaign, employer=e))
    return created


@transaction.atomic
def update_target(actor: User | None, target: CampaignTarget, **changes: Any) -> CampaignTarget:
    """Record how far the outreach to one employer went."""
    _require(actor, target.campaign.org)
    return writes.update(actor, target, changes, allowed=TARGET_EDITABLE)


@transaction.atomic
def remove_target(actor: User | None, target: CampaignTarget) -> None:
    _require(actor, target.campaign.org)
    audit.record(actor, AuditLog.Action.DELETE, target, org=target.campaign.org, before=audit.snapshot(target))
    target.delete()


# -- star ratings and assessments ------------------------------------------------------------


def _check_rated(org: Org) -> None:
    if org.kind not in (OrgKind.GRASSROOTS, OrgKind.FEDERATION, OrgKind.INDUSTRY):
        raise ValidationError("分工会和工会小组不单独评定星级")


@transaction.atomic
def award_star_rating(actor: User | None, org: Org, **values: Any) -> StarRating:
    """Record a star grade awarded to a union by a union above it."""
    _require_above(actor, org)
    _check_rated(org)
    return writes.create(actor, StarRating, org=org, **values)


@transaction.atomic
def update_star_rating(actor: User | None, rating: StarRating, **changes: Any) -> StarRating:
    _require_above(actor, rating.org)
    return writes.update(actor, rating, changes, allowed=RATING_EDITABLE)


@transaction.atomic
def record_assessment(actor: User | None, org: Org, **values: Any) -> Assessment:
    """Record a yearly standardisation check (规范化建设考核) of a union; the grade follows the score."""
    parent = _require_above(actor, org)
    _check_rated(org)
    values.setdefault("assessor", parent)
    assessor = values["assessor"]
    if assessor is not None and not org.path.startswith(assessor.path):
        raise ValidationError({"assessor": "考核工会应为被考核工会的上级工会"})
    if Assessment.objects.filter(org=org, scheme=values.get("scheme", "standardisation"),
                                 year=int(values.get("year") or 0)).exists():
        raise ValidationError({"year": f"{org.name}{values.get('year')}年度的考核已登记，请修改原记录"})
    return writes.create(actor, Assessment, org=org, **values)


@transaction.atomic
def update_assessment(actor: User | None, assessment: Assessment, **changes: Any) -> Assessment:
    _require_above(actor, assessment.org)
    changes.pop("grade", None)
    if changes.get("score") is not None:
        changes["grade"] = grade_for(Decimal(changes["score"]))  # audited together with the score
    return writes.update(actor, assessment, changes, allowed=ASSESSMENT_EDITABLE)
