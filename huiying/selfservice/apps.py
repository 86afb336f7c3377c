from django.apps import AppConfig


class SelfserviceConfig(AppConfig):
    name = "huiying.selfservice"
    verbose_name = "村民自助"
