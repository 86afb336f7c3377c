"""Template context every page of the staff web app needs (the navigation)."""
from huiying import access
from huiying.concerns.selectors import own_receiving_units


def nav(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = access.memberships(user)
    return {
        "nav_can_register": bool(own_receiving_units(user)),
        "nav_unit": memberships[0].unit if memberships else None,
    }
