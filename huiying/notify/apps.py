from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "huiying.notify"
    verbose_name = "通知"
