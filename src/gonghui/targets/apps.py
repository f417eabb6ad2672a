from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "gonghui.targets"
    label = "targets"
    verbose_name = "目标考核"

    def ready(self) -> None:
        from gonghui.portal.nav import NavItem, register

        register(NavItem("targets", "目标任务", "targets:list", "ti-target-arrow", "targets.view", order=600))
        register(NavItem("targets", "完成情况", "targets:completion", "ti-chart-bar", "targets.view", order=610))
        register(NavItem("targets", "目标考核", "targets:schemes", "ti-award", "targets.view", order=620))
