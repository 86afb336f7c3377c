"""The work record book (一本工作记录) of a unit for a period, on paper: the same entries, in
the same order and with the same words as the web's record-book page (the same selector,
so the same confidential rule), each with its number in the county's book and its chain
hash abbreviated, so a printed page can be checked against the database and
`huiying verify-records`."""
import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from huiying.records.selectors import readable_rows, record_book
from huiying.web.views.units import BOOK_PRINT_MAX

from . import pdf

HASH_DIGITS = 10


def period_text(start: dt.date, end: dt.date) -> str:
    return _("From %(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}


def _details(row) -> str:
    texts = list(row["texts"])
    if row["visitors"]:
        texts.insert(0, _("%(n)s visitors") % {"n": row["visitors"]})
    return "；".join(texts)


def records_pdf(user, unit, *, start: dt.date, end: dt.date) -> bytes:
    """`user` is the reader: entries of confidential concerns they may not see are left
    out, exactly as on the web page. The caller checks `access.can_read_record_book`."""
    entries = list(record_book(user, unit, date_from=start, date_to=end)[: BOOK_PRINT_MAX + 1])
    truncated = len(entries) > BOOK_PRINT_MAX
    rows = readable_rows(entries[:BOOK_PRINT_MAX])
    period = period_text(start, end)
    story = [pdf.para(_("%(unit)s · record book") % {"unit": unit.name}, "title"), pdf.para(period, "body", spaceAfter=3 * mm)]
    if truncated:
        story.append(pdf.para(_("The period is too long to print at once; only its first entries are shown. Choose a shorter period."), "body", textColor=pdf.RED))
    if rows:
        table = [[_("No."), _("Time"), _("Unit"), _("By"), _("What happened"), _("Concern"), _("Details"), _("Hash")]]
        for r in rows:
            e = r["entry"]
            what = r["label"] + (f"（{r['from_state']} → {r['to_state']}）" if r["moved"] else "")
            table.append([
                str(e.seq), formats.date_format(timezone.localtime(e.at), "Y-m-d\nH:i"), e.unit.name if e.unit_id else "—",
                e.actor_name or "—", str(what), r["reference"] or "", _details(r), e.hash[:HASH_DIGITS],
            ])
        # Wide enough that a number, a date, a reference and a hash are never broken.
        widths = [12 * mm, 19.5 * mm, 20 * mm, 14 * mm, 29 * mm, 28 * mm, 35 * mm, 22 * mm]
        story.append(pdf.table(table, widths=widths))
    else:
        story.append(pdf.para(_("No entries in this period."), "body"))
    story.append(pdf.para(
        _("Entries are numbered in the county's book, so the numbers of one unit's book are not consecutive. "
          "The hash column shows the first %(n)s of the 64 hexadecimal digits of each entry's chain hash; "
          "huiying verify-records recomputes the chain.") % {"n": HASH_DIGITS},
        "small", spaceBefore=3 * mm))
    return pdf.build(story, title=_("Work record book"), unit=unit.name, period=period)
