"""The supervision endpoints: allowed, refused (403), invisible (404), unauthenticated (401),
bad input naming its field with nothing written."""
import pytest

from huiying.concerns.models import State
from huiying.supervision import services
from huiying.supervision.models import Review, SupervisorRating

from helpers import fresh


def rate_url(c):
    return f"/api/v1/supervision/concerns/{c.reference}/ratings"


def test_supervisor_rates_and_township_closes_the_review(api, network, finished):
    r = api("supervisor").post(rate_url(finished), {"rating": "dissatisfied", "comment": "水渠仍然堵塞"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["rating"] == "dissatisfied" and r.json()["round"] == 0
    mine = api("supervisor").get("/api/v1/supervision/ratings").json()["results"]
    assert [x["concern"]["reference"] for x in mine] == [finished.reference]
    reviews = api("township_staff").get("/api/v1/supervision/reviews?open=true").json()["results"]
    assert [x["concern"]["reference"] for x in reviews] == [finished.reference]
    review_id = reviews[0]["id"]
    assert api("township_staff").get("/api/v1/supervision/reviews?open=false").json()["results"] == []
    r = api("township_staff").post(f"/api/v1/supervision/reviews/{review_id}/close", {"decision": "rework", "reason": "请重新疏通"}, format="json")
    assert r.status_code == 200 and r.json()["decision"] == "rework" and r.json()["closed_by"]["username"] == "township_staff"
    assert fresh(finished).state == State.ON_SITE


def test_rating_refusals(api, network, finished):
    # Bad input names the field; a second rating of the same result is refused; nothing written.
    r = api("supervisor").post(rate_url(finished), {"rating": "great", "comment": "x"}, format="json")
    assert r.status_code == 400 and "rating" in r.json()["errors"]
    r = api("supervisor").post(rate_url(finished), {"rating": "satisfied"}, format="json")
    assert r.status_code == 400 and "comment" in r.json()["errors"]
    assert not SupervisorRating.objects.exists()
    assert api("supervisor").post(rate_url(finished), {"rating": "satisfied", "comment": "好"}, format="json").status_code == 201
    r = api("supervisor").post(rate_url(finished), {"rating": "satisfied", "comment": "好"}, format="json")
    assert r.status_code == 400 and "concern" in r.json()["errors"]
    # Staff who see the concern may not rate it as supervisors (403); another township's don't see it (404).
    assert api("village_clerk").post(rate_url(finished), {"rating": "satisfied", "comment": "好"}, format="json").status_code == 403
    assert api("other_township_staff").post(rate_url(finished), {"rating": "satisfied", "comment": "好"}, format="json").status_code == 404
    assert api(None).post(rate_url(finished), {"rating": "satisfied", "comment": "好"}, format="json").status_code == 401
    assert SupervisorRating.objects.count() == 1


def test_review_close_refusals(api, network, finished):
    services.supervision_rate(actor=network.supervisor, concern=finished, rating="dissatisfied", comment="不满意")
    url = f"/api/v1/supervision/reviews/{Review.objects.get().pk}/close"
    body = {"decision": "upheld", "reason": "已核实"}
    assert api("other_township_staff").post(url, body, format="json").status_code == 404
    assert api("village_clerk").post(url, body, format="json").status_code == 404  # not in the clerk's list of reviews
    assert api("supervisor").post(url, body, format="json").status_code == 404
    assert api(None).post(url, body, format="json").status_code == 401
    r = api("township_staff").post(url, {"decision": "upheld", "reason": ""}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    assert Review.objects.get().is_open
    assert api("county_commander").post(url, body, format="json").status_code == 200
    r = api("township_staff").post(url, body, format="json")
    assert r.status_code == 400 and "review" in r.json()["errors"]


def test_supervisors_list_and_register(api, network, now):
    url = f"/api/v1/supervision/units/{network.village.id}/supervisors"
    r = api("township_staff").post(url, {"username": "sup9", "full_name": "黄监督", "kind": "party_rep"}, format="json")
    assert r.status_code == 201 and r.json()["kind"] == "party_rep"
    listed = api("village_clerk").get(url).json()
    assert {s["user"]["username"] for s in listed} == {"supervisor", "sup9"}
    assert api("village_clerk").post(url, {"username": "sup10", "full_name": "x", "kind": "party_rep"}, format="json").status_code == 403
    assert api("other_township_staff").post(url, {"username": "sup10", "full_name": "x", "kind": "party_rep"}, format="json").status_code == 403
    r = api("township_staff").post(url, {"username": "sup10", "full_name": "x", "kind": "mayor"}, format="json")
    assert r.status_code == 400 and "kind" in r.json()["errors"]
    assert api("township_staff").get("/api/v1/supervision/units/999999/supervisors").status_code == 404
    assert api(None).get(url).status_code == 401


@pytest.mark.parametrize("who, status", [("county_commander", 200), ("township_staff", 200), ("supervisor", 200), ("other_township_staff", 404), ("far_clerk", 404)])
def test_rates(api, network, finished, who, status):
    r = api(who).get(f"/api/v1/supervision/units/{network.village.id}/rates?start=2026-01-01&end=2026-12-31")
    assert r.status_code == status
    if status == 200:
        body = r.json()
        assert body["rates"]["resolution"]["denominator"] == 1 and body["rates"]["resolution"]["too_few"] is True
        assert [b["unit"]["id"] for b in body["below"]] == [network.point.id]
        assert set(body["definitions"]) == {"response", "resolution", "satisfaction"}


def test_rates_bad_input_and_anonymous(api, network, now):
    r = api("county_commander").get(f"/api/v1/supervision/units/{network.county.id}/rates?start=2026-03-01&end=2026-02-01")
    assert r.status_code == 400 and "end" in r.json()["errors"]
    assert api(None).get(f"/api/v1/supervision/units/{network.county.id}/rates").status_code == 401


def test_reviews_list_for_those_who_do_not_review(api, network, finished):
    services.supervision_rate(actor=network.supervisor, concern=finished, rating="dissatisfied", comment="不满意")
    assert api("village_clerk").get("/api/v1/supervision/reviews").json()["results"] == []
    assert api("other_township_staff").get("/api/v1/supervision/reviews").json()["results"] == []
    assert len(api("county_commander").get("/api/v1/supervision/reviews").json()["results"]) == 1
    assert api(None).get("/api/v1/supervision/reviews").status_code == 401
