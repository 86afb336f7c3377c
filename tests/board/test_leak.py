"""The leak test (issue 4): nothing private reaches anything public.

Ordinary and confidential concerns are made with known names, phone numbers, ID numbers
and distinctive phrases (in summaries, details, results, mediation sessions, an objection,
staff phones), driven to posted (ordinary) and as far as they go (confidential). Then every
public page, public API response and public PDF is fetched without signing in, and none of
those may appear, nor the confidential concerns' reference numbers.

PUBLIC lists the public URLs, one builder per line: adding a public page is one line. A
builder whose URL name does not resolve on this branch is a page another part has not built
yet (the printing helper's PDFs, until `printing` is merged); it is reported, not failed.
Any listed URL that answers with an error fails the test. `test_every_public_url_is_listed`
walks the URLconf so a new public page cannot be forgotten here.
"""
import datetime as dt
import html
import io
import json
import re
from dataclasses import dataclass

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from huiying.board.models import PostedItem
from huiying.board.services import board_backfill, board_batch_post, board_object
from huiying.concerns import services as cs
from huiying.concerns.models import State
from huiying.concerns.validators import id_check_digit
from huiying.core.errors import ServiceError
from huiying.network.models import Membership
from helpers import act, drive, fresh, register

D = dt.timedelta


def _id(first17: str) -> str:
    return first17 + id_check_digit(first17)


NAMES = ["韦秀英", "蓝桂芳", "黄志强", "覃美玲", "罗文华", "莫海燕"]
PHONES = ["13877112345", "13600001111", "13912340000", "13900001111", "13755556666", "0771-8523456"]
IDS = [_id("45012219800101123"), _id("45012219750505432"), "450122196001011"]
PHRASES = ["紫藤花开的院子", "青石板桥旁的争执", "赔偿三千二百元", "幽兰谷的秘密", "我家门口的排水沟", "旧粮仓背后的土地"]


@dataclass
class World:
    n: object
    today: dt.date
    item: PostedItem
    ordinary: list
    confidential: list
    month: str


@pytest.fixture
def world(network, now):
    n, today = network, now.date()
    clerk = n.village_clerk
    Membership.objects.filter(user=clerk).update(phone=PHONES[2])  # staff phones are not public
    n.village.phone, n.village.address = "0771-6660000", "甲村村委会"
    n.village.save()
    from huiying.network.models import DutyShift
    DutyShift.objects.create(unit=n.village, user=clerk, day=today)
    xiuying = cs.villager_create(actor=clerk, name=NAMES[0], hamlet=n.hamlet, phone=PHONES[0], id_number=IDS[0])
    cs.villager_create(actor=clerk, name=NAMES[1], hamlet=n.hamlet2, phone=PHONES[4], id_number=IDS[1])  # a neighbour
    wenhua = cs.villager_create(actor=clerk, name=NAMES[4], hamlet=n.hamlet)

    def resolve(c, result):
        c = drive(n, c, State.ON_SITE)
        return act(cs.concern_resolve, actor=n.county_commander, concern=c, result=result)

    # Ordinary: a time-limited matter full of personal data.
    a = register(n, track="time_limited", villagers=[xiuying], hamlet=n.hamlet, summary=f"{NAMES[0]}反映自来水管爆裂，电话{PHONES[0]}",
                 details=f"{NAMES[0]}家住{PHRASES[0]}，身份证{IDS[0]}，另有{IDS[2]}")
    a = resolve(a, f"已与{NAMES[1]}协商更换水管，回访电话{PHONES[5]}，身份证{IDS[1]}")
    # Ordinary: a dispute with a mediation session naming its parties.
    b = register(n, track="dispute", hamlet=n.hamlet, summary=f"{NAMES[2]}与{NAMES[3]}宅基地纠纷", details=PHRASES[5])
    b = drive(n, b, State.ON_SITE)
    act(cs.concern_record_mediation, actor=clerk, concern=b, held_at=now, place="村部", parties=[NAMES[2], NAMES[3]], mediators=["调解员"],
        summary=PHRASES[1], agreement=PHRASES[2], agreement_reached=True)
    b = act(cs.concern_resolve, actor=clerk, concern=b, result=f"{NAMES[2]}与{NAMES[3]}达成协议")
    # Ordinary: posted before the board existed (the core step alone), then taken over.
    c = resolve(register(n, track="time_limited", hamlet=n.hamlet2, summary=f"路灯不亮 {PHONES[4]}"), f"已修好，{NAMES[1]}确认")
    act(cs.concern_post, actor=clerk, concern=c)
    board_backfill(county=n.county)
    batch = board_batch_post(actor=clerk, unit=n.village, concerns=[fresh(a), fresh(b)], period_start=today, period_end=today + D(days=7), objection_until=today + D(days=5))
    # An earlier batch, now in the archive.
    d = resolve(register(n, unit=n.point, track="time_limited", summary=f"{NAMES[4]}家门前积水"), "已疏通")
    with_now = now - D(days=40)
    board_batch_post(actor=n.hamlet_clerk, unit=n.point, concerns=[fresh(d)], period_start=with_now.date(), period_end=with_now.date() + D(days=7),
                     objection_until=with_now.date() + D(days=3), now=with_now)
    # A villager's objection, with a phone and a phrase: for staff only.
    item = batch.items.order_by("id").first()
    board_object(item=item, reason=f"{PHRASES[4]}还是堵的，{NAMES[0]}，{PHONES[3]}", phone=PHONES[3])

    # Confidential: as far as they go, and refused by the board.
    secret = register(n, track="confidential", confidential=True, handler=clerk, villagers=[wenhua], hamlet=n.hamlet,
                      summary=f"保密：{NAMES[4]}举报{PHRASES[3]}，{PHONES[1]}", details=f"{NAMES[5]} {IDS[1]}")
    secret = act(cs.concern_assign, actor=clerk, concern=secret, handler=clerk)
    secret = act(cs.concern_start_on_site, actor=clerk, concern=secret)
    secret = act(cs.concern_resolve, actor=clerk, concern=secret, result=f"{PHRASES[3]}已专项处理")
    with pytest.raises(ServiceError):
        board_batch_post(actor=clerk, unit=n.village, concerns=[fresh(secret)], period_start=today, period_end=today + D(days=7), objection_until=today)
    with pytest.raises(ServiceError):
        act(cs.concern_post, actor=clerk, concern=secret)
    open_secret = register(n, track="confidential", confidential=True, handler=clerk, summary=f"{NAMES[5]}的隐私 {PHRASES[3]}")
    # A concern the villager submitted online, with a phone.
    from huiying.selfservice.services import submission_create
    submission_create(unit=n.village, hamlet=n.hamlet, function="suggestion", description=f"村口路灯坏了，请联系{PHONES[4]}", phone=PHONES[4])
    return World(n=n, today=today, item=item, ordinary=[a, b, c, d], confidential=[secret, open_secret], month=(with_now.date() + D(days=7)).replace(day=1).strftime("%Y-%m"))


# --- the public URLs: one builder per line ---------------------------------------------

def _units(w):
    n = w.n
    return [n.county, n.township, n.village, n.point, n.other_village, n.department]


PUBLIC = [
    # huiying.board: the unit page and board of every unit involved, the archive, objection forms
    *[(name, (lambda i, name=name: lambda w: ([_units(w)[i].pk], {}))(i)) for name in ("board:unit", "board:board") for i in range(6)],
    ("board:board", lambda w: ([w.n.point.pk], {"month": w.month})),
    ("board:board", lambda w: ([w.n.county.pk], {"month": w.month})),
    ("board:object", lambda w: ([w.n.village.pk, PostedItem.objects.filter(objected_at__isnull=True).first().pk], {})),
    ("board:objected", lambda w: ([w.n.village.pk], {})),
    ("api:board-list", lambda w: ([w.n.village.pk], {})),
    ("api:board-list", lambda w: ([w.n.county.pk], {})),
    ("api:board-list", lambda w: ([w.n.county.pk], {"month": w.month})),
    # huiying.selfservice
    ("selfservice:submit", lambda w: ([w.n.village.pk], {})),
    ("selfservice:submit", lambda w: ([w.n.point.pk], {})),
    ("selfservice:box", lambda w: ([w.n.village.pk], {})),
    ("selfservice:track", lambda w: ([], {})),
    ("selfservice:box_answer", lambda w: ([], {})),
    ("api:board-object", lambda w: ([w.n.village.pk, PostedItem.objects.filter(objected_at__isnull=True).first().pk], {})),
    ("api:selfservice-form", lambda w: ([w.n.village.pk], {})),
    ("api:selfservice-form", lambda w: ([w.n.point.pk], {})),
    # Open311 GeoReport v2 (public GETs)
    *[("api:open311-discovery", (lambda f: lambda w: ([f], {}))(f)) for f in ("json", "xml")],
    *[("api:open311-services", (lambda f: lambda w: ([f], {}))(f)) for f in ("json", "xml")],
    ("api:open311-service", lambda w: (["dispute", "json"], {})),
    *[("api:open311-requests", (lambda f: lambda w: ([f], {}))(f)) for f in ("json", "xml")],
    ("api:open311-requests", lambda w: (["json"], {"status": "closed"})),
    *[("api:open311-request", (lambda i: lambda w: ([w.ordinary[i].reference, "json"], {}))(i)) for i in range(4)],
    # printing (PDFs; text extracted)
    *[(name, (lambda name: lambda w: ([w.n.village.pk], {}))(name)) for name in ("printing:unit_card", "printing:workflow")],
    ("printing:poster", lambda w: ([w.n.village.pk], {})),
    ("printing:poster", lambda w: ([w.n.county.pk], {"from": str(w.today - D(days=60)), "to": str(w.today + D(days=10))})),
]

# URL names other parts will add that are public, and whose pages this test then fetches.
NOT_BUILT_HERE = {"printing:unit_card", "printing:poster", "printing:workflow"}


def _text(response) -> str:
    ctype = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in ctype:
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    text = body.decode("utf-8")
    if "json" in ctype:
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


def _fetch_all(client, w):
    pages, not_built = {}, []
    for name, build in PUBLIC:
        args, query = build(w)
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            not_built.append(name)
            continue
        r = client.get(url, query, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert r.status_code == 200, f"{name} {url}?{query} answered {r.status_code}"
        pages[f"{url}?{query}"] = _text(r)
    return pages, not_built


def _secrets(w) -> list[str]:
    return [*NAMES, *PHONES, *IDS, *(i.lower() for i in IDS), *PHRASES, *(c.reference for c in w.confidential)]


def test_nothing_private_is_public(client, world, capsys):
    pages, not_built = _fetch_all(client, world)
    assert set(not_built) <= NOT_BUILT_HERE, not_built
    hits = []
    for url, text in pages.items():
        digits = re.sub(r"[\s\-]", "", text)
        for secret in _secrets(world):
            if secret in text or re.sub(r"\-", "", secret) in digits:
                hits.append((url, secret))
    assert hits == []
    # The test saw real content: the board holds the ordinary results, anonymised.
    board = pages[f"{reverse('board:board', args=[world.n.village.pk])}?{{}}"]
    assert "某某" in board and "＊＊＊" in board and world.ordinary[1].reference in board
    assert world.ordinary[3].reference in pages[f"{reverse('board:board', args=[world.n.point.pk])}?{ {'month': world.month} }"]
    # The confidential ones are not found by their reference either.
    for c in world.confidential:
        assert client.get(reverse("api:open311-request", args=[c.reference, "json"])).status_code == 404
    poster = next((t for u, t in pages.items() if "poster" in u), None)
    if poster is not None:  # the PDF's text is really read: the posted references are in it
        assert world.ordinary[1].reference in poster and "某某" in poster, poster[:500]
    with capsys.disabled():
        if not_built:
            print(f"\n[leak test] not built on this branch yet, not fetched: {', '.join(sorted(set(not_built)))}")


# --- every public URL is in PUBLIC -------------------------------------------------------

def _patterns(resolver=None, prefix="", ns=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            child_ns = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _patterns(p, prefix + str(p.pattern), child_ns)
        elif isinstance(p, URLPattern):
            yield f"{ns}{p.name}" if p.name else None, prefix + str(p.pattern), p


def _sample(name: str, pattern: URLPattern, w) -> dict:
    """Arguments for a pattern, from the world: ints are the village (or a posted item)."""
    kwargs = {}
    for key, conv in (pattern.pattern.converters or {}).items():
        kwargs[key] = w.n.village.pk if key != "item" else w.item.pk
        if conv.__class__.__name__ not in ("IntConverter",):
            kwargs[key] = w.ordinary[0].reference if "reference" in key or conv.__class__.__name__ == "ReferenceConverter" else "x"
    regex = pattern.pattern.regex
    for key in regex.groupindex:
        kwargs.setdefault(key, {"fmt": "json", "service_code": "dispute", "service_request_id": w.ordinary[0].reference,
                                "token_id": w.ordinary[0].reference}.get(key, "x"))
    return kwargs


# Staff-only answers to someone not signed in: a login redirect, 401, 403 — or the same 404
# everyone gets (the catch-alls, an admin page).
def _refused(r) -> bool:
    if r.status_code in (301, 302):
        return "login" in r["Location"]
    return r.status_code in (401, 403)


def test_every_public_url_is_listed(client, world):
    listed = {name for name, _build in PUBLIC}
    public_parts = ("board:", "selfservice:", "printing:", "api:open311-", "api:board-", "api:selfservice-")
    unlisted = []
    for name, route, pattern in _patterns():
        if name and name.startswith("admin:") or route.startswith(("admin/", "static/", "media/")):
            continue
        try:
            url = reverse(name, kwargs=_sample(name, pattern, world)) if name else None
        except NoReverseMatch:
            url = None
        if url is None:
            continue
        r = client.get(url)
        if _refused(r) or name in listed:
            continue
        if r.status_code == 404 and not name.startswith(public_parts):
            continue  # the same 404 for everyone (a catch-all)
        unlisted.append((name, url, r.status_code))
    # Named public exceptions: what they are and why they need not be fetched.
    allowed = {
        "web:login": "the sign-in form",
        "web:logout": "POST only: signing out",
        "set_language": "POST only: the language switch",
        "javascript-catalog": "the translation catalogue of the pages' scripts",
        "api:schema": "the OpenAPI document (no data)",
        "api:docs": "the API's documentation page (no data)",
        "api:open311-token": "the service_request_id echoed back (a listed request's reference)",
        # The villager's own POSTs: each answers only the sender (a receipt, or the progress
        # of the one concern whose reference and tracking code they sent).
        "api:selfservice-submit": "POST only", "api:selfservice-track": "POST only", "api:selfservice-rate": "POST only",
        "api:selfservice-box": "POST only", "api:selfservice-box-answer": "POST only",
    }
    assert [u for u in unlisted if u[0] not in allowed] == []
