"""Tracking codes (查询码) of concerns: what a villager types with the reference number to see
their concern's progress and rate its result, without an account.

The code is derived, not stored: the first 8 decimal digits of HMAC-SHA256 over the concern's
id and reference under a server key (HUIYING_TRACKING_KEY, else derived from SECRET_KEY).
So staff can print it again on a reception receipt or read it out to a villager who lost it,
the registration SMS can carry it, and nothing in the database gives it away. 8 digits are
10^8 codes; with lookups limited per client and wrong codes limited per reference number
(see HUIYING_ABUSE_LIMITS "track" and "track-ref"), guessing one concern's code takes years.
Changing the key changes every code (docs/self-service.md).
"""
import hashlib
import hmac

from django.conf import settings

from huiying.concerns.models import Concern

DIGITS = 8


def _key() -> bytes:
    if settings.HUIYING_TRACKING_KEY:
        return settings.HUIYING_TRACKING_KEY.encode()
    return hashlib.sha256(b"huiying.selfservice.tracking\0" + settings.SECRET_KEY.encode()).digest()


def tracking_code(concern: Concern) -> str:
    """The concern's 8-digit tracking code, e.g. "40718263"."""
    mac = hmac.new(_key(), f"track:{concern.pk}:{concern.reference}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(mac[:8], 'big') % 10**DIGITS:0{DIGITS}d}"


def normalize(code: str) -> str:
    """What a villager typed → digits only ("4071 8263", "４０７１-８２６３" → "40718263")."""
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKC", code or "") if ch.isdigit())[:32]


def matches(concern: Concern, code: str) -> bool:
    """Constant-time comparison of what was typed with the concern's code."""
    return hmac.compare_digest(tracking_code(concern).encode(), normalize(code).encode())


def grouped(code: str) -> str:
    """"40718263" → "4071 8263": read aloud in two halves."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))
