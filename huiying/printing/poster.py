"""The notice-board poster (公示牌) of a unit for a period, A4: the results posted on its
board and its subtree's (`huiying.board.selectors.posted_items`, already anonymised by the
board — nothing here reads a concern, so no name, phone number or confidential concern can
reach the paper)."""
import datetime as dt

from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from huiying.board.selectors import posted_items

from . import pdf
from .recordbook import period_text


def poster_pdf(unit, *, start: dt.date, end: dt.date) -> bytes:
    items = posted_items(unit, start=start, end=end)
    period = period_text(start, end)
    story = [
        pdf.para(_("%(unit)s · public notice board") % {"unit": unit.name}, "title"),
        pdf.para(_("Results of villagers' concerns posted from %(start)s to %(end)s.") % {"start": start.isoformat(), "end": end.isoformat()}, "body"),
        pdf.para(_("If you disagree with a result, you may object before its objection deadline: at the office, by telephone %(phone)s, or on the unit's page.") % {"phone": unit.phone or "—"}, "body", spaceAfter=3 * mm),
    ]
    if items:
        rows = [[_("Reference"), _("Hamlet"), _("Kind and track"), _("What it was about"), _("Result"), _("Posted / objections until")]]
        for it in items:
            hamlet = it.hamlet_name or (it.unit_name if it.unit_name != unit.name else "")
            until = it.objection_until.isoformat() if it.objection_until else ""
            rows.append([it.reference, hamlet, f"{it.function_label}\n{it.track_label}", it.summary, it.result, f"{it.posted_on.isoformat()}\n{until}"])
        # A reference and a date are never broken across lines.
        story.append(pdf.table(rows, widths=[28 * mm, 16 * mm, 24 * mm, 38 * mm, 52 * mm, 22 * mm]))
    else:
        story.append(pdf.para(_("Nothing was posted in this period."), "body"))
    return pdf.build(story, title=_("Public notice board"), unit=unit.name, period=period)
