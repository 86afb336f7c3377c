"""The duty roster (轮值表) of a unit for a month: one row per day, one column per staff
member, a mark where they are on duty — read from `network.DutyShift`, whoever wrote it."""
import calendar
import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm

from huiying.core import workdays
from huiying.network.models import STAFF_ROLES, DutyShift

from . import pdf

# Columns of people per table: more and the names no longer fit across A4; a large unit's
# roster continues in a second table below.
PEOPLE_PER_TABLE = 8
ON_DUTY = "●"


def roster_people(unit, shifts) -> list:
    """Who has a column: everyone on the roster this month, then the unit's other staff."""
    users = {s.user_id: s.user for s in shifts}
    for m in unit.memberships.filter(role__in=STAFF_ROLES).select_related("user"):
        users.setdefault(m.user_id, m.user)
    return sorted(users.values(), key=lambda u: (u.get_full_name() or u.username, u.username))


def month_shifts(unit, month: dt.date):
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return list(DutyShift.objects.filter(unit=unit, day__gte=month, day__lte=last).select_related("user"))


def _is_workday(day: dt.date) -> bool:
    try:
        return workdays.is_workday(day)
    except Exception:  # a year the holiday calendar does not cover: weekends only
        return day.weekday() < 5


def roster_pdf(unit, *, month: dt.date) -> bytes:
    shifts = month_shifts(unit, month)
    people = roster_people(unit, shifts)
    on = {(s.day, s.user_id) for s in shifts}
    days = [month.replace(day=d) for d in range(1, calendar.monthrange(month.year, month.month)[1] + 1)]
    period = formats.date_format(month, "YEAR_MONTH_FORMAT")
    story = [pdf.para(_("%(unit)s · duty roster, %(month)s") % {"unit": unit.name, "month": period}, "title")]
    if not people:
        story.append(pdf.para(_("Nobody is on this unit's roster this month."), "body"))
    weekday_names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    _x, _y, frame_w, _h = pdf.frame_box()
    for start in range(0, len(people), PEOPLE_PER_TABLE):
        group = people[start:start + PEOPLE_PER_TABLE]
        head = [_("Date"), _("Weekday")] + [u.get_full_name() or u.username for u in group]
        rows = [head]
        for day in days:
            rows.append([day.strftime("%m-%d"), weekday_names[day.weekday()]] + [ON_DUTY if (day, u.pk) in on else "" for u in group])
        rows.append([_("Number of days on duty"), ""] + [str(sum(1 for d in days if (d, u.pk) in on)) for u in group])
        fixed = 22 * mm + 14 * mm
        widths = [22 * mm, 14 * mm] + [(frame_w - fixed) / len(group)] * len(group)
        style = pdf.table_style(zebra=False)
        for i, day in enumerate(days, start=1):
            if not _is_workday(day):
                style.add("BACKGROUND", (0, i), (-1, i), pdf.PAPER)
                style.add("TEXTCOLOR", (0, i), (1, i), pdf.RED)
        style.add("ALIGN", (2, 1), (-1, -1), "CENTER")
        style.add("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)
        style.add("TOPPADDING", (0, 1), (-1, -1), 1.2)
        style.add("BOTTOMPADDING", (0, 1), (-1, -1), 1.2)
        table = pdf.table(rows, widths=widths, wrap=False, style=style)
        story += [table, pdf.para(" ", "small")]
    story.append(pdf.para(_("● on duty. Shaded rows are weekends and public holidays."), "small"))
    return pdf.build(story, title=_("Duty roster"), unit=unit.name, period=period)

