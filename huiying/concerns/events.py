"""Concern events for side effects (notifications, webhooks). Receivers run only after the
transaction commits, so a failing SMS gateway can never undo or block a workflow step."""
import contextlib
import contextvars

from django.db import transaction
from django.dispatch import Signal

# sender=Concern, concern_id, action, from_state, to_state
concern_event = Signal()
# sent by every deadline tick, after it flagged what is overdue: today (a local date)
ticked = Signal()

_quiet = contextvars.ContextVar("huiying_events_quiet", default=False)


@contextlib.contextmanager
def quiet():
    """No events while loading history (the demo's year, an import of paper registers): the
    villagers were told at the time, and integrations must not replay the past as news."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def emit(concern, action: str, *, from_state: str, to_state: str) -> None:
    from .models import Concern

    if _quiet.get():
        return

    def send():
        concern_event.send_robust(sender=Concern, concern_id=concern.pk, action=action, from_state=from_state, to_state=to_state)

    transaction.on_commit(send)
