from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "huiying.training"
    verbose_name = "培训"
