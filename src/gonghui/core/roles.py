"""The default roles every deployment starts with (a deployment may add its own)."""

from __future__ import annotations

from gonghui.core.scope import DOMAINS

DATA_DOMAINS = [d for d in DOMAINS if d not in ("users", "audit")]

DEFAULT_ROLES: list[dict[str, object]] = [
    {
        "code": "federation_admin",
        "name": "工会管理员",
        "description": "管理本级及所属工会的全部业务、用户和审计日志，可查看完整个人信息",
        "capabilities": ["*"],
    },
    {
        "code": "officer",
        "name": "工会干部",
        "description": "办理本级及所属工会的各项业务，可审批、查看完整个人信息和审计日志",
        "capabilities": [f"{d}.{a}" for d in DATA_DOMAINS for a in ("view", "edit", "approve")]
        + ["members.pii", "audit.view", "users.view"],
    },
    {
        "code": "clerk",
        "name": "信息录入员",
        "description": "录入和维护业务数据，个人信息只显示脱敏后的内容",
        "capabilities": [f"{d}.{a}" for d in DATA_DOMAINS for a in ("view", "edit")],
    },
    {
        "code": "viewer",
        "name": "只读用户",
        "description": "查看业务数据和统计报表，个人信息脱敏显示",
        "capabilities": [f"{d}.view" for d in DATA_DOMAINS],
    },
]


def ensure_default_roles(role_model: type | None = None) -> None:
    """Create or refresh the default roles (used by the data migration and by test setups
    that run after a flush, which empties the tables the migration filled)."""
    if role_model is None:
        from gonghui.core.models import Role

        role_model = Role
    for spec in DEFAULT_ROLES:
        role_model.objects.update_or_create(  # type: ignore[attr-defined]
            code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"})
