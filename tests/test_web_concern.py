"""The concern page through HTTP, role by role: who sees it (and who gets a 404), the buttons
drawn from the workflow table, every action's form end to end, conflicts, errors next to the
field in Chinese, attachments, CSRF and the timeline read from the record book."""
import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from huiying import access
from huiying.concerns import services as cs
from huiying.concerns.models import Attachment, State
from huiying.core import clock
from huiying.web.forms_actions import FORMS

from helpers import act, drive, fresh, register, snapshot

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 300


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def as_(network):
    clients = {}

    def _as(username):
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(network.users[username])
        return clients[username]
    return _as


@pytest.fixture
def villager(network):
    return cs.villager_create(actor=network.village_clerk, name="韦小红", hamlet=network.hamlet, phone="13812345678")


def page(client, c, status=200) -> str:
    response = client.get(reverse("web:concern", args=[c.reference]))
    assert response.status_code == status
    return response.content.decode()


def post(client, c, action, data=None, **extra):
    data = {"version": fresh(c).version, **(data or {})}
    return client.post(reverse("web:concern_act", args=[c.reference, action]), data, **extra)


def done(response, c):
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == reverse("web:concern", args=[c.reference])
    return fresh(c)


def buttons(html: str) -> set:
    return set(re.findall(r'data-action="([a-z_]+)"', html))


def field_errors(html: str, name: str) -> list[str]:
    """The errors shown inside the field block of input `name`."""
    for block in re.findall(r'<div class="field has-error">(.*?)</div>', html, re.S):
        if f'for="id_{name}"' in block:
            return re.findall(r'<p class="error" role="alert">(.*?)</p>', block)
    return []


def dispute(n, villagers=(), **kw):
    return register(n, actor=n.village_clerk, track="dispute", villagers=villagers, summary="宅基地边界纠纷", **kw)


# --- who sees what ----------------------------------------------------------------------

@pytest.mark.parametrize("username,status", [
    ("village_clerk", 200), ("village_clerk2", 200), ("township_staff", 200), ("county_commander", 200), ("county_admin", 200),
    ("other_village_clerk", 404), ("other_township_staff", 404), ("far_clerk", 404), ("dept_liaison", 404),
    ("supervisor", 404),  # supervisors see finished concerns only
])
def test_the_page_is_shown_only_to_those_who_see_the_concern(as_, network, now, username, status):
    c = dispute(network)
    html = page(as_(username), c, status)
    if status == 200:
        assert c.reference in html and "宅基地边界纠纷" in html
    else:
        assert "宅基地边界纠纷" not in html
    # The same answer for a concern that does not exist at all.
    assert as_(username).get(reverse("web:concern", args=["CS-2026-999999"])).status_code == 404


def test_anonymous_is_sent_to_sign_in(network, now, client):
    c = dispute(network)
    response = client.get(reverse("web:concern", args=[c.reference]))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_a_confidential_concern_is_404_for_everyone_but_its_handlers_and_the_hq(as_, network, now):
    n = network
    c = register(n, actor=n.village_clerk, track="confidential", handler=n.village_clerk, summary="家庭隐私问题")
    att = cs.concern_attach(actor=n.village_clerk, concern=c, file=SimpleUploadedFile("a.jpg", JPEG), kind="other")
    url = reverse("web:attachment", args=[c.reference, att.pk])
    for username in ("village_clerk", "county_commander", "county_admin"):  # its handler and the county HQ
        assert "涉密涉私" in page(as_(username), c)
        assert as_(username).get(url).status_code == 200
    for username in ("village_clerk2", "township_staff", "supervisor", "other_village_clerk"):
        page(as_(username), c, 404)
        assert as_(username).get(url).status_code == 404
        assert as_(username).get(reverse("web:concern_act", args=[c.reference, "assign"])).status_code == 404
        assert post(as_(username), c, "extend", {"days": 2, "reason": "x"}).status_code == 404
    # Even finished, a supervisor never sees it.
    drive(n, c, State.SUPERVISION, actor=n.village_clerk)
    page(as_("supervisor"), c, 404)


# --- buttons: drawn from the table ----------------------------------------------------------

@pytest.mark.parametrize("state", [State.REGISTERED, State.ANALYSIS, State.ON_SITE, State.SUPERVISION, State.CLOSED])
@pytest.mark.parametrize("username", ["village_clerk", "township_staff", "county_commander", "county_admin", "supervisor"])
def test_buttons_are_the_allowed_actions(as_, network, now, state, username):
    n = network
    c = drive(n, dispute(n), state, actor=n.village_clerk)
    user = n.users[username]
    if not access.can_see_concern(user, c):
        page(as_(username), c, 404)
        return
    html = page(as_(username), c)
    assert buttons(html) == {t.action for t in access.allowed_actions(user, c)}
    if username == "village_clerk" and state == State.ON_SITE:
        assert "record_mediation" in buttons(html) and "记录现场调解" in html
    if username in ("supervisor", "county_admin"):
        assert buttons(html) == set() and "现在可以办理" not in html


def test_every_transition_has_a_form():
    from huiying.concerns.workflow import TRANSITIONS

    assert set(TRANSITIONS) <= set(FORMS)


def test_a_refused_or_unknown_action(as_, network, now):
    n = network
    c = dispute(n)
    response = as_("county_admin").get(reverse("web:concern_act", args=[c.reference, "assign"]))
    assert response.status_code == 403 and "无权" in response.content.decode()
    response = as_("village_clerk").get(reverse("web:concern_act", args=[c.reference, "post"]))
    assert response.status_code == 403 and "不能" in response.content.decode()
    assert as_("village_clerk").get(reverse("web:concern_act", args=[c.reference, "fly_away"])).status_code == 404
    before = snapshot()
    response = post(as_("county_admin"), c, "assign", {"handler": n.village_clerk.pk})
    assert response.status_code == 200 and "无权" in response.content.decode() and snapshot() == before


# --- the header ---------------------------------------------------------------------------

def test_the_header(as_, network, now, villager):
    n = network
    c = dispute(n, villagers=[villager], handler=n.village_clerk2, details="两家因宅基地边界争执")
    html = page(as_("village_clerk"), c)
    for text in (c.reference, "宅基地边界纠纷", "两家因宅基地边界争执", "已受理登记", "矛盾纠纷现场调解", "化解矛盾纠纷", "甲村", "赵值班",
                 c.due_date.strftime("%Y-%m-%d"), "韦小红", "13812345678"):
        assert text in html, text
    assert 'class="refno"' in html and "已超期" not in html
    # Phones are for the handlers; others see them masked.
    drive(n, c, State.SUPERVISION, actor=n.village_clerk)
    html = page(as_("supervisor"), c)
    assert "韦小红" in html and "13812345678" not in html and "138****5678" in html
    # Overdue is highlighted.
    late = dispute(n)
    with clock.frozen(now + dt.timedelta(days=40)):
        html = page(as_("village_clerk"), late)
        assert 'class="late"' in html and "已超期" in html


def test_the_page_is_mobile_ready_and_printable(as_, network, now):
    html = page(as_("village_clerk"), dispute(network))
    assert 'name="viewport"' in html and "web/concern.css" in html and 'class="card actions noprint"' in html


# --- every action end to end ---------------------------------------------------------------

def test_a_dispute_from_assignment_to_a_reopening_rating(as_, network, now, villager):
    n = network
    clerk = as_("village_clerk")
    c = dispute(n, villagers=[villager])
    c = done(post(clerk, c, "assign", {"handler": n.village_clerk2.pk, "track": ""}), c)
    assert c.state == State.ANALYSIS and c.handler == n.village_clerk2
    c = done(post(clerk, c, "start_on_site"), c)
    assert c.state == State.ON_SITE and "record_mediation" in buttons(page(clerk, c))
    photo = SimpleUploadedFile("签字协议.jpg", JPEG, content_type="image/jpeg")
    c = done(post(clerk, c, "record_mediation", {
        "held_at": "2026-03-11T09:30", "place": "村委会", "parties": "张三\n李四\n", "mediators": "王调解", "summary": "双方陈述",
        "agreement_reached": "on", "agreement": "各退一米", "photo": photo}), c)
    session = c.mediation_sessions.get()
    assert session.parties == ["张三", "李四"] and session.agreement_reached
    att = Attachment.objects.get(concern=c)
    assert att.session == session and att.kind == "agreement_photo"
    html = page(clerk, c)
    assert "各退一米" in html and reverse("web:attachment", args=[c.reference, att.pk]) in html
    c = done(post(clerk, c, "resolve", {"result": "双方签订协议"}), c)
    assert c.state == State.SUPERVISION
    c = done(post(clerk, c, "post"), c)
    assert c.state == State.POSTED
    c = done(post(clerk, c, "feedback", {"method": "phone", "note": "电话告知"}), c)
    assert c.state == State.CLOSED
    c = done(post(clerk, c, "rate", {"rating": "dissatisfied", "comment": "对方没有执行"}), c)
    assert c.state == State.ON_SITE and c.outcome == "" and c.reopen_count == 1
    html = page(clerk, c)
    assert "不满意" in html and "对方没有执行" in html


def test_agency_authorization_documents_and_no_result_while_a_document_is_out(as_, network, now, villager):
    n = network
    clerk = as_("village_clerk")
    c = register(n, actor=n.village_clerk, track="agency", villagers=[villager], summary="代办低保")
    c = done(post(clerk, c, "assign", {"handler": n.village_clerk.pk}), c)
    c = done(post(clerk, c, "record_authorization", {"villager": villager.pk, "signed_on": "2026-03-11", "scope": "代办低保申请"}), c)
    c = done(post(clerk, c, "take_document", {"name": "户口簿"}), c)
    html = page(clerk, c)
    assert "户口簿" in html and "尚未退还" in html and "代办低保申请" in html
    before = snapshot()
    html = post(clerk, c, "resolve", {"result": "已办好"}).content.decode()
    assert field_errors(html, "result") == ["登记处理结果前，请先退还所有收取的材料。"] and "已办好" in html
    assert snapshot() == before
    doc = c.documents.get()
    c = done(post(clerk, c, "return_document", {"document": doc.pk}), c)
    assert fresh(c).documents.get().returned_at is not None
    c = done(post(clerk, c, "resolve", {"result": "已办好"}), c)
    assert c.state == State.SUPERVISION


def test_escalation_and_the_township_books_the_visit(as_, network, now):
    n = network
    c = dispute(n)
    form = as_("village_clerk").get(reverse("web:concern_act", args=[c.reference, "escalate"])).content.decode()
    assert "城中镇" in form and "民政局" not in form  # a village escalates to its township only
    c = done(post(as_("village_clerk"), c, "escalate", {"to_unit": n.township.pk, "reason": "超出村级权限"}), c)
    assert c.state == State.ESCALATED and c.handling_unit == n.township
    assert buttons(page(as_("township_staff"), c)) >= {"book_appointment", "escalate"}
    form = as_("township_staff").get(reverse("web:concern_act", args=[c.reference, "escalate"])).content.decode()
    assert "民政局" in form  # from a township, county departments too
    c = done(post(as_("township_staff"), c, "book_appointment", {
        "date": "2026-03-13", "place": "甲村村部", "cadre": "镇司法所 陆所长", "handler": n.township_staff.pk}), c)
    assert c.state == State.ANALYSIS and c.appointments.get().cadre == "镇司法所 陆所长"
    html = page(as_("township_staff"), c)
    assert "镇司法所 陆所长" in html and "超出村级权限" in html


def test_a_confidential_escalation_names_the_handler_above(as_, network, now):
    n = network
    c = register(n, actor=n.village_clerk, track="confidential", handler=n.village_clerk)
    html = post(as_("village_clerk"), c, "escalate", {"to_unit": n.township.pk, "reason": "涉及隐私"}).content.decode()
    assert field_errors(html, "to_handler") == ["此项必填。"]
    c = done(post(as_("village_clerk"), c, "escalate", {"to_unit": n.township.pk, "to_handler": n.township_staff.pk, "reason": "涉及隐私"}), c)
    assert c.handling_unit == n.township and n.township_staff in c.handlers.all()


def test_transfer_and_extend(as_, network, now):
    n = network
    clerk = as_("village_clerk")
    c = dispute(n)
    old_due = c.due_date
    c = done(post(clerk, c, "extend", {"days": 3, "reason": "等待测量结果"}), c)
    assert c.due_date > old_due and c.extension_count == 1
    c = done(post(clerk, c, "transfer", {"to_unit": n.other_village.pk, "reason": "属乙村事项"}), c)
    assert c.handling_unit == n.other_village and c.state == State.REGISTERED
    html = page(as_("other_village_clerk"), c)
    assert "属乙村事项" in html and "等待测量结果" in html and "assign" in buttons(html)
    assert buttons(page(clerk, c)) == set()  # no longer the handling unit


def test_close_unresolved_with_a_merge(as_, network, now):
    n = network
    clerk = as_("village_clerk")
    main, dup = dispute(n), dispute(n)
    html = post(clerk, dup, "close_unresolved", {"outcome": "merged", "reason": "重复反映", "merged_into": "CS-2026-999999"}).content.decode()
    assert field_errors(html, "merged_into") == ["没有这条关切。"] and "CS-2026-999999" in html
    # A concern the clerk cannot see is "no such concern" too.
    far = register(n, unit=n.far_village, actor=n.far_clerk)
    html = post(clerk, dup, "close_unresolved", {"outcome": "merged", "reason": "重复反映", "merged_into": far.reference}).content.decode()
    assert field_errors(html, "merged_into") == ["没有这条关切。"]
    dup = done(post(clerk, dup, "close_unresolved", {"outcome": "merged", "reason": "重复反映", "merged_into": main.reference.lower()}), dup)
    assert dup.state == State.CLOSED and dup.outcome == "merged" and dup.merged_into == main
    assert main.reference in page(clerk, dup)


def test_a_policy_question_is_answered(as_, network, now):
    n = network
    c = register(n, actor=n.village_clerk, track="policy")
    c = done(post(as_("village_clerk"), c, "answer", {"answer": "按现行政策可以申请"}), c)
    assert c.state == State.CLOSED and c.outcome == "resolved"


# --- conflicts and bad input -------------------------------------------------------------

def test_a_stale_version_is_a_conflict_and_nothing_is_written(as_, network, now):
    n = network
    c = dispute(n)
    stale = c.version
    act(cs.concern_assign, actor=n.village_clerk2, concern=c, handler=n.village_clerk2)  # someone else, meanwhile
    before = snapshot()
    response = as_("village_clerk").post(reverse("web:concern_act", args=[c.reference, "extend"]), {"version": stale, "days": 2, "reason": "需补材料"})
    html = response.content.decode()
    assert response.status_code == 200 and "已被他人修改" in html and "刷新关切" in html
    assert "分析处置" in html  # the state as it is now
    assert "需补材料" in html  # what was typed is kept
    assert snapshot() == before


def test_bad_input_is_shown_next_to_the_field_in_chinese_and_kept(as_, network, now):
    n = network
    c = drive(n, dispute(n), State.ON_SITE, actor=n.village_clerk)
    before = snapshot()
    data = {"held_at": "2026-03-11T09:30", "place": "晒谷场", "parties": "张三", "mediators": "王调解", "summary": "双方各执一词"}
    html = post(as_("village_clerk"), c, "record_mediation", data).content.decode()
    assert field_errors(html, "parties") == ["纠纷至少有两方当事人。"]
    assert 'value="晒谷场"' in html and "双方各执一词" in html and 'value="2026-03-11T09:30"' in html
    html = post(as_("village_clerk"), c, "record_mediation", {**data, "summary": "", "held_at": "not a time"}).content.decode()
    assert field_errors(html, "summary") == ["此项必填。"] and field_errors(html, "held_at")
    html = post(as_("village_clerk"), c, "extend", {"days": 99, "reason": "太久"}).content.decode()
    assert field_errors(html, "days") == ["延期须为 1 至 20 个工作日。"] and 'value="99"' in html
    assert snapshot() == before


# --- attachments -----------------------------------------------------------------------------

def test_attachments_through_the_page(as_, network, now, settings):
    settings.HUIYING_ATTACHMENT_MAX_BYTES = 1000
    n = network
    clerk = as_("village_clerk")
    c = dispute(n)
    html = page(clerk, c)
    attach_url = reverse("web:concern_act", args=[c.reference, "attach"])
    assert attach_url in html
    before = snapshot()
    html = post(clerk, c, "attach", {"kind": "document_scan", "file": SimpleUploadedFile("big.jpg", JPEG * 10)}).content.decode()
    assert field_errors(html, "file") == ["文件超过 1000 字节。"]
    html = post(clerk, c, "attach", {"kind": "document_scan", "file": SimpleUploadedFile("scan.jpg", b"hello, I am text", content_type="image/jpeg")}).content.decode()
    assert field_errors(html, "file") == ["只接受照片（JPEG、PNG）和 PDF 文件。"]
    assert snapshot() == before
    c = done(post(clerk, c, "attach", {"kind": "document_scan", "file": SimpleUploadedFile("宅基地证.jpg", JPEG)}), c)
    att = Attachment.objects.get(concern=c)
    url = reverse("web:attachment", args=[c.reference, att.pk])
    html = page(clerk, c)
    assert url in html and "宅基地证.jpg" in html and "材料扫描件" in html and "上传附件" in html
    response = clerk.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;") and b"".join(response.streaming_content) == JPEG
    # Strangers get the same 404 as for a file that does not exist.
    for username in ("far_clerk", "other_village_clerk", "supervisor"):
        assert as_(username).get(url).status_code == 404
    assert clerk.get(reverse("web:attachment", args=[c.reference, att.pk + 100])).status_code == 404
    # The file is not under the static or media URLs.
    assert not att.file.name.startswith("static") and clerk.get("/media/" + att.file.name).status_code == 404
    # Those who see but do not handle the concern get no upload button, and a refusal.
    assert attach_url not in page(as_("county_admin"), c)
    assert as_("county_admin").get(attach_url).status_code == 403


# --- CSRF and HTMX -----------------------------------------------------------------------

def test_csrf_is_enforced_on_action_posts(network, now):
    n = network
    c = dispute(n)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(n.village_clerk)
    url = reverse("web:concern_act", args=[c.reference, "extend"])
    data = {"version": c.version, "days": 2, "reason": "需补材料"}
    assert strict.post(url, data).status_code == 403
    assert strict.post(url, data, HTTP_HX_REQUEST="true").status_code == 403
    assert fresh(c).version == c.version
    form = strict.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert strict.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    # HTMX sends the token as a header (base.html's hx-headers).
    c = fresh(c)
    response = strict.post(url, {**data, "version": c.version}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("web:concern", args=[c.reference])


def test_htmx_gets_the_form_partial_and_its_errors_in_place(as_, network, now):
    n = network
    c = dispute(n)
    clerk = as_("village_clerk")
    url = reverse("web:concern_act", args=[c.reference, "extend"])
    partial = clerk.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'hx-post="%s"' % url in partial and 'name="version"' in partial
    full = clerk.get(url).content.decode()
    assert "<html" in full and 'action="%s"' % url in full
    response = clerk.post(url, {"version": c.version, "days": 2, "reason": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and field_errors(html, "reason") == ["此项必填。"]


# --- the timeline ---------------------------------------------------------------------------

def test_the_timeline_is_the_record_book_in_order_with_chinese_labels(as_, network, now):
    n = network
    c = dispute(n)
    c = act(cs.concern_assign, actor=n.village_clerk, concern=c, handler=n.village_clerk2)
    c = act(cs.concern_extend, actor=n.village_clerk, concern=c, days=2, reason="等待测量")
    c = act(cs.concern_start_on_site, actor=n.village_clerk2, concern=c)
    html = page(as_("village_clerk"), c)
    codes = re.findall(r'data-code="([a-z_.]+)"', html)
    assert codes == ["concern.register", "concern.assign", "concern.extend", "concern.start_on_site"]
    timeline = html.split('id="timeline"', 1)[1]
    positions = [timeline.index(label) for label in ("已受理登记", "已分配承办人", "已延期", "开始现场办公")]
    assert positions == sorted(positions)
    assert "等待测量" in timeline and "赵值班" in timeline and "张值班" in timeline and "现场办公" in timeline
    assert "concern.assign" not in re.sub(r'data-code="[^"]+"', "", timeline)  # codes are never shown as labels


def test_the_page_costs_the_same_number_of_queries_however_long_the_story(as_, network, now, villager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    n = network
    clerk = as_("village_clerk")

    def queries(c):
        page(clerk, c)  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            page(clerk, c)
        return len(ctx.captured_queries)

    short = drive(n, dispute(n, villagers=[villager]), State.ON_SITE, actor=n.village_clerk)
    long = drive(n, dispute(n, villagers=[villager]), State.ON_SITE, actor=n.village_clerk)
    for c, times in ((short, 1), (long, 4)):
        for i in range(times):
            if i < 2:  # at most HUIYING_MAX_EXTENSIONS
                c = act(cs.concern_extend, actor=n.village_clerk, concern=c, days=1, reason=f"第{i}次")
            act(cs.concern_record_mediation, actor=n.village_clerk, concern=c, held_at=clock.now(), place="村部", parties=["甲", "乙"],
                mediators=["丙"], summary="经过", photo=SimpleUploadedFile(f"{i}.jpg", JPEG))
            cs.concern_attach(actor=n.village_clerk, concern=c, file=SimpleUploadedFile(f"{i}.jpg", JPEG), kind="other")
    assert queries(long) == queries(short) <= 25
