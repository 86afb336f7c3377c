"""For each workflow step: how to bring a concern to where the step is open, a body the
step accepts, who may take it, who sees the concern but may not, and the state after."""
from huiying.concerns import services as cs
from huiying.concerns.models import State
from huiying.core import clock

from helpers import act, drive, fresh, register


def _agency(n, state=State.ANALYSIS, *, documents=0):
    villager = cs.villager_create(actor=n.village_clerk, name="韦大妈", hamlet=n.hamlet2)
    c = drive(n, register(n, actor=n.village_clerk, track="agency", villagers=[villager]), state, actor=n.village_clerk)
    if documents:
        act(cs.concern_record_authorization, actor=n.village_clerk, concern=c, villager=villager, signed_on=clock.today(), scope="代办低保")
        act(cs.concern_take_document, actor=n.village_clerk, concern=c, name="户口簿")
    return fresh(c)


def _escalated(n):
    c = register(n, actor=n.village_clerk)
    act(cs.concern_escalate, actor=n.village_clerk, concern=c, to_unit=n.township, reason="超出本级权限")
    return fresh(c)


def _on(state, track="dispute"):
    return lambda n: drive(n, register(n, actor=n.village_clerk, track=track), state, actor=n.village_clerk)


# action → (how to get a concern where the step is open, the JSON body, the user the table
# allows, a user who sees the concern but may not act, what the state becomes)
CASES = {
    "assign": (_on(State.REGISTERED), lambda n, c: {"handler": "village_clerk2"}, "village_clerk", "township_staff", State.ANALYSIS),
    "answer": (_on(State.REGISTERED, "policy"), lambda n, c: {"answer": "按现行政策答复"}, "village_clerk", "township_staff", State.CLOSED),
    "start_on_site": (_on(State.ANALYSIS), lambda n, c: {}, "village_clerk", "township_staff", State.ON_SITE),
    "record_mediation": (_on(State.ON_SITE), lambda n, c: {
        "held_at": clock.now().isoformat(), "place": "村部", "parties": ["张三", "李四"], "mediators": ["调解员"], "summary": "双方陈述"},
        "village_clerk", "township_staff", State.ON_SITE),
    "record_authorization": (_agency, lambda n, c: {"villager": c.villagers.get().id, "signed_on": clock.today().isoformat(), "scope": "代办低保"},
                             "village_clerk", "township_staff", State.ANALYSIS),
    "take_document": (lambda n: _agency(n, documents=1), lambda n, c: {"name": "身份证"}, "village_clerk", "township_staff", State.ANALYSIS),
    "return_document": (lambda n: _agency(n, documents=1), lambda n, c: {"document": c.documents.get().id}, "village_clerk", "township_staff", State.ANALYSIS),
    "escalate": (_on(State.REGISTERED), lambda n, c: {"to_unit": n.township.id, "reason": "超出本级权限"}, "village_clerk", "township_staff", State.ESCALATED),
    # Escalated to the township: its staff book the visit; the village clerk still sees it.
    "book_appointment": (_escalated, lambda n, c: {"date": clock.today().isoformat(), "place": "村部", "cadre": "镇长", "handler": "township_staff"},
                         "township_staff", "village_clerk", State.ANALYSIS),
    "transfer": (_on(State.REGISTERED), lambda n, c: {"to_unit": n.other_village.id, "reason": "属他村事项"}, "village_clerk", "township_staff", State.REGISTERED),
    "extend": (_on(State.ANALYSIS), lambda n, c: {"days": 2, "reason": "需补充材料"}, "village_clerk", "township_staff", State.ANALYSIS),
    "resolve": (_on(State.ON_SITE), lambda n, c: {"result": "已解决"}, "village_clerk", "township_staff", State.SUPERVISION),
    # Finished concerns are also seen by the village's supervisor, who may not act on them.
    "post": (_on(State.SUPERVISION), lambda n, c: {}, "village_clerk", "supervisor", State.POSTED),
    "feedback": (_on(State.SUPERVISION), lambda n, c: {"method": "in_person"}, "village_clerk", "supervisor", State.CLOSED),
    "close_unresolved": (_on(State.ANALYSIS), lambda n, c: {"outcome": "withdrawn", "reason": "村民撤回"}, "village_clerk", "township_staff", State.CLOSED),
    "rate": (_on(State.SUPERVISION), lambda n, c: {"rating": "satisfied"}, "village_clerk", "supervisor", State.SUPERVISION),
    "object": (_on(State.POSTED), lambda n, c: {"reason": "公示结果与事实不符"}, "village_clerk", "supervisor", State.ON_SITE),
    # The unit above: the township reviews 甲村's result; 甲村's own clerk may not.
    "reopen": (_on(State.CLOSED), lambda n, c: {"reason": "复核后退回重办"}, "township_staff", "village_clerk", State.ON_SITE),
}
