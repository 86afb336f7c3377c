from django.core import checks

from . import clock, workdays


@checks.register(deploy=True)
def calendar_coverage(app_configs, **kwargs):
    year = clock.today().year
    if year + 1 not in workdays.covered_years():
        return [
            checks.Warning(
                f"chinesecalendar has no official holiday schedule for {year + 1}; "
                "deadlines in that year count Monday–Friday only.",
                hint="Upgrade the chinesecalendar package once the State Council publishes the schedule.",
                id="huiying.W001",
            )
        ]
    return []
