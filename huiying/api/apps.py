from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "huiying.api"
    verbose_name = "接口"

    def ready(self):
        from huiying.concerns.events import concern_event

        from . import auth  # noqa: F401  (registers the token scheme with drf-spectacular)
        from .webhooks.events import on_concern_event

        concern_event.connect(on_concern_event, dispatch_uid="huiying.api.webhooks")
