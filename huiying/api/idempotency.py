"""Idempotency keys on create: a POST retried over a weak network registers nothing twice.

A client sends `Idempotency-Key: <any unique string>` with a create. The first request runs
and its response is stored with the key, for that user, for 24 hours — in the same
transaction as what it created, so there is never a concern without its record or a record
without its concern. A repeat with the same key and the same request gets the stored
response again (header `Idempotent-Replayed: true`) and creates nothing. The same key with
a different request (another path or body) is refused with 422. A request that fails stores
nothing, so it can be retried with its key once corrected.

Two requests with the same key at once: on PostgreSQL the second waits on the unique index
until the first commits, then replays its response; SQLite serialises writers anyway.
"""
import datetime as dt
import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from huiying.core import clock
from huiying.core.errors import ServiceError

from .errors import IdempotencyMismatch
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 255


def fingerprint(request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # a QueryDict (form or multipart): keep every value
        data = {k: v for k, v in data.lists()}
    body = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _valid_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ServiceError(HEADER, _("An Idempotency-Key is 1 to 255 printable characters."))
    return key


def idempotent(handler):
    """Decorate a view's `post` so that it honours the Idempotency-Key header."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        raw = request.headers.get(HEADER)
        if raw is None:
            return handler(view, request, *args, **kwargs)
        key = _valid_key(raw)
        fp = fingerprint(request)
        now = clock.now()
        with transaction.atomic():
            IdempotencyRecord.objects.filter(created_at__lt=now - TTL).delete()
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=fp, status_code=0, body={}, created_at=now)
            except IntegrityError:
                record = IdempotencyRecord.objects.get(user=request.user, key=key)
                if record.fingerprint != fp:
                    raise IdempotencyMismatch() from None
                return Response(record.body, status=record.status_code, headers={REPLAYED_HEADER: "true"})
            # An exception (a refused create) leaves this block and rolls the record back too.
            response = handler(view, request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
                return response
            record.status_code = response.status_code
            record.body = response.data
            record.save(update_fields=["status_code", "body"])
            return response

    return wrapper
