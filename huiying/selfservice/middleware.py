"""The suggestion box's anonymity at the door.

For a request to a view marked `anonymous_sender` (the suggestion box, its API), the client's
rate-limit key is computed first (a keyed hash, see `abuse.client_key`), then everything that
could identify the sender is removed from the request: the address (REMOTE_ADDR and the
forwarding headers), the user agent, the referrer and every cookie but the CSRF token and the
language. This runs before the session, authentication and CSRF middleware, so nothing later
— a session lookup, `request.user`, Django's request logging of a 4xx/5xx, a CSRF failure
log, an error e-mail with the request's META — ever holds them.
"""
from http.cookies import SimpleCookie

from django.conf import settings
from django.urls import Resolver404, resolve

from . import abuse

IDENTIFYING = ("REMOTE_ADDR", "REMOTE_HOST", "HTTP_USER_AGENT", "HTTP_REFERER", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP",
               "HTTP_FORWARDED", "HTTP_CLIENT_IP", "HTTP_TRUE_CLIENT_IP", "HTTP_CF_CONNECTING_IP", "HTTP_AUTHORIZATION",
               "HTTP_SEC_CH_UA", "HTTP_SEC_CH_UA_PLATFORM", "HTTP_SEC_CH_UA_MOBILE")


def anonymous_sender(view):
    """Mark a view as one whose sender must stay unknown (the middleware does the rest)."""
    view.anonymous_sender = True
    return view


def _kept_cookies(header: str) -> str:
    keep = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    cookie = SimpleCookie()
    try:
        cookie.load(header)
    except Exception:  # a malformed cookie header: drop it all
        return ""
    return "; ".join(f"{k}={m.value}" for k, m in cookie.items() if k in keep)


class AnonymousSenderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        if match is not None and getattr(match.func, "anonymous_sender", False):
            abuse.client_key(request)  # the only use of the address, before it goes
            for key in [k for k in request.META if k in IDENTIFYING or k.startswith("HTTP_SEC_CH_UA")]:
                del request.META[key]
            request.META["REMOTE_ADDR"] = ""
            request.META["HTTP_COOKIE"] = _kept_cookies(request.META.get("HTTP_COOKIE", ""))
        return self.get_response(request)
