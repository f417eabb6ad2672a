"""The member template (下载模板, with its 字典 sheet) and the export in that same template.

An export re-imported into the same union changes nothing. Full ID numbers and
phones are written only for a role with ``members.pii`` (and for the command line,
which acts as the operator); every export writes an ``export`` audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from gonghui.core import audit
from gonghui.core.crypto import mask_id_number, mask_phone
from gonghui.core.excel import Sheet
from gonghui.core.models import AuditLog
from gonghui.core.scope import Scope
from gonghui.members import vocab
from gonghui.members.importers import TEMPLATE_HEADERS
from gonghui.members.models import Member, MembershipChange, MemberStatus
from gonghui.orgs.models import Org

ID_COL = TEMPLATE_HEADERS.index("证件号码")
PHONE_COL = TEMPLATE_HEADERS.index("移动电话")
WIDTHS = [6, 10, 6, 12, 8, 10, 14, 22, 10, 10, 14, 12, 20, 12, 12, 16, 12, 28, 12, 10]
NOTES = (
    "填写说明：证件号码、移动电话请保持“文本”格式；有效证件类别不填视为居民身份证；性别、出生日期不填时按身份证号码自动生成；"
    "日期可写 1985-03-12、1985/3/12、1985.03.12、19850312 或 1985年3月12日；有下拉含义的列请按“字典”工作表填写。",
)


def dictionary_sheet() -> Sheet:
    """The 字典 sheet: one column per coded column with its allowed values."""
    columns = vocab.dictionary_rows()
    height = max(len(values) for _h, values in columns)
    rows = [[values[i] if i < len(values) else "" for _h, values in columns] for i in range(height)]
    return Sheet("字典", [h for h, _v in columns], rows, widths=[14] * len(columns))


def template_sheets() -> list[Sheet]:
    """An empty template with one example row, ready to fill in."""
    example = ["1", "张三", "男", dt.date(1985, 3, 12), "汉族", "在岗", "居民身份证", "440106198503121237", "大学本科",
               "中级工", "13800138000", "非农业户口", "广东省广州市天河区", "入会", dt.date.today().replace(day=1),
               "", "群众", "广州某某有限公司", "广东广州", "否"]
    return [Sheet("会员信息", TEMPLATE_HEADERS, [example], widths=WIDTHS, text_columns=(ID_COL, PHONE_COL),
                  title="会员信息导入模板（示例行请删除后再导入）", notes=NOTES), dictionary_sheet()]


def _members(user: Any, within: Org, subtree: bool) -> QuerySet[Member]:
    qs = Member.objects.all() if user is None else Scope.of(user).filter(Member.objects.all(), "members.view")
    qs = qs.filter(org__path__startswith=within.path) if subtree else qs.filter(org=within)
    latest = MembershipChange.objects.filter(member=OuterRef("pk")).order_by("-changed_on", "-id")
    return (qs.exclude(status=MemberStatus.LEFT)
            .annotate(last_type=Subquery(latest.values("change_type")[:1]),
                      last_on=Subquery(latest.values("changed_on")[:1]),
                      last_reason=Subquery(latest.values("reason")[:1]))
            .select_related("person", "employer").order_by("org__path", "pk"))


def _rows(qs: QuerySet[Member], full: bool) -> Iterator[list[Any]]:
    for n, m in enumerate(qs.iterator(chunk_size=2000), start=1):
        p = m.person
        number = p.id_number if full else mask_id_number(p.id_number)
        phone = p.mobile if full else mask_phone(p.mobile)
        yield [
            n, p.name, vocab.label("gender", p.gender), p.birth_date, p.ethnicity,
            vocab.label("employment_status", p.employment_status), vocab.label("id_type", p.id_type), number,
            vocab.label("education", p.education), vocab.label("skill_level", p.skill_level), phone,
            vocab.label("household_type", p.household_type), p.household_place,
            vocab.label("change_type", m.last_type),  # type: ignore[attr-defined]
            m.last_on, m.last_reason,  # type: ignore[attr-defined]
            vocab.label("political_status", p.political_status),
            m.employer_name or (m.employer.name if m.employer else ""), p.native_place,
            "是" if m.is_migrant else "否",
        ]


@transaction.atomic
def export_members(user: Any, within: Org, *, subtree: bool = True, channel: str = "网页",
                   actor: Any = None) -> list[Sheet]:
    """Members of ``within`` (and its subtree) in the import template; ``user=None`` is the operator
    (``actor`` then names who is audited)."""
    scope = Scope.of(user) if user is not None else None
    if scope is not None:
        scope.require_org(within, "members.view")
    full = scope is None or scope.allows_org(within, "members.pii")
    qs = _members(user, within, subtree)
    count = qs.count()
    audit.record(user if user is not None else actor, AuditLog.Action.EXPORT, within, object_type="members.Member",
                 object_repr=f"{within.name}会员信息"[:200],
                 after={"rows": count, "full_personal_data": full, "subtree": subtree},
                 note=f"导出会员 {count} 人（{channel}，"
                      f"{'含完整证件号码和手机号' if full else '证件号码和手机号已脱敏'}）")
    rows = _rows(qs, full)  # streamed: a city's million members never sit in memory as lists
    title = f"{within.name}{'及所属工会' if subtree else ''}会员信息（导出于{dt.date.today():%Y-%m-%d}）"
    return [Sheet("会员信息", TEMPLATE_HEADERS, rows, widths=WIDTHS, text_columns=(ID_COL, PHONE_COL), title=title),
            dictionary_sheet()]
