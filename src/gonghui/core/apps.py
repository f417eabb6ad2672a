from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gonghui.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from gonghui.portal.nav import NavItem, register

        register(NavItem("audit", "审计日志", "core:audit", "ti-history", "audit.view", order=900,
                         section="系统管理"))
        register(NavItem("users", "用户与权限", "core:users", "ti-users-group", "users.view", order=910,
                         section="系统管理"))
