"""One concern's life, planned as the workflow steps the services will later be asked to
take: who acts, when, with what. Pure Python — nothing here touches the database.

A flow is always planned to the end (closed) and then cut at the state the concern is to
be left in, so a pending or not-yet-closed concern has exactly the history a real one would.
The flow draws from its own `random.Random`, seeded by the concern's key, so planning the
same concern again at another start time gives the same steps shifted in time — which is
how `history` fits each life inside the year.
"""
import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from huiying.concerns import deadlines
from huiying.concerns.models import Channel, FeedbackMethod, Outcome, Rating, State, Track
from huiying.core import workdays
from huiying.network.models import Level

from . import names, texts
from .network import NetworkPlan


OTHER = (Outcome.WITHDRAWN, Outcome.MERGED, Outcome.TRANSFERRED_OUT, Outcome.CANNOT_RESOLVE)


@dataclass
class Step:
    at: dt.datetime
    action: str  # a transition of huiying.concerns.workflow: the service is concern_<action>
    actor: str  # username
    args: dict = field(default_factory=dict)
    state: str = ""  # the concern's state after the step
    outcome: str = ""


@dataclass
class Spec:
    """What a concern is to be: decided by `history` before its life is planned."""

    key: int
    target: str  # a State, or an outcome other than resolved for the four closed otherwise
    track: str  # at registration
    topic: texts.Topic
    unit: str  # receiving unit key
    channel: str
    stale: bool = False  # pending and long overdue
    flags: frozenset = frozenset()  # answered, collective, extend, late, rate, reopen, reopen_pending, transfer
    transfer_to: str = ""
    path: tuple = ()  # beyond authority: the units it is escalated to, in order
    merged_into: int | None = None


def local(at: dt.datetime) -> dt.date:
    return timezone.localdate(at)


def at_minute(day: dt.date, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minute // 60, minute % 60)))


class Flow:
    def __init__(self, net: NetworkPlan, spec: Spec, t0: dt.datetime):
        self.net, self.spec = net, spec
        self.rng = random.Random(f"flow-{spec.key}")
        self.t0 = self.t = t0
        self.unit = spec.unit
        self.handler = ""
        self.registrar = net.on_duty(spec.unit, local(t0))
        self.steps: list[Step] = []
        self.state, self.outcome = (State.CLOSED, Outcome.RESOLVED) if "answered" in spec.flags else (State.REGISTERED, "")
        self.due = deadlines.due_date_for(spec.track, local(t0))

    # --- time and people -------------------------------------------------------------
    def minutes(self, lo: int, hi: int) -> None:
        self.t += dt.timedelta(minutes=self.rng.randint(lo, hi))

    def workdays(self, lo: int, hi: int) -> None:
        k, minute, fallback = self.rng.randint(lo, hi), self.rng.randint(8 * 60 + 30, 17 * 60 + 30), self.rng.randint(15, 90)
        candidate = at_minute(workdays.add_workdays(local(self.t), k), minute)
        self.t = candidate if candidate > self.t else self.t + dt.timedelta(minutes=fallback)

    def pick(self, unit: str) -> str:
        """A handler: the first seats carry most of the load (the seed's "30/70 phenomenon")."""
        staff = self.net.staff[unit]
        return self.rng.choices(staff, [6, 3, 1, 1, 1][: len(staff)])[0]

    def level(self, unit: str) -> str:
        return self.net.unit[unit].level

    def commander(self) -> str:
        return self.net.on_duty("county", local(self.t))

    def add(self, action: str, actor: str, *, state: str | None = None, outcome: str | None = None, **args) -> None:
        self.state = state or self.state
        self.outcome = self.outcome if outcome is None else outcome
        self.steps.append(Step(self.t, action, actor, args, self.state, self.outcome))

    # --- the life ----------------------------------------------------------------------
    def plan(self) -> "Flow":
        s = self.spec
        if s.target == Outcome.MERGED:
            self.minutes(30, 180)
            self.add("close_unresolved", self.registrar, state=State.CLOSED, outcome=Outcome.MERGED, close_as=Outcome.MERGED,
                     merged_into=s.merged_into, reason="与同屯村民此前反映的同一事项合并办理。")
        elif "answered" in s.flags:
            self.handler = self.registrar
            self._rate()
        else:
            getattr(self, "_" + ("beyond" if s.path else s.track))()
        self._cut()
        return self

    def _open(self) -> None:
        """Analysis and disposition (分析处置) at the receiving unit, after any transfer."""
        actor = self.registrar
        if self.spec.transfer_to:
            self.minutes(10, 120)
            reason = "属村级事项，转回应站属地办理" if self.level(self.spec.transfer_to) == Level.VILLAGE else "事发地属邻乡镇，转交属地办理"
            self.add("transfer", actor, state=State.REGISTERED, to_unit=self.spec.transfer_to, reason=reason)
            self.unit = self.spec.transfer_to
            self.workdays(0, 1)
            actor = self.net.on_duty(self.unit, local(self.t))
        self.minutes(5, 90)
        confidential = self.spec.track == Track.CONFIDENTIAL
        self.handler = actor if confidential and self.rng.random() < 0.6 else self.pick(self.unit)
        self.add("assign", actor, state=State.ANALYSIS, handler=self.handler)

    def _policy(self) -> None:
        self._open()
        self.minutes(10, 150)
        self.add("answer", self.handler, state=State.CLOSED, outcome=Outcome.RESOLVED, answer=self.spec.topic.result)
        self._rate()

    def _dispute(self) -> None:
        self._open()
        if self.spec.target == Outcome.TRANSFERRED_OUT:
            self.workdays(1, 3)
            return self.add("close_unresolved", self.handler, state=State.CLOSED, outcome=Outcome.TRANSFERRED_OUT, close_as=Outcome.TRANSFERRED_OUT,
                            reason="已进入司法诉讼程序，引导当事人向县人民法院起诉，并告知法律援助渠道。")
        self.workdays(0, 2)
        self.add("start_on_site", self.handler, state=State.ON_SITE)
        sessions = self.rng.choice([1, 1, 2, 2, 3])
        for i in range(sessions):
            if i:
                self.workdays(1, 4)
            if "extend" in self.spec.flags and i == sessions - 1:
                self._extend()
                self.workdays(1, 5)
            self._mediation(agreement=i == sessions - 1)
        if self.spec.target == Outcome.WITHDRAWN:
            self.workdays(0, 2)
            return self.add("close_unresolved", self.handler, state=State.CLOSED, outcome=Outcome.WITHDRAWN, close_as=Outcome.WITHDRAWN,
                            reason="双方已自行协商和解，当事人申请撤回。")
        self._finish()

    def _mediation(self, *, agreement: bool) -> None:
        self.minutes(60, 180)
        other = names.person_name(self.rng)
        place = self.rng.choice(texts.MEDIATION_PLACES)
        held = self.t - dt.timedelta(minutes=self.rng.randint(30, 90))
        self.add(
            "record_mediation", self.handler, held_at=held, place=place, parties=["@villager", other],
            mediators=["@actor", names.person_name(self.rng)],
            summary="双方陈述后达成一致意见" if agreement else "听取双方意见，释法明理，双方回去再商量",
            agreement=self.spec.topic.result if agreement else "", agreement_reached=agreement,
        )

    def _time_limited(self) -> None:
        self._open()
        if self.rng.random() < 0.7 or self.spec.target == State.ON_SITE:
            self.workdays(1, 4)
            self.add("start_on_site", self.handler, state=State.ON_SITE)
        if "extend" in self.spec.flags:
            self.workdays(3, 8)
            self._extend()
        self.workdays(2, 9)
        self._finish()

    def _agency(self) -> None:
        self._open()
        self.minutes(10, 60)
        self.add("record_authorization", self.handler, villager="@villager", scope=f"委托回应站{self.spec.topic.summary}，代为提交和领取相关材料。")
        docs = self.spec.topic.documents
        for doc in docs:
            self.minutes(2, 10)
            self.add("take_document", self.handler, name=doc)
        self.workdays(1, 3)
        self.add("start_on_site", self.handler, state=State.ON_SITE)
        if "extend" in self.spec.flags:
            self.workdays(5, 10)
            self._extend()
        self.workdays(2, 10)
        for doc in docs:
            self.minutes(1, 5)
            self.add("return_document", self.handler, document=doc)
        self._finish()

    def _confidential(self) -> None:
        self._open()
        self.workdays(0, 2)
        self.add("start_on_site", self.handler, state=State.ON_SITE)
        self.workdays(2, 9)
        self._finish()

    def _beyond(self) -> None:
        """Beyond authority (超出权限预约下访): up the path, then an appointment to come down."""
        confidential = self.spec.track == Track.CONFIDENTIAL
        # Only its handlers see a confidential concern, so someone takes it on first.
        if confidential or self.rng.random() < 0.5:
            self._open()
        for hop in self.spec.path:
            self.minutes(20, 240)
            actor = self.handler or self.net.on_duty(self.unit, local(self.t))
            to_handler = self.pick(hop) if confidential else ""
            reason = f"需{self.net.unit[hop].name}依职能办理" if self.level(hop) == Level.DEPARTMENT else "超出本级权限，报请上级协调解决"
            self.add("escalate", actor, state=State.ESCALATED, to_unit=hop, reason=reason, **({"to_handler": to_handler} if to_handler else {}))
            self.unit, self.handler = hop, to_handler
            self.due = deadlines.due_date_for(Track.BEYOND_AUTHORITY, local(self.t))
        self.workdays(0, 1)
        booker = self.handler or self.pick(self.unit)
        date = min(workdays.add_workdays(local(self.t), self.rng.randint(1, 3)), self.due)
        self.add("book_appointment", booker, state=State.ANALYSIS, date=date, place=self.rng.choice(texts.APPOINTMENT_PLACES), cadre=self._cadre(), handler=booker)
        self.due = workdays.add_workdays(date, settings.HUIYING_RESOLVE_AFTER_APPOINTMENT_DAYS)
        self.handler = booker
        self.t = max(self.t + dt.timedelta(minutes=30), at_minute(date, self.rng.randint(9 * 60, 16 * 60)))
        self.add("start_on_site", self.handler, state=State.ON_SITE)
        if self.spec.target == Outcome.CANNOT_RESOLVE:
            self.workdays(1, 3)
            return self.add("close_unresolved", self.handler, state=State.CLOSED, outcome=Outcome.CANNOT_RESOLVE, close_as=Outcome.CANNOT_RESOLVE,
                            reason="诉求超出现行政策规定，已当面解释政策依据，村民表示理解。")
        if "extend" in self.spec.flags:
            self.workdays(1, 3)
            self._extend()
        self.workdays(0, 6)
        self._finish()

    def _cadre(self) -> str:
        u = self.net.unit[self.unit]
        surname = names.person_name(self.rng)[0]
        if u.level == Level.DEPARTMENT:
            return f"{u.name}{surname}副局长" if u.name.endswith("局") else f"{u.name}{surname}主任"
        if u.level == Level.COUNTY:
            return f"县指挥部{surname}副指挥长"
        if u.level == Level.TOWNSHIP:
            return f"{u.name.removesuffix('回应中心')}{surname}副{'镇' if '镇' in u.name else '乡'}长"
        return f"{u.name.removesuffix('回应站')}{surname}支书"

    def _extend(self) -> None:
        self.minutes(5, 60)
        days = self.rng.randint(5, 10)
        self.add("extend", self.handler, days=days, reason=self.rng.choice(texts.EXTENSION_REASONS))
        self.due = workdays.add_workdays(self.due, days)

    def _finish(self, *, again: bool = False) -> None:
        """Result (办结), public posting (结果公示), feedback (反馈回应) and the rating."""
        late, minute = self.rng.randint(1, 4), self.rng.randint(8 * 60 + 30, 17 * 60 + 30)
        if "late" in self.spec.flags and not again:  # finished after its due date: the tick flagged it
            self.t = max(self.t, at_minute(workdays.add_workdays(self.due, late), minute))
        self.minutes(10, 120)
        self.add("resolve", self.handler, state=State.SUPERVISION, outcome=Outcome.RESOLVED, result=self.spec.topic.result)
        if self.spec.track != Track.CONFIDENTIAL:
            self.workdays(0, 2)
            poster = self.commander() if self.level(self.unit) == Level.DEPARTMENT else self.handler
            self.add("post", poster, state=State.POSTED)
        self.workdays(0, 2)
        if self.spec.track == Track.CONFIDENTIAL:
            method, note = FeedbackMethod.IN_PERSON, "专项反馈，当面告知"
        elif self.spec.channel == Channel.SUGGESTION_BOX:
            method, note = FeedbackMethod.LETTER, "匿名投递，结果已张贴于公示牌"
        else:
            method, note = self.rng.choice([FeedbackMethod.IN_PERSON, FeedbackMethod.IN_PERSON, FeedbackMethod.PHONE, FeedbackMethod.SMS]), ""
        self.add("feedback", self.handler, state=State.CLOSED, method=method, note=note)
        self._rate(again=again)

    def _rate(self, *, again: bool = False) -> None:
        flags = self.spec.flags
        if not again and ("reopen" in flags or "reopen_pending" in flags):
            self.workdays(1, 4)
            self.add("rate", self.handler, state=State.ON_SITE, outcome="", rating=Rating.DISSATISFIED, comment=self.rng.choice(texts.RATING_COMMENTS["dissatisfied"]))
            self.due = deadlines.due_date_for(Track.BEYOND_AUTHORITY if self.spec.path and self.spec.track != Track.CONFIDENTIAL else self.spec.track, local(self.t))
            self.workdays(1, 3)
            if self.spec.track == Track.DISPUTE:
                self._mediation(agreement=True)
            return self._finish(again=True)
        if self.spec.channel == Channel.SUGGESTION_BOX or not (again or "rate" in flags):
            return
        self.minutes(1, 20)
        rating = Rating.SATISFIED if again or self.rng.random() < 0.8 else Rating.BASIC
        self.add("rate", self.handler, rating=rating, comment=self.rng.choice(texts.RATING_COMMENTS[rating]))

    def _cut(self) -> None:
        target = self.spec.target
        if target in (State.CLOSED, *OTHER):
            return
        if "reopen_pending" in self.spec.flags:
            keep = next(i for i, s in enumerate(self.steps) if s.action == "rate") + 1
        else:
            starts = [-1] if target == State.REGISTERED and not self.spec.transfer_to else []
            candidates = starts + [i for i, s in enumerate(self.steps) if s.state == target]
            if not candidates:
                raise ValueError(f"concern {self.spec.key}: a {self.spec.track} flow never reaches {target}")
            keep = self.rng.choice(candidates) + 1
        self.steps = self.steps[:keep]
        last = self.steps[-1] if self.steps else None
        self.state = last.state if last else State.REGISTERED
        self.outcome = last.outcome if last else ""

    @property
    def end(self) -> dt.datetime:
        return self.steps[-1].at if self.steps else self.t

