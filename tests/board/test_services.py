"""Posting a batch, the backfill of earlier postings, and villagers' objections."""
import datetime as dt

import pytest

from huiying.board import selectors
from huiying.board.models import Objection, PostedItem, PostingBatch
from huiying.board.services import board_backfill, board_batch_post, board_object
from huiying.concerns import services as cs
from huiying.concerns.models import State
from huiying.core import clock
from huiying.core.errors import ServiceError
from huiying.records.models import RecordEntry
from helpers import act, fresh, register, snapshot

from .conftest import resolved

D = dt.timedelta


def _batch(n, concerns, today, *, actor=None, unit=None, start=None, end=None, until=None):
    start = start or today
    end = end or start + D(days=7)
    return board_batch_post(actor=actor or n.village_clerk, unit=unit or n.village, concerns=[fresh(c) for c in concerns],
                            period_start=start, period_end=end, objection_until=until or end)


def test_a_batch_posts_each_result_and_records_the_batch(network, posted, today):
    assert posted.items.count() == 2
    assert set(posted.items.values_list("concern__state", flat=True)) == {State.POSTED}
    entry = RecordEntry.objects.get(action="board.batch_post")
    assert entry.payload["items"] == 2 and entry.unit_id == network.village.id and entry.actor == network.village_clerk
    assert RecordEntry.objects.filter(action="concern.post").count() == 2
    assert {i.summary for i in selectors.current_items(network.village, today=today)} == {"村道坑洼", "路灯不亮"}
    # The township and county boards show their subtree's postings too; another village's does not.
    assert len(selectors.current_items(network.county, today=today)) == 2
    assert selectors.current_items(network.other_village, today=today) == []


def test_one_refusal_posts_nothing(network, now, today):
    ok = resolved(network)
    open_one = register(network, summary="未办结")
    before = snapshot()
    with pytest.raises(ServiceError) as e:
        _batch(network, [ok, open_one], today)
    assert e.value.field == "concerns"
    assert snapshot() == before and not PostingBatch.objects.exists() and fresh(ok).state == State.SUPERVISION


@pytest.mark.parametrize("case", ["confidential", "other_unit", "empty", "twice"])
def test_bad_selections_are_refused(network, now, today, case):
    if case == "confidential":
        c = register(network, track="confidential", confidential=True, handler=network.village_clerk, summary="隐私")
        c = act(cs.concern_start_on_site, actor=network.village_clerk, concern=act(cs.concern_assign, actor=network.village_clerk, concern=c, handler=network.village_clerk))
        c = act(cs.concern_resolve, actor=network.village_clerk, concern=c, result="已处理")
        concerns = [c]
    elif case == "other_unit":
        concerns = [resolved(network, unit=network.other_village)]
    elif case == "empty":
        concerns = []
    else:
        c = resolved(network)
        concerns = [c, c]
    before = snapshot()
    with pytest.raises(ServiceError) as e:
        _batch(network, concerns, today)
    assert e.value.field == "concerns"
    assert snapshot() == before


@pytest.mark.parametrize(("start", "end", "until", "field"), [
    (-1, 7, 7, "period_start"), (3, 2, 2, "period_end"), (0, 7, 8, "objection_until"), (2, 7, 1, "objection_until"), (0, 90, 5, "period_end"),
])
def test_bad_periods_are_refused(network, now, today, start, end, until, field):
    c = resolved(network)
    with pytest.raises(ServiceError) as e:
        _batch(network, [c], today, start=today + D(days=start), end=today + D(days=end), until=today + D(days=until))
    assert e.value.field == field
    assert fresh(c).state == State.SUPERVISION


def test_who_may_post(network, now, today):
    c = resolved(network)
    for user in (network.supervisor, network.other_village_clerk, network.dept_liaison):
        with pytest.raises(ServiceError):
            _batch(network, [c], today, actor=user)
    assert fresh(c).state == State.SUPERVISION
    # The county's commander may post on a village's board (the table lets commanders post).
    assert _batch(network, [c], today, actor=network.county_commander).items.count() == 1


def test_the_snapshot_is_anonymised_and_kept(network, now, today):
    from huiying.concerns.services import villager_create

    v = villager_create(actor=network.village_clerk, name="韦秀英", hamlet=network.hamlet, phone="13877112345")
    neighbour = villager_create(actor=network.village_clerk, name="蓝桂芳", hamlet=network.hamlet2)
    c = resolved(network, villagers=[v], hamlet=network.hamlet, summary="韦秀英反映水管破裂，电话13877112345",
                 result="已与蓝桂芳协商，维修完毕，回访电话0771-8523456，身份证45012219800101123X")
    batch = _batch(network, [c], today)
    item = batch.items.get()
    assert "韦秀英" not in item.summary and "13877112345" not in item.summary and "某某" in item.summary
    assert "蓝桂芳" not in item.result and "8523456" not in item.result and "45012219800101123X" not in item.result
    assert item.hamlet_name == "甲一屯" and item.reference == c.reference
    assert neighbour.name not in item.result
    # A later change of the concern does not reach the board.
    from huiying.concerns.models import Concern
    Concern.objects.filter(pk=c.pk).update(summary="韦秀英 13877112345")
    assert selectors.current_items(network.village, today=today)[0].summary == item.summary


def test_posting_leaves_the_board_when_its_period_ends_and_goes_to_the_archive(network, posted, today):
    end = posted.period_end
    assert len(selectors.current_items(network.village, today=end)) == 2
    later = end + D(days=1)
    assert selectors.current_items(network.village, today=later) == []
    months = selectors.archive_months(network.village, today=later)
    assert months == [end.replace(day=1)]
    assert len(selectors.archived_items(network.village, month=months[0], today=later)) == 2
    # Not archived while still current.
    assert selectors.archive_months(network.village, today=today) == []


def test_posted_items_for_the_poster(network, posted, today):
    items = selectors.posted_items(network.township, start=today - D(days=30), end=today)
    assert len(items) == 2
    for item in items:
        for attr in ("reference", "function_label", "track_label", "summary", "result", "hamlet_name", "posted_on", "objection_until"):
            assert hasattr(item, attr)
        assert item.objection_until == today + D(days=5) and item.posted_on == today
    assert selectors.posted_items(network.township, start=today + D(days=8), end=today + D(days=30)) == []


def test_an_objection_sends_the_result_back_and_is_kept_for_staff(network, posted, now, today):
    item = posted.items.order_by("id").first()
    o = board_object(item=item, reason="路还是坏的", phone="13900001111")
    c = fresh(item.concern)
    assert c.state == State.ON_SITE and c.outcome == "" and c.reopen_count == 1
    entry = RecordEntry.objects.filter(concern=c, action="concern.object").get()
    assert entry.payload["by"] == "villager" and entry.actor is None
    assert Objection.objects.get() == o and o.phone == "13900001111"
    # It leaves the board; a second objection is refused.
    assert item.pk not in [i.pk for i in selectors.current_items(network.village, today=today)]
    with pytest.raises(ServiceError) as e:
        board_object(item=PostedItem.objects.get(pk=item.pk), reason="再次异议")
    assert e.value.field == "item"
    assert list(selectors.objections_for_unit(network.township)) == [o]


@pytest.mark.parametrize(("reason", "phone", "field"), [("", "", "reason"), ("长" * 501, "", "reason"), ("不对", "12345", "phone")])
def test_bad_objections_change_nothing(network, posted, reason, phone, field):
    item = posted.items.first()
    before = snapshot()
    with pytest.raises(ServiceError) as e:
        board_object(item=item, reason=reason, phone=phone)
    assert e.value.field == field and snapshot() == before and not Objection.objects.exists()


def test_after_the_window_an_objection_is_refused(network, posted, now):
    item = posted.items.first()
    with clock.frozen(now + D(days=6)):
        with pytest.raises(ServiceError) as e:
            board_object(item=item, reason="太晚了")
    assert e.value.code == "closed"
    assert fresh(item.concern).state == State.POSTED


def test_backfill_takes_earlier_postings_once(network, now, today):
    c = resolved(network, summary="旧的公示")
    act(cs.concern_post, actor=network.village_clerk, concern=c)
    confidential = register(network, track="confidential", confidential=True, handler=network.village_clerk)
    batches = board_backfill(county=network.county)
    assert [b.items.count() for b in batches] == [1] and batches[0].backfilled
    assert batches[0].period_start == today and batches[0].unit == network.village
    assert board_backfill(county=network.county) == []
    assert not PostedItem.objects.filter(concern=confidential).exists()
    assert RecordEntry.objects.filter(action="board.backfill").count() == 1


def test_the_backfill_command(network, now):
    from io import StringIO

    from django.core.management import call_command

    c = resolved(network, summary="旧的公示")
    act(cs.concern_post, actor=network.village_clerk, concern=c)
    out = StringIO()
    call_command("board_backfill", stdout=out)
    assert "测试县: 1 batches, 1 results" in out.getvalue()
    out = StringIO()
    call_command("board_backfill", "--days", "3", stdout=out)
    assert "测试县: 0 batches, 0 results" in out.getvalue()


def test_a_result_answered_back_takes_no_objection(client, network, posted, now, today):
    from django.urls import reverse

    item = posted.items.order_by("id").first()
    act(cs.concern_feedback, actor=network.village_clerk, concern=item.concern, method="in_person")
    board = client.get(reverse("board:board", args=[network.village.pk])).content.decode()
    assert item.summary in board and reverse("board:object", args=[network.village.pk, item.pk]) not in board
    before = snapshot()
    with pytest.raises(ServiceError) as e:
        board_object(item=item, reason="不对")
    assert e.value.code == "closed" and snapshot() == before
    page = client.get(reverse("board:object", args=[network.village.pk, item.pk])).content.decode()
    assert "<textarea" not in page
