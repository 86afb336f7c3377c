from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "huiying.printing"
    verbose_name = "打印"
