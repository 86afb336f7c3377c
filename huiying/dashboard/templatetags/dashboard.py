"""{% dashboard_unit as unit %}: the unit whose dashboard the nav and home page open for the
signed-in user (township, county and department staff), or None."""
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_unit(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    from huiying.dashboard.views import home_unit

    return home_unit(user)
