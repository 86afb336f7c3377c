"""The command view: dashboards with drill-down and rankings."""
