"""Writes a planned history through the real services, in the order it happened.

Every villager, visit, concern and workflow step goes through `huiying.concerns.services`
with `now=` (and the clock frozen) at its historical time, and the deadline tick runs at
each midnight of the year, so the record book is a genuine hash chain in time order and
overdue flags are raised exactly as the worker would have raised them.
"""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from huiying.concerns import deadlines
from huiying.concerns import services as cs
from huiying.concerns.models import Channel, Concern, Track
from huiying.core import clock

from .flows import Step
from .history import ConcernPlan, HistoryPlan, VillagerPlan, VisitPlan
from .network import LoadedNetwork

CHANNEL_PHRASE = {
    Channel.VISIT: "村民来访反映", Channel.PHONE: "村民来电反映", Channel.ONLINE: "村民网上提交",
    Channel.SUGGESTION_BOX: "意见箱匿名投递", Channel.HAMLET_POINT: "屯级回应点报送",
}
# Event kinds at the same instant: the midnight tick first, a villager before the visit
# that brings them, a registration before any step.
TICK, VILLAGER, VISIT, REGISTER, STEP = range(5)


class Replay:
    def __init__(self, loaded: LoadedNetwork, plan: HistoryPlan):
        self.net, self.plan = loaded, plan
        self.villagers: dict = {}
        self.concerns: dict[int, Concern] = {}
        self.versions: dict[int, int] = {}
        self.documents: dict = {}
        self.steps = 0

    def events(self) -> list[tuple]:
        events = [(v.created_at, VILLAGER, v.key, self._villager, v) for v in self.plan.villagers]
        events += [(v.at, VISIT, v.key, self._visit, v) for v in self.plan.visits]
        for c in self.plan.concerns:
            if c.visit is None:
                events.append((c.received_at, REGISTER, c.spec.key, self._register, c))
            events += [(s.at, STEP, c.spec.key * 1000 + i, self._step, (c, s)) for i, s in enumerate(c.flow.steps)]
        day = self.plan.first_day
        while day <= self.plan.today:
            midnight = timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))
            events.append((midnight, TICK, day.toordinal(), self._tick, midnight))
            day += dt.timedelta(days=1)
        events.sort(key=lambda e: e[:3])
        return events

    def run(self, *, chunk: int = 50) -> None:
        # Committed in chunks, not as one transaction: every step updates the record book's
        # one chain-head row, and PostgreSQL cannot prune that row's old versions until the
        # transaction that wrote them ends — one 6,000-update transaction takes minutes.
        events = self.events()
        for i in range(0, len(events), chunk):
            with transaction.atomic():
                for at, _kind, _n, handler, item in events[i:i + chunk]:
                    with clock.frozen(at):
                        handler(item, at)

    def user(self, username: str):
        return self.net.users[username]

    # --- the events --------------------------------------------------------------------
    def _tick(self, at: dt.datetime, _at) -> None:
        deadlines.tick(now=at)

    def _villager(self, v: VillagerPlan, at) -> None:
        self.villagers[v.key] = cs.villager_create(
            actor=self.user(v.created_by), name=v.name, hamlet=self.net.hamlets[v.hamlet], phone=v.phone, id_number=v.id_number, now=at,
        )

    def _fields(self, c: ConcernPlan) -> dict:
        s = c.spec
        details = CHANNEL_PHRASE[s.channel] + s.topic.summary + "。"
        if len(c.villagers) >= 3:
            details += f"共{len(c.villagers)}户村民联名反映。"
        return dict(
            function=s.topic.function, summary=s.topic.summary, track=s.track, details=details,
            villagers=[self.villagers[k] for k in c.villagers], hamlet=self.net.hamlets[c.hamlet] if c.hamlet else None,
            confidential=s.track == Track.CONFIDENTIAL, risk_level=c.risk_level,
            answer=s.topic.result if "answered" in s.flags else None,
        )

    def _registered(self, c: ConcernPlan, concern: Concern) -> None:
        self.concerns[c.spec.key] = concern
        self.versions[c.spec.key] = 2 if "answered" in c.spec.flags else 1

    def _visit(self, v: VisitPlan, at) -> None:
        by_key = self._by_key()
        plans = [by_key[k] for k in v.concerns]
        visit = cs.visit_log(
            actor=self.user(v.staff), unit=self.net.units[v.unit], visitor_count=v.visitor_count,
            villagers=[self.villagers[k] for k in v.villagers], visited_at=at, note=v.note, concerns=[self._fields(c) for c in plans], now=at,
        )
        if plans:
            for c, concern in zip(plans, visit.concerns.order_by("id")):
                self._registered(c, concern)

    def _register(self, c: ConcernPlan, at) -> None:
        concern = cs.concern_register(
            actor=self.user(c.flow.registrar), unit=self.net.units[c.spec.unit], channel=c.spec.channel, received_at=at, now=at, **self._fields(c),
        )
        self._registered(c, concern)

    def _step(self, item: tuple[ConcernPlan, Step], at) -> None:
        c, s = item
        key = c.spec.key
        actor = self.user(s.actor)
        args = dict(s.args)
        for name in ("handler", "to_handler"):
            if name in args:
                args[name] = self.user(args[name])
        if "to_unit" in args:
            args["to_unit"] = self.net.units[args["to_unit"]]
        if "merged_into" in args:
            args["merged_into"] = self.concerns[args["merged_into"]]
        if "close_as" in args:
            args["outcome"] = args.pop("close_as")
        if s.action == "record_authorization":
            args["villager"] = self.villagers[c.villagers[0]]
            args["signed_on"] = timezone.localdate(at)
        if s.action == "return_document":
            args["document"] = self.documents[(key, args["document"])]
        if s.action == "record_mediation":
            first = self.villagers[c.villagers[0]].name if c.villagers else "当事人"
            args["parties"] = [first if p == "@villager" else p for p in args["parties"]]
            args["mediators"] = [actor.first_name if p == "@actor" else p for p in args["mediators"]]
        service = getattr(cs, f"concern_{s.action}")
        result = service(actor=actor, concern=self.concerns[key], version=self.versions[key], now=at, **args)
        self.versions[key] += 1
        self.steps += 1
        if s.action == "take_document":
            self.documents[(key, args["name"])] = result

    def _by_key(self) -> dict[int, ConcernPlan]:
        if not hasattr(self, "_plans"):
            self._plans = {c.spec.key: c for c in self.plan.concerns}
        return self._plans

    def check(self) -> list[str]:
        """Where the database disagrees with the plan (nothing, if the services did as planned)."""
        rows = {pk: (state, outcome) for pk, state, outcome in Concern.objects.filter(pk__in=[c.pk for c in self.concerns.values()]).values_list("pk", "state", "outcome")}
        wrong = []
        for c in self.plan.concerns:
            got = rows.get(self.concerns[c.spec.key].pk)
            if got != (c.flow.state, c.flow.outcome):
                wrong.append(f"concern {c.spec.key}: planned {c.flow.state}/{c.flow.outcome or '-'}, got {got}")
        return wrong


def replay(loaded: LoadedNetwork, plan: HistoryPlan) -> Replay:
    r = Replay(loaded, plan)
    r.run()
    return r
