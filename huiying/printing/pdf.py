"""The toolkit every printable is made with: an embedded Chinese font, an A4 page frame,
QR codes and table styles. Other apps (board, reports) build their PDFs with it too.

    from huiying.printing import pdf

    story = [pdf.para("第一段", "body"), pdf.table(rows, widths=[…], header=True)]
    content: bytes = pdf.build(story, title="公示牌", unit=unit.name, period="2026-03")

- `FONT` is WenQuanYi Micro Hei, shipped in `fonts/` and embedded in every PDF (a subset,
  with a ToUnicode map so the text extracts and searches). reportlab's CID fonts
  (STSong-Light) would not be embedded: a phone or a print shop without them shows boxes.
  The font has one weight; headings are set larger rather than bold.
- `build(story, …)` lays out platypus flowables on A4 pages with a header (unit, title,
  period) and a footer ("printed on", page x / y) — the frame every printable shares.
- `qr(url, size)` is a flowable QR code (a PNG image, so a test can take it out of the PDF
  and decode it); `qr_png(url)` the PNG bytes.
- `para(text, style)`, `STYLES` and `table(rows, …)`: text and tables in the font, with the
  project's colours. Text given to `para` is escaped (it is plain text, not markup).
"""
import io
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Table, TableStyle

from huiying.core import clock

FONT = "WenQuanYiMicroHei"
FONT_FILE = Path(__file__).parent / "fonts" / "wqy-microhei.ttc"
PAGE = A4
MARGIN = 15 * mm
HEADER_H = 14 * mm  # room the header takes above the frame
FOOTER_H = 10 * mm

RED = colors.HexColor("#b3261e")
INK = colors.HexColor("#1d1b1a")
MUTED = colors.HexColor("#6b6461")
LINE = colors.HexColor("#d9d2cd")
PAPER = colors.HexColor("#faf7f5")


def register_fonts() -> str:
    """Register the embedded font once per process; returns its name."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        # Face 0 of the collection is the proportional Micro Hei (face 1 is the monospaced one).
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    return FONT


register_fonts()


def _style(name, size, *, leading=None, color=INK, **kw) -> ParagraphStyle:
    # wordWrap="CJK" breaks between any two Chinese characters (and still at spaces).
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=leading or size * 1.35, textColor=color, wordWrap="CJK", **kw)


STYLES = {
    "title": _style("title", 20, leading=26, spaceAfter=4 * mm),
    "heading": _style("heading", 13, leading=18, color=RED, spaceBefore=3 * mm, spaceAfter=2 * mm),
    "body": _style("body", 10.5),
    "cell": _style("cell", 9),
    "small": _style("small", 8, color=MUTED),
    "big": _style("big", 16, leading=22),
    "center": _style("center", 10.5, alignment=TA_CENTER),
}


def para(text, style: str = "body", **overrides) -> Paragraph:
    """A paragraph of plain `text` (escaped; newlines kept) in one of `STYLES`."""
    st = STYLES[style] if not overrides else ParagraphStyle(f"{style}-x", parent=STYLES[style], **overrides)
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), st)


def table_style(*, header: bool = True, zebra: bool = True, grid: bool = True) -> TableStyle:
    """The printables' table look: the font, a red header row, light rules, zebra rows."""
    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if grid:
        cmds.append(("GRID", (0, 0), (-1, -1), 0.4, LINE))
    if header:
        cmds += [("BACKGROUND", (0, 0), (-1, 0), RED), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white), ("VALIGN", (0, 0), (-1, 0), "MIDDLE")]
    if zebra:
        cmds.append(("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [colors.white, PAPER]))
    return TableStyle(cmds)


def table(rows: list[list], *, widths=None, header: bool = True, style: TableStyle | None = None, **kw) -> Table:
    """A table of `rows` (cells: strings, wrapped as "cell" paragraphs, or flowables); the
    header row repeats on every page."""
    def cell(value, r):
        if isinstance(value, str):
            return para(value, "cell", textColor=colors.white) if header and r == 0 else para(value, "cell")
        return value
    data = [[cell(v, r) for v in row] for r, row in enumerate(rows)]
    return Table(data, colWidths=widths, repeatRows=1 if header else 0, style=style or table_style(header=header), **kw)


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """The QR code of `url` as a black-on-white PNG, with its quiet zone."""
    out = io.BytesIO()
    # Error correction M: a card in a wallet or a poster on a damp wall still scans.
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr(url: str, size: float = 30 * mm) -> Image:
    """A flowable QR code of `url`, `size` points square."""
    return Image(io.BytesIO(qr_png(url)), width=size, height=size)


def qr_reader(url: str) -> ImageReader:
    """The QR code as an image a canvas can draw (`canvas.drawImage(qr_reader(url), …)`)."""
    return ImageReader(io.BytesIO(qr_png(url)))


def _numbered_canvas(frame: dict):
    """A canvas class that holds every page back until the end, so the footer can say
    "page x / y" once y is known."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            # Not Helvetica: a PDF should name no font it does not embed.
            kwargs["initialFontName"] = FONT
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                _draw_frame(self, frame, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_frame(c, frame: dict, page: int, total: int) -> None:
    width, height = frame["pagesize"]
    c.saveState()
    top = height - MARGIN
    c.setFillColor(RED)
    c.setFont(FONT, 12)
    c.drawString(MARGIN, top - 4 * mm, frame["title"])
    c.setFillColor(MUTED)
    c.setFont(FONT, 9)
    c.drawRightString(width - MARGIN, top - 4 * mm, frame["unit"])
    if frame["period"]:
        c.drawRightString(width - MARGIN, top - 8.5 * mm, frame["period"])
    c.setStrokeColor(RED)
    c.setLineWidth(0.8)
    c.line(MARGIN, top - 10 * mm, width - MARGIN, top - 10 * mm)
    bottom = MARGIN
    c.setStrokeColor(LINE)
    c.setLineWidth(0.4)
    c.line(MARGIN, bottom + 5 * mm, width - MARGIN, bottom + 5 * mm)
    c.setFont(FONT, 8)
    c.drawString(MARGIN, bottom + 1.5 * mm, frame["printed"])
    c.drawRightString(width - MARGIN, bottom + 1.5 * mm, _("Page %(page)s / %(pages)s") % {"page": page, "pages": total})
    c.restoreState()


def frame_box(pagesize=PAGE) -> tuple[float, float, float, float]:
    """(x, y, width, height) of the area between header and footer: where content goes."""
    width, height = pagesize
    return MARGIN, MARGIN + FOOTER_H, width - 2 * MARGIN, height - 2 * MARGIN - HEADER_H - FOOTER_H


def build(story: list, *, title: str, unit: str = "", period: str = "", pagesize=PAGE, author: str = "huiying") -> bytes:
    """Lay `story` (platypus flowables) out on pages with the shared header and footer;
    returns the PDF. `title` also becomes the document's title (what a viewer's tab shows)."""
    printed = _("Printed on %(when)s") % {"when": formats.date_format(timezone.localtime(clock.now()), "Y-m-d H:i")}
    frame = {"title": str(title), "unit": str(unit), "period": str(period), "printed": printed, "pagesize": pagesize}
    out = io.BytesIO()
    x, y, w, h = frame_box(pagesize)
    doc = SimpleDocTemplate(
        out, pagesize=pagesize, leftMargin=x, rightMargin=pagesize[0] - x - w, bottomMargin=y, topMargin=pagesize[1] - y - h,
        title=str(title), author=author, subject=" · ".join(p for p in (str(unit), str(period)) if p), creator="huiying",
    )
    doc.build(list(story), canvasmaker=_numbered_canvas(frame))
    return out.getvalue()
