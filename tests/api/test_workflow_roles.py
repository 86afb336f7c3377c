"""Every workflow endpoint × role: the user the table allows (200, the step is taken), a user
who sees the concern but may not take the step (403), a user who cannot see it (404, never
403), and no credentials (401). Nothing is written by a refused call."""
import pytest

from huiying.concerns.workflow import TRANSITIONS

from helpers import fresh, register, snapshot

from .cases import CASES

# Staff of the other township see nothing of 甲村.
INVISIBLE_TO = "far_clerk"


def test_every_transition_has_a_case():
    assert set(CASES) == set(TRANSITIONS)


def _post(api, who, c, action, body):
    return api(who).post(f"/api/v1/concerns/{c.reference}/{action}", {"version": c.version, **body}, format="json")


@pytest.mark.parametrize("action", list(CASES))
def test_the_allowed_user_takes_the_step(api, network, action):
    setup, body, allowed, _refused, to_state = CASES[action]
    c = setup(network)
    detail = api(allowed).get(f"/api/v1/concerns/{c.reference}").json()
    offered = {a["action"]: a["url"] for a in detail["allowed_actions"]}
    assert offered.get(action) == f"/api/v1/concerns/{c.reference}/{action}"
    r = _post(api, allowed, c, action, body(network, c))
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == to_state
    assert r.json()["version"] == c.version + 1 == fresh(c).version


@pytest.mark.parametrize("action", list(CASES))
def test_a_user_who_sees_the_concern_but_may_not_act_is_refused(api, network, action):
    setup, body, _allowed, refused, _to = CASES[action]
    c = setup(network)
    assert api(refused).get(f"/api/v1/concerns/{c.reference}").status_code == 200
    assert action not in {a["action"] for a in api(refused).get(f"/api/v1/concerns/{c.reference}").json()["allowed_actions"]}
    before = snapshot()
    r = _post(api, refused, c, action, body(network, c))
    assert r.status_code == 403, r.json()
    assert list(r.json()["errors"]) == ["action"]
    assert snapshot() == before


@pytest.mark.parametrize("action", list(CASES))
def test_a_user_who_cannot_see_the_concern_gets_404_not_403(api, network, action):
    setup, body, *_ = CASES[action]
    c = setup(network)
    before = snapshot()
    r = _post(api, INVISIBLE_TO, c, action, body(network, c))
    assert r.status_code == 404
    assert r.json() == {"errors": {"concern": ["No such concern."]}}
    assert snapshot() == before
    # The same answer as for a reference that does not exist at all.
    missing = api(INVISIBLE_TO).post(f"/api/v1/concerns/CS-2099-999999/{action}", {"version": 1}, format="json")
    assert (missing.status_code, missing.json()) == (404, r.json())


@pytest.mark.parametrize("action", list(CASES))
def test_without_credentials_every_step_is_401(api, network, action):
    setup, body, *_ = CASES[action]
    c = setup(network)
    r = _post(api, None, c, action, body(network, c))
    assert r.status_code == 401
    assert r["WWW-Authenticate"].startswith("Bearer")
    assert list(r.json()["errors"]) == ["authorization"]


def test_a_confidential_concern_is_invisible_to_its_units_other_staff(api, network):
    n = network
    c = register(n, actor=n.village_clerk, track="confidential", handler=n.village_clerk)
    assert api("village_clerk").get(f"/api/v1/concerns/{c.reference}").status_code == 200
    assert api("county_commander").get(f"/api/v1/concerns/{c.reference}").status_code == 200
    for who in ("village_clerk2", "township_staff", "supervisor", "hamlet_clerk"):
        assert api(who).get(f"/api/v1/concerns/{c.reference}").status_code == 404, who
        assert _post(api, who, c, "assign", {"handler": "village_clerk"}).status_code == 404, who
        assert c.reference not in [x["reference"] for x in api(who).get("/api/v1/concerns").json()["results"]]
