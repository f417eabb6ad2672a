from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "gonghui.orgs"
    label = "orgs"
    verbose_name = "组织建设"

    def ready(self) -> None:
        from gonghui.portal.nav import NavItem, register

        register(NavItem("orgs", "组织架构", "orgs:tree", "ti-sitemap", "orgs.view", order=100))
        register(NavItem("orgs", "用人单位", "orgs:employers", "ti-building-factory-2", "orgs.view", order=110))
