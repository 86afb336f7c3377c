"""A small year of concerns on the named network, with the expected figures kept by hand.

`history.expected` records, for each concern, what the test itself did to it (its outcome
class, whether it is pending past its due date): the dashboard's figures are compared with
counts of this ledger, never with the dashboard's own queries.
"""
import dataclasses
import datetime as dt

import pytest

from huiying.concerns import services as cs
from huiying.concerns.models import Channel, Concern
from huiying.network.models import Level

from helpers import a_datetime, act, drive, fresh, register

from api.conftest import _default_language, api  # noqa: F401  (the token-authenticated API clients)

TODAY = dt.date(2026, 3, 11)  # tests/conftest.py's NOW


@dataclasses.dataclass
class Entry:
    concern: Concern
    cls: str  # resolved / pending / other
    overdue: bool = False
    confidential: bool = False


class History:
    def __init__(self, n):
        self.n = n
        self.expected: list[Entry] = []
        self.visitors: dict[int, int] = {}  # receiving unit id → visitors this year

    def add(self, concern, cls, *, overdue=False):
        self.expected.append(Entry(fresh(concern), cls, overdue, concern.confidential))

    def entries(self, unit, *, here=False, year=2026):
        field = {Level.COUNTY: "received_county_id", Level.TOWNSHIP: "received_township_id", Level.VILLAGE: "received_village_id", Level.HAMLET: "received_point_id"}[unit.level]
        out = []
        for e in self.expected:
            if e.concern.received_at.astimezone(a_datetime(TODAY).tzinfo).year != year:
                continue
            if (e.concern.received_unit_id == unit.id) if here else getattr(e.concern, field) == unit.id:
                out.append(e)
        return out

    def counts(self, unit, **kw):
        es = self.entries(unit, **kw)
        return {
            "concerns": len(es),
            "resolved": sum(e.cls == "resolved" for e in es),
            "pending": sum(e.cls == "pending" for e in es),
            "other": sum(e.cls == "other" for e in es),
            "overdue": sum(e.overdue for e in es),
        }

    def visitors_in(self, unit):
        from huiying.network.models import Unit
        return sum(v for uid, v in self.visitors.items() if Unit.objects.get(pk=uid).is_in_subtree_of(unit))


@pytest.fixture
def history(network, now):
    n, h = network, History(network)
    jan = a_datetime(dt.date(2026, 1, 5))
    # 甲一屯回应点: resolved; pending and long overdue; withdrawn.
    h.add(drive(n, register(n, unit=n.point, received_at=jan), "supervision"), "resolved")
    h.add(register(n, unit=n.point, received_at=jan, track="dispute"), "pending", overdue=True)
    c = register(n, unit=n.point, received_at=a_datetime(dt.date(2026, 2, 2)), track="time_limited")
    act(cs.concern_close_unresolved, actor=n.county_commander, concern=c, outcome="withdrawn", reason="村民撤回")
    h.add(c, "other")
    # 甲村 itself: a policy question answered on the spot; a pending one; a confidential one
    # only its clerk (and the HQ) may see; a visit with 3 visitors bringing one concern.
    h.add(register(n, unit=n.village, track="policy", answer="按政策答复", channel=Channel.ONLINE), "resolved")
    h.add(register(n, unit=n.village, track="agency"), "pending")
    h.add(register(n, unit=n.village, track="confidential", confidential=True, actor=n.village_clerk2, handler=n.village_clerk2), "pending")
    visit = cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=3, concerns=[
        {"function": "dispute", "summary": "水渠纠纷", "track": "dispute"}])
    h.visitors[n.village.id] = 3
    h.add(visit.concerns.get(), "pending")
    # 乙村: resolved, closed, rated dissatisfied — reopened, so pending again.
    c = drive(n, register(n, unit=n.other_village, received_at=a_datetime(dt.date(2026, 2, 20))), "closed")
    act(cs.concern_rate, actor=n.county_commander, concern=c, rating="dissatisfied")
    h.add(c, "pending", overdue=fresh(c).due_date < TODAY)
    # 乙村: escalated to the township — still counted where it was received.
    c = drive(n, register(n, unit=n.other_village), "analysis")
    act(cs.concern_escalate, actor=n.county_commander, concern=c, to_unit=n.township, reason="超出本级权限")
    h.add(c, "pending")
    # 城中镇 itself: resolved.
    h.add(drive(n, register(n, unit=n.township, track="time_limited"), "posted"), "resolved")
    # 明江镇 · 丙村: one merged into another, the other resolved.
    keep = drive(n, register(n, unit=n.far_village), "supervision")
    dup = register(n, unit=n.far_village)
    act(cs.concern_close_unresolved, actor=n.county_commander, concern=dup, outcome="merged", reason="重复反映", merged_into=keep)
    h.add(keep, "resolved")
    h.add(dup, "other")
    # The county HQ itself: pending, received in March.
    h.add(register(n, unit=n.county, track="time_limited", channel=Channel.PHONE), "pending")
    # Last year: not in this year's figures.
    h.add(register(n, unit=n.village, received_at=a_datetime(dt.date(2025, 12, 30))), "pending", overdue=True)
    return h
