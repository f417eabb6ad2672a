from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ReportsConfig(AppConfig):
    name = "gonghui.reports"
    label = "reports"
    verbose_name = "统计报表"

    def ready(self) -> None:
        from gonghui.reports import catalog

        autodiscover_modules("metrics")  # each domain app defines its figures in <app>/metrics.py
        catalog.declare_statuses()
