from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "huiying.rota"
    verbose_name = "轮值"
