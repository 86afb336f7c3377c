"""Loading the demo county (宁明县): what `huiying seed-demo` and `huiying demo` call.

The demo refuses a database that already holds a county: it is a whole county's network
and a year of its history, not something to mix into real data.
"""
import datetime as dt
import importlib
import importlib.util
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from huiying.concerns import events
from huiying.core import clock
from huiying.network.models import Level, Membership, Unit

from .history import HistoryPlan, plan_history
from .network import LOGINS, PASSWORD, load_network, plan_network
from .replay import replay


class DemoRefused(RuntimeError):
    pass


# Parts of the domain that add their own demo content once the core county and its year are
# loaded, in this order (a later one may use what an earlier one made). Each has a module
# `demo_seed` with `seed(*, county, today)`. They add no concerns and change no outcome, so
# the seed's figures (690 / 652 / 613 / 35) stay exact.
EXTENSIONS = [
    "huiying.rota",
    "huiying.supervision",
    "huiying.cadres",
    "huiying.training",
    "huiying.board",
    "huiying.selfservice",
    "huiying.notify",
    "huiying.reports",
]


def seed_extensions(*, county: Unit, today: dt.date) -> None:
    for app in EXTENSIONS:
        name = f"{app}.demo_seed"
        if importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).seed(county=county, today=today)


@dataclass
class SeedResult:
    county: Unit
    plan: HistoryPlan
    steps: int
    seconds: float


@dataclass
class Login:
    username: str
    role: str
    unit: str
    zh: str
    en: str


def existing_county() -> Unit | None:
    return Unit.objects.filter(level=Level.COUNTY).order_by("id").first()


def plan(today: dt.date):
    net = plan_network()
    return net, plan_history(net, today)


def seed_demo(*, today: dt.date | None = None) -> SeedResult:
    """Create the demo county with a year of history ending on `today`. Same `today`, same data."""
    county = existing_county()
    if county is not None:
        raise DemoRefused(f"the database already holds a county ({county.name}); the demo county is loaded only into an empty network")
    started = time.perf_counter()
    today = today or clock.today()
    net, history = plan(today)
    joined = timezone.make_aware(dt.datetime.combine(history.first_day, dt.time(8, 0)))
    with transaction.atomic():
        loaded = load_network(net, today=today, joined=joined)
    # The history is committed in chunks (see Replay.run); should it fail half-way, the
    # county is there and `seed-demo --reset` starts again from an empty database.
    try:
        with events.quiet():  # a year of history is not news: nobody is texted about it
            done = replay(loaded, history)
    except Exception as e:
        raise RuntimeError("loading the demo history failed part-way; `huiying seed-demo --reset` starts again from an empty database") from e
    wrong = done.check()
    if wrong:
        raise RuntimeError("the services did not do what the demo planned:\n" + "\n".join(wrong[:20]))
    with events.quiet():
        seed_extensions(county=loaded.units["county"], today=today)
    return SeedResult(loaded.units["county"], history, done.steps, time.perf_counter() - started)


def demo_logins() -> list[Login]:
    """The named demo logins present in the database, with their role and unit."""
    rows = {
        m.user.username: m
        for m in Membership.objects.filter(user__username__in=[u for u, _zh, _en in LOGINS]).select_related("user", "unit")
    }
    return [Login(u, rows[u].role, rows[u].unit.name, zh, en) for u, zh, en in LOGINS if u in rows]


def login_lines(logins: list[Login]) -> list[str]:
    if not logins:
        return ["（此数据库没有演示账号 / this database has no demo logins）"]
    width = max(len(x.username) for x in logins)
    lines = [f"演示账号 Demo logins — 密码 password: {PASSWORD}"]
    for x in logins:
        lines.append(f"  {x.username:<{width}}  {x.zh}（{x.unit}） / {x.en}, role {x.role}")
    return lines
