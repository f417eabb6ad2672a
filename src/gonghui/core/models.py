"""Accounts, roles, API tokens and the audit log."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from gonghui.core.scope import Scoped


class User(Scoped, AbstractUser):
    """A person who logs in: a union officer, clerk or federation administrator."""

    scope_fields: ClassVar[tuple[str, ...]] = ("role_assignments__org",)
    scope_domain = "users"

    full_name = models.CharField("姓名", max_length=50, blank=True)
    failed_logins = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class Role(models.Model):
    """A named set of capabilities (``domain.action``, ``domain.*`` or ``*``)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40)
    description = models.CharField("说明", max_length=200, blank=True)
    capabilities = models.JSONField("权限", default=list)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(Scoped, models.Model):
    """A user holds a role at one union, for that union alone or with its subtree."""

    scope_domain = "users"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="role_assignments",
                            verbose_name="工会")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, verbose_name="角色")
    include_subtree = models.BooleanField("含所属工会", default=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="unique_role_assignment"),
        ]

    def __str__(self) -> str:
        extent = "本级及所属" if self.include_subtree else "仅本级"
        return f"{self.user} · {self.org} · {self.role}（{extent}）"


class ApiToken(Scoped, models.Model):
    """A bearer token for the API; only its SHA-256 hash is stored."""

    scope_fields: ClassVar[tuple[str, ...]] = ("user__role_assignments__org",)
    scope_domain = "users"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=60, default="默认")
    prefix = models.CharField("前缀", max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}…（{self.user}）"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AuditLog(Scoped, models.Model):
    """Who changed (or revealed, exported, imported) what, when, with before and after."""

    scope_domain = "audit"

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        MOVE = "move", "调整隶属"
        DISSOLVE = "dissolve", "撤销"
        REVEAL = "reveal", "查看敏感信息"
        EXPORT = "export", "导出"
        IMPORT = "import", "导入"
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        OTHER = "other", "其他"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="操作人")
    username = models.CharField("用户名", max_length=150, blank=True)
    org = models.ForeignKey("orgs.Org", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+", verbose_name="所属工会")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=60, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["org", "-at"], name="audit_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
