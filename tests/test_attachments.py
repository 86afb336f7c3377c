"""concern_attach and the mediation's photo: size and sniffed type, who may attach, the
record-book entry, and all or nothing together with the mediation session."""
import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huiying.concerns import services as cs
from huiying.concerns.models import Attachment, State
from huiying.core import clock
from huiying.core.errors import Conflict, Forbidden, NotFound, ServiceError
from huiying.records.models import RecordEntry

from helpers import act, drive, fresh, register, snapshot

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(content: bytes, name: str = "张三的协议.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("content,content_type,ext", [(JPEG, "image/jpeg", ".jpg"), (PNG, "image/png", ".png"), (PDF, "application/pdf", ".pdf")])
def test_accepted_types_are_stored_under_a_random_name_and_recorded(network, now, media, content, content_type, ext):
    n = network
    c = register(n, actor=n.village_clerk, handler=n.village_clerk)
    # The claimed type is ignored: what counts is what the bytes are.
    att = cs.concern_attach(actor=n.village_clerk, concern=c, version=c.version, file=upload(content, "x.bin", "text/plain"), kind="document_scan")
    assert att.content_type == content_type and att.size == len(content) and att.kind == "document_scan"
    assert att.sha256 == hashlib.sha256(content).hexdigest()
    folder, name = att.file.name.rsplit("/", 1)
    assert folder == f"attachments/{c.pk}/2026" and re.fullmatch(r"[0-9a-f]{32}" + re.escape(ext), name)
    assert (media / att.file.name).read_bytes() == content
    entry = RecordEntry.objects.filter(concern=c).latest("seq")
    assert entry.action == "concern.attach" and entry.actor_id == n.village_clerk.pk
    assert entry.payload["sha256"] == att.sha256 and entry.payload["size"] == len(content) and entry.payload["stored_name"] == att.file.name
    assert "x.bin" not in str(entry.payload)
    # Not a workflow step: the concern's version (and everybody's open form) is left alone.
    assert fresh(c).version == c.version


def test_the_uploaders_file_name_never_reaches_the_disk_or_the_book(network, now, media):
    n = network
    c = register(n, actor=n.village_clerk)
    att = cs.concern_attach(actor=n.village_clerk, concern=c, file=upload(JPEG, "韦小红身份证.jpg"), kind="other")
    assert att.original_name == "韦小红身份证.jpg"
    assert "韦小红" not in att.file.name and not any("韦小红" in str(p) for p in stored_files(media))
    assert "韦小红" not in str(RecordEntry.objects.filter(concern=c).latest("seq").payload)


@pytest.mark.parametrize("content,name,reason", [
    (b"just some text, not a photo", "photo.jpg", "file_type"),
    (b"GIF89a" + b"\x00" * 50, "anim.gif", "file_type"),
    (b"", "empty.jpg", "empty"),
    (JPEG + b"\x00" * 2000, "big.jpg", "too_big"),
])
def test_bad_files_are_refused_and_nothing_is_written(network, now, media, settings, content, name, reason):
    settings.HUIYING_ATTACHMENT_MAX_BYTES = 1000
    n = network
    c = register(n, actor=n.village_clerk)
    before = snapshot()
    with pytest.raises(ServiceError) as info:
        cs.concern_attach(actor=n.village_clerk, concern=c, file=upload(content, name), kind="other")
    assert info.value.field == "file" and info.value.code == reason
    assert snapshot() == before and stored_files(media) == []


def test_the_size_limit_comes_from_settings(network, now, settings):
    settings.HUIYING_ATTACHMENT_MAX_BYTES = len(JPEG)
    n = network
    c = register(n, actor=n.village_clerk)
    cs.concern_attach(actor=n.village_clerk, concern=c, file=upload(JPEG), kind="other")
    with pytest.raises(ServiceError, match="211"):
        cs.concern_attach(actor=n.village_clerk, concern=c, file=upload(JPEG + b"\x00"), kind="other")


def test_who_may_attach(network, now, media):
    n = network
    c = register(n, actor=n.village_clerk)
    # Strangers do not learn that the concern exists.
    for stranger in (n.far_clerk, n.other_township_staff, n.supervisor):
        with pytest.raises(NotFound):
            cs.concern_attach(actor=stranger, concern=c, file=upload(JPEG), kind="other")
    # Seeing is not enough: the county admin and the township see it but do not handle it.
    for onlooker in (n.county_admin, n.township_staff):
        with pytest.raises(Forbidden):
            cs.concern_attach(actor=onlooker, concern=c, file=upload(JPEG), kind="other")
    for handler in (n.village_clerk, n.village_clerk2, n.county_commander):
        cs.concern_attach(actor=handler, concern=c, file=upload(JPEG), kind="other")
    # A finished concern with nothing left to do takes no more files; the supervisor who
    # now sees it may not add any either.
    c = act(cs.concern_close_unresolved, actor=n.village_clerk, concern=c, outcome="withdrawn", reason="撤回")
    for user in (n.village_clerk, n.supervisor):
        with pytest.raises((Forbidden, NotFound)):
            cs.concern_attach(actor=user, concern=c, file=upload(JPEG), kind="other")
    assert stored_files(media) and len(stored_files(media)) == 3


def test_a_stale_version_and_a_bad_kind_are_refused(network, now, media):
    n = network
    c = register(n, actor=n.village_clerk)
    act(cs.concern_assign, actor=n.village_clerk, concern=c, handler=n.village_clerk)
    with pytest.raises(Conflict):
        cs.concern_attach(actor=n.village_clerk, concern=c, version=c.version, file=upload(JPEG), kind="other")
    with pytest.raises(ServiceError) as info:
        cs.concern_attach(actor=n.village_clerk, concern=c, file=upload(JPEG), kind="selfie")
    assert info.value.field == "kind"
    assert stored_files(media) == []


def mediation(n, c, **kw):
    args = {"held_at": clock.now(), "place": "村部", "parties": ["张三", "李四"], "mediators": ["王调解"], "summary": "双方陈述",
            "agreement": "各让一米", "agreement_reached": True}
    return act(cs.concern_record_mediation, actor=n.village_clerk, concern=c, **{**args, **kw})


def test_mediation_with_its_photo_is_one_action(network, now, media):
    n = network
    c = drive(n, register(n, actor=n.village_clerk), State.ON_SITE)
    session = mediation(n, c, photo=upload(JPEG, "协议.jpg"))
    att = Attachment.objects.get(concern=c)
    assert att.session == session and att.kind == "agreement_photo"
    last = list(RecordEntry.objects.filter(concern=c).order_by("-seq")[:2])
    assert [e.action for e in last] == ["concern.attach", "concern.record_mediation"]
    assert last[0].group == last[1].group


def test_a_bad_photo_refuses_the_session_and_a_refused_session_keeps_no_photo(network, now, media):
    n = network
    c = drive(n, register(n, actor=n.village_clerk), State.ON_SITE)
    before = snapshot()
    with pytest.raises(ServiceError) as info:
        mediation(n, c, photo=upload(b"not an image", "协议.jpg"))
    assert info.value.field == "photo"
    with pytest.raises(ServiceError) as info:
        mediation(n, c, parties=["张三"], photo=upload(JPEG))
    assert info.value.field == "parties"
    assert snapshot() == before and stored_files(media) == []


def test_a_step_failing_after_the_file_was_stored_leaves_no_file(network, now, media, monkeypatch):
    from huiying.concerns.services import attachments

    def broken(*args, **kwargs):
        raise RuntimeError("the book is on fire")

    monkeypatch.setattr(attachments, "record", broken)
    n = network
    c = drive(n, register(n, actor=n.village_clerk), State.ON_SITE)
    before = snapshot()
    for call in (lambda: mediation(n, c, photo=upload(JPEG)), lambda: cs.concern_attach(actor=n.village_clerk, concern=c, file=upload(JPEG), kind="other")):
        with pytest.raises(RuntimeError):
            call()
    assert snapshot() == before and stored_files(media) == []
