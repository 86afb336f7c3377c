"""A year of the demo county's work, planned: villagers, visits and concerns, each concern
with its whole life (see `flows`). Pure Python; `replay` writes it through the services.

The seed's figures (PRODUCT.md §8) are reached by construction, not by luck: `BUCKETS`
fixes how many concerns end in each state and outcome (652 = 613 resolved + 35 pending +
4 other), and the visits are topped up with visits that bring no concern until exactly
690 visitors were received.
"""
import dataclasses
import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field

from django.utils import timezone

from huiying.concerns.models import Channel, Function, Outcome, RiskLevel, State, Track
from huiying.core import workdays
from huiying.dashboard.periods import PAST_YEAR, period_of
from huiying.network.models import Level

from . import names, texts
from .flows import Flow, Spec, at_minute, local
from .network import NetworkPlan

VISITORS = 690
SEED = 451422

CATALOG = {
    Track.POLICY: texts.POLICY, Track.DISPUTE: texts.DISPUTE, Track.TIME_LIMITED: texts.TIME_LIMITED,
    Track.AGENCY: texts.AGENCY, Track.BEYOND_AUTHORITY: texts.BEYOND, Track.CONFIDENTIAL: texts.CONFIDENTIAL,
}
S, T, O = State, Track, Outcome
# How the 652 concerns end: (where it is left, track at registration, how many, how many of
# those are long overdue, special flags). 590 + 10 + 13 closed or awaiting posting/feedback
# are the 613 resolved; 4 end otherwise; 35 are pending.
BUCKETS = [
    (S.CLOSED, T.POLICY, 150, 0, ()), (S.CLOSED, T.DISPUTE, 134, 0, ()), (S.CLOSED, T.DISPUTE, 1, 0, ("reopen",)),
    (S.CLOSED, T.TIME_LIMITED, 120, 0, ()), (S.CLOSED, T.AGENCY, 95, 0, ()), (S.CLOSED, T.BEYOND_AUTHORITY, 65, 0, ()),
    (S.CLOSED, T.CONFIDENTIAL, 25, 0, ()),
    (S.SUPERVISION, T.DISPUTE, 3, 0, ()), (S.SUPERVISION, T.TIME_LIMITED, 3, 0, ()), (S.SUPERVISION, T.AGENCY, 2, 0, ()),
    (S.SUPERVISION, T.BEYOND_AUTHORITY, 1, 0, ()), (S.SUPERVISION, T.CONFIDENTIAL, 1, 0, ()),
    (S.POSTED, T.DISPUTE, 4, 0, ()), (S.POSTED, T.TIME_LIMITED, 5, 0, ()), (S.POSTED, T.AGENCY, 2, 0, ()), (S.POSTED, T.BEYOND_AUTHORITY, 2, 0, ()),
    (O.WITHDRAWN, T.DISPUTE, 1, 0, ()), (O.MERGED, T.TIME_LIMITED, 1, 0, ()), (O.TRANSFERRED_OUT, T.DISPUTE, 1, 0, ()),
    (O.CANNOT_RESOLVE, T.BEYOND_AUTHORITY, 1, 0, ()),
    (S.REGISTERED, T.TIME_LIMITED, 2, 1, ()), (S.REGISTERED, T.TIME_LIMITED, 1, 0, ("transfer",)), (S.REGISTERED, T.DISPUTE, 1, 0, ()),
    (S.REGISTERED, T.AGENCY, 1, 0, ()),
    (S.ANALYSIS, T.AGENCY, 2, 1, ()), (S.ANALYSIS, T.TIME_LIMITED, 3, 1, ()), (S.ANALYSIS, T.DISPUTE, 2, 0, ()),
    (S.ANALYSIS, T.POLICY, 1, 1, ()), (S.ANALYSIS, T.CONFIDENTIAL, 1, 0, ()),
    (S.ESCALATED, T.BEYOND_AUTHORITY, 5, 1, ()),
    (S.ON_SITE, T.DISPUTE, 5, 1, ()), (S.ON_SITE, T.DISPUTE, 1, 0, ("reopen_pending",)), (S.ON_SITE, T.TIME_LIMITED, 4, 1, ()),
    (S.ON_SITE, T.AGENCY, 3, 1, ()), (S.ON_SITE, T.BEYOND_AUTHORITY, 2, 1, ()), (S.ON_SITE, T.CONFIDENTIAL, 1, 0, ()),
]
LATE = (S.SUPERVISION, S.POSTED)  # resolved in the last days, not yet answered back
PENDING = (S.REGISTERED, S.ANALYSIS, S.ESCALATED, S.ON_SITE)


@dataclass
class VillagerPlan:
    key: int
    name: str
    hamlet: str
    phone: str
    id_number: str
    created_at: dt.datetime
    created_by: str


@dataclass
class ConcernPlan:
    spec: Spec
    flow: Flow
    villagers: list[int] = field(default_factory=list)
    hamlet: str | None = None
    visit: int | None = None
    risk_level: str = RiskLevel.LOW

    @property
    def received_at(self) -> dt.datetime:
        return self.flow.t0

    @property
    def final_track(self) -> str:
        if self.spec.path and self.spec.track != Track.CONFIDENTIAL:
            return Track.BEYOND_AUTHORITY
        return self.spec.track


@dataclass
class VisitPlan:
    key: int
    unit: str
    at: dt.datetime
    staff: str
    visitor_count: int
    villagers: list[int]
    concerns: list[int]
    note: str = ""


@dataclass
class HistoryPlan:
    today: dt.date
    first_day: dt.date
    concerns: list[ConcernPlan]
    visits: list[VisitPlan]
    villagers: list[VillagerPlan]

    def digest(self) -> str:
        """A fingerprint of everything planned, to show that the same --today plans the same."""
        h = hashlib.sha256()
        for c in self.concerns:
            h.update(repr((c.spec.key, c.spec.unit, c.spec.track, c.spec.channel, c.received_at.isoformat(), c.villagers, c.visit, c.flow.state, c.flow.outcome)).encode())
            for s in c.flow.steps:
                h.update(repr((s.at.isoformat(), s.action, s.actor, sorted((k, str(v)) for k, v in s.args.items()))).encode())
        for v in self.visits:
            h.update(repr(dataclasses.astuple(v)).encode())
        for v in self.villagers:
            h.update(repr(dataclasses.astuple(v)).encode())
        return h.hexdigest()


def year_start(today: dt.date) -> dt.date:
    """The first day of the history ending on `today`: that of the dashboard's "past 12
    months" (this calendar month and the eleven before), so its figures are the seed's."""
    return period_of(PAST_YEAR, today).start


class Planner:
    def __init__(self, net: NetworkPlan, today: dt.date, seed: int = SEED):
        self.net, self.today = net, today
        self.rng = random.Random(seed)
        self.first_day = year_start(today)
        self.start = timezone.make_aware(dt.datetime.combine(self.first_day, dt.time(0, 0)))
        self.horizon = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 0)))
        self.villagers: list[VillagerPlan] = []
        self.ids: set[str] = set()
        self.township0 = net.of_level(Level.TOWNSHIP)[0]
        self.showcase = net.of_level(Level.VILLAGE)[0]

    # --- what each concern is ---------------------------------------------------------
    def specs(self) -> list[Spec]:
        specs = []
        for target, track, count, stale, flags in BUCKETS:
            for i in range(count):
                specs.append(self._spec(len(specs) + 1, target, track, stale=i < stale, flags=set(flags)))
        return specs

    def _spec(self, key: int, target: str, track: str, *, stale: bool, flags: set) -> Spec:
        rng = self.rng
        channel = self._channel(track, target, flags)
        if track in (T.DISPUTE, T.TIME_LIMITED, T.AGENCY) and target == S.CLOSED and rng.random() < 0.05:
            flags.add("transfer")
        if "transfer" in flags or target in (O.TRANSFERRED_OUT, O.CANNOT_RESOLVE):
            channel = channel if channel in (Channel.VISIT, Channel.PHONE) else Channel.PHONE
            level = Level.TOWNSHIP
        else:
            level = self._level(track, channel)
        unit = self._unit(level, open_now=target in PENDING + LATE)
        topic = rng.choice(self._topics(track, channel, level))
        transfer_to = ""
        if "transfer" in flags:
            if topic.function in (Function.SUGGESTION, Function.SENTIMENT) and track == T.TIME_LIMITED and rng.random() < 0.3:
                transfer_to = rng.choice([t for t in self.net.of_level(Level.TOWNSHIP) if t != unit])
            else:
                transfer_to = rng.choice(self.net.children[unit])
        path = ()
        if track == T.BEYOND_AUTHORITY or target == O.CANNOT_RESOLVE:
            path = self._path(unit, "county" if target == O.CANNOT_RESOLVE else topic.target)
        elif track == T.CONFIDENTIAL and level != Level.COUNTY and target == S.CLOSED and rng.random() < 0.12:
            path = (self.net.unit[unit].parent,)
        if track in (T.DISPUTE, T.TIME_LIMITED, T.AGENCY, T.BEYOND_AUTHORITY) and rng.random() < 0.07:
            flags.add("extend")
        if track != T.POLICY and target == S.CLOSED and rng.random() < 0.04:
            flags.add("late")
        if channel == Channel.VISIT and track == T.POLICY and target == S.CLOSED:
            flags.add("answered")
        if rng.random() < (0.1 if "answered" in flags else 0.55):
            flags.add("rate")
        if channel in (Channel.VISIT, Channel.HAMLET_POINT) and track in (T.DISPUTE, T.TIME_LIMITED, T.BEYOND_AUTHORITY) and rng.random() < 0.1:
            flags.add("collective")  # several villagers raise one matter together
        return Spec(key, target, track, topic, unit, channel, stale, frozenset(flags), transfer_to, path)

    def _channel(self, track: str, target: str, flags: set) -> str:
        r = self.rng.random()
        if track == T.POLICY:
            if target != S.CLOSED:
                return Channel.ONLINE
            return Channel.VISIT if r < 0.73 else Channel.PHONE if r < 0.9 else Channel.ONLINE
        if track == T.CONFIDENTIAL:
            return Channel.VISIT if r < 0.75 else Channel.PHONE
        if "reopen" in flags or "reopen_pending" in flags or target == O.MERGED:
            return Channel.VISIT
        options = [(Channel.VISIT, 66), (Channel.PHONE, 13), (Channel.ONLINE, 7), (Channel.HAMLET_POINT, 9)]
        if track in (T.TIME_LIMITED, T.BEYOND_AUTHORITY):
            options.append((Channel.SUGGESTION_BOX, 5))
        return self.rng.choices([c for c, _w in options], [w for _c, w in options])[0]

    def _level(self, track: str, channel: str) -> str:
        if channel == Channel.HAMLET_POINT:
            return Level.HAMLET
        options = {
            Channel.VISIT: [(Level.VILLAGE, 58), (Level.HAMLET, 14), (Level.TOWNSHIP, 21), (Level.COUNTY, 7)],
            Channel.SUGGESTION_BOX: [(Level.VILLAGE, 70), (Level.TOWNSHIP, 30)],
        }.get(channel, [(Level.VILLAGE, 55), (Level.TOWNSHIP, 35), (Level.COUNTY, 10)])
        if track in (T.AGENCY, T.CONFIDENTIAL):
            options = [(lv, w) for lv, w in options if lv != Level.COUNTY]
        return self.rng.choices([lv for lv, _w in options], [w for _lv, w in options])[0]

    def _unit(self, level: str, *, open_now: bool) -> str:
        keys = self.net.of_level(level)
        # The showcase village, its point and its township see more than their share — most
        # of all of the work still open — so the named demo logins open onto full lists.
        boost = 60 if open_now else 8
        weights = [boost if k in (self.showcase, self.township0) or self.net.unit[k].parent == self.showcase else 2 if self.net.unit[k].parent == self.township0 else 1 for k in keys]
        return self.rng.choices(keys, weights)[0]

    def _topics(self, track: str, channel: str, level: str) -> list[texts.Topic]:
        topics = CATALOG[track]
        if channel == Channel.SUGGESTION_BOX:
            topics = [t for t in topics if t.function in (Function.SUGGESTION, Function.SENTIMENT)]
        if track == T.BEYOND_AUTHORITY and level == Level.COUNTY:
            topics = [t for t in topics if t.target not in ("county", "township")]
        elif track == T.BEYOND_AUTHORITY and level == Level.TOWNSHIP:
            topics = [t for t in topics if t.target != "township"]
        return topics

    def _path(self, unit: str, target: str) -> tuple:
        path, here = [], unit
        stop = {"township": {Level.TOWNSHIP}, "county": {Level.COUNTY}}.get(target, {Level.TOWNSHIP, Level.COUNTY})
        while self.net.unit[here].level not in stop:
            here = self.net.unit[here].parent
            path.append(here)
        if target not in ("township", "county"):
            path.append(f"dept:{target}")
        return tuple(path)

    # --- when: fitting each life inside the year -------------------------------------
    def _move(self, spec: Spec, unit: str) -> Spec:
        """The same concern received at another unit of the same level (visit companions)."""
        path = spec.path
        if spec.track == T.BEYOND_AUTHORITY or spec.target == O.CANNOT_RESOLVE:
            path = self._path(unit, "county" if spec.target == O.CANNOT_RESOLVE else spec.topic.target)
        elif path:
            path = (self.net.unit[unit].parent,)
        return dataclasses.replace(spec, unit=unit, path=path)

    def _groups(self, specs: list[Spec]) -> list[list[Spec]]:
        """Concerns that arrive together: one visit may bring several (来访 ≠ 关切)."""
        rng = self.rng
        visits = [s for s in specs if s.channel == Channel.VISIT and s.target != O.MERGED]
        extras = [s for s in visits if "answered" in s.flags and rng.random() < 0.35]
        extra_keys = {s.key for s in extras}
        groups = [[s] for s in specs if s.target != O.MERGED and s.key not in extra_keys]
        by_key = {g[0].key: g for g in groups}
        hosts = [g for g in groups if g[0].channel == Channel.VISIT and "answered" not in g[0].flags]
        for s in extras:  # "while I'm here, may I ask about …": answered on the spot
            host = rng.choice(hosts)
            host.append(self._move(s, host[0].unit))
        plain = [g for g in hosts if len(g) == 1 and g[0].target == S.CLOSED and not g[0].transfer_to and not g[0].flags & {"reopen", "collective"}]
        for _ in range(12):  # two substantive matters in one visit
            a, b = rng.sample(plain, 2)
            if a is b or len(a) > 1 or len(b) > 1 or b[0].key not in by_key or self.net.unit[a[0].unit].level != self.net.unit[b[0].unit].level:
                continue
            a.append(self._move(b[0], a[0].unit))
            groups.remove(b)
            del by_key[b[0].key]
        return groups

    def _start(self, spec: Spec, day: dt.date, rng: random.Random) -> dt.datetime:
        level, ch = self.net.unit[spec.unit].level, spec.channel
        to_workday = rng.random() < 0.7
        if ch == Channel.VISIT:
            if level in (Level.TOWNSHIP, Level.COUNTY) or to_workday:
                day = workdays.next_workday(day)
            return at_minute(day, rng.randint(8 * 60 + 30, 17 * 60 + 30))
        if ch == Channel.SUGGESTION_BOX:  # opened on a working morning
            return at_minute(workdays.next_workday(day), rng.randint(9 * 60, 10 * 60 + 30))
        lo, hi = {Channel.PHONE: (7 * 60 + 30, 21 * 60 + 30), Channel.ONLINE: (6 * 60, 23 * 60 + 30)}.get(ch, (8 * 60, 19 * 60 + 30))
        return at_minute(day, rng.randint(lo, hi))

    def _place(self, group: list[Spec]) -> list[Flow]:
        host = group[0]
        rng = random.Random(f"place-{host.key}")

        def build(t0):
            return [Flow(self.net, s, t0).plan() for s in group]

        probe = build(self._start(host, self.first_day + dt.timedelta(days=30), random.Random(0)))
        duration = max(f.end for f in probe) - probe[0].t0
        finished = host.target not in PENDING + LATE
        limit = self.horizon - dt.timedelta(hours=6 if finished else 0.5)
        if host.target in PENDING and host.stale:
            day0 = self.today - dt.timedelta(days=rng.randint(40, 80))
        elif not finished:
            recent = dt.timedelta(days=6 if host.target in PENDING else 12)
            day0 = local(self.horizon - dt.timedelta(seconds=rng.uniform(3600, recent.total_seconds())) - duration)
        else:
            latest = local(limit - duration) - dt.timedelta(days=1)
            day0 = self.first_day + dt.timedelta(days=rng.randint(0, (latest - self.first_day).days))
        for attempt in range(12):
            flows = build(self._start(host, day0, random.Random(f"start-{host.key}-{attempt}")))
            end = max(f.end for f in flows)
            if flows[0].t0 < self.start:
                day0 += dt.timedelta(days=1)
            elif end >= limit:
                day0 -= dt.timedelta(days=(end - limit).days + 1)
            else:
                return flows
        raise RuntimeError(f"demo plan: concern {host.key} does not fit in the year")

    # --- who: villagers, visits ------------------------------------------------------
    def _villager(self, hamlet: str, at: dt.datetime, by: str, taken: list[int]) -> int:
        rng = self.rng
        known = [v for v in self.by_hamlet.get(hamlet, []) if v.created_at < at - dt.timedelta(days=1) and v.key not in taken]
        if known and rng.random() < 0.12:  # someone who has come before
            return rng.choice(known).key
        born = names.birth_date(rng)
        elderly = born.year < 1960
        v = VillagerPlan(
            key=len(self.villagers) + 1, name=names.person_name(rng), hamlet=hamlet,
            phone=names.mobile(rng) if rng.random() < (0.45 if elderly else 0.85) else "",
            id_number=names.id_number(rng, region="451422", born=born, taken=self.ids) if rng.random() < 0.65 else "",
            created_at=at - dt.timedelta(minutes=rng.randint(1, 4)), created_by=by,
        )
        self.villagers.append(v)
        self.by_hamlet.setdefault(hamlet, []).append(v)
        return v.key

    def _people(self, placed: list[list[ConcernPlan]]) -> None:
        rng = self.rng
        self.by_hamlet = {}
        by_key = {c.spec.key: c for g in placed for c in g}
        for group in sorted(placed, key=lambda g: (g[0].received_at, g[0].spec.key)):
            host = group[0]
            spec = host.spec
            hamlet, vs = None, []
            if spec.target == O.MERGED:
                hamlet = by_key[spec.merged_into].hamlet
            elif spec.channel != Channel.SUGGESTION_BOX and not (spec.transfer_to and self.net.unit[spec.transfer_to].level == Level.TOWNSHIP):
                hamlet = rng.choice(self.net.hamlets_under(spec.transfer_to or spec.unit))
            if hamlet:
                n = rng.randint(3, 7) if "collective" in spec.flags else 1
                for _ in range(n):
                    vs.append(self._villager(hamlet, host.received_at, host.flow.registrar, vs))
            for c in group:
                c.hamlet = hamlet
                c.villagers = vs if c is host or "answered" not in c.spec.flags else vs[:1]
                sentiment = c.spec.topic.function == Function.SENTIMENT
                r = rng.random()
                c.risk_level = RiskLevel.HIGH if sentiment and r < 0.08 else RiskLevel.MEDIUM if (sentiment and r < 0.3) or len(c.villagers) >= 3 else RiskLevel.LOW

    def _visits(self, placed: list[list[ConcernPlan]]) -> list[VisitPlan]:
        rng = self.rng
        visits = []
        for group in sorted(placed, key=lambda g: (g[0].received_at, g[0].spec.key)):
            host = group[0]
            if host.spec.channel != Channel.VISIT:
                continue
            n = len(host.villagers)
            companions = rng.randint(1, 3) if n >= 3 and rng.random() < 0.5 else int(rng.random() < 0.2)
            # Someone came even when no villager was registered (a matter of another township's).
            visits.append(VisitPlan(0, host.spec.unit, host.received_at, host.flow.registrar, max(n, 1) + companions, host.villagers, [c.spec.key for c in group]))
        missing = VISITORS - sum(v.visitor_count for v in visits)
        for v in visits:  # too many: fewer companions
            while missing < 0 and v.visitor_count > max(1, len(v.villagers)):
                v.visitor_count -= 1
                missing += 1
        if missing < 0:
            raise RuntimeError("demo plan: more villagers came with concerns than the seed's 690 visitors")
        units = self.net.of_level(Level.VILLAGE) + self.net.of_level(Level.HAMLET) + self.net.of_level(Level.TOWNSHIP)
        span = (self.today - self.first_day).days
        while missing > 0:  # people who came and raised nothing to register
            count = min(missing, rng.choice([1, 1, 1, 2, 2, 3]))
            unit = rng.choice(units)
            at = at_minute(self.first_day + dt.timedelta(days=rng.randrange(span)), rng.randint(8 * 60 + 30, 17 * 60 + 30))
            visits.append(VisitPlan(0, unit, at, self.net.on_duty(unit, local(at)), count, [], [], rng.choice(texts.VISITS_WITHOUT_CONCERN)))
            missing -= count
        visits.sort(key=lambda v: (v.at, v.unit))
        for i, v in enumerate(visits, 1):
            v.key = i
        return visits

    def plan(self) -> HistoryPlan:
        specs = self.specs()
        placed = [[ConcernPlan(s, f) for s, f in zip(g, self._place(g))] for g in self._groups(specs)]
        merged = next(s for s in specs if s.target == O.MERGED)
        # One villager phones about what their hamlet already raised together: merged (合并).
        hosts = [g[0] for g in placed if g[0].spec.target == S.CLOSED and g[0].spec.track == T.TIME_LIMITED and g[0].spec.channel == Channel.VISIT
                 and self.net.unit[g[0].spec.unit].level == Level.VILLAGE]
        host = sorted(hosts, key=lambda c: ("collective" not in c.spec.flags, c.spec.key))[0]
        merged = dataclasses.replace(merged, unit=host.spec.unit, channel=Channel.PHONE, topic=host.spec.topic, merged_into=host.spec.key)
        day = workdays.add_workdays(local(host.received_at), 1)
        placed.append([ConcernPlan(merged, Flow(self.net, merged, at_minute(day, self.rng.randint(9 * 60, 11 * 60))).plan())])
        self._people(placed)
        visits = self._visits(placed)
        concerns = sorted((c for g in placed for c in g), key=lambda c: (c.received_at, c.spec.key))
        by_key = {c.spec.key: c for c in concerns}
        for v in visits:
            for key in v.concerns:
                by_key[key].visit = v.key
        return HistoryPlan(self.today, self.first_day, concerns, visits, self.villagers)


def plan_history(net: NetworkPlan, today: dt.date) -> HistoryPlan:
    return Planner(net, today).plan()
