"""The national activity taxonomy and the tag vocabularies (GLOSSARY.md, spec/METRICS.md).

National types are seeded into ``ActivityType`` by a data migration (``org`` empty);
a federation may add its own types for its subtree, each counting as one of these.
Measures are the type-specific figures an activity of that type records (e.g. the
lots and proceeds of a charity auction), summed by the metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models


class TypeGroup(models.TextChoices):
    IDEOLOGY = "ideology", "思想引领与宣传教育"
    RIGHTS = "rights", "普法维权与民主管理"
    SKILLS = "skills", "技能培训与劳动竞赛"
    CULTURE = "culture", "文体活动"
    CARE = "care", "服务关爱"
    WOMEN = "women", "女职工与家庭"
    SELF = "self", "自身建设与会议"
    FACILITY = "facility", "阵地服务"
    OTHER = "other", "其他"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    decimal: bool = False  # money in 元 (two places); counts otherwise


@dataclass(frozen=True)
class NationalType:
    code: str
    name: str
    group: str
    measures: tuple[Measure, ...] = field(default_factory=tuple)


NATIONAL_TYPES: tuple[NationalType, ...] = (
    NationalType("lecture", "宣讲（报告会、专题辅导）", TypeGroup.IDEOLOGY),
    NationalType("publicity_campaign", "主题宣传活动", TypeGroup.IDEOLOGY),
    NationalType("reading", "读书活动", TypeGroup.IDEOLOGY),
    NationalType("essay_contest", "征文活动", TypeGroup.IDEOLOGY),
    NationalType("quiz", "知识竞赛", TypeGroup.IDEOLOGY),
    NationalType("speech_contest", "演讲比赛", TypeGroup.IDEOLOGY),
    NationalType("model_worker_forum", "劳模工匠座谈会", TypeGroup.IDEOLOGY),
    NationalType("museum_visit", "参观学习（教育基地、展馆）", TypeGroup.IDEOLOGY),
    NationalType("legal_outreach", "普法宣传", TypeGroup.RIGHTS),
    NationalType("legal_supervision", "劳动法律监督检查", TypeGroup.RIGHTS),
    NationalType("inspection", "劳动保护监督检查（巡查）", TypeGroup.RIGHTS),
    NationalType("openness_inspection", "厂务公开检查", TypeGroup.RIGHTS),
    NationalType("bargaining_guidance", "集体协商指导", TypeGroup.RIGHTS),
    NationalType("training", "职工技能培训", TypeGroup.SKILLS),
    NationalType("contest", "劳动和技能竞赛（比武）", TypeGroup.SKILLS),
    NationalType("contest_project", "劳动竞赛项目", TypeGroup.SKILLS),
    NationalType("culture", "文艺活动", TypeGroup.CULTURE),
    NationalType("sports", "体育活动（运动会、球赛、健步走）", TypeGroup.CULTURE),
    NationalType("charity_auction", "义拍", TypeGroup.CULTURE, (
        Measure("lots", "义拍作品", "幅"), Measure("proceeds", "义拍所得", "元", decimal=True))),
    NationalType("job_fair", "招聘会", TypeGroup.CARE, (
        Measure("positions", "提供岗位", "个"), Measure("jobseekers", "进场求职者", "人"),
        Measure("job_intents", "达成就业意向", "人"))),
    NationalType("health_check", "健康体检", TypeGroup.CARE),
    NationalType("recuperation", "疗休养", TypeGroup.CARE),
    NationalType("retirement_ceremony", "退休仪式", TypeGroup.CARE),
    NationalType("volunteer_service", "志愿服务", TypeGroup.CARE),
    NationalType("pandemic_support", "疫情防控支援", TypeGroup.CARE),
    NationalType("mixer", "单身青年联谊", TypeGroup.WOMEN),
    NationalType("cadre_training", "工会干部培训", TypeGroup.SELF),
    NationalType("study", "集中学习", TypeGroup.SELF),
    NationalType("seminar", "专题研讨", TypeGroup.SELF),
    NationalType("committee_plenary", "工会委员会（全委）会议", TypeGroup.SELF),
    NationalType("members_congress", "会员（代表）大会", TypeGroup.SELF),
    NationalType("union_congress", "工会代表大会", TypeGroup.SELF),
    NationalType("joint_with_admin", "与行政联席会议", TypeGroup.SELF),
    NationalType("work_inspection", "工会工作检查（考核走访）", TypeGroup.SELF),
    NationalType("facility_service", "阵地服务（驿站、书屋、母婴室）", TypeGroup.FACILITY),
    NationalType("other", "其他活动", TypeGroup.OTHER),
)
NATIONAL_CODES = frozenset(t.code for t in NATIONAL_TYPES)
MEASURES_BY_CODE: dict[str, tuple[Measure, ...]] = {t.code: t.measures for t in NATIONAL_TYPES}
# Types whose participants are trainees: hours and certificates apply.
TRAINING_CODES = frozenset({"training", "cadre_training"})


class Campaign(models.TextChoices):
    """Named campaigns an activity belongs to (GLOSSARY: 活动品牌)."""

    ANKANG_CUP = "ankang_cup", "“安康杯”竞赛"
    CULTURE_OUTREACH = "culture_outreach", "送文化进企业"
    SPRING_JOBS = "spring_jobs", "春送岗位"
    SUMMER_COOLING = "summer_cooling", "夏送清凉"
    AUTUMN_AID = "autumn_aid", "金秋助学"
    WINTER_WARMTH = "winter_warmth", "冬送温暖"
    WARM_CURRENT = "warm_current", "暖流行动"
    FESTIVAL = "festival", "节日慰问"
    PANDEMIC = "pandemic", "疫情防控"
    DREAM_STUDY = "dream_study", "求学圆梦行动"


class Topic(models.TextChoices):
    """Subject tags; an activity may carry several."""

    POLICY = "policy", "政策理论"
    LEGAL = "legal", "法律法规"
    SAFETY = "safety", "安全生产"
    SKILLS = "skills", "技能提升"
    JOBS = "jobs", "就业创业"
    HEALTH = "health", "健康知识"
    MENTAL_HEALTH = "mental_health", "心理健康"
    PANDEMIC = "pandemic", "疫情防控"
    WOMEN_SCREENING = "women_screening", "“两癌”筛查"
    WORKFORCE_REFORM = "workforce_reform", "产业工人队伍建设改革"
    DEMOCRACY = "democracy", "民主管理"
    TRIPARTITE = "tripartite", "三方协调"
    MODEL_WORKERS = "model_workers", "劳模工匠精神"
    PARTY_HISTORY = "party_history", "党史学习教育"
    MEMBERSHIP = "membership", "入会宣传"


class Audience(models.TextChoices):
    ALL = "", "全体职工"
    WOMEN = "women", "女职工"
    YOUTH = "youth", "青年职工"
    MIGRANT = "migrant", "农民工"
    NEW_FORMS = "new_forms", "新就业形态劳动者"
    MODEL_WORKERS = "model_workers", "劳模工匠"
    OFFICERS = "officers", "工会干部"
    RETIRED = "retired", "退休职工"


class Level(models.TextChoices):
    """Level of an outlet or an award."""

    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    DISTRICT = "district", "区（县）级"
    OWN = "own", "本级"


class PublicityType(models.TextChoices):
    POST = "post", "推送信息"
    REPORT = "report", "新闻报道"
    VIDEO = "video", "视频"
    ARTICLE = "article", "文章（评论、理论）"


class MaterialTopic(models.TextChoices):
    POLICY = "policy", "政策理论"
    LEGAL = "legal", "法律法规"
    SAFETY = "safety", "安全生产"
    JOBS = "jobs", "就业创业"
    PANDEMIC = "pandemic", "疫情防控"
    HEALTH = "health", "健康知识"
    WOMEN = "women", "女职工权益"
    MEMBERSHIP = "membership", "入会宣传"
    OTHER = "other", "其他"
