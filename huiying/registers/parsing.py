"""Reading a paper register's rows: each cell checked, labels made codes, units and hamlets
found in the unit imported into. What the services check themselves is left to them."""
import dataclasses
import datetime as dt

from django.utils.translation import gettext_lazy as _

from huiying.concerns.models import Channel, Outcome
from huiying.concerns.validators import clean_id_number, clean_phone
from huiying.core.errors import ServiceError
from huiying.core.tables import RowError
from huiying.network.models import Hamlet, Level, Unit
from huiying.network.selectors import subtree_q

from .columns import COLUMNS, LOOKUPS, OUTCOMES, PENDING_WORDS, column_index, header, norm, parse_date


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


def _cell(cells: list[str], index: dict[str, int], key: str) -> str:
    i = index.get(key)
    return cells[i].strip() if i is not None and i < len(cells) else ""


class Parser:
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


