from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "huiying.reports"
    verbose_name = "导出与报表"
