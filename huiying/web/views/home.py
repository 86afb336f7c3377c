from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from huiying import access
from huiying.concerns import selectors as cq
from huiying.network.models import STAFF_ROLES, Level
from huiying.network.selectors import on_duty
from huiying.supervision.selectors import home_panels


@login_required
def home(request):
    """What a staff member needs first: who is on duty, today's visits, their concerns,
    what is due soon or overdue, and (township and county) what came up from below."""
    user = request.user
    units = access.units_user_acts_in(user, roles=STAFF_ROLES)
    upper = [u for u in units if u.level in (Level.TOWNSHIP, Level.COUNTY, Level.DEPARTMENT)]
    context = {
        "units": [{"unit": u, "on_duty": list(on_duty(unit=u))} for u in units],
        "visits": list(cq.visits_on(units)[:20]),
        "mine": list(cq.my_concerns(user)[:20]),
        "due_soon": list(cq.due_soon(user, units)[:20]),
        "overdue": list(cq.overdue(user, within=units)[:20]),
        "escalations": list(cq.incoming_escalations(user, upper)[:20]) if upper else [],
        "is_upper": bool(upper),
        "supervision": home_panels(user),
        # Township and county staff read how the work is spread over the units below.
        "workload_units": [u for u in units if u.level in (Level.TOWNSHIP, Level.COUNTY)],
    }
    return render(request, "web/home.html", context)
