"""Staff re-issue a villager's tracking code from the concern page; a supervisor, who could
rate the result as the villager with it, never sees it."""
from huiying.concerns.models import State
from huiying.selfservice.tracking import tracking_code

from helpers import drive, register


def test_the_handler_sees_the_tracking_code_and_the_supervisor_does_not(network, now, login):
    c = drive(network, register(network, actor=network.village_clerk, track="dispute"), State.SUPERVISION, actor=network.village_clerk)
    code = tracking_code(c)
    page = login("village_clerk").get(f"/concerns/{c.reference}/").content.decode()
    assert code[:4] in page and code[4:] in page
    page = login("supervisor").get(f"/concerns/{c.reference}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert code[:4] + " " + code[4:] not in text and code not in text
