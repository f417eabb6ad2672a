"""The union tree, its committees and officers, and the employer register."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from treebeard.mp_tree import MP_Node

from gonghui.core.crypto import EncryptedTextField
from gonghui.core.scope import Scoped

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9._-]{0,63}$", "工会代码只能使用大写字母、数字、点、下划线和连字符，例如 GZ.TH.0001"
)


class OrgKind(models.TextChoices):
    FEDERATION = "federation", "总工会/工会联合会"
    INDUSTRY = "industry", "产业（系统）工会"
    GRASSROOTS = "grassroots", "基层工会"
    BRANCH = "branch", "分工会"
    GROUP = "group", "工会小组"


class OrgLevel(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    DISTRICT = "district", "区（县）级"
    TOWN = "town", "乡镇"
    SUBDISTRICT = "subdistrict", "街道"
    COMMUNITY = "community", "社区"
    VILLAGE = "village", "村"
    PARK = "park", "园区"


class OrgMode(models.TextChoices):
    SINGLE = "single", "单独建会"
    JOINT = "joint", "联合建会"


class JointType(models.TextChoices):
    BUILDING = "building", "楼宇"
    BUSINESS_DISTRICT = "business_district", "商圈"
    MARKET = "market", "市场"
    COMMUNITY = "community", "社区"
    INDUSTRY = "industry", "行业"
    PARK = "park", "园区"
    VILLAGE = "village", "村"


class Ownership(models.TextChoices):
    STATE_OWNED = "state_owned", "国有及国有控股企业"
    COLLECTIVE = "collective", "集体企业"
    NON_PUBLIC = "non_public", "非公有制企业"
    GOVERNMENT = "government", "机关"
    PUBLIC_INSTITUTION = "public_institution", "事业单位"
    SOCIAL_ORG = "social_org", "社会组织"
    INDIVIDUAL_BUSINESS = "individual_business", "个体经济组织"


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections (门类)."""

    A = "A", "农、林、牧、渔业"
    B = "B", "采矿业"
    C = "C", "制造业"
    D = "D", "电力、热力、燃气及水生产和供应业"
    E = "E", "建筑业"
    F = "F", "批发和零售业"
    G = "G", "交通运输、仓储和邮政业"
    H = "H", "住宿和餐饮业"
    I = "I", "信息传输、软件和信息技术服务业"  # noqa: E741
    J = "J", "金融业"
    K = "K", "房地产业"
    L = "L", "租赁和商务服务业"
    M = "M", "科学研究和技术服务业"
    N = "N", "水利、环境和公共设施管理业"
    O = "O", "居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "教育"
    Q = "Q", "卫生和社会工作"
    R = "R", "文化、体育和娱乐业"
    S = "S", "公共管理、社会保障和社会组织"
    T = "T", "国际组织"


class Employer(Scoped, models.Model):
    """A legal-entity employer (用人单位) on the register of an area union."""

    # Registered in an area (``org``, usually a town/street or district federation),
    # and visible to the unions that cover it.
    scope_fields: ClassVar[tuple[str, ...]] = ("org", "covering_unions")
    scope_domain = "orgs"

    org = models.ForeignKey("Org", on_delete=models.PROTECT, related_name="registered_employers",
                            verbose_name="登记工会")
    name = models.CharField("单位名称", max_length=120)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    industry = models.CharField("行业门类", max_length=1, choices=Industry.choices)
    trades = models.JSONField("行业标签", default=list, blank=True,
                              help_text="如 快递业、保安业、网约车，用于筛选")
    ownership = models.CharField("单位性质", max_length=24, choices=Ownership.choices)
    headcount = models.PositiveIntegerField("职工人数", default=0)
    female_headcount = models.PositiveIntegerField("女职工人数", default=0)
    is_small_micro = models.BooleanField("小微企业", default=False)
    above_scale = models.BooleanField("规模以上企业", default=False)
    new_sector = models.BooleanField("“三新”领域", default=False)
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    established_on = models.DateField("成立日期", null=True, blank=True)
    closed_on = models.DateField("注销日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "用人单位"
        verbose_name_plural = "用人单位"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["uscc"], condition=~Q(uscc=""), name="employer_uscc_unique"),
            models.CheckConstraint(condition=Q(female_headcount__lte=models.F("headcount")),
                                   name="employer_female_le_headcount"),
        ]
        indexes = [models.Index(fields=["org", "name"], name="employer_org_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:employer_detail", args=[self.pk])


class Org(Scoped, MP_Node):
    """One union in the federation tree, of any level or kind."""

    scope_fields: ClassVar[tuple[str, ...]] = ("",)
    scope_domain = "orgs"

    # 4 characters of base 36 per level: 1.6 million children per node.
    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    node_order_by: ClassVar[list[str]] = []

    code = models.CharField("工会代码", max_length=64, unique=True, validators=[code_validator])
    name = models.CharField("工会名称", max_length=120)
    kind = models.CharField("类别", max_length=16, choices=OrgKind.choices)
    level = models.CharField("层级", max_length=16, choices=OrgLevel.choices, blank=True)
    mode = models.CharField("建会方式", max_length=8, choices=OrgMode.choices, blank=True)
    joint_type = models.CharField("联合工会类型", max_length=20, choices=JointType.choices, blank=True)
    covered_entities = models.ManyToManyField(Employer, blank=True, related_name="covering_unions",
                                              verbose_name="涵盖单位")
    covered_workers = models.PositiveIntegerField("涵盖职工人数", default=0)
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    founded_on = models.DateField("成立日期")
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    reelected_on = models.DateField("最近换届日期", null=True, blank=True)
    term_years = models.PositiveSmallIntegerField("任期（年）", default=5,
                                                  validators=[MinValueValidator(1)])
    # Kept in step with founded_on/reelected_on/term_years by the services, so the
    # 换届 due and overdue lists are one indexed query.
    term_ends_on = models.DateField("本届任期届满", null=True, blank=True, db_index=True)
    realname_complete = models.BooleanField("已实现会员实名制管理", default=False)
    has_own_account = models.BooleanField("开设独立账户", default=False)
    account_opened_on = models.DateField("账户开立日期", null=True, blank=True)
    central_accounting = models.BooleanField("纳入财务集中核算", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "工会"
        verbose_name_plural = "工会"
        indexes = [
            # Children of a node: depth = d + 1 AND path LIKE 'prefix%' (pattern ops on PostgreSQL).
            models.Index(fields=["depth", "path"], name="org_depth_path",
                         opclasses=["int4_ops", "varchar_pattern_ops"]),
            models.Index(fields=["kind", "path"], name="org_kind_path",
                         opclasses=["varchar_pattern_ops", "varchar_pattern_ops"]),
            models.Index(fields=["founded_on"], name="org_founded_on"),
            # A subtree alone: path LIKE 'prefix%' (records joined to their union, at any depth).
            models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", args=[self.code])

    def is_active_on(self, day: dt.date) -> bool:
        return self.founded_on <= day and (self.dissolved_on is None or self.dissolved_on > day)

    @property
    def status(self) -> str:
        return "active" if self.is_active_on(dt.date.today()) else "dissolved"

    @property
    def status_label(self) -> str:
        if self.dissolved_on and self.dissolved_on <= dt.date.today():
            return "已撤销"
        if self.founded_on > dt.date.today():
            return "筹建中"
        return "正常"

    def compute_term_ends_on(self) -> dt.date | None:
        start = self.reelected_on or self.founded_on
        if start is None:
            return None
        try:
            return start.replace(year=start.year + self.term_years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + self.term_years, day=28)


class CommitteeKind(models.TextChoices):
    UNION = "union", "工会委员会"
    AUDIT = "audit", "经费审查委员会"
    WOMEN = "women", "女职工委员会"
    SAFETY = "safety", "劳动保护监督检查委员会"
    LEGAL_SUPERVISION = "legal_supervision", "劳动法律监督委员会"
    MEDIATION = "mediation", "劳动争议调解委员会"


class Committee(Scoped, models.Model):
    """A committee of a union, elected for a term."""

    scope_domain = "orgs"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="committees", verbose_name="工会")
    kind = models.CharField("委员会", max_length=20, choices=CommitteeKind.choices)
    elected_on = models.DateField("产生日期")
    term_ends_on = models.DateField("任期届满", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)

    class Meta:
        verbose_name = "委员会"
        verbose_name_plural = "委员会"
        ordering = ["org", "kind", "-elected_on"]

    def __str__(self) -> str:
        return f"{self.org.name}{self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", args=[self.org.code]) + "#committee"


class OfficerRole(models.TextChoices):
    CHAIR = "chair", "主席"
    VICE_CHAIR = "vice_chair", "副主席"
    COMMITTEE_MEMBER = "committee_member", "委员"
    ORGANISER = "organiser", "组织员"
    GROUP_LEADER = "group_leader", "工会小组长"
    STAFF = "staff", "工会工作人员"
    BARGAINING_INSTRUCTOR = "bargaining_instructor", "集体协商指导员"
    SAFETY_INSPECTOR = "safety_inspector", "劳动保护监督检查员"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Officer(Scoped, models.Model):
    """A person holding a post at a union over a dated term."""

    scope_domain = "orgs"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="officers", verbose_name="工会")
    committee = models.ForeignKey(Committee, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="officers", verbose_name="委员会")
    role = models.CharField("职务", max_length=24, choices=OfficerRole.choices)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=6, choices=Gender.choices)
    mobile = EncryptedTextField("手机号码", blank=True)
    full_time = models.BooleanField("专职", default=False)
    is_social_worker = models.BooleanField("社会化工会工作者", default=False)
    by_election = models.BooleanField("增补", default=False)
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = "工会干部"
        verbose_name_plural = "工会干部"
        ordering = ["org", "role", "started_on"]
        indexes = [models.Index(fields=["org", "ended_on"], name="officer_org_ended")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("orgs:officer_edit", args=[self.pk])

    def is_active_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


class OrgEvent(Scoped, models.Model):
    """A dated change of a union: founded, moved in the tree, renamed, re-elected, dissolved.

    Moves keep the previous parent, so the tree as of any date can be rebuilt.
    """

    scope_domain = "orgs"

    class Kind(models.TextChoices):
        FOUNDED = "founded", "成立"
        MOVED = "moved", "调整隶属关系"
        RENAMED = "renamed", "更名"
        REELECTED = "reelected", "换届"
        DISSOLVED = "dissolved", "撤销"
        RESTORED = "restored", "恢复"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="events", verbose_name="工会")
    kind = models.CharField("事项", max_length=16, choices=Kind.choices)
    occurred_on = models.DateField("日期")
    from_parent = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="原上级工会")
    to_parent = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="新上级工会")
    old_name = models.CharField("原名称", max_length=120, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "组织变动"
        verbose_name_plural = "组织变动"
        ordering = ["org", "occurred_on", "id"]
        indexes = [models.Index(fields=["kind", "occurred_on"], name="orgevent_kind_date")]

    def __str__(self) -> str:
        return f"{self.org.name} {self.occurred_on} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", args=[self.org.code]) + "#history"
