from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "huiying.stats"
    verbose_name = "统计"
