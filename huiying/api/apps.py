from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "huiying.api"
    verbose_name = "接口"
