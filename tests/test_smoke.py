from huiying import access
from huiying.concerns import services as cs
from huiying.concerns.models import Channel, Function, Outcome, State, Track
from huiying.records import book
from huiying.stats.selectors import unit_stats


def test_a_dispute_goes_all_the_way(network, now):
    n = network
    v = cs.villager_create(actor=n.village_clerk, name="张小明", hamlet=n.hamlet, phone="13800138000")
    visit = cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=2, villagers=[v], concerns=[
        {"function": Function.DISPUTE, "summary": "土地边界纠纷", "track": Track.DISPUTE, "villagers": [v]},
    ])
    c = visit.concerns.get()
    assert c.reference == "CS-2026-000001"
    assert c.state == State.REGISTERED and c.channel == Channel.VISIT
    c = cs.concern_assign(actor=n.village_clerk, concern=c, version=c.version, handler=n.village_clerk2)
    c = cs.concern_start_on_site(actor=n.village_clerk2, concern=c, version=c.version)
    cs.concern_record_mediation(actor=n.village_clerk2, concern=c, version=c.version, held_at=now, place="村部", parties=["张小明", "李四"], mediators=["赵值班"], summary="双方协商", agreement="以石为界", agreement_reached=True)
    c.refresh_from_db()
    c = cs.concern_resolve(actor=n.village_clerk2, concern=c, version=c.version, result="达成协议")
    assert c.outcome == Outcome.RESOLVED and c.state == State.SUPERVISION
    c = cs.concern_post(actor=n.village_clerk, concern=c, version=c.version)
    c = cs.concern_feedback(actor=n.village_clerk, concern=c, version=c.version, method="phone")
    assert c.state == State.CLOSED
    assert [a.action for a in access.allowed_actions(n.village_clerk, c)] == ["rate"]
    checked, breaks = book.verify()
    assert breaks == [] and checked == 9
    s = unit_stats(n.county)
    assert (s["visitors"], s["concerns"], s["resolved"], s["pending"], s["other"]) == (2, 1, 1, 0, 0)
