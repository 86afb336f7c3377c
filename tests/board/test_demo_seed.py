"""The board's demo seed on the small fixture network: batches, one objection, outcomes kept,
the record book in time order. (tests/test_demo.py runs it on the whole demo county.)"""
from huiying.board import demo_seed
from huiying.board.models import Objection, PostingBatch
from huiying.concerns import services as cs
from huiying.concerns.models import Concern
from huiying.records import book
from huiying.records.models import RecordEntry
from helpers import act

from .conftest import resolved


def test_demo_seed(network, now):
    resolved(network, summary="甲")
    resolved(network, summary="乙")
    resolved(network, unit=network.other_village, summary="丙")
    act(cs.concern_post, actor=network.village_clerk, concern=resolved(network, summary="丁"))
    outcomes = sorted(Concern.objects.values_list("pk", "outcome"))
    demo_seed.seed(county=network.county, today=now.date())
    assert PostingBatch.objects.filter(backfilled=True).count() == 1
    assert PostingBatch.objects.filter(backfilled=False).count() == 2
    assert Objection.objects.count() == 1
    assert sorted(Concern.objects.values_list("pk", "outcome")) == outcomes
    times = list(RecordEntry.objects.order_by("seq").values_list("at", flat=True))
    assert times == sorted(times) and book.verify()[1] == []
