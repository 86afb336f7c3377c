from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "huiying.cadres"
    verbose_name = "预约下站"
