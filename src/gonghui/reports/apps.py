from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ReportsConfig(AppConfig):
    name = "gonghui.reports"
    label = "reports"
    verbose_name = "统计报表"

    def ready(self) -> None:
        from gonghui.portal.home import HomePanel
        from gonghui.portal.home import register as register_panel
        from gonghui.portal.nav import NavItem, register
        from gonghui.reports import catalog, dashboard

        register(NavItem("reports", "数据看板", "figures:dashboard", "ti-chart-bar", "reports.view", order=690))
        register(NavItem("reports", "年度工作总结", "summary:list", "ti-file-text", "reports.view", order=700))
        register_panel(HomePanel("dashboard", "reports/figures/_home_panel.html", dashboard.home_panel, order=50))
        register(NavItem("reports", "统计年报", "annual_return:list", "ti-table", "reports.view", order=710))
        autodiscover_modules("metrics")  # each domain app defines its figures in <app>/metrics.py
        catalog.declare_statuses()
