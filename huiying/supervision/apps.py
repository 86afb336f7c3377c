from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "huiying.supervision"
    verbose_name = "监督"
