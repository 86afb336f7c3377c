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

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.concerns import services as cs
from huiying.concerns.models import Channel, FeedbackMethod, Outcome, Villager
from huiying.concerns.validators import clean_id_number, clean_phone
from huiying.concerns.workflow import HANDLERS, TRANSITIONS
from huiying.core import clock
from huiying.core.errors import ServiceError
from huiying.core.tables import ImportFailed, RowError, file_error, read_table
from huiying.network.models import Hamlet, Level, Membership, Unit
from huiying.network.selectors import subtree_q
from huiying.records import book

from .columns import COLUMNS, LOOKUPS, OUTCOMES, PENDING_WORDS, column_index, header, norm, parse_date

RECEIVED_AT = dt.time(9, 0)  # a paper register has days, not times
CLOSED_AT = dt.time(17, 0)
# Which column a service's refusal is about.
FIELD_COLUMN = {
    "visited_at": "date", "received_at": "date", "villagers": "name", "staff": "unit", "handler": "unit",
    "reason": "reason", "answer": "result", "method": "outcome", "version": "", "action": "", "concern": "",
}


@dataclasses.dataclass
class Row:
    n: int
    date: dt.date
    unit: Unit
    hamlet: Hamlet | None
    name: str
    phone: str
    id_number: str
    visitor_count: int | None
    channel: str
    function: str
    track: str
    summary: str
    details: str
    outcome: str
    reason: str
    result: str
    date_resolved: dt.date | None


@dataclasses.dataclass
class ImportResult:
    rows: int
    visits: int
    concerns: int
    villagers: int
    dry_run: bool


class _Rollback(Exception):
    pass


def _cell(cells: list[str], index: dict[str, int], key: str) -> str:
    i = index.get(key)
    return cells[i].strip() if i is not None and i < len(cells) else ""


class _Parser:
    def __init__(self, unit: Unit, headers: list[str], today: dt.date):
        self.unit, self.today = unit, today
        self.index = column_index(headers)
        self.headers = headers
        self.lookups = {k: f() for k, f in LOOKUPS.items()}
        self.units = {}
        for u in Unit.objects.filter(subtree_q(unit)).exclude(level=Level.DEPARTMENT):
            for name in {u.code, u.name} - {""}:
                self.units.setdefault(name, []).append(u)
        self.errors: list[RowError] = []

    def column(self, key: str) -> str:
        i = self.index.get(key)
        return self.headers[i] if i is not None else header(key)

    def error(self, n: int, key: str, message, **params) -> None:
        text = str(message) % params if params else str(message)
        self.errors.append(RowError(n, self.column(key) if key else "", "invalid", text))

    def missing_columns(self) -> list[RowError]:
        return [RowError(1, header(k), "missing", str(_("This column is missing from the header row.")))
                for k, (_t, _a, required, _n) in COLUMNS.items() if required and k not in self.index]

    def choice(self, n: int, key: str, text: str, default: str = "") -> str:
        if not text:
            return default
        value = self.lookups[key].get(norm(text))
        if value is None:
            self.error(n, key, _("“%(value)s” is not one of the values listed in the notes sheet."), value=text)
            return ""
        return value

    def row(self, n: int, cells: list[str]) -> Row | None:
        get = lambda k: _cell(cells, self.index, k)  # noqa: E731
        before = len(self.errors)
        day = parse_date(get("date"))
        if not get("date"):
            self.error(n, "date", _("This field is required."))
        elif day is None:
            self.error(n, "date", _("Not a date: write it as 2025-03-18."))
        elif day > self.today:
            self.error(n, "date", _("A register records the past: this date is in the future."))
        unit = self.unit
        if get("unit"):
            found = self.units.get(get("unit"), [])
            if len(found) != 1:
                self.error(n, "unit", _("No unit “%(unit)s” in %(top)s.") if not found else _("Several units are called “%(unit)s”; use the 12-digit code."),
                           unit=get("unit"), top=self.unit.name)
                unit = None
            else:
                unit = found[0]
        hamlet = None
        if get("hamlet") and unit is not None:
            villages = Unit.objects.filter(subtree_q(unit), level=Level.VILLAGE) if unit.level in (Level.COUNTY, Level.TOWNSHIP) else None
            qs = Hamlet.objects.filter(name=get("hamlet")).select_related("village", "point")
            if villages is not None:
                qs = qs.filter(village__in=villages)
            else:
                qs = qs.filter(village_id=unit.village_id)
            hamlets = list(qs[:2])
            if len(hamlets) != 1:
                self.error(n, "hamlet", _("No hamlet “%(hamlet)s” served by %(unit)s.") if not hamlets else _("Several hamlets are called “%(hamlet)s”; give the village station in the unit column."),
                           hamlet=get("hamlet"), unit=unit.name)
            else:
                hamlet = hamlets[0]
        count = None
        if get("visitor_count"):
            try:
                count = int(get("visitor_count"))
                if count < 1:
                    raise ValueError
            except ValueError:
                self.error(n, "visitor_count", _("A whole number of at least 1."))
        channel = self.choice(n, "channel", get("channel"), Channel.VISIT)
        summary = get("summary")
        function = self.choice(n, "function", get("function"))
        track = self.choice(n, "track", get("track"))
        if summary:
            for key, value in (("function", function), ("track", track)):
                if not value and not get(key):
                    self.error(n, key, _("Required for a concern."))
        elif channel != Channel.VISIT:
            self.error(n, "summary", _("Only a visit is recorded without a concern: give the summary."))
        outcome = ""
        if get("outcome").lower() not in PENDING_WORDS:
            outcome = self.choice(n, "outcome", get("outcome"))
        if outcome and not summary:
            self.error(n, "outcome", _("An outcome belongs to a concern: give the summary."))
        if outcome == Outcome.RESOLVED and not get("result"):
            self.error(n, "result", _("Say what was done for a resolved concern."))
        if outcome in OUTCOMES and outcome != Outcome.RESOLVED and not get("reason"):
            self.error(n, "reason", _("An outcome other than resolved needs its reason."))
        resolved = None
        if get("date_resolved"):
            resolved = parse_date(get("date_resolved"))
            if resolved is None:
                self.error(n, "date_resolved", _("Not a date: write it as 2025-03-18."))
            elif not outcome:
                self.error(n, "date_resolved", _("A pending concern has no date resolved."))
            elif day and resolved < day:
                self.error(n, "date_resolved", _("Resolved before it was received."))
            elif resolved > self.today:
                self.error(n, "date_resolved", _("A register records the past: this date is in the future."))
        if (get("name") or get("phone") or get("id_number")) and hamlet is None and not get("hamlet"):
            self.error(n, "hamlet", _("A villager is registered with their hamlet."))
        if not get("name") and (get("phone") or get("id_number")):
            self.error(n, "name", _("Give the villager's name with their phone or ID card number."))
        phone = id_number = ""
        try:
            phone = clean_phone(get("phone"))
        except ServiceError as e:
            self.error(n, "phone", e.text)
        try:
            id_number = clean_id_number(get("id_number"))
        except ServiceError as e:
            self.error(n, "id_number", e.text)
        if len(self.errors) > before:
            return None
        return Row(n, day, unit, hamlet, get("name"), phone, id_number, count, channel, function, track, summary,
                   get("details"), outcome, get("reason"), get("result"), resolved)


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


def _column_of(parser: _Parser, field: str) -> str:
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
    parser = _Parser(unit, headers, clock.today())
    missing = parser.missing_columns()
    if missing:
        raise ImportFailed(missing)
    parsed = [parser.row(n, cells) for n, cells in body]
    writer = _Writer(actor, source)
    errors = list(parser.errors)
    try:
        with transaction.atomic():
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
