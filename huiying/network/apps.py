from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "huiying.network"
    verbose_name = "回应网络"
