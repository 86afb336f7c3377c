"""Every API error is JSON naming the field: {"errors": {"field": ["message", …]}}.

Services raise `core.errors.ServiceError` and its kinds; they map to HTTP statuses here:
NotFound → 404 (an invisible object is "not found", never "forbidden"), Forbidden → 403,
Conflict → 409 with the concern's `current_version`, any other ServiceError → 400.
DRF's own errors keep their statuses and take the same shape; nested input errors are
flattened to dotted names ("concerns.1.summary"), as the services name them.
"""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from huiying.core.errors import Conflict, Forbidden, NotFound, ServiceError

NON_FIELD = "non_field_errors"
# DRF errors that are about the request as a whole, and the name they are reported under.
REQUEST_LEVEL = {
    exceptions.NotAuthenticated: "authorization",
    exceptions.AuthenticationFailed: "authorization",
    exceptions.ParseError: "body",
    exceptions.UnsupportedMediaType: "content_type",
    exceptions.NotAcceptable: "accept",
    exceptions.MethodNotAllowed: "method",
}


class IdempotencyMismatch(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used with a different request.")
    default_code = "idempotency_mismatch"


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"dotted.field": [messages]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = NON_FIELD if key in (NON_FIELD, "__all__") and not prefix else f"{prefix}{key}"
            for k, v in flatten(value, f"{name}.").items():
                out.setdefault(k, []).extend(v)
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix.rstrip(".") or NON_FIELD: [str(item) for item in detail]}
        for i, item in enumerate(detail):
            if item:
                for k, v in flatten(item, f"{prefix}{i}.").items():
                    out.setdefault(k, []).extend(v)
        return out
    return {prefix.rstrip(".") or NON_FIELD: [str(detail)]}


def _service_error_status(exc: ServiceError) -> int:
    if isinstance(exc, NotFound):
        return status.HTTP_404_NOT_FOUND
    if isinstance(exc, Forbidden):
        return status.HTTP_403_FORBIDDEN
    if isinstance(exc, Conflict):
        return status.HTTP_409_CONFLICT
    return status.HTTP_400_BAD_REQUEST


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        body = {"errors": {k: [str(m) for m in v] for k, v in exc.message_dict.items()}}
        if isinstance(exc, Conflict):
            body["current_version"] = exc.current_version
        return Response(body, status=_service_error_status(exc))
    if isinstance(exc, DjangoValidationError):
        messages = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        return Response({"errors": {k: [str(m) for m in v] for k, v in messages.items()}}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500 handling and logging take over
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
    else:
        name = next((n for cls, n in REQUEST_LEVEL.items() if isinstance(exc, cls)), NON_FIELD)
        errors = {name: [str(exc.detail)]}
    response.data = {"errors": errors}
    return response
