"""People, their memberships of unions, dated membership changes, transfers and import jobs.

A ``Person`` is one natural person, identified by the blind index of the ID
number (unique across the whole database). A ``Member`` is that person's
membership of one union over a period; a transfer closes one membership and
opens the next, so each union keeps the record of its former members. The
membership's state derives from its ``MembershipChange`` events: the latest
event on or before a date says whether the member was active, retained or gone.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from gonghui.core.crypto import EncryptedTextField, mask_id_number, mask_phone
from gonghui.core.scope import Scoped
from gonghui.members import vocab
from gonghui.orgs.models import Gender


class MemberStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    RETAINED = "retained", "保留会籍"
    LEFT = "left", "已离会"


class ChangeType(models.TextChoices):
    JOIN = "join", "入会"
    TRANSFER_IN = "transfer_in", "转入"
    TRANSFER_OUT = "transfer_out", "转出"
    RETAIN = "retain", "保留会籍"
    RESTORE = "restore", "恢复会籍"
    LEAVE = "leave", "退会"
    EXPEL = "expel", "除名"


# The state a membership is in after each kind of event.
STATUS_AFTER: dict[str, str] = {
    ChangeType.JOIN: MemberStatus.ACTIVE,
    ChangeType.TRANSFER_IN: MemberStatus.ACTIVE,
    ChangeType.RESTORE: MemberStatus.ACTIVE,
    ChangeType.RETAIN: MemberStatus.RETAINED,
    ChangeType.TRANSFER_OUT: MemberStatus.LEFT,
    ChangeType.LEAVE: MemberStatus.LEFT,
    ChangeType.EXPEL: MemberStatus.LEFT,
}
ACTIVE_CHANGES = tuple(t for t, s in STATUS_AFTER.items() if s == MemberStatus.ACTIVE)


class NewGroup(models.TextChoices):
    """新就业形态劳动者: the eight groups (八大群体) and ride-hailing drivers."""

    TRUCK_DRIVER = "truck_driver", "货车司机"
    COURIER = "courier", "快递员"
    CAREGIVER = "caregiver", "护工护理员"
    DOMESTIC_WORKER = "domestic_worker", "家政服务员"
    MALL_INFO_CLERK = "mall_info_clerk", "商场信息员"
    FOOD_DELIVERY_RIDER = "food_delivery_rider", "网约送餐员"
    ESTATE_AGENT = "estate_agent", "房产中介员"
    SECURITY_GUARD = "security_guard", "保安员"
    RIDE_HAILING_DRIVER = "ride_hailing_driver", "网约车司机"


class Person(Scoped, models.Model):
    """A natural person identified by an ID number (one row per number, whole database)."""

    # A person is seen by the unions that hold (or held) their membership.
    scope_fields: ClassVar[tuple[str, ...]] = ("memberships__org",)
    scope_domain = "members"

    id_type = models.CharField("有效证件类别", max_length=24, default="resident_id")
    id_number = EncryptedTextField("证件号码")
    # HMAC of the ID number: exact lookup and uniqueness without the clear value.
    id_number_bidx = models.CharField(max_length=40, unique=True,
                                      error_messages={"unique": "该证件号码已登记"})
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=6, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    ethnicity = models.CharField("民族", max_length=12, blank=True)
    employment_status = models.CharField("就业状况", max_length=24, blank=True)
    education = models.CharField("学历", max_length=24, blank=True)
    skill_level = models.CharField("技能等级", max_length=24, blank=True)
    mobile = EncryptedTextField("移动电话", blank=True)
    mobile_bidx = models.CharField(max_length=40, blank=True, db_index=True)
    household_type = models.CharField("户籍类型", max_length=24, blank=True)
    household_place = models.CharField("户籍所在地", max_length=100, blank=True)
    political_status = models.CharField("政治面貌", max_length=24, blank=True)
    native_place = models.CharField("籍贯", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "职工（个人）"
        verbose_name_plural = "职工（个人）"

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)

    def label(self, kind: str) -> str:
        return vocab.label(kind, getattr(self, kind))

    @property
    def age(self) -> int | None:
        return self.age_on(dt.date.today())

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class Member(Scoped, models.Model):
    """A person's membership of one union over a period."""

    scope_domain = "members"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name="职工")
    # Indexed by (org, status) below.
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="members", verbose_name="工会",
                            db_index=False)
    employer = models.ForeignKey("orgs.Employer", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="members", verbose_name="工作单位（登记）")
    employer_name = models.CharField("工作单位", max_length=120, blank=True)
    card_no = models.CharField("会员证号", max_length=30, blank=True)
    joined_on = models.DateField("入会日期")
    left_on = models.DateField("离会日期", null=True, blank=True)
    status = models.CharField("会籍状态", max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    is_migrant = models.BooleanField("农民工", default=False)
    new_group = models.CharField("新就业形态群体", max_length=24, choices=NewGroup.choices, blank=True)
    realname_entered_on = models.DateField("实名制录入日期", null=True, blank=True)
    dues_base = models.DecimalField("会费基数（元/月）", max_digits=10, decimal_places=2, null=True, blank=True)
    dues_paid_until = models.DateField("会费缴至", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "会员"
        verbose_name_plural = "会员"
        ordering = ["org", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["card_no"], condition=~Q(card_no=""), name="member_card_no_unique",
                                    violation_error_message="该会员证号已被使用"),
            # One membership that counts (active or retained) per person at a time.
            models.UniqueConstraint(fields=["person"], condition=~Q(status="left"), name="member_one_current",
                                    violation_error_message="此人已是其他工会的会员，不能重复入会"),
        ]
        indexes = [
            models.Index(fields=["org", "status"], name="member_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.org.name}）"

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.pk])

    @property
    def employer_display(self) -> str:
        return self.employer.name if self.employer_id and self.employer else self.employer_name


class MembershipChange(Scoped, models.Model):
    """One dated event in a membership's history (入会, 转入, 转出, 保留会籍, 恢复会籍, 退会, 除名)."""

    scope_domain = "members"

    # Indexed by the composite indexes below (member, date) and (org, date).
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="changes", verbose_name="会员",
                               db_index=False)
    # The membership's union, kept on the event so figures group by the tree without a join.
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="membership_changes",
                            verbose_name="工会", db_index=False)
    change_type = models.CharField("会籍变化类型", max_length=16, choices=ChangeType.choices)
    changed_on = models.DateField("会籍变化日期")
    reason = models.CharField("会籍变化原因", max_length=200, blank=True)
    # Rarely set and never searched by: no index (inserts of a large import stay cheap).
    counterpart = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="转出/转入工会", db_index=False)
    transfer = models.ForeignKey("TransferRequest", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="changes", verbose_name="转会申请", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "会籍变化"
        verbose_name_plural = "会籍变化"
        ordering = ["member", "changed_on", "id"]
        indexes = [
            models.Index(fields=["member", "changed_on", "id"], name="change_member_date"),
            models.Index(fields=["change_type", "changed_on"], name="change_type_date"),
        ]

    def __str__(self) -> str:
        return f"{self.changed_on} {self.get_change_type_display()}"

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.member_id]) + "#history"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "待接收"
    ACCEPTED = "accepted", "已接收"
    REJECTED = "rejected", "已退回"
    CANCELLED = "cancelled", "已撤回"


class TransferRequest(Scoped, models.Model):
    """A transfer (转会) started by the releasing union and confirmed by the receiving one."""

    # Both sides see it: the releasing union in its outbox, the receiving one in its inbox.
    scope_fields: ClassVar[tuple[str, ...]] = ("from_org", "to_org")
    scope_domain = "members"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers", verbose_name="会员")
    from_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="transfers_out",
                                 verbose_name="转出工会")
    to_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="transfers_in",
                               verbose_name="转入工会")
    transfer_on = models.DateField("转会日期")
    reason = models.CharField("转会原因", max_length=200)
    new_employer_name = models.CharField("新工作单位", max_length=120, blank=True)
    status = models.CharField("状态", max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="发起人")
    requested_at = models.DateTimeField("发起时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="办理人")
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    decision_note = models.CharField("办理意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "转会申请"
        verbose_name_plural = "转会申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(status="pending"), name="transfer_one_pending",
                                    violation_error_message="该会员已有待接收的转会申请"),
        ]
        indexes = [models.Index(fields=["to_org", "status"], name="transfer_to_status")]

    def __str__(self) -> str:
        return f"{self.member.person.name}：{self.from_org.name} → {self.to_org.name}"

    def get_absolute_url(self) -> str:
        return reverse("members:transfer_detail", args=[self.pk])


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "检查中"
    CHECKED = "checked", "待确认"
    INVALID = "invalid", "文件无法读取"
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ImportJob(Scoped, models.Model):
    """One staged member import: upload, check (preview), commit in the background."""

    scope_domain = "members"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="member_imports",
                            verbose_name="导入工会")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="操作人")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    skip_invalid = models.BooleanField("跳过有误的行", default=False)
    status = models.CharField("状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    rows = models.PositiveIntegerField("数据行", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("无变化", default=0)
    rejected = models.PositiveIntegerField("有误", default=0)
    errors = models.JSONField("错误（前500条）", default=list, blank=True)
    preview = models.JSONField("预览", default=dict, blank=True)
    message = models.TextField("说明", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "会员导入"
        verbose_name_plural = "会员导入"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("members:import_detail", args=[self.pk])


class MemberTally(Scoped, models.Model):
    """The change on one day of a member count of a union's subtree (see members.tally)."""

    scope_domain = "members"

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="工会",
                            db_index=False)  # the unique (org, measure, day) below serves every lookup
    measure = models.CharField("计数", max_length=16)
    day = models.DateField("日期")
    delta = models.IntegerField("变化")

    class Meta:
        verbose_name = "会员计数（按日变化）"
        verbose_name_plural = "会员计数（按日变化）"
        constraints = [models.UniqueConstraint(fields=["org", "measure", "day"], name="membertally_org_measure_day")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.measure} {self.day} {self.delta:+d}"


class MemberTallyPair(Scoped, models.Model):
    """People (memberships) of a union's subtree with 入会 events on both ``day`` and the next, ``until``."""

    scope_domain = "members"

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="工会",
                            db_index=False)
    measure = models.CharField("计数", max_length=16)
    day = models.DateField("入会日期")
    until = models.DateField("再次入会日期")
    people = models.IntegerField("人数")

    class Meta:
        verbose_name = "会员计数（重复入会）"
        verbose_name_plural = "会员计数（重复入会）"
        constraints = [models.UniqueConstraint(fields=["org", "measure", "day", "until"],
                                               name="membertallypair_unique")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.measure} {self.day}–{self.until} {self.people}"
