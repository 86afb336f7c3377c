from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "huiying.dashboard"
    verbose_name = "指挥看板"

    def ready(self):
        from huiying.concerns.events import ticked

        ticked.connect(_fold, dispatch_uid="huiying.dashboard.fold")


def _fold(sender, today, **kwargs):
    from .services import tally_fold

    tally_fold(today)
