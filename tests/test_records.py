"""The work record book (一本工作记录): append-only, one entry per step, hash-chained per
county, and tamper-evident against edits made behind the application's back."""
import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from huiying.concerns import services as cs
from huiying.concerns.models import Concern, State
from huiying.core import clock
from huiying.network import services as net
from huiying.network.models import Level, Role
from huiying.records import book
from huiying.records.models import AppendOnlyError, ChainHead, RecordEntry

from helpers import act, fresh, register

REG, ANA, ESC, ONS, SUP, POS, CLO = (
    State.REGISTERED, State.ANALYSIS, State.ESCALATED, State.ON_SITE, State.SUPERVISION, State.POSTED, State.CLOSED,
)


def last_entry() -> RecordEntry:
    return RecordEntry.objects.order_by("-id").first()


def writes_one(call, *, action, actor, from_state, to_state, unit, concern=None):
    """`call()` appends exactly one entry, and it says what happened, who did it, where."""
    before = RecordEntry.objects.count()
    result = call()
    assert RecordEntry.objects.count() == before + 1
    e = last_entry()
    assert (e.action, e.from_state, e.to_state) == (action, from_state, to_state)
    assert e.actor_id == actor.pk and e.actor_name == (actor.get_full_name() or actor.username)
    assert e.unit_id == unit.pk
    if concern is not None:
        assert e.concern_id == concern.pk
        assert e.payload["reference"] == concern.reference
        assert fresh(concern).state == to_state
    return result


# --- append-only --------------------------------------------------------------------------

@pytest.fixture
def entries(network, now):
    n = network
    c = register(n, actor=n.village_clerk)
    act(cs.concern_assign, actor=n.village_clerk, concern=c, handler=n.village_clerk2)
    return list(RecordEntry.objects.order_by("seq"))


def test_entries_cannot_be_updated_or_deleted_through_the_orm(entries):
    e = RecordEntry.objects.get(pk=entries[0].pk)
    e.payload = {"forged": True}
    with pytest.raises(AppendOnlyError):
        e.save()
    with pytest.raises(AppendOnlyError):
        e.save(update_fields=["payload"])
    with pytest.raises(AppendOnlyError):
        e.delete()
    with pytest.raises(AppendOnlyError):
        RecordEntry.objects.update(action="x")
    with pytest.raises(AppendOnlyError):
        RecordEntry.objects.filter(pk=e.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        RecordEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        RecordEntry.objects.filter(pk=e.pk).delete()
    with pytest.raises(AppendOnlyError):
        RecordEntry.objects.bulk_update([e], ["payload"])
    assert [x.payload for x in RecordEntry.objects.order_by("seq")] == [x.payload for x in entries]
    assert book.verify()[1] == []


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    county = net.unit_create(level=Level.COUNTY, parent=None, name="测试县", ref_prefix="CS")
    with pytest.raises(RuntimeError):
        book.append(county_id=county.id, action="test.outside")
    assert RecordEntry.objects.count() == 0
    assert not ChainHead.objects.exists()


# --- one entry per step -------------------------------------------------------------------

def test_each_step_of_a_dispute_writes_one_entry(network, now):
    n = network
    clerk, clerk2 = n.village_clerk, n.village_clerk2
    v = writes_one(lambda: cs.villager_create(actor=clerk, name="张小明", hamlet=n.hamlet), action="villager.register", actor=clerk, from_state="", to_state="", unit=n.village)
    assert last_entry().payload == {"villager": v.id, "hamlet": n.hamlet.id}
    c = writes_one(lambda: register(n, actor=clerk, villagers=[v]), action="concern.register", actor=clerk, from_state="", to_state=REG, unit=n.village)
    assert last_entry().concern_id == c.pk
    steps = [
        (cs.concern_assign, {"handler": clerk2}, clerk, "assign", REG, ANA),
        (cs.concern_extend, {"days": 2, "reason": "补材料"}, clerk2, "extend", ANA, ANA),
        (cs.concern_start_on_site, {}, clerk2, "start_on_site", ANA, ONS),
        (cs.concern_record_mediation, {"held_at": now, "place": "村部", "parties": ["张三", "李四"], "mediators": ["赵"], "summary": "调解"}, clerk2, "record_mediation", ONS, ONS),
        (cs.concern_resolve, {"result": "达成协议"}, clerk2, "resolve", ONS, SUP),
        (cs.concern_post, {}, clerk, "post", SUP, POS),
        (cs.concern_feedback, {"method": "phone"}, clerk, "feedback", POS, CLO),
        (cs.concern_rate, {"rating": "dissatisfied"}, clerk, "rate", CLO, ONS),
        (cs.concern_resolve, {"result": "重新调解"}, clerk2, "resolve", ONS, SUP),
        (cs.concern_rate, {"rating": "satisfied"}, clerk, "rate", SUP, SUP),
        (cs.concern_feedback, {"method": "in_person"}, clerk, "feedback", SUP, CLO),
    ]
    for service, kwargs, actor, action, from_state, to_state in steps:
        writes_one(lambda: act(service, actor=actor, concern=c, **kwargs), action=f"concern.{action}", actor=actor,
                   from_state=from_state, to_state=to_state, unit=n.village, concern=c)
    assert RecordEntry.objects.filter(concern=c).count() == 1 + len(steps)
    assert book.verify()[1] == []


def test_each_step_of_escalation_transfer_and_agency_writes_one_entry(network, now):
    n = network
    v = cs.villager_create(actor=n.village_clerk, name="张小明", hamlet=n.hamlet)
    c = register(n, actor=n.village_clerk, villagers=[v], track="agency")
    writes_one(lambda: act(cs.concern_escalate, actor=n.village_clerk, concern=c, to_unit=n.township, reason="超出权限"),
               action="concern.escalate", actor=n.village_clerk, from_state=REG, to_state=ESC, unit=n.village, concern=c)
    assert last_entry().payload["to_unit"] == n.township.id
    writes_one(lambda: act(cs.concern_book_appointment, actor=n.township_staff, concern=c, date=clock.today(), place="村部", cadre="王"),
               action="concern.book_appointment", actor=n.township_staff, from_state=ESC, to_state=ANA, unit=n.township, concern=c)
    # The commander acts under the county HQ's membership, and the entry says so.
    writes_one(lambda: act(cs.concern_transfer, actor=n.county_commander, concern=c, to_unit=n.village, reason="退回甲村"),
               action="concern.transfer", actor=n.county_commander, from_state=ANA, to_state=REG, unit=n.county, concern=c)
    writes_one(lambda: act(cs.concern_assign, actor=n.village_clerk, concern=c, handler=n.village_clerk, track="agency"),
               action="concern.assign", actor=n.village_clerk, from_state=REG, to_state=ANA, unit=n.village, concern=c)
    writes_one(lambda: act(cs.concern_record_authorization, actor=n.village_clerk, concern=c, villager=v, signed_on=clock.today(), scope="代办"),
               action="concern.record_authorization", actor=n.village_clerk, from_state=ANA, to_state=ANA, unit=n.village, concern=c)
    doc = writes_one(lambda: act(cs.concern_take_document, actor=n.village_clerk, concern=c, name="户口簿"),
                     action="concern.take_document", actor=n.village_clerk, from_state=ANA, to_state=ANA, unit=n.village, concern=c)
    writes_one(lambda: act(cs.concern_return_document, actor=n.village_clerk, concern=c, document=doc),
               action="concern.return_document", actor=n.village_clerk, from_state=ANA, to_state=ANA, unit=n.village, concern=c)
    writes_one(lambda: act(cs.concern_close_unresolved, actor=n.village_clerk, concern=c, outcome="cannot_resolve", reason="政策不允许"),
               action="concern.close_unresolved", actor=n.village_clerk, from_state=ANA, to_state=CLO, unit=n.village, concern=c)


def test_one_user_action_is_one_group(network, now):
    n = network
    visit = cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=3, concerns=[
        {"function": "dispute", "summary": "纠纷", "track": "dispute"},
        {"function": "suggestion", "summary": "咨询", "track": "policy", "answer": "按政策答复"},
    ])
    rows = list(RecordEntry.objects.order_by("seq"))
    assert [(r.action, r.from_state, r.to_state) for r in rows] == [
        ("visit.log", "", ""), ("concern.register", "", REG), ("concern.register", "", REG), ("concern.answer", REG, CLO),
    ]
    assert len({r.group for r in rows}) == 1
    assert {r.actor_id for r in rows} == {n.village_clerk.pk}
    assert rows[0].visit_id == visit.id and rows[1].visit_id == visit.id


def test_a_refused_step_writes_no_entry(network, now):
    n = network
    c = register(n, actor=n.village_clerk)
    head = ChainHead.objects.get(county=n.county)
    with pytest.raises(Exception):
        act(cs.concern_resolve, actor=n.village_clerk, concern=c, result="x")  # not from registered
    assert ChainHead.objects.get(county=n.county).seq == head.seq == RecordEntry.objects.count()


def test_the_deadline_tick_writes_an_entry_without_an_actor(network, now):
    from huiying.concerns import deadlines

    n = network
    c = register(n, actor=n.village_clerk, track="policy", function="suggestion")
    deadlines.tick(now=now + dt.timedelta(days=3))
    e = last_entry()
    assert (e.action, e.actor_id, e.actor_name, e.concern_id) == ("concern.overdue", None, "", c.pk)
    assert book.verify()[1] == []


# --- the chain ----------------------------------------------------------------------------

def second_county():
    county = net.unit_create(level=Level.COUNTY, parent=None, name="凭祥市", ref_prefix="PX", code="451481000000")
    town = net.unit_create(level=Level.TOWNSHIP, parent=county, name="友谊镇")
    village = net.unit_create(level=Level.VILLAGE, parent=town, name="丁村")
    clerk = net.staff_create(username="px_clerk", full_name="覃值班", unit=village, role=Role.CLERK)
    return county, village, clerk


def test_each_county_has_its_own_chain(network, now):
    n = network
    county2, village2, clerk2 = second_county()
    for i in range(3):
        register(n, actor=n.village_clerk)
        register(n, actor=clerk2, unit=village2)
    act(cs.concern_assign, actor=clerk2, concern=register(n, actor=clerk2, unit=village2), handler=clerk2)
    for county, count in ((n.county, 3), (county2, 5)):
        rows = list(RecordEntry.objects.filter(county=county).order_by("seq"))
        assert [r.seq for r in rows] == list(range(1, count + 1))
        assert rows[0].prev_hash == book.GENESIS
        for prev, entry in zip(rows, rows[1:]):
            assert entry.prev_hash == prev.hash
        assert all(book.entry_hash(r) == r.hash for r in rows)
        head = ChainHead.objects.get(county=county)
        assert (head.seq, head.hash) == (rows[-1].seq, rows[-1].hash)
    # Reference numbers are per county too.
    assert sorted(c.reference for c in Concern.objects.filter(received_county=county2)) == [f"PX-2026-{k:06d}" for k in range(1, 5)]
    checked, breaks = book.verify()
    assert (checked, breaks) == (8, [])
    assert book.verify(county_id=county2.id) == (5, [])


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _set_payload(entry_id, payload):
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    _raw(f"UPDATE records_recordentry SET payload = {cast} WHERE id = %s", [json.dumps(payload), entry_id])


@pytest.fixture
def two_books(network, now):
    n = network
    county2, village2, clerk2 = second_county()
    for _ in range(3):
        act(cs.concern_assign, actor=n.village_clerk, concern=register(n, actor=n.village_clerk), handler=n.village_clerk)
        register(n, actor=clerk2, unit=village2)
    assert book.verify()[1] == []
    return n.county, county2


def test_an_edit_by_raw_sql_is_found_and_named(two_books):
    county, county2 = two_books
    victim = RecordEntry.objects.get(county=county, seq=4)
    _set_payload(victim.id, {**victim.payload, "handler": 999})
    checked, breaks = book.verify()
    assert len(breaks) == 1
    b = breaks[0]
    assert (b.county_id, b.seq, b.entry_id) == (county.id, 4, victim.id)
    assert "altered" in b.reason
    # The other county's chain is intact and checked alone.
    assert book.verify(county_id=county2.id)[1] == []


def test_an_edit_of_another_column_is_found(two_books):
    county, _ = two_books
    victim = RecordEntry.objects.get(county=county, seq=2)
    _raw("UPDATE records_recordentry SET actor_name = %s WHERE id = %s", ["别人", victim.id])
    breaks = book.verify(county_id=county.id)[1]
    assert [(b.seq, b.entry_id) for b in breaks] == [(2, victim.id)]


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(two_books):
    county, _ = two_books
    victim = RecordEntry.objects.get(county=county, seq=3)
    victim.payload = {**victim.payload, "forged": True}
    forged_hash = book.entry_hash(victim)
    _set_payload(victim.id, victim.payload)
    _raw("UPDATE records_recordentry SET hash = %s WHERE id = %s", [forged_hash, victim.id])
    following = RecordEntry.objects.get(county=county, seq=4)
    breaks = book.verify()[1]
    assert [(b.seq, b.entry_id) for b in breaks] == [(4, following.id)]
    assert "link" in breaks[0].reason


def test_deleting_the_last_entry_by_raw_sql_is_found(two_books):
    county, county2 = two_books
    last = RecordEntry.objects.filter(county=county2).order_by("-seq").first()
    _raw("DELETE FROM records_recordentry WHERE id = %s", [last.id])
    breaks = book.verify()[1]
    assert len(breaks) == 1
    assert (breaks[0].county_id, breaks[0].seq, breaks[0].entry_id) == (county2.id, last.seq, None)


def test_deleting_an_entry_in_the_middle_is_found(two_books):
    county, _ = two_books
    gone = RecordEntry.objects.get(county=county, seq=2)
    after = RecordEntry.objects.get(county=county, seq=3)
    _raw("DELETE FROM records_recordentry WHERE id = %s", [gone.id])
    breaks = book.verify()[1]
    assert [(b.seq, b.entry_id) for b in breaks] == [(2, after.id)]
    assert "missing" in breaks[0].reason


def test_verify_records_command(two_books, capsys):
    county, county2 = two_books
    call_command("verify_records")
    assert "OK" in capsys.readouterr().out
    call_command("verify_records", "--county", county2.code)
    assert "OK: 3 entries" in capsys.readouterr().out
    victim = RecordEntry.objects.get(county=county, seq=5)
    _set_payload(victim.id, {"forged": True})
    with pytest.raises(CommandError) as info:
        call_command("verify_records")
    message = str(info.value)
    assert "#5" in message and f"entry id {victim.id}" in message
    err = capsys.readouterr().err
    assert "#5" in err and str(victim.id) in err
    # The other county alone is still fine.
    call_command("verify_records", "--county", county2.code)
    assert "OK" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("verify_records", "--county", "000000000000")


def test_the_actor_name_survives_the_users_deletion(network, now):
    n = network
    temp = net.staff_create(username="temp_clerk", full_name="临时值班", unit=n.village, role=Role.CLERK)
    cs.villager_create(actor=temp, name="张小明", hamlet=n.hamlet)
    entry = last_entry()
    assert entry.actor_id == temp.pk
    get_user_model().objects.filter(pk=temp.pk).delete()
    entry = RecordEntry.objects.get(pk=entry.pk)
    assert entry.actor_name == "临时值班"
    assert RecordEntry.objects.count() == 1
    # Deleting an account is not an edit of the book: the chain still verifies.
    assert book.verify()[1] == []


def test_a_record_books_period_defaults_to_this_month_and_is_at_most_a_year():
    import datetime as dt

    from huiying.records.selectors import BOOK_MAX_DAYS, book_period

    today = dt.date(2026, 3, 11)
    assert book_period(None, None, today=today) == (dt.date(2026, 3, 1), today)
    assert book_period(dt.date(2026, 3, 20), dt.date(2026, 3, 5), today=today) == (dt.date(2026, 3, 5), dt.date(2026, 3, 20))
    start, end = book_period(dt.date(2020, 1, 1), dt.date(2026, 1, 31), today=today)
    assert end == dt.date(2026, 1, 31) and (end - start).days == BOOK_MAX_DAYS
    assert book_period(dt.date.min, dt.date(1, 6, 1), today=today)[0] == dt.date.min  # no overflow near year 1
