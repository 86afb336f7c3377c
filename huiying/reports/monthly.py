"""The monthly report (月度报告) of a unit as a PDF: the month's figures (`unit_stats`, the
definitions of docs/statistics.md), breakdowns by function, track and channel, charts
(reportlab graphics, every chart with its numbers in a table), the ranking of sub-units
and the overdue list. Laid out with the printing toolkit (`huiying.printing.pdf`).

The headline figures are `unit_stats`'; the breakdowns, sub-units, rates and rankings are
the dashboard's own (`huiying.dashboard.selectors.dashboard`, `rankings.unit_rankings`, with
its minimum HUIYING_DASHBOARD_RANK_MIN_CONCERNS), so the report says what the dashboard
shows. The figures count every concern received in the subtree, confidential ones included
(they name no one); the overdue list shows only concerns the reader may see.
"""
import calendar
import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from huiying import access
from huiying.concerns import queues
from huiying.concerns.models import OPEN_STATES, Concern
from huiying.core import clock
from huiying.dashboard import rankings
from huiying.dashboard import selectors as dashboard
from huiying.network.models import Unit
from huiying.printing import pdf
from huiying.stats.selectors import unit_stats

PALETTE = [colors.HexColor(c) for c in ("#b3261e", "#1f6f8b", "#e0a100", "#4b8b3b", "#7a4e9c", "#8c8c8c")]
OVERDUE_LIST_MAX = 50


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def _as_of(end: dt.date) -> dt.date:
    """Overdue is counted as of the day after the month (or today, in the current month)."""
    return min(end + dt.timedelta(days=1), clock.today())


def figures(unit: Unit, month: dt.date) -> dict:
    start, end = month_bounds(month)
    return unit_stats(unit, date_from=start, date_to=end, today=_as_of(end))


def overdue_list(user, unit: Unit, month: dt.date) -> list[Concern]:
    """Open concerns of the unit past their due date as of the report's day, that `user` sees
    (`user=None`: the operator at the command line, who is shown no confidential concern)."""
    _start, end = month_bounds(month)
    seen = access.visible_concerns(user) if user is not None else Concern.objects.filter(confidential=False)
    return list(
        seen.filter(queues.unit_q(unit), state__in=OPEN_STATES, due_date__lt=_as_of(end))
        .select_related("handling_unit").order_by("due_date", "id")[:OVERDUE_LIST_MAX]
    )


def _percent(x: float) -> str:
    return f"{100 * x:.1f}%"


def bar_chart(labels: list[str], series: list[tuple[str, list[int]]], *, width=180 * mm, height=60 * mm) -> Drawing:
    d = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 14 * mm, width - 20 * mm, height - 22 * mm
    chart.data = [values for _name, values in series] or [[0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = pdf.FONT
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(labels) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 6 else "n"
    chart.valueAxis.valueMin = 0
    top = max([max(v) for _n, v in series if v] + [1])
    chart.valueAxis.valueMax = top + max(1, top // 10)
    for i in range(len(series)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    d.add(chart)
    x = 12 * mm
    for i, (name, _values) in enumerate(series):  # the legend, on top
        d.add(String(x, height - 5 * mm, "■ " + name, fontName=pdf.FONT, fontSize=8, fillColor=PALETTE[i % len(PALETTE)]))
        x += 30 * mm
    return d


def pie_chart(items: list[tuple[str, int]], *, size=36 * mm) -> Drawing:
    d = Drawing(size + 14 * mm, size + 6 * mm)
    shown = [(label, n) for label, n in items if n]
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 10 * mm, 3 * mm, size, size
    pie.data = [n for _l, n in shown] or [1]
    pie.labels = None
    pie.slices.strokeColor = colors.white
    for i in range(len(pie.data)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)] if shown else colors.HexColor("#dddddd")
    d.add(pie)
    return d


def _with_chart(drawing: Drawing, table) -> Table:
    """A chart and its numbers side by side (every chart has its table beside it)."""
    return Table([[drawing, table]], colWidths=[drawing.width + 4 * mm, None], style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")])


def monthly_pdf(user, unit: Unit, month: dt.date) -> bytes:
    """The report of `unit` for the month starting `month` (a unit in `user`'s reach)."""
    if user is not None:
        access.check_unit_access(user, unit)
    start, end = month_bounds(month)
    f = figures(unit, month)
    period = f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    title = _("Monthly report %(month)s") % {"month": f"{month:%Y-%m}"}
    story = [pdf.para(f"{unit.name} · {title}", "title")]

    story.append(pdf.para(_("Figures of the month"), "heading"))
    rows = [
        (_("Visitors received"), f["visitors"]), (_("Concerns"), f["concerns"]), (_("Resolved"), f["resolved"]),
        (pgettext("figure", "Pending"), f["pending"]), (_("Other outcomes"), f["other"]), (_("Overdue"), f["overdue"]),
        (_("Resolved share"), _percent(f["resolved"] / f["concerns"]) if f["concerns"] else "—"),
    ]
    story.append(pdf.table([[_("Figure"), _("Number")]] + [[str(a), str(b)] for a, b in rows], widths=[90 * mm, 40 * mm]))
    story.append(pdf.para(_("Concerns = resolved + pending + other outcomes. Overdue: pending past the due date as of %(day)s.")
                          % {"day": _as_of(end).isoformat()}, "small"))

    d = dashboard.dashboard(user, unit, start=start, end=end, today=_as_of(end))
    rates = d["rates"]  # as of the same day as the overdue figure
    if rates:
        story.append(pdf.para(_("The three rates"), "heading"))
        # A rate with too few concerns or ratings behind it says so instead of a percentage.
        story.append(pdf.table([[_("Rate"), _("Value"), _("Definition")]] + [
            [str(r["title"]), str(r["empty"]) if r["value"] is None else f"{r['value']:.1f}%（{r['numerator']}/{r['denominator']}）", r["definition"]]
            for r in rates], widths=[35 * mm, 40 * mm, 105 * mm]))
    for heading, key in ((_("By function"), "by_function"), (_("By track"), "by_track"), (_("By channel"), "by_channel")):
        items = [(str(r["label"]), r["counts"].concerns) for r in d[key]]
        # The table's squares name the pie's colours (slices with no concern are not drawn).
        shown = [label for label, n in items if n]
        rows = [[_("Category"), _("Concerns")]]
        for label, n in items:
            rows.append([pdf.para(f"■ {label}", "cell", textColor=PALETTE[shown.index(label) % len(PALETTE)]) if n else label, str(n)])
        story.append(KeepTogether([pdf.para(heading, "heading"), _with_chart(pie_chart(items), pdf.table(rows, widths=[70 * mm, 30 * mm]))]))

    children = [r for r in d["children"] if not r["own"]]
    if children:
        story.append(pdf.para(_("Sub-units"), "heading", keepWithNext=1))
        story.append(bar_chart([r["unit"].name for r in children], [
            (_("Concerns"), [r["counts"].concerns for r in children]), (_("Resolved"), [r["counts"].resolved for r in children]),
            (_("Overdue"), [r["counts"].overdue for r in children]),
        ]))
        table = [[_("Unit"), _("Concerns"), _("Resolved"), pgettext("figure", "Pending"), _("Other outcomes"), _("Overdue")]]
        table += [[r["unit"].name, *[str(getattr(r["counts"], k)) for k in ("concerns", "resolved", "pending", "other", "overdue")]] for r in children]
        story.append(pdf.table(table, widths=[50 * mm, 26 * mm, 26 * mm, 26 * mm, 26 * mm, 26 * mm]))
        minimum = settings.HUIYING_DASHBOARD_RANK_MIN_CONCERNS
        for r in rankings.unit_rankings(user, unit, start=start, end=end, minimum=minimum, today=_as_of(end)):
            rows = [[_("Rank"), _("Unit"), _("Concerns"), str(r.title)]]
            rows += [[str(x["place"]), x["unit"].name, str(x["concerns"]), f"{x['value']:.1f}%"] for x in r.ranked]
            rows += [["—", x["unit"].name, str(x["concerns"]), str(x["reason"])] for x in r.unranked]
            story.append(KeepTogether([
                pdf.para(_("Ranking: %(title)s") % {"title": r.title}, "heading"),
                pdf.table(rows, widths=[14 * mm, 50 * mm, 24 * mm, 92 * mm]),
                pdf.para(_("Lower is better.") if not r.higher_is_better else _("Higher is better."), "small"),
            ]))

    overdue = overdue_list(user, unit, month)
    story.append(pdf.para(_("Overdue concerns"), "heading"))
    if overdue:
        as_of = _as_of(end)
        table = [[_("Reference number"), _("Summary"), _("Handling unit"), _("Due date"), _("Days overdue")]]
        table += [[c.reference, c.summary, c.handling_unit.name, c.due_date.isoformat(), str((as_of - c.due_date).days)] for c in overdue]
        story.append(pdf.table(table, widths=[34 * mm, 66 * mm, 36 * mm, 22 * mm, 20 * mm]))
    else:
        story.append(pdf.para(_("None."), "body"))
    story.append(Spacer(1, 4 * mm))
    return pdf.build(story, title=title, unit=unit.name, period=period)
