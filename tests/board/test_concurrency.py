"""Villagers objecting at once, staff posting the same result twice at once: one gets
through, the rest are refused and write nothing (PostgreSQL, real threads)."""
import datetime as dt

import pytest

from huiying.board.models import Objection, PostedItem, PostingBatch
from huiying.board.services import board_batch_post, board_object
from huiying.concerns.models import Concern, State
from huiying.core.errors import ServiceError
from huiying.records import book
from helpers import fresh
from test_concurrency import race

from .conftest import resolved

D = dt.timedelta


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_objections_record_one(network, now):
    today = now.date()
    c = resolved(network)
    batch = board_batch_post(actor=network.village_clerk, unit=network.village, concerns=[fresh(c)], period_start=today,
                             period_end=today + D(days=7), objection_until=today + D(days=5))
    item_pk = batch.items.get().pk
    results, errors = race(4, lambda i: board_object(item=PostedItem(pk=item_pk), reason=f"异议{i}"))
    assert sum(r is not None for r in results) == 1, errors
    assert all(isinstance(e, ServiceError) for e in errors if e is not None), errors
    assert Objection.objects.count() == 1 and fresh(c).state == State.ON_SITE and fresh(c).reopen_count == 1
    assert book.verify()[1] == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_batches_post_a_result_once(network, now):
    today = now.date()
    c = resolved(network)
    version = fresh(c).version
    actors = [network.village_clerk, network.village_clerk2, network.county_commander]

    def post(i):
        concern = Concern.objects.get(pk=c.pk)
        concern.version = version
        return board_batch_post(actor=actors[i], unit=network.village, concerns=[concern], period_start=today,
                                period_end=today + D(days=7), objection_until=today + D(days=5))

    results, errors = race(len(actors), post)
    assert sum(r is not None for r in results) == 1, errors
    assert all(isinstance(e, ServiceError) for e in errors if e is not None), errors
    assert PostingBatch.objects.count() == 1 and PostedItem.objects.count() == 1
    assert book.verify()[1] == []
