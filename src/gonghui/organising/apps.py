from django.apps import AppConfig


class OrganisingConfig(AppConfig):
    name = "gonghui.organising"
    label = "organising"
    verbose_name = "组建与规范化建设"

    def ready(self) -> None:
        from gonghui.portal.nav import NavItem, register

        register(NavItem("orgs", "建会入会率", "organising:coverage", "ti-chart-donut", "orgs.view", order=120))
        register(NavItem("orgs", "建会行动", "organising:campaigns", "ti-flag", "orgs.view", order=130))
        register(NavItem("orgs", "换届提醒", "organising:terms", "ti-calendar-due", "orgs.view", order=140))
        register(NavItem("orgs", "星级评定", "organising:ratings", "ti-star", "orgs.view", order=150))
        register(NavItem("orgs", "规范化建设", "organising:assessments", "ti-clipboard-check", "orgs.view",
                         order=160))
