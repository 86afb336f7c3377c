"""The anonymous suggestion box (意见箱): nothing that identifies the sender is stored or
logged; the receipt code is stored hashed; staff read, answer publicly, make a concern."""
import logging
import re

import pytest
from django.db import connection
from django.urls import reverse

from huiying.concerns.models import Channel, Concern, Function
from huiying.core.errors import Forbidden, ServiceError
from huiying.records.models import RecordEntry
from huiying.selfservice import selectors, services
from huiying.selfservice.models import Suggestion

from .conftest import solved

IP = "203.0.113.77"
UA = "ZzDistinctiveAgent/9.9 (quux-phone)"
TEXT = "建议在村口装一盏路灯，晚上太黑了"


def all_rows_text() -> str:
    """Every column of every selfservice row and of the record book, as text."""
    out = []
    with connection.cursor() as cur:
        for table in ("selfservice_suggestion", "records_recordentry"):
            cur.execute(f"SELECT * FROM {table}")
            out.extend(repr(row) for row in cur.fetchall())
    return "\n".join(out)


def test_a_suggestion_stores_and_logs_nothing_that_identifies_the_sender(client, network, now, caplog, login):
    login("village_clerk")  # even a signed-in member of staff drops an anonymous note
    url = reverse("selfservice:box", args=[network.village.pk])
    data = solved(client, url, {"text": TEXT, "hamlet": network.hamlet.pk, "topic": Function.SUGGESTION})
    caplog.set_level(logging.DEBUG)
    r = client.post(url, data, REMOTE_ADDR=IP, HTTP_USER_AGENT=UA, HTTP_X_FORWARDED_FOR=IP, HTTP_REFERER="http://ref.example/zzref")
    assert r.status_code == 200
    code = re.search(r'id="receipt-code">([^<]+)<', r.content.decode()).group(1)
    # A 404 and a refused form on the box are logged by Django with the request attached.
    client.post(url, {"text": ""}, REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    client.get(reverse("selfservice:box", args=[999999]), REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    s = Suggestion.objects.get()
    assert (s.text, s.unit, s.hamlet, s.topic) == (TEXT, network.village, network.hamlet, Function.SUGGESTION)
    stored = all_rows_text()
    logged = "\n".join(f"{r.getMessage()} {r.__dict__!r} {getattr(r, 'request', None) and r.request.META!r}" for r in caplog.records)
    assert any(getattr(r, "request", None) is not None for r in caplog.records)  # the logs were captured
    for secret in (IP, UA, "zzref", "village_clerk", "张值班", code.replace(" ", "")):
        assert secret not in stored, secret
    assert s.read_by is None and s.answered_by is None
    for secret in (IP, UA, "zzref", "village_clerk", "张值班", "sessionid", code.replace(" ", "")):
        assert secret not in logged, secret
    entry = RecordEntry.objects.get(action="suggestion.drop")
    assert entry.actor_id is None and entry.actor_name == "" and entry.payload == {"suggestion": s.id}


def test_receipt_code_is_stored_hashed_and_reads_the_answer(client, network, now):
    s, code = services.suggestion_drop(unit=network.village, text=TEXT)
    assert len(code) == 10 and code.isdigit()
    assert code not in s.receipt_hash and s.receipt_hash == services.receipt_hash(code) and len(s.receipt_hash) == 64
    url = reverse("selfservice:box_answer")
    html = client.post(url, {"receipt": f"{code[:3]} {code[3:6]} {code[6:]}"}).content.decode()
    assert TEXT in html and "还没有阅读" in html
    services.suggestion_answer(actor=network.village_clerk, suggestion=s, answer="下周就装", public=False)
    html = client.post(url, {"receipt": code}).content.decode()
    assert "下周就装" in html
    html = client.post(url, {"receipt": "0000000000" if code != "0000000000" else "1"}).content.decode()
    assert "没有找到这个回执码" in html and TEXT not in html


def test_staff_inbox_read_answer_publicly_and_the_board_partial(client, network, now, login):
    s, _code = services.suggestion_drop(unit=network.village, text="村长电话13812345678不通，身份证450102199001011234也没用")
    other, _ = services.suggestion_drop(unit=network.far_village, text="别村的意见")
    login("village_clerk")
    html = client.get(reverse("selfservice:inbox")).content.decode()
    assert "村长电话" in html and "别村的意见" not in html
    assert client.get(reverse("selfservice:suggestion", args=[other.pk])).status_code == 404
    r = client.post(reverse("selfservice:suggestion", args=[s.pk]), {"action": "read"})
    assert r.status_code == 302 and Suggestion.objects.get(pk=s.pk).read_by == network.village_clerk
    r = client.post(reverse("selfservice:suggestion", args=[s.pk]), {"action": "answer", "answer": "已联系，请拨0771-1234567", "public": "on"})
    assert r.status_code == 302
    answers = selectors.public_answers(network.village)
    assert len(answers) == 1
    shown = answers[0].text + answers[0].answer
    assert "13812345678" not in shown and "450102199001011234" not in shown and "0771-1234567" not in shown and "村长电话" in shown
    # The box page includes the board partial.
    html = client.get(reverse("selfservice:box", args=[network.village.pk])).content.decode()
    assert 'id="box-answers"' in html and "已联系" in html and "13812345678" not in html
    assert selectors.public_answers(network.far_village) == []


def test_only_the_units_staff_answer_and_a_suggestion_becomes_a_concern(network, now):
    s, _code = services.suggestion_drop(unit=network.village, text="建议修村道", hamlet=network.hamlet)
    with pytest.raises(Forbidden):
        services.suggestion_answer(actor=network.far_clerk, suggestion=s, answer="x")
    with pytest.raises(ServiceError) as e:
        services.suggestion_answer(actor=network.village_clerk, suggestion=s, answer=" ")
    assert e.value.field == "answer" and Suggestion.objects.get(pk=s.pk).answer == ""
    c = services.suggestion_to_concern(actor=network.village_clerk, suggestion=s)
    assert (c.channel, c.function, c.received_unit, c.hamlet, c.registered_by) == (Channel.SUGGESTION_BOX, Function.SUGGESTION, network.village, network.hamlet, network.village_clerk)
    with pytest.raises(ServiceError) as e:
        services.suggestion_to_concern(actor=network.village_clerk, suggestion=s)
    assert e.value.code == "duplicate" and Concern.objects.count() == 1


def test_drop_refuses_empty_long_and_foreign_hamlet(network, now):
    for kw, field in [({"text": ""}, "text"), ({"text": "x" * 2001}, "text"), ({"text": "x", "hamlet": network.far_hamlet}, "hamlet"), ({"text": "x", "topic": "nope"}, "topic")]:
        with pytest.raises(ServiceError) as e:
            services.suggestion_drop(unit=network.village, **kw)
        assert e.value.field == field
    assert not Suggestion.objects.exists()
