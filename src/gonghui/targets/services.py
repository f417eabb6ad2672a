"""Every write on targets and assessment schemes: scope check, validation, change and audit in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from gonghui.core import audit, writes
from gonghui.core.models import AuditLog, User
from gonghui.core.scope import Scope
from gonghui.orgs.models import Org
from gonghui.targets.models import AssessmentItem, AssessmentScheme, AssessmentScore, ItemKind, Target, plain

TARGET_EDITABLE = {"value", "set_on", "remarks"}
SCHEME_EDITABLE = {"name", "excellent_from", "good_from", "pass_from"}


def _require(actor: User | None, org: Org, cap: str = "targets.edit") -> None:
    if actor is not None:
        Scope.of(actor).require_org(org, cap)


def _require_setter(actor: User | None, target: Target) -> None:
    """A target is changed only by the union that set it (the union carrying it may only look)."""
    if actor is None:
        return
    scope = Scope.of(actor)
    scope.require_org(target.org, "targets.view")
    if not scope.allows_org(target.set_by, "targets.edit"):
        raise PermissionDenied(f"该目标由{target.set_by.name}下达，只能由下达工会修改或删除")


def _shares_total(target: Target, *, excluding: Target | None = None) -> Decimal:
    qs = target.shares.all()
    if excluding is not None:
        qs = qs.exclude(pk=excluding.pk)
    return Decimal(qs.aggregate(s=Sum("value"))["s"] or 0)


def _short_message(target: Target, total: Decimal, value: Decimal | None = None) -> str:
    value = target.value if value is None else value
    unit = target.unit
    return (f"分解到下级工会的目标合计{plain(total)}{unit}，少于{target.org.name}的目标{plain(value)}{unit}，"
            f"还差{plain(value - total)}{unit}：请补足各下级工会的分解数")


@transaction.atomic
def set_target(actor: User | None, set_by: Org, org: Org, *, year: int, metric_key: str, value: Any,
               set_on: dt.date | None = None, remarks: str = "") -> Target:
    """Hand a yearly target on a registry metric to a direct sub-union of ``set_by`` (or to ``set_by`` itself)."""
    _require(actor, set_by)
    existing = Target.objects.filter(org=org, year=year, metric_key=metric_key).select_related("set_by").first()
    if existing is not None:
        raise ValidationError({"metric_key": f"{org.name}{year}年已有“{existing.label}”目标"
                                             f"（{existing.value_text}{existing.unit}，{existing.set_by.name}下达），"
                                             "请修改原目标"})
    return writes.create(actor, Target, org=org, set_by=set_by, year=year, metric_key=metric_key, value=value,
                         set_on=set_on or dt.date.today(), remarks=remarks)


@transaction.atomic
def update_target(actor: User | None, target: Target, **changes: Any) -> Target:
    """Change a target's value, date or remarks; shares split from it or beside it must still add up."""
    _require_setter(actor, target)
    if "value" in changes and changes["value"] is not None:
        new = Decimal(str(changes["value"]))
        if target.shares.exists():
            total = _shares_total(target)
            if total < new:
                raise ValidationError({"value": f"该目标已分解到下级工会：{_short_message(target, total, new)}，"
                                                "或先调整分解"})
        if target.parent is not None:
            parent = target.parent
            total = _shares_total(parent, excluding=target) + new
            if total < parent.value:
                raise ValidationError({"value": _short_message(parent, total)})
    return writes.update(actor, target, changes, allowed=TARGET_EDITABLE)


@transaction.atomic
def delete_target(actor: User | None, target: Target) -> None:
    """Withdraw a target that has not been split further; a share goes only if the rest still add up."""
    _require_setter(actor, target)
    if target.shares.exists():
        raise ValidationError(f"{target.org.name}的“{target.label}”目标已分解到下级工会，请先在分解页面清空分解")
    if target.parent is not None:
        parent = target.parent
        total = _shares_total(parent, excluding=target)
        if total and total < parent.value:
            raise ValidationError(_short_message(parent, total) + "；或在分解页面重新分解")
    audit.record(actor, AuditLog.Action.DELETE, target, org=target.org, before=audit.snapshot(target))
    target.delete()


def _decimal(value: Any, org: Org) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(f"{org.name}的分解数“{value}”不是数字") from None
    if d < 0:
        raise ValidationError(f"{org.name}的分解数不能为负数")
    return d or None


@transaction.atomic
def split_target(actor: User | None, target: Target, shares: Mapping[Org, Any],
                 *, set_on: dt.date | None = None) -> list[Target]:
    """Split a union's target among its direct sub-unions: one share each (blank removes it).

    The shares must add up to at least the target; a sub-union's existing target on the
    same key and year is taken over as its share.
    """
    _require(actor, target.org)
    day = set_on or dt.date.today()
    values: dict[Org, Decimal | None] = {}
    for org, raw in shares.items():
        if not (org.depth == target.org.depth + 1 and org.path.startswith(target.org.path)):
            raise ValidationError(f"{org.name}不是{target.org.name}的直属下级工会，不能参与分解")
        values[org] = _decimal(raw, org)
    given = {org: v for org, v in values.items() if v is not None}
    # Shares of children left out of the mapping stay as they are and count towards the target.
    kept = target.shares.exclude(org__in=[o.pk for o in values])
    total = sum(given.values(), Decimal(0)) + Decimal(kept.aggregate(s=Sum("value"))["s"] or 0)
    if (given or kept.exists()) and total < target.value:
        raise ValidationError(_short_message(target, total))
    existing = {t.org_id: t for t in Target.objects.filter(year=target.year, metric_key=target.metric_key,
                                                           org__in=[o.pk for o in values])}
    out: list[Target] = []
    for org, value in values.items():
        current = existing.get(org.pk)
        if value is None:
            if current is not None and current.parent_id == target.pk:
                if current.shares.exists():
                    raise ValidationError(f"{org.name}已将该目标继续分解到下级，请先清空其分解再移除")
                audit.record(actor, AuditLog.Action.DELETE, current, org=org, before=audit.snapshot(current),
                             note="分解时移除")
                current.delete()
            continue
        if current is None:
            out.append(writes.create(actor, Target, org=org, set_by=target.org, parent=target, year=target.year,
                                     metric_key=target.metric_key, value=value, set_on=day, note="分解",
                                     ))
            continue
        if current.set_by_id != target.org_id:
            raise ValidationError(f"{org.name}的该项目标由{current.set_by.name}下达，不能由{target.org.name}分解覆盖")
        sub_total = _shares_total(current)
        if current.shares.exists() and sub_total < value:
            raise ValidationError(f"{org.name}已将该目标继续分解：{_short_message(current, sub_total, value)}")
        out.append(writes.update(actor, current, {"value": value, "parent": target},
                                 allowed={"value", "parent"}, note="分解"))
    return out


# -- assessment schemes -----------------------------------------------------------------------------


def _item_values(raw: Mapping[str, Any], order: int) -> dict[str, Any]:
    kind = raw.get("kind") or ItemKind.AUTO
    return {"name": raw.get("name", ""), "kind": kind, "metric_key": raw.get("metric_key", "") or "",
            "weight": raw.get("weight"), "cap": raw.get("cap") or Decimal("1.00"), "order": raw.get("order", order)}


@transaction.atomic
def create_scheme(actor: User | None, org: Org, *, year: int, name: str, items: Iterable[Mapping[str, Any]],
                  **thresholds: Any) -> AssessmentScheme:
    """Define a yearly assessment scheme of ``org`` for its direct sub-unions, with its weighted items."""
    _require(actor, org)
    if AssessmentScheme.objects.filter(org=org, year=year, name=name).exists():
        raise ValidationError({"name": f"{org.name}{year}年已有名为“{name}”的考核方案"})
    scheme = writes.create(actor, AssessmentScheme, org=org, year=year, name=name, **thresholds)
    items = list(items)
    if not items:
        raise ValidationError({"items": "考核方案至少要有一个考核项目"})
    for n, raw in enumerate(items, start=1):
        try:
            writes.create(actor, AssessmentItem, scheme=scheme, **_item_values(raw, n))
        except ValidationError as exc:
            raise ValidationError({"items": [f"第{n}项“{raw.get('name', '')}”：{m}" for m in exc.messages]}) from None
    return scheme


@transaction.atomic
def update_scheme(actor: User | None, scheme: AssessmentScheme, **changes: Any) -> AssessmentScheme:
    _require(actor, scheme.org)
    return writes.update(actor, scheme, changes, allowed=SCHEME_EDITABLE)


@transaction.atomic
def add_item(actor: User | None, scheme: AssessmentScheme, **values: Any) -> AssessmentItem:
    _require(actor, scheme.org)
    return writes.create(actor, AssessmentItem, scheme=scheme, **_item_values(values, scheme.items.count() + 1))


@transaction.atomic
def score_manual_item(actor: User | None, item: AssessmentItem, org: Org, *, score: Any, reason: str,
                      scored_on: dt.date | None = None) -> AssessmentScore:
    """The reviewer scores one union on a manual item (0 to the item's weight), saying why."""
    _require(actor, item.scheme.org)
    if not (reason or "").strip():
        raise ValidationError({"reason": f"请填写{org.name}“{item.name}”的评分说明"})
    current = AssessmentScore.objects.filter(item=item, org=org).first()
    if current is None:
        return writes.create(actor, AssessmentScore, item=item, org=org, score=score, reason=reason.strip(),
                             scored_on=scored_on or dt.date.today())
    return writes.update(actor, current, {"score": score, "reason": reason.strip(),
                                          "scored_on": scored_on or dt.date.today()},
                         allowed={"score", "reason", "scored_on"})


@transaction.atomic
def update_item(actor: User | None, item: AssessmentItem, **changes: Any) -> AssessmentItem:
    """Rename or reweigh an item (its kind and metric are fixed once scores may rest on them)."""
    _require(actor, item.scheme.org)
    return writes.update(actor, item, changes, allowed={"name", "weight", "cap", "order"})
