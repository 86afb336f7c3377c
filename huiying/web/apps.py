from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "huiying.web"
    verbose_name = "工作台"
