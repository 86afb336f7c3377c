"""Charts drawn on the server as SVG (no script, no CDN): stacked bars of outcome classes.

Every chart stands beside a table with the same numbers (the template puts them together);
the SVG carries a <title> per bar so a screen reader or a long press gives the figure too.
Width is a viewBox, so the chart shrinks to a 390-px phone without scrolling.
"""
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# The outcome classes, in stacking order, with their colours (the app's palette).
SERIES = [("resolved", "#1e6b3a"), ("pending", "#9a5b00"), ("other", "#8a8380")]
LABELS = {"resolved": _("Resolved"), "pending": _("Pending"), "other": _("Other outcome")}
WIDTH, LABEL_W, BAR_H, GAP = 360, 110, 18, 6


def _short(label: str, n: int = 8) -> str:
    label = str(label)
    return label if len(label) <= n else label[: n - 1] + "…"


def bars(items: list[tuple[str, dict]], *, title: str) -> SafeString:
    """Horizontal stacked bars: one per (label, {resolved, pending, other}) item."""
    top = max([sum(v[k] for k, _ in SERIES) for _, v in items] + [1])
    scale = (WIDTH - LABEL_W - 40) / top
    height = len(items) * (BAR_H + GAP) + GAP
    parts = []
    for i, (label, values) in enumerate(items):
        y = GAP + i * (BAR_H + GAP)
        x = LABEL_W
        parts.append(format_html('<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>', LABEL_W - 6, y + BAR_H - 4, _short(label)))
        for key, colour in SERIES:
            w = values[key] * scale
            if w:
                parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>',
                                         f'{x:.1f}', y, f'{w:.1f}', BAR_H, colour, label, LABELS[key], values[key]))
            x += w
        parts.append(format_html('<text x="{}" y="{}" font-size="12">{}</text>', f'{x + 4:.1f}', y + BAR_H - 4, sum(values[k] for k, _ in SERIES)))
    return format_html('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">{}</svg>',
                       WIDTH, height, title, mark_safe("".join(parts))) if items else SafeString("")


def columns(items: list[tuple[str, dict]], *, title: str) -> SafeString:
    """Vertical stacked columns, one per period (the monthly trend)."""
    if not items:
        return SafeString("")
    height, base, left = 160, 140, 4
    top = max([sum(v[k] for k, _ in SERIES) for _, v in items] + [1])
    step = (WIDTH - left) / len(items)
    w = max(step - 4, 2)
    parts = []
    for i, (label, values) in enumerate(items):
        x, y = left + i * step, base
        for key, colour in SERIES:
            h = values[key] * (base - 16) / top
            if h:
                y -= h
                parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>',
                                         f'{x:.1f}', f'{y:.1f}', f'{w:.1f}', f'{h:.1f}', colour, label, LABELS[key], values[key]))
        parts.append(format_html('<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>', f'{x + w / 2:.1f}', base + 14, _short(label, 5)))
    return format_html('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">{}</svg>',
                       WIDTH, height, title, mark_safe("".join(parts)))


def legend() -> list[tuple[str, str]]:
    return [(LABELS[k], colour) for k, colour in SERIES]


def values_of(counts) -> dict:
    return {k: getattr(counts, k) for k, _ in SERIES}
