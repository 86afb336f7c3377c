from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "huiying.concerns"
    verbose_name = "村民关切"
