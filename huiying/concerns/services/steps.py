"""The workflow steps: one function per transition of `workflow.TRANSITIONS`.

Each runs in one transaction: reload and lock the concern, check the caller saw the
current version (optimistic concurrency, the same on SQLite and PostgreSQL), check the
transition table and the caller's access, validate its own input, write the change and its
record-book entry. Any refusal raises before anything is written.
"""
import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.core import clock, workdays
from huiying.core.errors import Conflict, NotFound, ServiceError
from huiying.network.models import Level, Membership, Unit
from huiying.records import book

from .. import deadlines, events
from ..models import (
    OPEN_STATES, OTHER_OUTCOMES, AgencyAuthorization, AgencyDocument, Appointment, AttachmentKind, Concern, ConcernRating, Escalation,
    Extension, FeedbackMethod, MediationSession, Outcome, Rating, State, Track, Transfer, Villager,
)
from ..workflow import HANDLERS, TRANSITIONS
from . import attachments
from .common import as_date, require_choice, require_member, require_text


class _Step:
    """The frame every step runs in: `with _Step(...) as step:` validate, then `step.write(...)`."""

    def __init__(self, action: str, *, actor, concern: Concern, version: int, now=None, group=None, villager: bool = False):
        self.t = TRANSITIONS[action]
        self.actor, self.version = actor, version
        # The villager acting themselves (no account): `actor` is None and the caller has
        # proved their tie to the concern; the table must mark the transition public.
        self.villager = villager
        self.now = now or clock.now()
        self.group = group or uuid.uuid4()
        self._atomic = transaction.atomic()
        self._pk = concern.pk
        self.concern: Concern | None = None
        self.membership: Membership | None = None

    def __enter__(self):
        self._atomic.__enter__()
        try:
            # Lock the bare row, then check visibility in a query of its own. Locking through
            # the visibility filter would be one query less, but it joins units, and after
            # waiting for a concurrent writer PostgreSQL re-checks the new row against the
            # old joined unit: a visible concern would come back "not found".
            concern = Concern.objects.select_for_update().filter(pk=self._pk).first()
            if concern is None or (not self.villager and not access.can_see_concern(self.actor, concern)):
                raise NotFound("concern", _("No such concern."))
            if not isinstance(self.version, int) or isinstance(self.version, bool):
                raise ServiceError("version", _("The concern's version is required."), code="required")
            if concern.version != self.version:
                raise Conflict(concern.version)
            if self.villager:
                access.check_villager_action(concern, self.t.action)
            else:
                self.membership = access.check_action(self.actor, concern, self.t.action, seen=True)
            self.concern = concern
        except BaseException as e:
            self._atomic.__exit__(type(e), e, e.__traceback__)
            raise
        return self

    def __exit__(self, *exc):
        return self._atomic.__exit__(*exc)

    def write(self, *, to_state: State | None = None, changes: dict | None = None, payload: dict | None = None) -> Concern:
        c = self.concern
        from_state = c.state
        to_state = to_state or self.t.target or c.state
        changes = dict(changes or {})
        changes["state"] = to_state
        if to_state not in OPEN_STATES:
            changes.setdefault("overdue", False)
            changes.setdefault("alert_unit", None)
        n = Concern.objects.filter(pk=c.pk, version=self.version).update(version=self.version + 1, **changes)
        if n != 1:
            raise Conflict(Concern.objects.values_list("version", flat=True).get(pk=c.pk))
        c.refresh_from_db()
        extra = {"by": "villager"} if self.villager else {}
        book.append(
            county_id=c.received_county_id, action=f"concern.{self.t.action}", actor=self.actor,
            # The villager acts at no unit: the entry belongs to the unit handling the concern.
            unit_id=self.membership.unit_id if self.membership else c.handling_unit_id,
            concern=c, from_state=from_state, to_state=to_state, at=self.now, group=self.group,
            payload={"reference": c.reference, **extra, **(payload or {})},
        )
        events.emit(c, self.t.action, from_state=from_state, to_state=to_state)
        return c


def _staff_of(user, unit: Unit, field: str) -> None:
    require_member(user, unit, field, roles=HANDLERS)


def concern_assign(*, actor, concern: Concern, version: int, handler, track: str | None = None, now=None) -> Concern:
    """Analysis and disposition (分析处置): name the handler, confirm or change the track."""
    with _Step("assign", actor=actor, concern=concern, version=version, now=now) as step:
        c = step.concern
        _staff_of(handler, c.handling_unit, "handler")
        changes = {"handler": handler}
        if track is not None and track != c.track:
            require_choice(track, Track, "track")
            if c.confidential and track != Track.CONFIDENTIAL and c.track == Track.CONFIDENTIAL:
                raise ServiceError("track", _("A confidential concern stays confidential."))
            changes["track"] = track
            changes["due_date"] = deadlines.due_date_for(track, timezone.localdate(c.received_at))
            if track == Track.CONFIDENTIAL:
                changes["confidential"] = True
        c.handlers.add(handler)
        return step.write(changes=changes, payload={"handler": handler.pk, "track": changes.get("track", c.track),
                                                    "due_date": str(changes.get("due_date", c.due_date))})


def concern_answer(*, actor, concern: Concern, version: int, answer: str, now=None, group=None) -> Concern:
    """A policy question answered face to face (政策咨询当面答复): resolved and closed."""
    with _Step("answer", actor=actor, concern=concern, version=version, now=now, group=group) as step:
        answer = require_text(answer, "answer")
        return step.write(
            changes={"result": answer, "outcome": Outcome.RESOLVED, "resolved_at": step.now, "closed_at": step.now, "handler": step.concern.handler or actor},
            payload={"feedback_method": FeedbackMethod.IN_PERSON},
        )


def concern_start_on_site(*, actor, concern: Concern, version: int, now=None) -> Concern:
    with _Step("start_on_site", actor=actor, concern=concern, version=version, now=now) as step:
        return step.write()


def _names(values, field: str) -> list[str]:
    names = [str(v).strip() for v in (values or []) if str(v).strip()]
    if not names:
        raise ServiceError(field, _("Name at least one person."), code="required")
    return names


def concern_record_mediation(*, actor, concern: Concern, version: int, held_at: dt.datetime, place: str, parties, mediators, summary: str,
                             agreement: str = "", agreement_reached: bool = False, photo=None, now=None) -> MediationSession:
    """An on-site mediation session (矛盾纠纷现场调解) with its parties and any agreement.

    `photo`, a photo or scan of the signed agreement, is attached in the same transaction:
    a session is never recorded without the photo it was sent with, nor a photo kept for a
    session that was refused."""
    with _Step("record_mediation", actor=actor, concern=concern, version=version, now=now) as step, attachments.removed_on_error() as stored:
        if not isinstance(held_at, dt.datetime) or held_at > step.now + dt.timedelta(minutes=5):
            raise ServiceError("held_at", _("When the session was held (not in the future)."))
        place = require_text(place, "place", max_length=200)
        parties = _names(parties, "parties")
        if len(parties) < 2:
            raise ServiceError("parties", _("A dispute has at least two parties."))
        mediators = _names(mediators, "mediators")
        summary = require_text(summary, "summary")
        if agreement_reached:
            agreement = require_text(agreement, "agreement")
        content_type = attachments.check_upload(photo, "photo") if photo is not None else None
        session = MediationSession.objects.create(
            concern=step.concern, held_at=held_at, place=place, parties=parties, mediators=mediators, summary=summary,
            agreement=agreement or "", agreement_reached=bool(agreement_reached), recorded_by=actor,
        )
        c = step.write(payload={"session": session.id, "held_at": held_at.isoformat(), "parties": len(parties), "agreement_reached": bool(agreement_reached)})
        if photo is not None:
            att = attachments.store(concern=c, actor=actor, file=photo, content_type=content_type, kind=AttachmentKind.AGREEMENT_PHOTO, now=step.now, session=session)
            stored.append(att)
            attachments.record(att, actor=actor, unit_id=step.membership.unit_id, group=step.group)
        return session


def concern_record_authorization(*, actor, concern: Concern, version: int, villager: Villager, signed_on: dt.date, scope: str, now=None) -> AgencyAuthorization:
    """The villager's written authorization for proxy handling (代办委托)."""
    with _Step("record_authorization", actor=actor, concern=concern, version=version, now=now) as step:
        c = step.concern
        if not isinstance(villager, Villager) or not c.villagers.filter(pk=villager.pk).exists():
            raise ServiceError("villager", _("The authorization is signed by one of the concern's villagers."))
        if not isinstance(signed_on, dt.date) or as_date(signed_on) > timezone.localdate(step.now):
            raise ServiceError("signed_on", _("The date the authorization was signed (not in the future)."))
        scope = require_text(scope, "scope")
        if AgencyAuthorization.objects.filter(concern=c).exists():
            raise ServiceError("villager", _("The authorization is already recorded."), code="duplicate")
        auth = AgencyAuthorization.objects.create(concern=c, villager=villager, signed_on=signed_on, scope=scope, recorded_by=actor)
        step.write(payload={"villager": villager.pk, "signed_on": signed_on.isoformat()})
        return auth


def concern_take_document(*, actor, concern: Concern, version: int, name: str, now=None) -> AgencyDocument:
    with _Step("take_document", actor=actor, concern=concern, version=version, now=now) as step:
        name = require_text(name, "name", max_length=100)
        if not AgencyAuthorization.objects.filter(concern=step.concern).exists():
            raise ServiceError("name", _("Record the villager's written authorization before taking documents."))
        doc = AgencyDocument.objects.create(concern=step.concern, name=name, taken_in_at=step.now)
        step.write(payload={"document": doc.id, "name": name})
        return doc


def concern_return_document(*, actor, concern: Concern, version: int, document: AgencyDocument, now=None) -> AgencyDocument:
    with _Step("return_document", actor=actor, concern=concern, version=version, now=now) as step:
        if not isinstance(document, AgencyDocument) or document.concern_id != step.concern.pk:
            raise ServiceError("document", _("Not a document of this concern."))
        document.refresh_from_db()
        if document.returned_at is not None:
            raise ServiceError("document", _("This document was already handed back."))
        document.returned_at = step.now
        document.save(update_fields=["returned_at"])
        step.write(payload={"document": document.id, "name": document.name})
        return document


def concern_escalate(*, actor, concern: Concern, version: int, to_unit: Unit, reason: str, to_handler=None, now=None) -> Concern:
    """Beyond authority (超出权限): send the concern to the parent unit, or (from a township or
    the county) to a county department. The higher level then books a visit down."""
    with _Step("escalate", actor=actor, concern=concern, version=version, now=now) as step:
        c = step.concern
        here = c.handling_unit
        if not isinstance(to_unit, Unit):
            raise ServiceError("to_unit", _("Choose where to escalate to."), code="required")
        is_parent = to_unit.id == here.parent_id
        is_department = to_unit.level == Level.DEPARTMENT and to_unit.county_id == here.county_id and here.level in (Level.TOWNSHIP, Level.COUNTY)
        if not (is_parent or is_department):
            raise ServiceError("to_unit", _("Escalate to the parent unit, or from a township or the county to a county department."))
        reason = require_text(reason, "reason")
        if to_handler is not None:
            _staff_of(to_handler, to_unit, "to_handler")
        elif c.confidential:
            # Only named handlers see a confidential concern, so someone must be named.
            raise ServiceError("to_handler", _("Name who handles a confidential concern at the higher level."), code="required")
        Escalation.objects.create(concern=c, from_unit=here, to_unit=to_unit, at=step.now, reason=reason, by=actor)
        if to_handler is not None:
            c.handlers.add(to_handler)
        track = c.track if c.track == Track.CONFIDENTIAL else Track.BEYOND_AUTHORITY
        due = deadlines.due_date_for(Track.BEYOND_AUTHORITY, timezone.localdate(step.now))
        return step.write(
            changes={"handling_unit": to_unit, "handler": to_handler, "track": track, "due_date": due, "overdue": False, "alert_unit": None},
            payload={"from_unit": here.id, "to_unit": to_unit.id, "to_handler": to_handler.pk if to_handler else None, "due_date": due.isoformat()},
        )


def concern_book_appointment(*, actor, concern: Concern, version: int, date: dt.date, place: str, cadre: str, handler=None, now=None) -> Appointment:
    """Book a higher-level cadre's visit down to the villager (预约下访), within the limit."""
    with _Step("book_appointment", actor=actor, concern=concern, version=version, now=now) as step:
        c = step.concern
        today = timezone.localdate(step.now)
        if not isinstance(date, dt.date) or isinstance(date, dt.datetime) or date < today:
            raise ServiceError("date", _("The visit's date, today or later."))
        if date > c.due_date:
            raise ServiceError("date", _("The visit must take place by %(due)s, within the limit for this track."), params={"due": c.due_date})
        place = require_text(place, "place", max_length=200)
        cadre = require_text(cadre, "cadre", max_length=100)
        handler = handler or c.handler or actor
        _staff_of(handler, c.handling_unit, "handler")
        appt = Appointment.objects.create(concern=c, unit=c.handling_unit, date=date, place=place, cadre=cadre, booked_by=actor, booked_at=step.now)
        c.handlers.add(handler)
        due = workdays.add_workdays(date, settings.HUIYING_RESOLVE_AFTER_APPOINTMENT_DAYS)
        step.write(changes={"handler": handler, "due_date": due}, payload={"appointment": appt.id, "date": date.isoformat(), "cadre": cadre, "due_date": due.isoformat()})
        return appt


def concern_transfer(*, actor, concern: Concern, version: int, to_unit: Unit, reason: str, now=None) -> Concern:
    """Hand a concern that is not this unit's to the unit whose it is. A concern is never
    closed as "not ours"; it is transferred, at most HUIYING_MAX_TRANSFERS times."""
    with _Step("transfer", actor=actor, concern=concern, version=version, now=now) as step:
        c = step.concern
        if not isinstance(to_unit, Unit) or to_unit.county_id != c.received_county_id or to_unit.id == c.handling_unit_id:
            raise ServiceError("to_unit", _("Choose another unit of this county."))
        reason = require_text(reason, "reason")
        # A confidential concern is never transferred: the table's guard refuses it.
        Transfer.objects.create(concern=c, from_unit=c.handling_unit, to_unit=to_unit, at=step.now, reason=reason, by=actor)
        return step.write(
            changes={"handling_unit": to_unit, "handler": None, "transfer_count": c.transfer_count + 1},
            payload={"from_unit": c.handling_unit_id, "to_unit": to_unit.id},
        )


def concern_extend(*, actor, concern: Concern, version: int, days: int, reason: str, now=None) -> Concern:
    """Extend the due date by `days` working days, with a reason (延期)."""
    with _Step("extend", actor=actor, concern=concern, version=version, now=now) as step:
        c = step.concern
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= settings.HUIYING_MAX_EXTENSION_DAYS:
            raise ServiceError("days", _("Between 1 and %(max)s working days."), params={"max": settings.HUIYING_MAX_EXTENSION_DAYS})
        reason = require_text(reason, "reason")
        if c.extension_count >= settings.HUIYING_MAX_EXTENSIONS:
            raise ServiceError("days", _("This concern's due date has been extended as often as allowed."))
        new_due = workdays.add_workdays(c.due_date, days)
        Extension.objects.create(concern=c, old_due=c.due_date, new_due=new_due, reason=reason, at=step.now, by=actor)
        still_overdue = new_due < timezone.localdate(step.now)
        changes = {"due_date": new_due, "extension_count": c.extension_count + 1}
        if not still_overdue:
            changes.update(overdue=False, alert_unit=None)
        return step.write(changes=changes, payload={"old_due": c.due_date.isoformat(), "new_due": new_due.isoformat(), "reason": reason})


def concern_resolve(*, actor, concern: Concern, version: int, result: str, now=None) -> Concern:
    """Record the result: the concern is resolved and goes under supervision (接受监督)."""
    with _Step("resolve", actor=actor, concern=concern, version=version, now=now) as step:
        c = step.concern
        result = require_text(result, "result")
        if c.track == Track.AGENCY and c.documents.filter(returned_at__isnull=True).exists():
            raise ServiceError("result", _("Hand back every document taken in before recording the result."))
        return step.write(changes={"result": result, "outcome": Outcome.RESOLVED, "resolved_at": step.now, "outcome_reason": ""})


def concern_post(*, actor, concern: Concern, version: int, now=None) -> Concern:
    """Post the result on the unit's public board (结果公示). Never a confidential concern."""
    with _Step("post", actor=actor, concern=concern, version=version, now=now) as step:
        return step.write()


def concern_feedback(*, actor, concern: Concern, version: int, method: str, note: str = "", now=None) -> Concern:
    """The result told back to the villager (反馈回应村民); the concern is closed."""
    with _Step("feedback", actor=actor, concern=concern, version=version, now=now) as step:
        require_choice(method, FeedbackMethod, "method")
        if step.concern.confidential and method != FeedbackMethod.IN_PERSON:
            raise ServiceError("method", _("A confidential concern is answered in person (专项反馈)."))
        return step.write(changes={"closed_at": step.now}, payload={"method": method, "note": note or ""})


def concern_close_unresolved(*, actor, concern: Concern, version: int, outcome: str, reason: str, merged_into: Concern | None = None, now=None) -> Concern:
    """End a concern without resolving it: withdrawn, merged, transferred out of the
    network, or cannot be resolved — always with a reason."""
    with _Step("close_unresolved", actor=actor, concern=concern, version=version, now=now) as step:
        c = step.concern
        if outcome not in OTHER_OUTCOMES:
            raise ServiceError("outcome", _("Withdrawn, merged, transferred out or cannot be resolved."))
        reason = require_text(reason, "reason")
        changes = {"outcome": outcome, "outcome_reason": reason, "closed_at": step.now}
        if outcome == Outcome.MERGED:
            if not isinstance(merged_into, Concern) or merged_into.pk == c.pk or not access.can_see_concern(actor, merged_into):
                raise ServiceError("merged_into", _("Name the concern this one is merged into."), code="required")
            if merged_into.outcome and merged_into.outcome != Outcome.RESOLVED:
                raise ServiceError("merged_into", _("Merge into a concern that is open or resolved."))
            changes["merged_into"] = merged_into
        elif merged_into is not None:
            raise ServiceError("merged_into", _("Only a merged concern names another concern."))
        return step.write(changes=changes, payload={"outcome": outcome, "reason": reason, "merged_into": merged_into.reference if merged_into else None})


def concern_rate(*, actor, concern: Concern, version: int, rating: str, comment: str = "", now=None) -> ConcernRating:
    """The villager's rating of the result (满意度). Dissatisfied reopens the concern: it goes
    back to on-site work with its outcome cleared, so it counts as pending again."""
    with _Step("rate", actor=actor, concern=concern, version=version, now=now) as step:
        return _rate(step, rating=rating, comment=comment, recorded_by=actor)


def concern_rate_by_villager(*, concern: Concern, version: int, rating: str, comment: str = "", now=None) -> ConcernRating:
    """The villager rates the result themselves (on the tracking page), under the same rules
    as a rating staff record for them. The caller has checked the concern's tracking code."""
    with _Step("rate", actor=None, concern=concern, version=version, now=now, villager=True) as step:
        return _rate(step, rating=rating, comment=comment, recorded_by=None)


def _rate(step: "_Step", *, rating: str, comment: str, recorded_by) -> ConcernRating:
    c = step.concern
    require_choice(rating, Rating, "rating")
    # Only a resolved, not yet rated result gets here: the table's guards refuse the others.
    r = ConcernRating.objects.create(concern=c, rating=rating, comment=comment or "", at=step.now, recorded_by=recorded_by, round=c.reopen_count)
    if rating == Rating.DISSATISFIED:
        _write_reopened(step, payload={"rating": rating})
    else:
        step.write(payload={"rating": rating})
    return r


def _write_reopened(step: "_Step", *, payload: dict) -> Concern:
    """Back to on-site work with the outcome cleared (pending again) and a fresh due date."""
    c = step.concern
    due = deadlines.due_date_for(c.track, timezone.localdate(step.now))
    return step.write(
        to_state=State.ON_SITE,
        changes={"outcome": "", "resolved_at": None, "closed_at": None, "reopen_count": c.reopen_count + 1, "due_date": due},
        payload={**payload, "reopened": True, "due_date": due.isoformat()},
    )


def concern_object(*, actor, concern: Concern, version: int, reason: str, now=None, group=None) -> Concern:
    """An objection to the posted result (公示异议), recorded by staff for a villager who came
    in person: the result goes back to its handler for rework."""
    with _Step("object", actor=actor, concern=concern, version=version, now=now, group=group) as step:
        return _write_reopened(step, payload={"reason": require_text(reason, "reason")})


def concern_object_by_villager(*, concern: Concern, version: int, reason: str, now=None, group=None) -> Concern:
    """A villager's own objection to a posted result. The caller (the board) has checked that
    the result is on the board and its objection window is open."""
    with _Step("object", actor=None, concern=concern, version=version, now=now, group=group, villager=True) as step:
        return _write_reopened(step, payload={"reason": require_text(reason, "reason")})


def concern_reopen(*, actor, concern: Concern, version: int, reason: str, now=None, group=None) -> Concern:
    """The unit above sends a finished result back for rework (e.g. after reviewing a
    supervisor's dissatisfied rating)."""
    with _Step("reopen", actor=actor, concern=concern, version=version, now=now, group=group) as step:
        return _write_reopened(step, payload={"reason": require_text(reason, "reason")})
