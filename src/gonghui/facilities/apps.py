from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "gonghui.facilities"
    label = "facilities"
    verbose_name = "阵地建设"

    def ready(self) -> None:
        from gonghui.portal.nav import NavItem, register

        register(NavItem("facilities", "阵地名录", "facilities:list", "ti-home-heart", "facilities.view", order=400))
        register(NavItem("facilities", "阵地统计", "facilities:figures", "ti-chart-pie", "facilities.view",
                         order=410))
