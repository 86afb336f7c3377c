"""Files kept with a concern: photos of signed agreements, scanned documents.

Who may attach: whoever the workflow table lets act on the concern right now
(`access.allowed_actions` is not empty) — handler roles at the handling unit, or the county
commander, while there is a step to take. An attachment is evidence for a step, not a step:
it moves no state, has no place on the seven-step chart printed for the station's wall, and
does not bump the concern's version (so nobody's open form goes stale because a photo
arrived). Deriving the right from the table keeps one source for who may act.

A file is accepted by what it is, not by what it claims: the first bytes must be those of a
JPEG, PNG or PDF listed in settings.HUIYING_ATTACHMENT_TYPES, and it must not be larger
than settings.HUIYING_ATTACHMENT_MAX_BYTES. It is stored under a random name.
"""
import contextlib
import hashlib

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.core import clock
from huiying.core.errors import Conflict, Forbidden, NotFound, ServiceError
from huiying.records import book

from ..models import Attachment, AttachmentKind, Concern
from .common import require_choice

# Magic numbers of the accepted types, checked against the file's first bytes.
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
]


def sniff(head: bytes) -> str | None:
    """The content type the bytes say they are, or None."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def check_upload(file, field: str = "file") -> str:
    """Raise unless `file` is an accepted, non-empty file within the size limit; return its
    sniffed content type. Reads nothing beyond the first bytes."""
    if file is None or not hasattr(file, "read"):
        raise ServiceError(field, _("Choose a file."), code="required")
    size = getattr(file, "size", None)
    if not size:
        raise ServiceError(field, _("The file is empty."), code="empty")
    limit = settings.HUIYING_ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ServiceError(field, _("The file is larger than %(max)s."), code="too_big", params={"max": filesizeformat(limit)})
    file.seek(0)
    content_type = sniff(file.read(16))
    file.seek(0)
    if content_type is None or content_type not in settings.HUIYING_ATTACHMENT_TYPES:
        raise ServiceError(field, _("Only photos (JPEG, PNG) and PDF files are accepted."), code="file_type")
    return content_type


def store(*, concern: Concern, actor, file, content_type: str, kind: str, now, session=None) -> Attachment:
    """Write the file and its row. The caller has checked the file and the permission, and
    runs this inside its transaction (see `removed_on_error`)."""
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    att = Attachment(
        concern=concern, session=session, original_name=(getattr(file, "name", "") or "")[-200:], content_type=content_type,
        size=file.size, kind=kind, sha256=digest.hexdigest(), uploaded_by=actor, uploaded_at=now,
    )
    att.file.save("upload", file, save=False)  # the name comes from models.attachment_path
    try:
        att.save()
    except BaseException:
        att.file.storage.delete(att.file.name)
        raise
    return att


def record(att: Attachment, *, actor, unit_id: int, group=None) -> None:
    """The record-book entry of an attachment. It names the stored (random) file, never the
    uploader's file name: the book is shown to supervisors."""
    c = att.concern
    book.append(
        county_id=c.received_county_id, action="concern.attach", actor=actor, unit_id=unit_id, concern=c,
        from_state=c.state, to_state=c.state, at=att.uploaded_at, group=group,
        payload={"reference": c.reference, "attachment": att.id, "kind": att.kind, "content_type": att.content_type,
                 "size": att.size, "sha256": att.sha256, "stored_name": att.file.name},
    )


@contextlib.contextmanager
def removed_on_error():
    """Collect the attachments stored in the block; delete their files if the block fails.
    A file system is not transactional: without this a refused step would leave an orphan."""
    stored: list[Attachment] = []
    try:
        yield stored
    except BaseException:
        for att in stored:
            att.file.storage.delete(att.file.name)
        raise


def attaching_membership(user, concern: Concern):
    """The membership under which `user` may attach files to `concern`; Forbidden if none."""
    actions = access.allowed_actions(user, concern)
    if not actions:
        raise Forbidden("file", _("Only staff who handle this concern now may attach files to it."))
    return access.acting_membership(user, concern, actions[0])


def may_attach(user, concern: Concern) -> bool:
    return bool(access.allowed_actions(user, concern))


def concern_attach(*, actor, concern: Concern, file, kind: str = AttachmentKind.OTHER, version: int | None = None, now=None) -> Attachment:
    """Keep `file` with `concern`. With `version`, refuse if the concern changed since the
    caller read it (the version itself is left alone: attaching is not a workflow step)."""
    now = now or clock.now()
    with transaction.atomic(), removed_on_error() as stored:
        # Locked, so the right to attach is judged against the state a concurrent step leaves.
        c = Concern.objects.select_for_update().filter(pk=concern.pk).first()
        if c is None or not access.can_see_concern(actor, c):
            raise NotFound("concern", _("No such concern."))
        if version is not None and c.version != version:
            raise Conflict(c.version)
        membership = attaching_membership(actor, c)
        require_choice(kind, AttachmentKind, "kind")
        content_type = check_upload(file, "file")
        att = store(concern=c, actor=actor, file=file, content_type=content_type, kind=kind, now=now)
        stored.append(att)
        record(att, actor=actor, unit_id=membership.unit_id)
        return att
