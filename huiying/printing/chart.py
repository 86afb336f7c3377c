"""The workflow chart (工作流程图) on A4: the layout the web's SVG is drawn from
(`huiying.web.workflow_svg.chart_layout`), drawn with reportlab graphics. Nothing here
knows the workflow, and nothing is laid out twice: change the table and both change."""
import re

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Group, Path, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable

from huiying.web.workflow_svg import Layout, chart_layout

from . import pdf

# The one glyph of the SVG that WenQuanYi Micro Hei lacks.
GLYPHS = str.maketrans({"▸": "▶"})
ANCHOR = {"start": "start", "middle": "middle", "end": "end"}


def _color(value):
    return None if value in (None, "none") else colors.HexColor(value)


def drawing(layout: Layout, scale: float) -> Drawing:
    """The layout as a reportlab Drawing, `scale` points per chart unit. The chart's y axis
    grows downwards (SVG), the PDF's upwards: every y is flipped once, here."""
    h = layout.height
    d = Drawing(layout.width * scale, h * scale)
    g = Group()
    g.scale(scale, scale)
    for shape in layout.shapes:
        a = shape.attrs
        if shape.kind == "rect":
            g.add(Rect(a["x"], h - a["y"] - a["height"], a["width"], a["height"], rx=a.get("rx", 0), ry=a.get("rx", 0),
                       fillColor=_color(a.get("fill")), strokeColor=_color(a.get("stroke")), strokeWidth=a.get("stroke_width", 1)))
        elif shape.kind == "circle":
            g.add(Circle(a["cx"], h - a["cy"], a["r"], fillColor=_color(a.get("fill")), strokeColor=None))
        elif shape.kind == "path":
            p = Path(fillColor=_color(a.get("fill")), strokeColor=_color(a.get("stroke")), strokeWidth=a.get("stroke_width", 1))
            for op, x, y in re.findall(r"([MLZ])\s*(-?[\d.]+)?\s*(-?[\d.]+)?", a["d"]):
                if op == "M":
                    p.moveTo(float(x), h - float(y))
                elif op == "L":
                    p.lineTo(float(x), h - float(y))
                else:
                    p.closePath()
            g.add(p)
        elif shape.kind == "text":
            # One weight in the font: bold text is drawn with a thin outline of its own colour.
            bold = a.get("font_weight") == "bold"
            fill = _color(a.get("fill"))
            g.add(String(a["x"], h - a["y"], shape.text.translate(GLYPHS), fontName=pdf.FONT, fontSize=a.get("font_size", 12),
                         fillColor=fill, textAnchor=ANCHOR[a.get("text_anchor", "start")],
                         **({"strokeColor": fill, "strokeWidth": 0.4, "textRenderMode": 2} if bold else {})))
    d.add(g)
    return d


class _Chart(Flowable):
    """The chart scaled to the space the page frame leaves, whole, on one page."""

    def __init__(self, layout: Layout):
        super().__init__()
        self.layout = layout

    def wrap(self, avail_w, avail_h):
        self.scale = min(avail_w / self.layout.width, avail_h / self.layout.height)
        self.drawing = drawing(self.layout, self.scale)
        return self.drawing.width, self.drawing.height

    def draw(self):
        self.drawing.drawOn(self.canv, 0, 0)


def workflow_pdf(unit) -> bytes:
    title = _("%(unit)s · workflow chart") % {"unit": unit.name}
    layout = chart_layout(title)
    # hAlign: centred in the frame when the height is what limits the scale.
    chart = _Chart(layout)
    chart.hAlign = "CENTER"
    return pdf.build([chart], title=_("Workflow chart"), unit=unit.name)
