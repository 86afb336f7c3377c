"""Authentication: per-user API tokens (hashed, revocable, acting with exactly their user's
access), the web session with its CSRF token, and the `huiying api-token` command."""
import hashlib
import io
import threading

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connections
from rest_framework.test import APIClient

from huiying.api.models import ApiToken, IdempotencyRecord
from huiying.api.tokens import api_token_create
from huiying.concerns.models import Concern

from helpers import register


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_a_token_is_stored_only_as_its_hash(network, now):
    token, raw = api_token_create(actor=network.village_clerk, user=network.village_clerk, name="手机")
    row = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith("hy_") and len(raw) > 40
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {str(v) for v in ApiToken.objects.values_list(*[f.attname for f in ApiToken._meta.fields]).get()}
    assert row.prefix == raw[:10]


def test_a_revoked_token_no_longer_works(network, now):
    token, raw = api_token_create(actor=None, user=network.village_clerk)
    client = bearer(raw)
    assert client.get("/api/v1/me").status_code == 200
    assert client.delete(f"/api/v1/tokens/{token.id}").status_code == 204
    r = client.get("/api/v1/me")
    assert r.status_code == 401 and r.json() == {"errors": {"authorization": ["Invalid or revoked token."]}}


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer", "Token a b", "Bearer \xff"])
def test_bad_credentials_are_401(network, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/me").status_code == 401


def test_an_inactive_users_token_is_refused(network, now):
    _token, raw = api_token_create(actor=None, user=network.village_clerk)
    network.village_clerk.is_active = False
    network.village_clerk.save()
    assert bearer(raw).get("/api/v1/me").status_code == 401


def test_a_token_acts_with_exactly_its_users_access(network, now):
    n = network
    mine = register(n, actor=n.village_clerk)
    far = register(n, actor=n.far_clerk, unit=n.far_village)
    _t, raw = api_token_create(actor=None, user=n.village_clerk)
    client = bearer(raw)
    assert client.get("/api/v1/me").json()["username"] == "village_clerk"
    assert [c["reference"] for c in client.get("/api/v1/concerns").json()["results"]] == [mine.reference]
    assert client.get(f"/api/v1/concerns/{far.reference}").status_code == 404
    # The same as the user's own session in the web app.
    session = APIClient()
    session.force_login(n.village_clerk)
    assert session.get("/api/v1/concerns").json() == client.get("/api/v1/concerns").json()


def test_tokens_over_the_api(api, network):
    client = api("village_clerk")
    r = client.post("/api/v1/tokens", {"name": "巡查手机"}, format="json")
    assert r.status_code == 201 and r.json()["key"].startswith("hy_") and r.json()["user"]["username"] == "village_clerk"
    assert bearer(r.json()["key"]).get("/api/v1/me").status_code == 200
    listed = client.get("/api/v1/tokens").json()["results"]
    assert "key" not in listed[0] and {t["name"] for t in listed} == {"", "巡查手机"}
    # Nobody else's: a clerk cannot make one for a colleague; the county's administrator can.
    assert client.post("/api/v1/tokens", {"user": "village_clerk2"}, format="json").status_code == 404
    r = api("county_admin").post("/api/v1/tokens", {"user": "village_clerk2", "name": "代配"}, format="json")
    assert r.status_code == 201 and r.json()["user"]["username"] == "village_clerk2"
    assert {t["user"]["username"] for t in api("county_admin").get("/api/v1/tokens?user=village_clerk2").json()["results"]} == {"village_clerk2"}


def test_session_auth_needs_the_csrf_token(network, now):
    client = APIClient(enforce_csrf_checks=True)
    csrf = client.get("/login/").cookies["csrftoken"].value  # the web app's sign-in page sets it
    client.force_login(network.village_clerk)
    body = {"unit": network.village.id, "function": "dispute", "channel": "phone", "summary": "网页上登记", "track": "dispute"}
    assert client.get("/api/v1/me").status_code == 200  # reads need no CSRF token
    r = client.post("/api/v1/concerns", body, format="json")
    assert r.status_code == 403 and "CSRF" in r.json()["errors"]["non_field_errors"][0]
    assert not Concern.objects.exists()
    r = client.post("/api/v1/concerns", body, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert r.status_code == 201, r.json()


def test_a_token_request_needs_no_csrf_token(network, now):
    _t, raw = api_token_create(actor=None, user=network.village_clerk)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = {"unit": network.village.id, "function": "dispute", "channel": "phone", "summary": "接口登记", "track": "dispute"}
    assert client.post("/api/v1/concerns", body, format="json").status_code == 201


def test_the_api_token_command(network, now):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "create", "village_clerk", "--name", "curl", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert bearer(raw).get("/api/v1/me").json()["username"] == "village_clerk"
    assert "shown this once" in err.getvalue()
    out = io.StringIO()
    call_command("api_token", "list", "village_clerk", stdout=out)
    assert raw[:10] in out.getvalue() and raw not in out.getvalue() and "active" in out.getvalue()
    call_command("api_token", "revoke", raw[:10], stdout=io.StringIO())
    assert bearer(raw).get("/api/v1/me").status_code == 401
    with pytest.raises(Exception, match="no such user"):
        call_command("api_token", "create", "nobody", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_retries_at_once_register_one_concern(network):
    """On PostgreSQL the second request waits on the idempotency key's unique index, then
    replays the first one's answer."""
    n = network
    _t, raw = api_token_create(actor=None, user=n.village_clerk)
    body = {"unit": n.village.id, "function": "dispute", "channel": "phone", "summary": "同时重试", "track": "dispute"}
    barrier, answers = threading.Barrier(4), [None] * 4

    def run(i):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            answers[i] = bearer(raw).post("/api/v1/concerns", body, format="json", HTTP_IDEMPOTENCY_KEY="same-key")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.json()["reference"] for a in answers}) == 1
    assert Concern.objects.count() == 1 and IdempotencyRecord.objects.count() == 1
