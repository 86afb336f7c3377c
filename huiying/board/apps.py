from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "huiying.board"
    verbose_name = "公示"
