"""The three rates (三率) and the workload spread, from the parts that define them:
`huiying.supervision.rates` (response, resolution and satisfaction rates) and
`huiying.stats.workload` (the 30/70 share). This module only adapts their results to the
dashboard's tables; it defines nothing."""


def child_rate_metrics(unit, children, period) -> list:
    """[(key, title, higher_is_better, {child id: percent or None})] for the rankings."""
    return []


def unit_rate_rows(unit, period) -> list:
    """[(title, percent or None, definition)] for the dashboard."""
    return []
