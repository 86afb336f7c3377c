"""The workflow chart (一张工作流程图) as SVG, drawn from the transition table.

Nothing here knows the workflow: the seven steps come from `Step.ORDER`, the states of
each step from `STATE_STEP`, the actions of each step from `TRANSITIONS`, and the tracks
from `Track`. Change the table and the chart on every station's wall changes with it.

`chart_layout` lays the chart out once (shapes with positions); `workflow_svg` writes it as
SVG and `huiying.printing` draws the same layout into a PDF.

The drawing is one band per step, top to bottom: the step (numbered, on the left, joined
by arrows — the flow a villager's concern follows), the states the concern can be in
during that step, and the actions taken in it with where they start and end. The six
tracks and their time limits close the chart.

Labels are translated in the active language (Chinese by default). The SVG is built with
ElementTree, so any text is escaped and the result is well-formed XML. Text widths are
estimated (CJK characters one em, others about half), which is enough to wrap lines on
separators without ever splitting a state's or an action's name.
"""
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from huiying.concerns import deadlines
from huiying.concerns.models import State, Track
from huiying.concerns.workflow import STATE_STEP, TRANSITIONS, Step

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)  # serialise as plain <svg xmlns="…">, not <ns0:svg>
FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif"
WIDTH = 800
MARGIN = 16
STEP_W = 150
RIGHT_X = MARGIN + STEP_W + 16
RIGHT_W = WIDTH - RIGHT_X - MARGIN
COLUMN_GAP = 16
COLUMN_W = (RIGHT_W - COLUMN_GAP) // 2
RED, INK, MUTED, LINE, PAPER = "#b3261e", "#1d1b1a", "#6b6461", "#d9d2cd", "#faf7f5"
STATE_FILL = {State.ESCALATED: "#fde8c8", State.REGISTERED: "#fde8c8", State.SUPERVISION: "#dcefe2", State.POSTED: "#dcefe2", State.CLOSED: "#e8e8e8"}


def text_width(text: str, size: float) -> float:
    return sum(size if ord(ch) >= 0x2E80 else size * 0.56 for ch in text)


def wrap(pieces: list[str], size: float, width: float, *, sep: str) -> list[str]:
    """Greedy lines of `pieces` joined by `sep`, each at most `width` wide where possible;
    a piece is never split."""
    lines: list[str] = []
    for piece in pieces:
        if lines and text_width(lines[-1] + sep + piece, size) <= width:
            lines[-1] += sep + piece
        else:
            if lines:
                lines[-1] += sep.rstrip()
            lines.append(piece)
    return lines


def _sep() -> str:
    return "、" if (translation.get_language() or "").startswith("zh") else ", "


def _state_names(states) -> list[str]:
    order = list(State)
    return [str(State(s).label) for s in sorted(states, key=order.index)]


def _limit(track: str) -> str:
    days = deadlines.track_limit(track)
    if days == 0:
        return _("the same working day")
    return _("%(days)s working days") % {"days": days}


def track_limits() -> list[tuple[str, str]]:
    """The six tracks, in order, with their time limits (configurable, in working days)."""
    return [(str(track.label), _limit(track)) for track in Track]


def transition_lines(t) -> list[tuple[str, str]]:
    """(kind, text) lines describing transition `t`: its label, then where it goes."""
    sep = _sep()
    if t.target is not None:
        to = [str(State(t.target).label)]
    else:
        to = [_("state unchanged")] + _state_names(t.targets)
    lines = [("label", str(t.label))]
    flow = wrap(_state_names(t.sources), 12, COLUMN_W - 12, sep=sep)
    arrow = "→ " + " / ".join(to)
    if text_width(f"{flow[-1]} {arrow}", 12) <= COLUMN_W - 12:
        flow[-1] = f"{flow[-1]} {arrow}"
    else:
        flow.append(arrow)
    lines += [("flow", line) for line in flow]
    if t.tracks is not None:
        tracks = [str(Track(x).label) for x in sorted(t.tracks, key=list(Track).index)]
        tracks[0] = _("Only for: %(track)s") % {"track": tracks[0]}
        lines += [("note", line) for line in wrap(tracks, 12, COLUMN_W - 12, sep=sep)]
    for _check, reason in t.guards:
        lines += [("note", line) for line in wrap_text(str(reason), 12, COLUMN_W - 12)]
    return lines


def wrap_text(text: str, size: float, width: float) -> list[str]:
    """Wrap running text: Chinese between any two characters, other text between words."""
    if any(ord(ch) >= 0x2E80 for ch in text):
        return wrap(list(text), size, width, sep="")
    return wrap(text.split(" "), size, width, sep=" ")


def chart_rows() -> list[dict]:
    """One row per step, in order: its label, its states and its transitions' lines."""
    rows = []
    for number, step in enumerate(Step.ORDER, start=1):
        rows.append({
            "number": number,
            "label": str(Step.LABELS[step]),
            "step_lines": wrap_text(str(Step.LABELS[step]), 15, STEP_W - 50),
            "states": [s for s in State if STATE_STEP[s] == step],
            "transitions": [transition_lines(t) for t in TRANSITIONS.values() if t.step == step],
        })
    return rows


@dataclass
class Shape:
    """One thing drawn on the chart, in the chart's units (y grows downwards): a "rect",
    "circle", "text" or "path" (M/L/Z commands), with SVG attribute names written with
    underscores (font_size, text_anchor, stroke_width)."""

    kind: str
    attrs: dict
    text: str | None = None


@dataclass
class Layout:
    """The chart laid out: what the SVG here and the printed PDF (huiying.printing) draw."""

    title: str
    width: int
    height: int
    shapes: list[Shape] = field(default_factory=list)


class _Canvas:
    def __init__(self):
        self.shapes: list[Shape] = []

    def add(self, kind: str, text: str | None = None, **attrs) -> Shape:
        shape = Shape(kind, attrs, text)
        self.shapes.append(shape)
        return shape

    def text(self, x, y, text: str, *, size=12, fill=INK, weight="normal", anchor="start"):
        return self.add("text", text, x=x, y=y, font_size=size, fill=fill, font_weight=weight, text_anchor=anchor)


LINE_H = {"label": 18, "flow": 16, "note": 16}


def _transitions_height(transitions: list) -> tuple[int, list[tuple[int, int]]]:
    """Lay transitions out in two columns, filling the shorter one; (height, positions)."""
    heights = [sum(LINE_H[k] for k, _t in lines) + 8 for lines in transitions]
    cols, places = [0, 0], []
    for h in heights:
        col = 0 if cols[0] <= cols[1] else 1
        places.append((col, cols[col]))
        cols[col] += h
    return max(cols), places


def _draw_states(cv: _Canvas, states, y: int) -> int:
    x = RIGHT_X
    for s in states:
        label = str(State(s).label)
        w = text_width(label, 13) + 20
        if x + w > RIGHT_X + RIGHT_W and x > RIGHT_X:
            x, y = RIGHT_X, y + 30
        cv.add("rect", x=x, y=y, width=round(w), height=24, rx=12, fill=STATE_FILL.get(s, "#ffffff"), stroke=INK, stroke_width=1)
        cv.text(round(x + w / 2), y + 17, label, size=13, anchor="middle", weight="bold")
        x += w + 10
    return y + 24


def chart_layout(title: str) -> Layout:
    """The chart for the unit named `title`, laid out: positions, sizes and texts."""
    cv = _Canvas()
    y = MARGIN + 22
    cv.text(MARGIN, y, title, size=22, weight="bold")
    y += 22
    cv.text(MARGIN, y, _("Workflow chart, drawn from the workflow table in the software"), size=12, fill=MUTED)
    y += 18
    boxes = []
    for row in chart_rows():
        top = y
        inner = top + 10
        if row["states"]:
            inner = _draw_states(cv, row["states"], inner) + 12
        if not row["states"] and not row["transitions"]:
            cv.text(RIGHT_X, inner + 14, _("A visit is received and logged; it may bring several concerns, or none."), size=12, fill=MUTED)
            inner += 22
        height, places = _transitions_height(row["transitions"])
        for lines, (col, dy) in zip(row["transitions"], places):
            tx, ty = RIGHT_X + col * (COLUMN_W + COLUMN_GAP), inner + dy
            for kind, line in lines:
                ty += LINE_H[kind]
                if kind == "label":
                    cv.text(tx, ty - 4, "▸ " + line, size=13, weight="bold")
                else:
                    cv.text(tx + 12, ty - 4, line, size=12, fill=MUTED if kind == "flow" else RED)
        bottom = max(inner + height, top + 64, top + 36 + 19 * len(row["step_lines"])) + 6
        boxes.append((row, top, bottom))
        y = bottom + 14
    # Bands and step boxes go beneath the text drawn above: insert them first.
    underlay = []
    for i, (row, top, bottom) in enumerate(boxes):
        underlay.append(("rect", {"x": MARGIN, "y": top, "width": WIDTH - 2 * MARGIN, "height": bottom - top, "rx": 8, "fill": PAPER if i % 2 == 0 else "#ffffff", "stroke": LINE}))
        underlay.append(("rect", {"x": MARGIN, "y": top, "width": STEP_W, "height": bottom - top, "rx": 8, "fill": RED}))
    cv.shapes[:0] = [Shape(tag, attrs) for tag, attrs in underlay]
    for i, (row, top, bottom) in enumerate(boxes):
        cx = MARGIN + STEP_W // 2
        cv.add("circle", cx=MARGIN + 22, cy=top + 22, r=13, fill="#ffffff")
        cv.text(MARGIN + 22, top + 27, str(row["number"]), size=14, weight="bold", fill=RED, anchor="middle")
        for j, line in enumerate(row["step_lines"]):
            cv.text(MARGIN + 42, top + 27 + j * 19, line, size=15, weight="bold", fill="#ffffff")
        if i + 1 < len(boxes):
            nxt = boxes[i + 1][1]
            cv.add("path", d=f"M{cx} {bottom} L{cx} {nxt - 2}", stroke=INK, stroke_width=2, fill="none")
            cv.add("path", d=f"M{cx - 6} {nxt - 9} L{cx} {nxt - 1} L{cx + 6} {nxt - 9} Z", fill=INK)
    y = _draw_tracks(cv, y + 6)
    return Layout(title=title, width=WIDTH, height=y + MARGIN, shapes=cv.shapes)


def workflow_svg(title: str) -> str:
    """The chart for the unit named `title`, as an SVG document (a string)."""
    layout = chart_layout(title)
    root = ET.Element(f"{{{SVG_NS}}}svg", {"font-family": FONT, "font-size": "12"})
    heading = ET.SubElement(root, f"{{{SVG_NS}}}title")
    heading.text = title
    body = ET.SubElement(root, f"{{{SVG_NS}}}g")
    for shape in layout.shapes:
        el = ET.SubElement(body, f"{{{SVG_NS}}}{shape.kind}", {k.replace("_", "-"): str(v) for k, v in shape.attrs.items()})
        if shape.text is not None:
            el.text = shape.text
    root.set("viewBox", f"0 0 {layout.width} {layout.height}")
    root.set("width", str(layout.width))
    root.set("height", str(layout.height))
    root.set("role", "img")
    return ET.tostring(root, encoding="unicode")


def _draw_tracks(cv: _Canvas, y: int) -> int:
    cv.text(MARGIN, y + 16, _("Six disposition tracks and their time limits"), size=15, weight="bold")
    y += 28
    col_w = (WIDTH - 2 * MARGIN - 2 * 10) / 3
    for i, (label, limit) in enumerate(track_limits()):
        col, row = i % 3, i // 3
        x, ty = MARGIN + col * (col_w + 10), y + row * 52
        cv.add("rect", x=round(x), y=ty, width=round(col_w), height=44, rx=8, fill="#ffffff", stroke=INK)
        cv.text(round(x + 10), ty + 19, label, size=13, weight="bold")
        cv.text(round(x + 10), ty + 36, limit, size=12, fill=MUTED)
    return y + 2 * 52
