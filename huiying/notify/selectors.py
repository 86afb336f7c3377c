"""Reads of notifications for staff: always through the concerns the reader may see."""
from django.db.models import QuerySet

from huiying import access
from huiying.concerns.dossier import mask_phone

from .models import Notification


def for_concern(concern) -> list[Notification]:
    return list(Notification.objects.filter(concern=concern).order_by("created_at", "id"))


def visible(user) -> QuerySet[Notification]:
    return Notification.objects.filter(concern__in=access.visible_concerns(user).values("id")).select_related("concern")


def shown_phone(notification: Notification, *, full: bool) -> str:
    return notification.phone if full else mask_phone(notification.phone)
