"""The Ningming demo county (`huiying seed-demo`, `huiying demo`).

The county is seeded once for this module (about half a minute), committed so that the
demo's chunked transactions behave as in production, and flushed afterwards so no other
test sees it. The tests only read it.
"""
import datetime as dt
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.core.management.base import CommandError

from huiying import access
from huiying.concerns.models import (
    AgencyDocument, Appointment, Channel, Concern, ConcernRating, Escalation, Extension, Function, MediationSession, Outcome,
    State, Track, Transfer, Villager, Visit,
)
from huiying.concerns.validators import clean_id_number, clean_phone
from huiying.demo import network as demo_network
from huiying.demo.history import plan_history
from huiying.demo.management.commands.demo import Command as DemoCommand
from huiying.demo.seed import DemoRefused, demo_logins, plan, seed_demo
from huiying.network.models import ANCESTOR_FIELD, DutyShift, Hamlet, Level, Membership, Role, Unit
from huiying.network.selectors import on_duty
from huiying.network.services import ancestor_values
from huiying.records import book
from huiying.records.models import RecordEntry
from huiying.stats.selectors import unit_stats

# Each test reads inside its own rolled-back transaction; the marker is also what makes
# pytest-django create the test database when this module runs alone.
pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 11)
TOWNSHIPS = "城中镇 明江镇 海渊镇 亭亮镇 桐棉镇 那堪镇 爱店镇 寨安乡 峙浪乡 东安乡 板棍乡 北江乡 那楠乡".split()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        result = seed_demo(today=TODAY)
        try:
            yield result
        finally:
            call_command("flush", interactive=False, verbosity=0)


def test_the_seed_figures_exactly(demo):
    s = unit_stats(demo.county, today=TODAY)
    assert (s["visitors"], s["concerns"], s["resolved"], s["pending"], s["other"]) == (690, 652, 613, 35, 4)
    assert 0 < s["overdue"] < 35
    assert s["units"] == {"township": 13, "village": 161, "point": 127, "hamlet": 1086}
    assert s["staff"] == {"county": 2, "township": 26, "village": 805, "hamlet": 381, "department": 9}
    out = io.StringIO()
    call_command("stats", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert [figures[k] for k in ("visitors", "concerns", "resolved", "pending", "other")] == [690, 652, 613, 35, 4]


def test_the_network_has_ningmings_shape(demo):
    county = demo.county
    assert (county.code, county.ref_prefix, county.name) == ("451422000000", "NM", "宁明县村民关切回应指挥部")
    townships = Unit.objects.filter(level=Level.TOWNSHIP).order_by("code")
    assert sorted(t.name.removesuffix("回应中心") for t in townships) == sorted(TOWNSHIPS)
    codes = list(Unit.objects.exclude(code="").values_list("code", flat=True))
    assert all(len(c) == 12 and c.isdigit() and c.startswith("451422") for c in codes)
    for v in Unit.objects.filter(level=Level.VILLAGE).select_related("parent"):
        assert v.code[:9] == v.parent.code[:9] and v.name.endswith("村回应站")
    assert Hamlet.objects.filter(point__isnull=False).count() == 127
    assert all(h.point.parent_id == h.village_id for h in Hamlet.objects.filter(point__isnull=False).select_related("point"))
    departments = Unit.objects.filter(level=Level.DEPARTMENT)
    assert departments.count() == 9
    assert all(Membership.objects.filter(unit=d, role=Role.LIAISON).count() == 1 for d in departments)


def test_ancestor_columns_are_what_unit_create_sets(demo):
    units = {u.id: u for u in Unit.objects.all()}
    for u in units.values():
        expected = ancestor_values(units.get(u.parent_id))
        expected[ANCESTOR_FIELD[Level(u.level)]] = u.id
        assert {f: getattr(u, f + "_id") for f in expected} == expected, u.name


def test_staff_roles_and_employment(demo):
    by_level_role = Counter(Membership.objects.values_list("unit__level", "role"))
    assert by_level_role[(Level.COUNTY, Role.COMMANDER)] == 2
    assert by_level_role[(Level.TOWNSHIP, Role.CENTER_STAFF)] == 26
    assert by_level_role[(Level.VILLAGE, Role.CLERK)] == 805
    assert by_level_role[(Level.HAMLET, Role.CLERK)] == 381
    assert by_level_role[(Level.COUNTY, Role.ADMIN)] == 1
    assert sum(n for (_lv, role), n in by_level_role.items() if role == Role.SUPERVISOR) >= 3
    employment = Counter(Membership.objects.filter(role=Role.CLERK).values_list("employment", flat=True))
    assert employment["full"] and employment["part"]
    names = list(Membership.objects.values_list("user__first_name", flat=True))
    assert all(2 <= len(n) <= 3 for n in names)


def test_demo_logins(demo):
    logins = {x.username: x for x in demo_logins()}
    expected = {
        "county_commander": (Role.COMMANDER, Level.COUNTY), "county_admin": (Role.ADMIN, Level.COUNTY),
        "township_staff": (Role.CENTER_STAFF, Level.TOWNSHIP), "village_clerk": (Role.CLERK, Level.VILLAGE),
        "hamlet_clerk": (Role.CLERK, Level.HAMLET), "supervisor": (Role.SUPERVISOR, Level.VILLAGE),
        "dept_liaison": (Role.LIAISON, Level.DEPARTMENT),
    }
    assert set(logins) == set(expected)
    for username, (role, level) in expected.items():
        m = Membership.objects.select_related("unit", "user").get(user__username=username)
        assert (m.role, m.unit.level) == (role, level)
    assert logins["township_staff"].unit == "城中镇回应中心" and logins["dept_liaison"].unit == "县民政局"
    clerk = Membership.objects.select_related("unit", "user").get(user__username="village_clerk")
    assert clerk.unit.parent.name == "城中镇回应中心"
    assert Membership.objects.get(user__username="hamlet_clerk").unit.parent_id == clerk.unit_id
    assert clerk.user.check_password("huiying-demo")
    # The named clerk opens onto a real inbox: open work, finished work, and nothing confidential of others.
    seen = access.visible_concerns(clerk.user)
    assert seen.filter(outcome="").exists() and seen.filter(state=State.CLOSED).exists()
    supervisor = Membership.objects.get(user__username="supervisor").user
    assert not access.visible_concerns(supervisor).exclude(state__in=[State.SUPERVISION, State.POSTED, State.CLOSED]).exists()
    assert not access.visible_concerns(supervisor).filter(confidential=True).exists()


def test_duty_roster_rotates_through_todays_month(demo):
    for unit in list(Unit.objects.exclude(level=Level.DEPARTMENT).order_by("id"))[::15]:
        staff = set(Membership.objects.filter(unit=unit).exclude(role__in=[Role.SUPERVISOR, Role.ADMIN]).values_list("user_id", flat=True))
        week = [set(on_duty(unit=unit, day=TODAY + dt.timedelta(days=i)).values_list("id", flat=True)) for i in range(7)]
        assert all(len(d) == 1 and d <= staff for d in week)
        assert len(set().union(*week)) == min(len(staff), 7)
    days = DutyShift.objects.values_list("day", flat=True)
    assert min(days) == TODAY.replace(day=1) and max(days) >= TODAY + dt.timedelta(days=7)


def test_every_track_state_channel_function_and_outcome(demo):
    concerns = Concern.objects.all()
    assert set(concerns.values_list("track", flat=True)) == set(Track.values)
    assert set(concerns.values_list("state", flat=True)) == set(State.values)
    assert set(concerns.values_list("channel", flat=True)) == set(Channel.values)
    assert set(concerns.values_list("function", flat=True)) == set(Function.values)
    assert set(concerns.values_list("outcome", flat=True)) == set(Outcome.values) | {""}
    merged = concerns.get(outcome=Outcome.MERGED)
    assert merged.merged_into.received_unit_id == merged.received_unit_id
    assert concerns.filter(confidential=True, track=Track.CONFIDENTIAL).count() >= 20


def test_the_year_has_the_whole_workflow_in_it(demo):
    visits = Visit.objects.all()
    assert visits.filter(concerns__isnull=True).exists()
    assert visits.annotate(n=Count("concerns")).filter(n__gte=2).exists()
    assert Concern.objects.filter(visit__isnull=True).exists()
    collective = [c for c in Concern.objects.prefetch_related("villagers") if c.villagers.count() >= 3]
    assert len(collective) >= 5
    assert {e.to_unit.level for e in Escalation.objects.select_related("to_unit")} >= {Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY, Level.DEPARTMENT}
    assert Appointment.objects.count() >= 60 and Transfer.objects.exists() and Extension.objects.exists()
    assert MediationSession.objects.filter(agreement_reached=True).exists() and MediationSession.objects.filter(agreement_reached=False).exists()
    assert AgencyDocument.objects.exists()
    assert not AgencyDocument.objects.filter(returned_at__isnull=True, concern__outcome=Outcome.RESOLVED).exists()
    ratings = set(ConcernRating.objects.values_list("rating", flat=True))
    assert ratings == {"satisfied", "basic", "dissatisfied"}
    reopened = Concern.objects.filter(reopen_count__gte=1)
    assert reopened.filter(outcome=Outcome.RESOLVED).exists() and reopened.filter(outcome="").exists()
    assert Concern.objects.filter(outcome="", overdue=True).exists()
    first_day = dt.date(2025, 4, 1)  # the dashboard's past 12 months
    received = [c.date() for c in Concern.objects.values_list("received_at", flat=True)]
    assert first_day <= min(received) and max(received) < TODAY


def test_villagers_carry_valid_personal_data(demo):
    villagers = list(Villager.objects.all())
    assert len(villagers) > 500
    ids = [v.id_number for v in villagers if v.id_number]
    assert ids and len(ids) < len(villagers)
    assert all(clean_id_number(i) == i and i.startswith("451422") for i in ids)
    assert all(clean_phone(v.phone) == v.phone for v in villagers if v.phone)


def test_the_record_book_is_a_real_chain_in_time_order(demo):
    out = io.StringIO()
    call_command("verify_records", stdout=out)
    assert out.getvalue().startswith("OK")
    checked, breaks = book.verify()
    assert breaks == [] and checked > 5000
    times = list(RecordEntry.objects.order_by("seq").values_list("at", flat=True))
    assert times == sorted(times)
    assert RecordEntry.objects.filter(action="concern.overdue").exists()


def test_the_database_is_what_was_planned_and_the_plan_is_deterministic(demo):
    # The year itself is checked state by state while it loads (seed_demo raises otherwise).
    # The demo extensions then post results on the boards (supervision → posted) and rework
    # one a villager objected to: outcomes and tracks stay as planned, and only those two
    # states' counts may move.
    assert Counter(Concern.objects.values_list("outcome", "track")) == Counter(
        (c.flow.outcome, c.final_track) for c in demo.plan.concerns
    )
    got = Counter(Concern.objects.values_list("state", flat=True))
    planned = Counter(c.flow.state for c in demo.plan.concerns)
    moved = {s for s in set(got) | set(planned) if got[s] != planned[s]}
    assert moved <= {State.SUPERVISION, State.POSTED}, moved
    net, again = plan(TODAY)
    assert again.digest() == demo.plan.digest()
    assert plan_history(net, TODAY + dt.timedelta(days=1)).digest() != demo.plan.digest()
    assert demo_network.plan_network().people == net.people


@pytest.mark.parametrize("today", [dt.date(2024, 2, 29), dt.date(2025, 2, 1), dt.date(2026, 6, 30), dt.date(2027, 3, 1)])
def test_plans_for_other_days_keep_the_invariants(today):
    """What the services would refuse, checked on the plan alone (no database, ~0.5 s a day)."""
    _net, h = plan(today)
    horizon = dt.datetime.combine(today, dt.time(0, 0))
    assert sum(v.visitor_count for v in h.visits) == 690 and len(h.concerns) == 652
    assert all(v.visitor_count >= max(1, len(v.villagers)) for v in h.visits)
    assert Counter(c.flow.outcome for c in h.concerns) == {Outcome.RESOLVED: 613, "": 35, Outcome.WITHDRAWN: 1, Outcome.MERGED: 1, Outcome.TRANSFERRED_OUT: 1, Outcome.CANNOT_RESOLVE: 1}
    for c in h.concerns:
        times = [c.received_at] + [s.at for s in c.flow.steps]
        assert times == sorted(set(times)), c.spec.key
        assert h.first_day <= c.received_at.date() and times[-1].replace(tzinfo=None) < horizon
        if c.spec.track == Track.AGENCY and c.flow.steps:
            assert c.villagers


def test_a_second_seed_is_refused(demo):
    with pytest.raises(DemoRefused):
        seed_demo(today=TODAY)
    with pytest.raises(CommandError, match="already holds a county"):
        call_command("seed_demo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="not a date"):
        call_command("seed_demo", today="2026-13-01")


def test_demo_prepare_on_a_loaded_database_prints_the_logins(demo):
    out = io.StringIO()
    DemoCommand(stdout=out).prepare()
    text = out.getvalue()
    assert "already holds 宁明县村民关切回应指挥部" in text and "huiying-demo" in text
    assert all(f"  {u}" in text for u, _zh, _en in demo_network.LOGINS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_serves_the_site_and_stops_its_worker(tmp_path):
    """`huiying demo` end to end, on a database that already holds a county (so it skips
    the half-minute load): it serves, runs the worker, and Ctrl-C stops both."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"HUIYING_DATA_DIR": str(tmp_path), "HUIYING_TICK_INTERVAL": "3600", "PYTHONUNBUFFERED": "1"}
    setup = (
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "from huiying.network.services import unit_create; unit_create(level='county', parent=None, name='测试县', ref_prefix='CS')"
    )
    subprocess.run([sys.executable, "-m", "huiying", "shell", "-c", setup], env=env, check=True, timeout=120, capture_output=True)
    port = _free_port()
    log = tmp_path / "demo.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "huiying", "demo", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        body = _get(f"http://127.0.0.1:{port}/", deadline=time.monotonic() + 60)
        assert "回应" in body
        text = log.read_text()
        assert "already holds 测试县" in text and "background worker started" in text
        worker = int(text.split("background worker started (pid ")[1].split(")")[0])
        assert _alive(worker)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert not _alive(worker)
        assert "stopped (server and worker)" in log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()


def _get(url: str, *, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def test_the_dashboard_shows_the_seed_figures_and_drills_down_to_a_hamlet_point(demo, client):
    # The commander's "past 12 months" is the demo's year: the county's tiles are the seed's
    # figures, and a child's link leads down to a hamlet point and its list of concerns.
    import re

    from huiying.core import clock
    from huiying.dashboard.periods import PAST_YEAR

    client.force_login(Membership.objects.get(user__username="county_commander").user)
    tiles = re.compile(r'<span class="n">(?:<a href="([^"]*)">)?([\d,]+)')
    with clock.frozen(dt.datetime.combine(TODAY, dt.time(12, 0))):
        html = client.get(f"/dashboard/units/{demo.county.pk}/", {"period": PAST_YEAR}).content.decode()
        assert [int(v) for _u, v in tiles.findall(html)[:5]] == [690, 652, 613, 35, 4]
        for level in (Level.TOWNSHIP, Level.VILLAGE, Level.HAMLET):
            below = [int(u) for u in re.findall(r'<th scope="row"><a href="/dashboard/units/(\d+)/\?', html)]
            unit = next(u for u in Unit.objects.filter(pk__in=below, level=level).order_by("pk") if Concern.objects.filter(**{f"received_{ANCESTOR_FIELD[level]}": u}).exists())
            html = client.get(f"/dashboard/units/{unit.pk}/", {"period": PAST_YEAR}).content.decode()
        assert unit.level == Level.HAMLET
        listed, n = tiles.findall(html)[1]
        assert int(n) == Concern.objects.filter(received_point=unit).count() > 0
        page = client.get(listed.replace("&amp;", "&")).content.decode()
        assert re.search(rf"全部\s*(<[^>]+>\s*)*{n}\b", page)
