"""The catalogue of METRICS.md (and the *new* keys of ANNUAL_RETURN.md) and each key's status.

Every key is either implemented (a registered ``Metric``), pending (naming the
domain whose records will bring it), or not from records (with the reason). The
spec files are copied under docs/spec/ so the repository is self-contained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gonghui.reports.registry import REGISTRY

SPEC_DIR = Path(__file__).resolve().parents[3] / "docs" / "spec"


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    key: str
    label: str
    unit: str
    type: str  # F S R T P N as in METRICS.md; "new" for keys only in ANNUAL_RETURN.md
    source: str  # "METRICS.md" | "ANNUAL_RETURN.md"


@cache
def entries() -> tuple[CatalogEntry, ...]:
    metrics = (SPEC_DIR / "METRICS.md").read_text(encoding="utf-8")
    body = metrics[metrics.index("## Catalog by family"):metrics.index("## Notes for implementers")]
    found: dict[str, CatalogEntry] = {}
    for key, label, unit, kind in re.findall(r"^\| (?:★ )?`([a-z_.]+)` \| ([^|]+)\| ([^|]+)\| ([A-Z]) \|", body, re.M):
        found[key] = CatalogEntry(key, label.strip(), unit.strip(), kind, "METRICS.md")
    annual = (SPEC_DIR / "ANNUAL_RETURN.md").read_text(encoding="utf-8")
    new_row = r"^\| \d-\d\d \| ([^|]+)\| ([^|]+)\| [A-Z] \| `([a-z_.]+)(?:\[[^\]]*\])?` \*new\*"
    for label, unit, key in re.findall(new_row, annual, re.M):
        found.setdefault(key, CatalogEntry(key, label.strip(), unit.strip(), "new", "ANNUAL_RETURN.md"))
    return tuple(found.values())


# Families whose records come with a domain app that is not built yet.
PENDING_FAMILIES = {
    "finance.": ("finance", "经费收支、预算与审计记录（finance 应用）尚未建成"),
    "care.": ("care", "帮扶慰问、困难职工档案与“四送”记录（care 应用）尚未建成"),
    "mutual_aid.": ("care", "职工互助保障参保与理赔记录（care 应用）尚未建成"),
    "pandemic.": ("care", "疫情防控资金与慰问记录（finance、care 应用）尚未建成"),
    "poverty.": ("care", "消费扶贫采购与扶贫慰问记录（care 应用）尚未建成"),
    "consumption.": ("finance", "消费券与促消费记录（finance 应用）尚未建成"),
    "volunteers.": ("care", "职工志愿者登记（care 应用）尚未建成"),
    "rights.": ("rights", "集体合同、职代会、劳动争议与法律援助记录（rights 应用）尚未建成"),
    "honours.": ("labour", "荣誉与劳模档案（labour 应用）尚未建成"),
    "model_workers.": ("labour", "劳模档案与劳模服务记录（labour 应用）尚未建成"),
    "innovation.": ("labour", "合理化建议、技术创新与创新工作室记录（labour 应用）尚未建成"),
    "competitions.": ("activities", "劳动和技能竞赛及参赛记录（activities 应用，第5号任务）"),
    "skills.": ("activities", "技能培训与学历提升记录（activities 应用，第5号任务）"),
    "safety.": ("activities", "“安康杯”竞赛与劳动保护活动（activities 应用，第5号任务）"),
    "culture.": ("activities", "文体活动记录（activities 应用，第5号任务）"),
    "publicity.": ("activities", "宣讲、宣传资料与宣传报道记录（activities 应用，第5号任务）"),
    "women.": ("activities", "女职工讲座与培训记录（activities 应用，第5号任务）"),
    "family.": ("activities", "单身青年联谊活动记录（activities 应用，第5号任务）"),
    "facilities.": ("facilities", "职工之家、书屋、母婴室等阵地登记（facilities 应用，第5号任务）"),
    "members.": ("members", "会员实名制登记与会籍变动记录（members 应用，第4号任务）"),
    "self.": ("activities", "会议、整改、干部培训等自身建设记录（第5号任务）"),
    "orgs.star_rated.": ("activities", "星级工会评定记录（第5号任务）"),
    "orgs.establishment_rate.": ("activities", "建会率需与组建工作一同建成（第5号任务）"),
}

NOT_FROM_RECORDS = {
    "meta.date": "日期直接引用记录中的日期（活动、发放、截止时间），不做汇总",
    "meta.rank": "外部比赛的名次、奖次，按记录原文打印",
    "meta.anniversary": "纪念周年等外部事实",
    "meta.rule": "制度规定的频次，是规则文本不是统计数",
    "meta.external": "非工会数据（如招生人数），由起草人手工填写",
    "meta.other": "文稿结构性数字（如自查方面数）",
    "param.rate": "会费比例、奖励和拨款标准等配置参数，按配置原样打印",
    "param.size_threshold": "“X人以上企业”的规模门槛，是其他指标的筛选参数（GONGHUI_PARAMS）",
    "param.age_threshold": "“X岁以上老劳模”的年龄门槛，是筛选参数",
    "family.singles_mixer.match_rate": "联谊交友成功率不形成记录",
    "poverty.consumption_cards": "消费扶贫爱心卡开卡数由银行或政府掌握，工会不保存",
    "consumption.mobilised.amount": "动员消费资金是估算数，不是记录",
    "consumption.driven.amount": "带动社会消费是估算数，不是记录",
}


def declare_statuses() -> None:
    for prefix, (domain, reason) in PENDING_FAMILIES.items():
        REGISTRY.pending(prefix, domain=domain, reason=reason)
    for key, reason in NOT_FROM_RECORDS.items():
        REGISTRY.not_from_records(key, reason=reason)


def coverage() -> dict[str, list[str]]:
    """Keys of the catalogue by status."""
    out: dict[str, list[str]] = {"implemented": [], "pending": [], "not_from_records": [], "missing": []}
    for entry in entries():
        state, _reason = REGISTRY.status(entry.key)
        out[state].append(entry.key)
    return out
