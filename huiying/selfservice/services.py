"""Writes of the villager's own channels: a self-service submission (a concern registered
through the core), the villager's rating, the suggestion box and its inbox."""
import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.concerns import selectors as cq
from huiying.concerns.models import Channel, Concern, ConcernRating, Function, Track
from huiying.concerns.services import concern_rate_by_villager, concern_register
from huiying.concerns.validators import clean_phone
from huiying.concerns.workflow import HANDLERS
from huiying.core import clock
from huiying.core.errors import Forbidden, ServiceError
from huiying.network.models import Hamlet, Unit
from huiying.network.system_accounts import system_account
from huiying.records import book

from .models import Submission, Suggestion
from .selectors import hamlets_of

MAX_DESCRIPTION = 2000
MAX_SUGGESTION = 2000
MAX_ANSWER = 2000
MAX_COMMENT = 500
RECEIPT_DIGITS = 10


def selfservice_account(county: Unit):
    """Who registers the concerns villagers submit themselves (see network.system_accounts)."""
    return system_account(county, purpose="selfservice", full_name=f"网上自助 {county.name}")


def _summary(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= 60 else line[:59] + "…"


def _text(value: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(field, _("Please write a few words."), code="required")
    if len(value) > max_length:
        raise ServiceError(field, _("At most %(n)s characters."), params={"n": max_length})
    return value


def _hamlet_of(unit: Unit, hamlet, *, required: bool) -> Hamlet | None:
    if hamlet is None:
        if required:
            raise ServiceError("hamlet", _("Please choose your hamlet."), code="required")
        return None
    if not isinstance(hamlet, Hamlet) or not hamlets_of(unit).filter(pk=hamlet.pk).exists():
        raise ServiceError("hamlet", _("This hamlet is not served here. Please choose one from the list."))
    return hamlet


@transaction.atomic
def submission_create(*, unit: Unit, hamlet: Hamlet | None, function: str, description: str, phone: str = "",
                      now: dt.datetime | None = None) -> Submission:
    """A villager submits a concern on the unit's public page (网上自助提交): it is registered
    at that unit, channel online, on the track the reception screen would suggest, by the
    county's self-service account. No name is asked; the phone is optional."""
    now = now or clock.now()
    hamlet = _hamlet_of(unit, hamlet, required=True)
    if function not in Function.values:
        raise ServiceError("function", _("Please choose what it is about."), code="required")
    description = _text(description, "description", MAX_DESCRIPTION)
    phone = clean_phone(phone)
    suggestion = cq.suggest_track(function, description)
    concern = concern_register(
        actor=selfservice_account(Unit.objects.get(pk=unit.county_id)), unit=unit, function=function, channel=Channel.ONLINE,
        summary=_summary(description), details=description, track=suggestion.track if suggestion else Track.TIME_LIMITED,
        hamlet=hamlet, now=now,
    )
    submission = Submission.objects.create(concern=concern, phone=phone, created_at=now)
    book.append(county_id=unit.county_id, action="selfservice.submit", actor=None, unit_id=unit.id, concern=concern, at=now,
                payload={"reference": concern.reference, "phone_left": bool(phone)})
    return submission


def concern_rate_online(*, concern: Concern, version: int, rating: str, comment: str = "", now=None) -> ConcernRating:
    """The villager rates the result on the tracking page. A confidential concern's feedback is
    given in person (涉密涉私问题专项反馈), and so is its rating: staff record it there."""
    if concern.confidential:
        raise Forbidden("rating", _("This concern's result is discussed with you in person; please give your rating there."))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ServiceError("comment", _("At most %(n)s characters."), params={"n": MAX_COMMENT})
    return concern_rate_by_villager(concern=concern, version=version, rating=rating, comment=comment, now=now)


# --- suggestion box ------------------------------------------------------------------

def _receipt_key() -> bytes:
    return hashlib.sha256(b"huiying.selfservice.receipt\0" + settings.SECRET_KEY.encode()).digest()


def receipt_hash(code: str) -> str:
    import unicodedata

    digits = "".join(ch for ch in unicodedata.normalize("NFKC", code or "") if ch.isdigit())[:32]
    return hmac.new(_receipt_key(), digits.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def suggestion_drop(*, unit: Unit, text: str, hamlet: Hamlet | None = None, topic: str = "", now=None) -> tuple[Suggestion, str]:
    """Drop a note in the unit's suggestion box (意见箱). Returns the suggestion and its receipt
    code: random, shown once to the sender, stored only as a keyed hash. Nothing about the
    sender is taken — the caller passes no request, and the record-book entry has no actor."""
    now = now or clock.now()
    text = _text(text, "text", MAX_SUGGESTION)
    hamlet = _hamlet_of(unit, hamlet, required=False)
    if topic and topic not in Function.values:
        raise ServiceError("topic", _("“%(value)s” is not a valid choice."), params={"value": str(topic)[:30]})
    while True:  # 10^10 codes: a clash is rare, but a unique hash must never be refused
        code = f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"
        if not Suggestion.objects.filter(receipt_hash=receipt_hash(code)).exists():
            break
    s = Suggestion.objects.create(unit=unit, hamlet=hamlet, topic=topic or "", text=text, receipt_hash=receipt_hash(code), created_at=now)
    book.append(county_id=unit.county_id, action="suggestion.drop", actor=None, unit_id=unit.id, at=now, payload={"suggestion": s.id})
    return s, code


def _lock(actor, suggestion: Suggestion) -> Suggestion:
    access.check_unit_access(actor, suggestion.unit, field="suggestion", roles=HANDLERS)
    return Suggestion.objects.select_for_update().select_related("unit").get(pk=suggestion.pk)


@transaction.atomic
def suggestion_mark_read(*, actor, suggestion: Suggestion, now=None) -> Suggestion:
    now = now or clock.now()
    s = _lock(actor, suggestion)
    if s.read_at is None:
        s.read_at, s.read_by = now, actor
        s.save(update_fields=["read_at", "read_by"])
        book.append(county_id=s.unit.county_id, action="suggestion.read", actor=actor, unit_id=s.unit_id, at=now, payload={"suggestion": s.id})
    return s


@transaction.atomic
def suggestion_answer(*, actor, suggestion: Suggestion, answer: str, public: bool = True, now=None) -> Suggestion:
    """Answer a suggestion. The sender reads it with the receipt code; a public answer (and
    the suggestion, scrubbed of phone and ID numbers) also appears on the unit's board."""
    now = now or clock.now()
    s = _lock(actor, suggestion)
    answer = _text(answer, "answer", MAX_ANSWER)
    s.answer, s.answer_public, s.answered_at, s.answered_by = answer, bool(public), now, actor
    if s.read_at is None:
        s.read_at, s.read_by = now, actor
    s.save(update_fields=["answer", "answer_public", "answered_at", "answered_by", "read_at", "read_by"])
    book.append(county_id=s.unit.county_id, action="suggestion.answer", actor=actor, unit_id=s.unit_id, at=now,
                payload={"suggestion": s.id, "public": bool(public)})
    return s


@transaction.atomic
def suggestion_to_concern(*, actor, suggestion: Suggestion, track: str | None = None, now=None) -> Concern:
    """Register a concern from a suggestion (channel suggestion box, function opinions and
    suggestions), received at the box's unit; the suggestion remembers it."""
    now = now or clock.now()
    s = _lock(actor, suggestion)
    if s.concern_id:
        raise ServiceError("suggestion", _("A concern was already registered from this suggestion: %(ref)s."), code="duplicate",
                           params={"ref": s.concern.reference})
    if track is None:
        suggested = cq.suggest_track(Function.SUGGESTION, s.text)
        track = suggested.track if suggested else Track.TIME_LIMITED
    concern = concern_register(actor=actor, unit=s.unit, function=Function.SUGGESTION, channel=Channel.SUGGESTION_BOX,
                               summary=_summary(s.text), details=s.text, track=track, hamlet=s.hamlet, now=now)
    s.concern = concern
    if s.read_at is None:
        s.read_at, s.read_by = now, actor
    s.save(update_fields=["concern", "read_at", "read_by"])
    book.append(county_id=s.unit.county_id, action="suggestion.to_concern", actor=actor, unit_id=s.unit_id, concern=concern, at=now,
                payload={"suggestion": s.id, "reference": concern.reference})
    return concern
