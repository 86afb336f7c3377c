"""Abuse protection for the public forms (no sign-in): rate limits per client, size limits, a
simple challenge an elderly villager can answer, and friendly Chinese errors.

The API is small on purpose; every public form (the self-service pages, the suggestion box,
the board's objection form) uses the same four things:

    @abuse.protect("box")                   # a view: 413 if the body is too big, 429 over the limit
    class MyForm(abuse.ChallengeForm): ...  # honeypot + signed timestamp + a small sum in words
    abuse.hit(request, "track")             # count one more attempt, raise RateLimited over it
    abuse.hit_key("track-ref", reference)   # the same for any key (e.g. failures per reference)

API views call `abuse.check_request(request, scope)` and `abuse.check_challenge(token, answer)`
themselves and turn `RateLimited` / `TooLarge` into JSON (see `selfservice.api`).

Counting lives in the cache alias "abuse" (settings: HUIYING_ABUSE_CACHE; a file-based cache
in the data directory by default, so every worker process of one host shares the counts, and
nothing is written to the database). A client is known only by a keyed hash of its address:
HMAC with a random pepper that itself lives only in the cache and is replaced every
HUIYING_ABUSE_PEPPER_SECONDS — once it expires, no one (not even with the secret key) can tell
which address a counter belonged to. See docs/self-service.md.
"""
import functools
import hashlib
import hmac
import math
import secrets
import time
import unicodedata
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huiying.core.errors import ServiceError

CACHE = "abuse"


class RateLimited(Exception):
    """Too many attempts from one client (or on one key) within the window."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = max(1, int(retry_after))

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


class TooLarge(Exception):
    """The request body is bigger than a public form ever needs."""


def _cache():
    return caches[CACHE]


def limits() -> dict[str, tuple[int, int]]:
    """scope → (attempts, window in seconds)."""
    return settings.HUIYING_ABUSE_LIMITS


# --- who is asking -------------------------------------------------------------------

def client_address(request) -> str:
    header = settings.HUIYING_ABUSE_CLIENT_HEADER
    value = request.META.get(header, "") if header else ""
    # X-Forwarded-For may list several hops; the first is the client the proxy saw.
    return (value.split(",")[0].strip() if value else request.META.get("REMOTE_ADDR", "")) or "unknown"


def _pepper() -> bytes:
    period = settings.HUIYING_ABUSE_PEPPER_SECONDS
    slot = int(time.time() // period)
    key = f"pepper:{slot}"
    # `add` keeps the first process's pepper when two start a slot at once.
    _cache().add(key, secrets.token_hex(16), timeout=period * 2)
    return (_cache().get(key) or "").encode()


def client_key(request) -> str:
    """A keyed hash of the client's address, stable for the pepper's period. Computed once
    per request (the suggestion box's middleware computes it before it strips the address)."""
    key = getattr(request, "_huiying_client_key", None)
    if key is None:
        key = hmac.new(_pepper(), client_address(request).encode(), hashlib.sha256).hexdigest()[:32]
        request._huiying_client_key = key
    return key


# --- counting ------------------------------------------------------------------------

def hit_key(scope: str, key: str, *, limit: int | None = None, window: int | None = None) -> None:
    """Count one attempt on `key` in `scope`; raise RateLimited once there were more than
    `limit` in the current fixed window. The key is hashed before it reaches the cache."""
    default_limit, default_window = limits().get(scope, limits()["default"])
    limit, window = limit or default_limit, window or default_window
    now = time.time()
    slot = int(now // window)
    retry_after = int((slot + 1) * window - now) + 1
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    name = f"n:{scope}:{slot}:{digest}"
    cache = _cache()
    cache.add(name, 0, timeout=window + 5)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window + 5)
        count = 1
    if count > limit:
        raise RateLimited(retry_after)


def hit(request, scope: str) -> None:
    """Count one attempt by this client in `scope` (see HUIYING_ABUSE_LIMITS)."""
    hit_key(scope, client_key(request))


def check_request(request, scope: str, *, max_body: int | None = None) -> None:
    """The checks every public POST goes through: body size, then the client's rate."""
    max_body = max_body or settings.HUIYING_ABUSE_MAX_BODY
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_body:
        raise TooLarge()
    hit(request, scope)


def too_many_response(request, error: RateLimited):
    response = render(request, "selfservice/too_many.html", {"minutes": error.minutes}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


def protect(scope: str, *, max_body: int | None = None):
    """Decorate a public view: its POSTs are size-checked and rate-limited per client; over
    the limit the villager sees a friendly page (HTTP 429, Retry-After) saying when to retry."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                try:
                    check_request(request, scope, max_body=max_body)
                except TooLarge:
                    return render(request, "selfservice/too_large.html", status=413)
                except RateLimited as e:
                    return too_many_response(request, e)
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


# --- the challenge -------------------------------------------------------------------

DIGITS = "零一二三四五六七八九十"
SALT = "huiying.selfservice.abuse.challenge"


@dataclass(frozen=True)
class Challenge:
    token: str  # signed (a, b) with the time it was issued
    question: str  # "三加四等于几？"


def new_challenge() -> Challenge:
    a, b = secrets.randbelow(5) + 1, secrets.randbelow(5) + 1
    return Challenge(signing.TimestampSigner(salt=SALT).sign(f"{a}.{b}.{secrets.token_hex(4)}"), _question(a, b))


def _question(a: int, b: int) -> str:
    return gettext("What is %(a)s plus %(b)s?") % {"a": DIGITS[a], "b": DIGITS[b]}


def _parse_answer(text: str) -> int | None:
    """'7', '７', '七', '七 ' → 7; '十' → 10; '两' → 2."""
    text = unicodedata.normalize("NFKC", text or "").strip().replace("两", "二")
    if text.isdigit() and len(text) <= 3:
        return int(text)
    if len(text) == 1 and text in DIGITS:
        return DIGITS.index(text)
    return None


def _signed_numbers(token: str, *, max_age: int | None = None) -> tuple[int, int, float] | None:
    """(a, b, age in seconds) if `token` is ours and not expired, else None."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token or "", max_age=max_age)
        ts = signing.b62_decode(token.rsplit(":", 2)[1])
        a, b, _nonce = value.split(".")
        return int(a), int(b), time.time() - ts
    except (signing.BadSignature, ValueError, IndexError):
        return None


def check_challenge(token: str, answer: str, *, field: str = "answer") -> None:
    """Raise ServiceError(field) unless `answer` is the sum the signed `token` asked for, the
    form was not sent back faster than a person can (HUIYING_ABUSE_MIN_SECONDS) and not
    after it expired (HUIYING_ABUSE_CHALLENGE_MAX_AGE)."""
    numbers = _signed_numbers(token, max_age=settings.HUIYING_ABUSE_CHALLENGE_MAX_AGE)
    if numbers is None:
        raise ServiceError(field, _("The page has expired. Please answer the new question and send it again."), code="expired")
    a, b, age = numbers
    if age < settings.HUIYING_ABUSE_MIN_SECONDS:
        raise ServiceError(field, _("That was too fast. Please check the question and send it again."), code="too_fast")
    if _parse_answer(answer) != a + b:
        raise ServiceError(field, _("That answer is not right. Please try again: add the two numbers."), code="wrong_answer")


class ChallengeForm(forms.Form):
    """A form with the challenge built in: a honeypot field people never see (bots fill it), a
    signed timestamp, and a small sum in Chinese words. Subclasses add their own fields; a
    wrong answer is shown next to the answer box with a fresh question."""

    website = forms.CharField(
        required=False, label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    challenge = forms.CharField(widget=forms.HiddenInput, required=False)
    answer = forms.CharField(
        label=_("Answer"), max_length=8, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": "4"}),
        help_text=_("A small sum, to show a person is sending this. Digits or Chinese numerals."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        token = self.data.get(self.add_prefix("challenge"), "") if self.is_bound else ""
        numbers = _signed_numbers(token, max_age=settings.HUIYING_ABUSE_CHALLENGE_MAX_AGE) if token else None
        if numbers:
            self.question = _question(numbers[0], numbers[1])
        else:
            c = new_challenge()
            token, self.question = c.token, c.question
        self._token = token
        self.fields["answer"].label = self.question

    def _renew(self):
        c = new_challenge()
        self.question = c.question
        self.fields["answer"].label = c.question
        # A bound form renders its data: put the new token and a blank answer into it.
        self.data = self.data.copy()
        self.data[self.add_prefix("challenge")] = c.token
        self.data[self.add_prefix("answer")] = ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            # A bot filled the invisible field: refuse quietly, like a wrong answer.
            self.add_error("answer", _("That answer is not right. Please try again: add the two numbers."))
            self._renew()
            return cleaned
        try:
            check_challenge(self.data.get(self.add_prefix("challenge"), ""), cleaned.get("answer", ""))
        except ServiceError as e:
            self.add_error("answer", e.text)
            self._renew()
        return cleaned

    def get_initial_for_field(self, field, field_name):
        if field_name == "challenge":
            return self._token
        return super().get_initial_for_field(field, field_name)
