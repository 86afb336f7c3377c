"""The notice-board poster (公示牌) of a unit for a period, A4: the results posted on its
public board (`huiying.board.selectors.posted_items`, already anonymised by the board —
nothing here adds a name, a phone number or a confidential concern)."""
import datetime as dt

from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from huiying.core.errors import ServiceError

from . import pdf
from .recordbook import period_text


def _items(unit, start: dt.date, end: dt.date) -> list:
    try:
        from huiying.board.selectors import posted_items
    except ImportError:  # the board is another part of the system; without it there is no poster
        raise ServiceError("kind", _("The public notice board is not installed: there is nothing to post.")) from None
    return list(posted_items(unit, start=start, end=end))


def _field(item, name: str):
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _date(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else (str(value) if value else "")


def poster_pdf(unit, *, start: dt.date, end: dt.date) -> bytes:
    items = _items(unit, start, end)
    period = period_text(start, end)
    story = [
        pdf.para(_("%(unit)s · public notice board") % {"unit": unit.name}, "title"),
        pdf.para(_("Results of villagers' concerns posted from %(start)s to %(end)s.") % {"start": start.isoformat(), "end": end.isoformat()}, "body"),
        pdf.para(_("If you disagree with a result, you may object before its objection deadline: at the office, by telephone %(phone)s, or on the unit's page.") % {"phone": unit.phone or "—"}, "body", spaceAfter=3 * mm),
    ]
    if items:
        rows = [[_("Reference"), _("Hamlet"), _("Track"), _("What it was about"), _("Result"), _("Posted"), _("Objections until")]]
        for it in items:
            rows.append([
                str(_field(it, "reference") or ""), str(_field(it, "hamlet_name") or ""), str(_field(it, "track_label") or ""),
                str(_field(it, "public_summary") or ""), str(_field(it, "public_result") or ""),
                _date(_field(it, "posted_on")), _date(_field(it, "objection_deadline")),
            ])
        story.append(pdf.table(rows, widths=[24 * mm, 16 * mm, 20 * mm, 44 * mm, 44 * mm, 16 * mm, 16 * mm]))
    else:
        story.append(pdf.para(_("Nothing was posted in this period."), "body"))
    return pdf.build(story, title=_("Public notice board"), unit=unit.name, period=period)
