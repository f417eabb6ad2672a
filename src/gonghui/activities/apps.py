from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "gonghui.activities"
    label = "activities"
    verbose_name = "活动记录"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_refresh_national_types, sender=self)

        from gonghui.activities.views import home_panel
        from gonghui.portal.home import HomePanel
        from gonghui.portal.home import register as register_panel
        from gonghui.portal.nav import NavItem, register

        register_panel(HomePanel("activities", "activities/_home_panel.html", home_panel, order=300))

        register(NavItem("activities", "活动日历", "activities:calendar", "ti-calendar-event", "activities.view",
                         order=300))
        register(NavItem("activities", "活动记录", "activities:list", "ti-list-details", "activities.view",
                         order=310))
        register(NavItem("activities", "宣传报道", "activities:publicity", "ti-news", "activities.view", order=320))
        register(NavItem("activities", "宣传资料", "activities:materials", "ti-files", "activities.view", order=330))
        register(NavItem("activities", "赠阅刊物", "activities:subscriptions", "ti-notebook", "activities.view",
                         order=335))
        register(NavItem("activities", "文体协会", "activities:clubs", "ti-users-group", "activities.view", order=336))
        register(NavItem("activities", "推优入党", "activities:party_recommendations", "ti-flag", "activities.view",
                         order=337))
        register(NavItem("activities", "活动统计", "activities:figures", "ti-chart-bar", "activities.view",
                         order=340))
        register(NavItem("activities", "活动类型", "activities:types", "ti-tags", "activities.view", order=350))



def _refresh_national_types(sender: AppConfig, **kwargs: object) -> None:
    """Keep the national activity types in step with vocab.py after every migrate (and after a test flush)."""
    from gonghui.activities.services import ensure_national_types

    ensure_national_types()
