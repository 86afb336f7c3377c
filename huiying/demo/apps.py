from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "huiying.demo"
    verbose_name = "演示数据"
