"""Demo: the villagers of the newest open concerns at 城中镇 have their registration texts
queued, so the worker of `huiying demo` sends them (to the data dir's notifications file)
and the concern pages show their messages."""
from huiying.concerns.models import OPEN_STATES, Concern

from .models import Kind
from .services import notifications_queue


def seed(*, county, today):
    recent = (
        Concern.objects.filter(received_county=county, received_township__name="城中镇", state__in=OPEN_STATES, confidential=False)
        .exclude(villagers__phone="").order_by("-received_at", "-id")[:5]
    )
    for concern in recent:
        notifications_queue(concern=concern, kind=Kind.REGISTERED)
