"""Shared helpers for the core tests: drive concerns through the services into any state,
and snapshot the database so a refused call can be shown to have written nothing; a local
HTTP receiver for what the application sends out."""
import datetime as dt
import http.server
import threading

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from huiying.core import clock

from huiying.concerns import services as cs
from huiying.concerns.models import AgencyDocument, Channel, Concern, Function, State
from huiying.records.models import RecordEntry

# The order the workflow normally runs in; `drive` walks a concern along it.
PATH = [State.REGISTERED, State.ANALYSIS, State.ON_SITE, State.SUPERVISION, State.POSTED, State.CLOSED]

# Track → a function that fits it, so registrations look like real ones.
FUNCTION_OF = {
    "policy": Function.SUGGESTION,
    "dispute": Function.DISPUTE,
    "time_limited": Function.SENTIMENT,
    "agency": Function.AGENCY_SERVICE,
    "beyond_authority": Function.DISPUTE,
    "confidential": Function.SENTIMENT,
}


def fresh(concern: Concern) -> Concern:
    return Concern.objects.get(pk=concern.pk)


def act(service, *, actor, concern: Concern, **kwargs):
    """Call a step service with the concern's current version."""
    c = fresh(concern)
    return service(actor=actor, concern=c, version=c.version, **kwargs)


def register(n, *, unit=None, track="dispute", actor=None, villagers=(), confidential=False, handler=None, summary="测试关切", **kw) -> Concern:
    unit = unit or n.village
    actor = actor or n.county_commander
    return cs.concern_register(
        actor=actor, unit=unit, function=kw.pop("function", FUNCTION_OF[track]), channel=kw.pop("channel", Channel.PHONE),
        summary=summary, track=track, villagers=villagers, confidential=confidential, handler=handler, **kw,
    )


def staff_of(n, unit):
    """A handler-role member of `unit` in the named fixture network."""
    return {
        n.county.id: n.county_commander,
        n.department.id: n.dept_liaison,
        n.township.id: n.township_staff,
        n.other_township.id: n.other_township_staff,
        n.village.id: n.village_clerk,
        n.other_village.id: n.other_village_clerk,
        n.far_village.id: n.far_clerk,
        n.point.id: n.hamlet_clerk,
    }[unit.id]


def drive(n, concern: Concern, state: State, *, actor=None) -> Concern:
    """Walk `concern` (registered, not escalated) along PATH up to `state` with the services.
    Any document still taken in is handed back before the result is recorded."""
    actor = actor or n.county_commander
    c = fresh(concern)
    if state == State.REGISTERED:
        return c
    target = PATH.index(state)
    while PATH.index(c.state) < target:
        if c.state == State.REGISTERED:
            c = act(cs.concern_assign, actor=actor, concern=c, handler=staff_of(n, c.handling_unit))
        elif c.state == State.ANALYSIS:
            c = act(cs.concern_start_on_site, actor=actor, concern=c)
        elif c.state == State.ON_SITE:
            for doc in c.documents.filter(returned_at__isnull=True):
                act(cs.concern_return_document, actor=actor, concern=c, document=doc)
            c = act(cs.concern_resolve, actor=actor, concern=c, result="已办结")
        elif c.state == State.SUPERVISION:
            c = act(cs.concern_post, actor=actor, concern=c)
        elif c.state == State.POSTED:
            c = act(cs.concern_feedback, actor=actor, concern=c, method="in_person")
        c = fresh(c)
    assert c.state == state, (c.state, state)
    return c


def valid_args(action: str, n, c: Concern, *, rating: str = "satisfied", outcome: str = "withdrawn", merged_into: Concern | None = None, to_department: bool = False) -> dict:
    """Arguments that the service for `action` accepts on `c`, whenever the table lets it run."""
    today = clock.today()
    if action == "assign":
        return {"handler": staff_of(n, c.handling_unit)}
    if action == "answer":
        return {"answer": "按现行政策答复"}
    if action == "record_mediation":
        return {"held_at": clock.now(), "place": "村部", "parties": ["张三", "李四"], "mediators": ["调解员"], "summary": "双方陈述"}
    if action == "record_authorization":
        return {"villager": c.villagers.first(), "signed_on": today, "scope": "代办低保申请"}
    if action == "take_document":
        return {"name": "户口簿"}
    if action == "return_document":
        return {"document": outstanding_document(c)}
    if action == "escalate":
        # Up to the parent; from the top (or, when asked, from a township) to a department.
        to_unit = c.handling_unit.parent
        if to_unit is None or (to_department and c.handling_unit.level == "township"):
            to_unit = n.department
        # A confidential concern goes up to a named handler, who alone (with the HQ) sees it.
        return {"to_unit": to_unit, "reason": "超出本级权限", **({"to_handler": staff_of(n, to_unit)} if c.confidential else {})}
    if action == "book_appointment":
        return {"date": today, "place": "村部", "cadre": "县民政局 王局长", "handler": staff_of(n, c.handling_unit)}
    if action == "transfer":
        return {"to_unit": n.other_village if c.handling_unit_id != n.other_village.id else n.village, "reason": "属他村事项"}
    if action == "extend":
        return {"days": 2, "reason": "需补充材料"}
    if action == "resolve":
        return {"result": "已解决"}
    if action == "feedback":
        return {"method": "in_person"}
    if action == "close_unresolved":
        args = {"outcome": outcome, "reason": "村民撤回"}
        return {**args, "merged_into": merged_into} if outcome == "merged" else args
    if action == "rate":
        return {"rating": rating}
    if action == "object":
        return {"reason": "公示结果与事实不符"}
    if action == "reopen":
        return {"reason": "监督员评价不满意，复核后退回重办"}
    return {}


def outstanding_document(concern: Concern) -> AgencyDocument:
    return concern.documents.filter(returned_at__isnull=True).first()


# --- "nothing was written" ----------------------------------------------------------------

_APPS = ("network", "concerns", "records", "auth")


def snapshot() -> dict:
    """Row counts of every model of our apps and auth, plus each concern's version/state and
    each reference counter: a refused call must leave all of it exactly as it was."""
    snap = {}
    for label in _APPS:
        for model in apps.get_app_config(label).get_models():
            snap[model._meta.label] = model._base_manager.count()
    snap["concern_versions"] = sorted(Concern.objects.values_list("pk", "version", "state", "outcome"))
    from huiying.concerns.models import ReferenceCounter
    from huiying.records.models import ChainHead

    snap["counters"] = sorted(ReferenceCounter.objects.values_list("county_id", "year", "last"))
    snap["heads"] = sorted(ChainHead.objects.values_list("county_id", "seq", "hash"))
    snap["users"] = get_user_model().objects.count()
    snap["records"] = RecordEntry.objects.count()
    return snap


def a_datetime(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class Receiver:
    """A local HTTP server on 127.0.0.1 answering each POST with the next status of
    `statuses` (then 200), keeping (headers, body) of each: a webhook receiver, an SMS gateway."""

    def __init__(self, statuses, path: str = "/hook"):
        self.statuses, self.received = list(statuses), []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.statuses.pop(0) if outer.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
