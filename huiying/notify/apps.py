from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "huiying.notify"
    verbose_name = "通知"

    def ready(self):
        from huiying.concerns.events import concern_event

        from .services import on_concern_event

        concern_event.connect(on_concern_event, dispatch_uid="huiying.notify")
