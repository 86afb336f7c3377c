"""Import of paper registers (纸质台账导入): past visits and concerns from a spreadsheet.

Every row is checked, and every row is written through the core services
(`visit_log`, `concern_register`, and the steps to its recorded outcome, with `now=` at the
row's historical time), each in a savepoint: a row the services refuse is reported with its
row number and column and the import goes on checking the rest. If any row failed, or for a
preview (`dry_run`), the whole transaction is rolled back: all or nothing. So the checks are
exactly the services' own, the figures count imported rows like any others, and the record
book stays one hash chain; each imported row also gets a `register.import` entry with
`{"imported": true, "source": file name, "row": n}` next to the services' entries.

Only staff (a handling role) of the unit imported into, or of a unit above it, may import,
and the services refuse rows for units the importer may not act in.
"""
import dataclasses
import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.concerns import events
from huiying.concerns import services as cs
from huiying.concerns.models import Channel, FeedbackMethod, Outcome, Villager
from huiying.concerns.workflow import HANDLERS, TRANSITIONS
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.core.tables import ImportFailed, RowError, file_error, read_table
from huiying.network.models import Level, Membership, Unit
from huiying.records import book

from .columns import COLUMNS
from .models import RegisterUpload, UploadStatus
from .parsing import Parser, Row

RECEIVED_AT = dt.time(9, 0)  # a paper register has days, not times
CLOSED_AT = dt.time(17, 0)
# Which column a service's refusal is about.
FIELD_COLUMN = {
    "visited_at": "date", "received_at": "date", "villagers": "name", "staff": "unit", "handler": "unit",
    "reason": "reason", "answer": "result", "method": "outcome", "version": "", "action": "", "concern": "",
}


@dataclasses.dataclass
class ImportResult:
    rows: int
    visits: int
    concerns: int
    villagers: int
    dry_run: bool


class _Rollback(Exception):
    pass


def _staff_for(actor, unit: Unit):
    """Who was on duty for a visit: the importer if they are staff of the unit, else the
    unit's first handling member (a visit is logged with a member of its unit)."""
    if Membership.objects.filter(user=actor, unit=unit, role__in=HANDLERS).exists():
        return actor
    m = Membership.objects.filter(unit=unit, role__in=HANDLERS, user__is_active=True).select_related("user").order_by("id").first()
    return m.user if m else None


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class _Writer:
    def __init__(self, actor, source: str):
        self.actor, self.source = actor, source
        self.visits = self.concerns = self.villagers = 0

    def villager(self, r: Row, at) -> Villager | None:
        if not r.name:
            return None
        existing = None
        if r.id_number:
            existing = Villager.objects.filter(id_number=r.id_number).select_related("hamlet__village").first()
            if existing is not None and existing.hamlet.village.county_id != r.unit.county_id:
                raise ServiceError("id_number", _("A villager with this ID card number is registered in another county."))
        if existing is None:
            match = Q(name=r.name, hamlet=r.hamlet) & (Q(phone=r.phone) if r.phone else Q(phone="", id_number=""))
            existing = Villager.objects.filter(match).order_by("id").first() if not r.id_number else None
        if existing is not None:
            return existing
        self.villagers += 1
        return cs.villager_create(actor=self.actor, name=r.name, hamlet=r.hamlet, phone=r.phone, id_number=r.id_number, now=at)

    def write(self, r: Row) -> None:
        at = _at(r.date, RECEIVED_AT)
        group = uuid.uuid4()
        with clock.frozen(at):
            villager = self.villager(r, at)
            villagers = [villager] if villager else []
            spec = dict(function=r.function, summary=r.summary, track=r.track, details=r.details, villagers=villagers, hamlet=r.hamlet)
            visit = concern = None
            if r.channel == Channel.VISIT:
                staff = _staff_for(self.actor, r.unit)
                if staff is None:
                    raise ServiceError("staff", _("%(unit)s has no staff to have received the visit."), params={"unit": r.unit.name})
                visit = cs.visit_log(actor=self.actor, unit=r.unit, visitor_count=r.visitor_count or max(1, len(villagers)), villagers=villagers,
                                     staff=staff, visited_at=at, concerns=[spec] if r.summary else [], now=at)
                self.visits += 1
                concern = visit.concerns.order_by("id").first()
            else:
                concern = cs.concern_register(actor=self.actor, unit=r.unit, channel=r.channel, received_at=at, now=at, group=group, **spec)
        if concern is not None:
            self.concerns += 1
            concern = self._outcome(r, concern)
        book.append(county_id=r.unit.county_id, action="register.import", actor=self.actor, unit_id=r.unit.id, concern=concern, visit=visit,
                    group=group, payload={"imported": True, "source": self.source, "row": r.n})

    def _outcome(self, r: Row, concern):
        if not r.outcome:
            return concern
        # The steps to the outcome are the importer's own in the record book: someone who
        # may not take them on this concern cannot record them from paper either.
        if access.acting_membership(self.actor, concern, TRANSITIONS["close_unresolved"]) is None:
            raise ServiceError("outcome", _("Only staff of %(unit)s or the county HQ's commander record this concern's outcome; let them import this row."),
                               params={"unit": concern.handling_unit.name})
        closed = _at(r.date_resolved or r.date, CLOSED_AT)
        with clock.frozen(closed):
            if r.outcome == Outcome.RESOLVED:
                handler = _staff_for(self.actor, concern.handling_unit) or self.actor
                concern = cs.concern_assign(actor=self.actor, concern=concern, version=concern.version, handler=handler, now=closed)
                concern = cs.concern_resolve(actor=self.actor, concern=concern, version=concern.version, result=r.result, now=closed)
                return cs.concern_feedback(actor=self.actor, concern=concern, version=concern.version, method=FeedbackMethod.IN_PERSON, now=closed)
            return cs.concern_close_unresolved(actor=self.actor, concern=concern, version=concern.version, outcome=r.outcome, reason=r.reason, now=closed)


def _column_of(parser: Parser, field: str) -> str:
    field = field.split(".")[-1]  # "concerns.0.summary" → "summary"
    key = FIELD_COLUMN.get(field, field)
    return parser.column(key) if key in COLUMNS else ""


def register_import(*, actor, unit: Unit, path=None, table: list[tuple[int, list[str]]] | None = None, source: str = "",
                    dry_run: bool = False, sheet: str | None = None) -> ImportResult:
    """Check every row of a paper register and import it into `unit`'s subtree — all rows or
    none (ImportFailed with every error, row and column named). `dry_run`: check only."""
    if not isinstance(unit, Unit) or unit.level == Level.DEPARTMENT:
        raise ServiceError("unit", _("Import into a county, township, village station or hamlet point."))
    access.check_unit_access(actor, unit, roles=HANDLERS)
    rows = table if table is not None else read_table(path, sheet=sheet)
    source = (source or (str(path).rsplit("/", 1)[-1] if path else ""))[:200]
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise file_error(_("The file is empty."))
    (_h, headers), body = rows[0], rows[1:]
    # The template's example row is marked so; it is not imported.
    body = [(n, cells) for n, cells in body if not (cells and cells[0].startswith(("示例", "Example")))]
    if not body:
        raise file_error(_("The file has a header row but no rows to import."))
    if len(body) > settings.HUIYING_REGISTER_MAX_ROWS:
        raise file_error(_("At most %(n)s rows per file; split the register."), n=settings.HUIYING_REGISTER_MAX_ROWS)
    parser = Parser(unit, headers, clock.today())
    missing = parser.missing_columns()
    if missing:
        raise ImportFailed(missing)
    parsed = [parser.row(n, cells) for n, cells in body]
    writer = _Writer(actor, source)
    errors = list(parser.errors)
    try:
        # A paper register is history: its villagers were answered at the time, so nobody is
        # texted and no integration hears of these concerns as new (events.quiet).
        with transaction.atomic(), events.quiet():
            for r in parsed:
                if r is None:
                    continue
                try:
                    with transaction.atomic():
                        writer.write(r)
                except ServiceError as e:
                    errors.append(RowError(r.n, _column_of(parser, e.field), e.code, str(e.text)))
            if errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if errors:
        errors.sort(key=lambda e: (e.row, e.column))
        raise ImportFailed(errors)
    return ImportResult(rows=len(body), visits=writer.visits, concerns=writer.concerns, villagers=writer.villagers, dry_run=dry_run)


def describe(result: ImportResult) -> str:
    return _gettext("%(rows)s rows: %(visits)s visits, %(concerns)s concerns, %(villagers)s new villagers.") % dataclasses.asdict(result)


# --- uploads: check first, import on confirmation (the page and the API) ---------------

UPLOAD_DIR = "registers"


def _upload_result(upload, result: ImportResult | None, errors: list[RowError]) -> None:
    upload.summary = dataclasses.asdict(result) if result else {}
    upload.errors = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]


@transaction.atomic
def register_upload(*, actor, unit: Unit, data: bytes, filename: str, now: dt.datetime | None = None) -> RegisterUpload:
    """Keep an uploaded register and check every row (nothing is imported yet). The upload
    says whether it is ready, or lists every error."""
    if not isinstance(unit, Unit):
        raise ServiceError("unit", _("Choose the unit to import into."), code="required")
    access.check_unit_access(actor, unit, roles=HANDLERS)
    if not isinstance(data, bytes) or not data:
        raise ServiceError("file", _("Choose a file."), code="required")
    if len(data) > settings.HUIYING_REGISTER_MAX_BYTES:
        raise ServiceError("file", _("The file is larger than %(mb)s MB."), params={"mb": settings.HUIYING_REGISTER_MAX_BYTES // (1024 * 1024)})
    filename = (str(filename or "").replace("\\", "/").rsplit("/", 1)[-1] or "register.xlsx")[:200]
    upload = RegisterUpload.objects.create(owner=actor, unit=unit, filename=filename, status=UploadStatus.INVALID, created_at=now or clock.now())
    relative = f"{UPLOAD_DIR}/{actor.pk}/{upload.pk}{'.csv' if filename.lower().endswith('.csv') else '.xlsx'}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    upload.file = relative
    try:
        result = register_import(actor=actor, unit=unit, path=path, source=filename, dry_run=True)
    except ImportFailed as failed:
        _upload_result(upload, None, failed.errors)
    else:
        _upload_result(upload, result, [])
        upload.status = UploadStatus.READY
    upload.save()
    return upload


def register_upload_get(user, pk) -> RegisterUpload:
    """The upload, if `user` made it; NotFound otherwise."""
    upload = RegisterUpload.objects.filter(pk=pk, owner=user).select_related("unit").first() if user is not None and user.is_authenticated else None
    if upload is None:
        raise NotFound("upload", _("No such upload."))
    return upload


@transaction.atomic
def register_confirm(*, actor, upload, now: dt.datetime | None = None) -> RegisterUpload:
    """Import a checked upload (its owner only). Checked again as it is written: if the
    network changed since, nothing is imported and the upload lists the new errors."""
    upload = register_upload_get(actor, upload.pk)
    if upload.status != UploadStatus.READY:
        raise ServiceError("status", _("Only a checked upload without errors is imported, once."))
    path = Path(settings.MEDIA_ROOT) / upload.file
    try:
        result = register_import(actor=actor, unit=upload.unit, path=path, source=upload.filename)
    except ImportFailed as failed:
        _upload_result(upload, None, failed.errors)
        upload.status = UploadStatus.INVALID
        upload.save()
        return upload
    _upload_result(upload, result, [])
    upload.status, upload.imported_at, upload.file = UploadStatus.IMPORTED, now or clock.now(), ""
    upload.save()
    path.unlink(missing_ok=True)
    return upload
