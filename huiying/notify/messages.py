"""The texts villagers receive. Always in the network's language (Chinese), whatever
language the staff member whose step triggered them reads; short, because a text message
of more than 70 Chinese characters is sent (and paid) in parts."""
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from huiying.concerns.models import Concern
from huiying.selfservice.tracking import tracking_code

from .models import Kind

RESULT_CHARS = 40


def tracking_url() -> str:
    base = getattr(settings, "HUIYING_PUBLIC_URL", "") or ""
    return base.rstrip("/") + reverse("selfservice:track")


def text(kind: str, concern: Concern) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _TEXTS[kind](concern)


def _registered(c: Concern) -> str:
    # The tracking code goes with the reference: together they open the tracking page, where
    # the villager follows the concern and later rates its result.
    return _("[huiying] Your concern is registered as %(ref)s (tracking code %(code)s) and will be handled by %(due)s. Track it at %(url)s") % {
        "ref": c.reference, "code": tracking_code(c), "due": c.due_date.isoformat(), "url": tracking_url(),
    }


def _appointment(c: Concern) -> str:
    a = c.appointments.order_by("-booked_at", "-id").first()
    return _("[huiying] For %(ref)s, %(cadre)s will see you on %(date)s at %(place)s.") % {
        "ref": c.reference, "cadre": a.cadre, "date": a.date.isoformat(), "place": a.place,
    }


def _result(c: Concern) -> str:
    if c.confidential:
        # Confidential results are given in person (专项反馈), never in a message.
        return _("[huiying] There is a result for %(ref)s. Please come to %(unit)s to hear it in person.") % {
            "ref": c.reference, "unit": c.handling_unit.name,
        }
    result = c.result if len(c.result) <= RESULT_CHARS else c.result[:RESULT_CHARS] + "…"
    return _("[huiying] Result for %(ref)s: %(result)s") % {"ref": c.reference, "result": result}


def _rating_request(c: Concern) -> str:
    return _("[huiying] Are you satisfied with how %(ref)s was handled? Rate it at %(url)s or tell the station.") % {
        "ref": c.reference, "url": tracking_url(),
    }


_TEXTS = {
    Kind.REGISTERED: _registered,
    Kind.APPOINTMENT: _appointment,
    Kind.RESULT: _result,
    Kind.RATING_REQUEST: _rating_request,
}
