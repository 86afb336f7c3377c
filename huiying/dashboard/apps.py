from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "huiying.dashboard"
    verbose_name = "指挥看板"
