"""Concern events for side effects (notifications, webhooks). Receivers run only after the
transaction commits, so a failing SMS gateway can never undo or block a workflow step."""
from django.db import transaction
from django.dispatch import Signal

# sender=Concern, concern_id, action, from_state, to_state
concern_event = Signal()


def emit(concern, action: str, *, from_state: str, to_state: str) -> None:
    from .models import Concern

    def send():
        concern_event.send_robust(sender=Concern, concern_id=concern.pk, action=action, from_state=from_state, to_state=to_state)

    transaction.on_commit(send)
