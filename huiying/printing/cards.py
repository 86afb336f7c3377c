"""Contact cards (亲民卡): a business card per staff member and per unit, printed eight to an
A4 sheet with dashed cut lines, each with a QR code to the unit's public page — the way a
villager reaches the unit's office, rules, board and self-service form."""
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, Table, TableStyle

from . import pdf

CARD_W, CARD_H = 90 * mm, 54 * mm  # the Chinese business card size
COLUMNS = 2
BAND_H = 8 * mm
QR_SIZE = 27 * mm


@dataclass
class CardText:
    """What one card says. `lines` are (label, value) pairs under the big `name`."""

    band: str
    name: str
    lines: list[tuple[str, str]]
    url: str


class Card(Flowable):
    """One card, drawn to its exact size; text too long for it is shrunk, never cut."""

    def __init__(self, text: CardText):
        super().__init__()
        self.text = text
        self.width, self.height = CARD_W, CARD_H

    def wrap(self, avail_w, avail_h):
        return CARD_W, CARD_H

    def draw(self):
        c, t = self.canv, self.text
        c.saveState()
        c.setFillColor(pdf.RED)
        c.rect(0, CARD_H - BAND_H, CARD_W, BAND_H, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont(pdf.FONT, 9)
        c.drawString(4 * mm, CARD_H - BAND_H + 2.7 * mm, t.band)
        qr_x, qr_y = CARD_W - QR_SIZE - 2.5 * mm, 6 * mm
        c.drawImage(pdf.qr_reader(t.url), qr_x, qr_y, QR_SIZE, QR_SIZE)
        c.setFillColor(pdf.MUTED)
        c.setFont(pdf.FONT, 6.5)
        c.drawCentredString(qr_x + QR_SIZE / 2, qr_y - 2.5 * mm, _("Scan: our page, your concern"))
        c.restoreState()
        text_w, text_h = qr_x - 6 * mm, CARD_H - BAND_H - 5 * mm
        story = [pdf.para(t.name, "big", spaceAfter=1.5 * mm)]
        story += [pdf.para(f"{label}{value}" if label else value, "cell") for label, value in t.lines if value]
        frame = KeepInFrame(text_w, text_h, story, mode="shrink")
        _w, h = frame.wrapOn(c, text_w, text_h)
        frame.drawOn(c, 4 * mm, CARD_H - BAND_H - 2.5 * mm - h)


def sheet(cards: list[CardText]) -> Table:
    """The cards side by side, two to a row, with dashed cut lines around each."""
    flow = [Card(t) for t in cards]
    rows = [flow[i:i + COLUMNS] for i in range(0, len(flow), COLUMNS)]
    if rows and len(rows[-1]) < COLUMNS:
        rows[-1] += [""] * (COLUMNS - len(rows[-1]))
    style = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, pdf.MUTED, None, (2, 2)),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ])
    return Table(rows, colWidths=[CARD_W] * COLUMNS, rowHeights=[CARD_H] * len(rows), style=style)


def unit_card_text(unit, *, url: str) -> CardText:
    return CardText(
        band=_("Contact card · %(network)s") % {"network": _("Villager concern response")},
        name=unit.name,
        lines=[
            ("", str(unit.get_level_display())),
            (_("Address: "), unit.address),
            (_("Opening hours: "), unit.opening_hours),
            (_("Telephone: "), unit.phone),
        ],
        url=url,
    )


def staff_card_text(unit, *, name: str, roles: list[str], phone: str, url: str) -> CardText:
    """`phone` is what may be printed: the member's own, or the unit's when theirs may not."""
    return CardText(
        band=_("Contact card · %(network)s") % {"network": _("Villager concern response")},
        name=name,
        lines=[("", "、".join(roles)), ("", unit.name), (_("Telephone: "), phone), (_("Opening hours: "), unit.opening_hours)],
        url=url,
    )


def cards_pdf(cards: list[CardText], *, title: str, unit) -> bytes:
    story = [sheet(cards)] if cards else [pdf.para(_("No staff recorded."), "body")]
    return pdf.build(story, title=title, unit=unit.name)
