from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "huiying.records"
    verbose_name = "工作记录"
