"""Reads of concerns for a person: every one starts from `access.visible_concerns(user)`,
so what a person may not see never reaches a list, a count or a search."""
import datetime as dt
import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Case, Count, F, Q, QuerySet, Value, When

from huiying import access
from huiying.core import clock, workdays
from huiying.network.models import Hamlet, Level, Unit
from huiying.network.selectors import subtree_q

from .models import OPEN_STATES, Concern, Function, Track, Villager, Visit
from .services.intake import RECEIVING_LEVELS
from .workflow import HANDLERS

DUE_SOON_WORKDAYS = 2


def _listing(qs: QuerySet[Concern]) -> QuerySet[Concern]:
    return qs.select_related("handling_unit", "handler", "received_unit").order_by("due_date", "id")


def my_concerns(user) -> QuerySet[Concern]:
    """Open concerns `user` is the handler of."""
    return _listing(access.visible_concerns(user).filter(handler=user, state__in=OPEN_STATES))


def unit_open_concerns(user, units: list[Unit]) -> QuerySet[Concern]:
    """Open concerns handled at `units` (the user's own units)."""
    return _listing(access.visible_concerns(user).filter(handling_unit__in=units, state__in=OPEN_STATES))


def due_soon(user, units: list[Unit], *, today: dt.date | None = None) -> QuerySet[Concern]:
    today = today or clock.today()
    horizon = workdays.add_workdays(today, DUE_SOON_WORKDAYS)
    return unit_open_concerns(user, units).filter(due_date__gte=today, due_date__lte=horizon)


def overdue(user, *, today: dt.date | None = None, within: list[Unit] | None = None) -> QuerySet[Concern]:
    """Open concerns past their due date that `user` sees (for a township: its subtree)."""
    today = today or clock.today()
    qs = access.visible_concerns(user).filter(state__in=OPEN_STATES, due_date__lt=today)
    if within:
        qs = qs.filter(Q(handling_unit__in=within) | Q(alert_unit__in=within) | Q(handling_unit__parent__in=within))
    return _listing(qs)


def incoming_escalations(user, units: list[Unit]) -> QuerySet[Concern]:
    """Concerns escalated to `units` and not yet taken up (预约下访 to be booked)."""
    return _listing(access.visible_concerns(user).filter(handling_unit__in=units, state="escalated"))


def visits_on(units: list[Unit], day: dt.date | None = None) -> QuerySet[Visit]:
    day = day or clock.today()
    return Visit.objects.filter(unit__in=units, visited_at__date=day).select_related("unit", "staff").order_by("-visited_at")


# --- reception and registration (热情接待 / 受理登记) ------------------------------------

def own_receiving_units(user) -> list[Unit]:
    """The units `user` is staff of where visits and concerns are received."""
    return [m.unit for m in access.memberships(user) if m.role in HANDLERS and m.unit.level in RECEIVING_LEVELS]


def receiving_units(user) -> list[Unit]:
    """Where `user` may receive visits and concerns: their own receiving units first, then
    every receiving unit below them (a township center may log a visit at a village station),
    in tree order."""
    own = own_receiving_units(user)
    if not own:
        return []
    below = Unit.objects.filter(level__in=RECEIVING_LEVELS).filter(reduce(or_, [subtree_q(u) for u in own]))
    below = below.exclude(pk__in=[u.pk for u in own]).order_by(
        F("township_id").asc(nulls_first=True), F("village_id").asc(nulls_first=True), F("point_id").asc(nulls_first=True), "id",
    )
    return own + list(below)


# The ancestor column of a hamlet that a member of a unit of each level serves.
_HAMLET_SCOPE = {Level.COUNTY: "village__county", Level.TOWNSHIP: "village__township", Level.VILLAGE: "village", Level.HAMLET: "point"}


def _hamlet_scope_q(user, prefix: str = "") -> Q:
    """Hamlets in the part of the network `user` works in as staff (county HQ: the county)."""
    q = Q(pk__in=[])
    for m in access.memberships(user):
        if m.role in HANDLERS and m.unit.level in _HAMLET_SCOPE:
            q |= Q(**{prefix + _HAMLET_SCOPE[m.unit.level]: m.unit.id})
    return q


def hamlets_served(user) -> QuerySet[Hamlet]:
    return Hamlet.objects.filter(_hamlet_scope_q(user)).select_related("village").order_by("village_id", "id")


def villagers_served(user) -> QuerySet[Villager]:
    """Villagers of the hamlets `user` serves: the only ones a search or a pick can reach."""
    return Villager.objects.filter(_hamlet_scope_q(user, "hamlet__")).select_related("hamlet__village")


VILLAGER_SEARCH_LIMIT = 10
_DIGITS = re.compile(r"[\s\-]")


def villager_search(user, query: str, *, limit: int = VILLAGER_SEARCH_LIMIT) -> list[Villager]:
    """Find a villager by name (张小明, 小明), pinyin initials (zxm), phone digits (5678) or
    full ID card number, among the villagers `user` serves. Exact matches come first."""
    q = (query or "").strip()[:50]
    digits = _DIGITS.sub("", q)
    if digits.isdigit() or (len(digits) == 18 and digits[:17].isdigit()):
        if len(digits) < 3:
            return []
        match, exact = Q(phone__contains=digits) | Q(id_number=digits.upper()), Q(phone=digits) | Q(id_number=digits.upper())
    elif q.isascii() and q.isalpha():
        match, exact = Q(initials__startswith=q.lower()), Q(initials=q.lower())
    elif q:
        match, exact = Q(name__contains=q), Q(name=q)
    else:
        return []
    rank = Case(When(exact, then=Value(0)), default=Value(1))
    return list(villagers_served(user).filter(match).annotate(rank=rank).order_by("rank", "name", "id")[:limit])


# Pairs of characters too common in summaries to make two concerns alike.
_COMMON_BIGRAMS = frozenset({"村民", "问题", "反映", "要求", "希望", "关于", "情况", "需要", "申请", "我们", "他们", "没有", "一个"})


def _keywords(text: str) -> set[str]:
    """Chinese has no spaces: compare runs of Han characters by their character pairs."""
    words = set()
    for run in re.findall(r"[\u3400-\u9fff]+|[a-z0-9]{3,}", (text or "").lower()):
        if run.isascii():
            words.add(run)
        else:
            words.update(run[i:i + 2] for i in range(len(run) - 1))
    return words - _COMMON_BIGRAMS


SIMILAR_LIMIT = 5


def similar_open_concerns(user, *, hamlet: Hamlet | None, summary: str = "", limit: int = SIMILAR_LIMIT) -> list[Concern]:
    """Open concerns from `hamlet` that `user` sees and that share words with `summary`
    (all of the hamlet's, newest first, while nothing is typed): so a collective concern
    is joined rather than registered twice. Confidential ones are nobody else's to join."""
    if hamlet is None:
        return []
    candidates = (
        access.visible_concerns(user).filter(hamlet=hamlet, state__in=OPEN_STATES, confidential=False)
        .select_related("handling_unit").annotate(villager_count=Count("villagers")).order_by("-received_at", "-id")[:50]
    )
    words = _keywords(summary)
    scored = [(len(words & _keywords(f"{c.summary} {c.details}")), c) for c in candidates]
    if words:
        scored = [s for s in scored if s[0] > 0]
    scored.sort(key=lambda s: -s[0])  # stable: newest first among equals
    return [c for _score, c in scored[:limit]]


@dataclass(frozen=True)
class TrackSuggestion:
    track: str
    keyword: str = ""  # the word that decided it; "" when the function did


# What each function is handled as, unless a word in the text says otherwise.
TRACK_BY_FUNCTION = {
    Function.AGENCY_SERVICE: Track.AGENCY,
    Function.DISPUTE: Track.DISPUTE,
    Function.SENTIMENT: Track.TIME_LIMITED,
    Function.SUGGESTION: Track.TIME_LIMITED,
}
# Words that point to a track whatever the function, checked in this order: privacy first
# (a wrong "public" track would post it), then a plain question, then what a village cannot decide.
TRACK_KEYWORDS = [
    (Track.CONFIDENTIAL, ("隐私", "家暴", "性侵", "举报", "艾滋", "涉密", "私事", "病情", "精神病")),
    (Track.POLICY, ("咨询", "政策", "怎么办理", "如何办理", "能不能", "是否可以", "标准是", "什么条件", "问一下", "打听")),
    (Track.BEYOND_AUTHORITY, ("征地", "拆迁", "跨村", "跨乡", "跨镇", "县里", "上级部门")),
    (Track.DISPUTE, ("纠纷", "矛盾", "争执", "吵架", "打架", "边界", "宅基地", "山林", "水源")),
    (Track.AGENCY, ("代办", "补办", "低保", "医保", "社保", "养老保险", "户口", "身份证", "证明")),
]


def suggest_track(function: str, text: str = "") -> TrackSuggestion | None:
    """The disposition track (分类处置) the form proposes for a new concern; the clerk decides."""
    text = text or ""
    for track, words in TRACK_KEYWORDS:
        for word in words:
            if word in text:
                return TrackSuggestion(track, word)
    track = TRACK_BY_FUNCTION.get(function)
    return TrackSuggestion(track) if track else None


def concerns_by_reference(user, references) -> list[Concern]:
    """The concerns named, in the order named, leaving out any `user` may not see."""
    refs = list(dict.fromkeys(r for r in references if r))[:50]
    found = {c.reference: c for c in access.visible_concerns(user).filter(reference__in=refs)}
    return [found[r] for r in refs if r in found]


def visit_received(user, pk) -> Visit | None:
    """A visit received at a unit where `user` receives (for the receipt), else None."""
    if not str(pk).isdigit():
        return None
    return Visit.objects.filter(pk=pk, unit__in=receiving_units(user)).select_related("unit").first()
