"""Template tags staff pages use to re-issue a concern's tracking code (查询码) to the
villager: on the reception receipt and the concern page."""
from django import template

from huiying.selfservice import selectors, tracking

register = template.Library()


@register.inclusion_tag("selfservice/partials/tracking_slip.html", takes_context=True)
def tracking_slip(context, concern, *, phones: bool = False):
    """The tracking code, grouped for reading aloud, and (with phones=True) the phone the
    villager left when submitting online. Only for pages the viewer may see `concern` on."""
    return {
        "request": context.get("request"), "concern": concern, "code": tracking.grouped(tracking.tracking_code(concern)),
        "phones": selectors.contact_phones(concern) if phones else [],
    }


@register.inclusion_tag("selfservice/partials/box_answers.html")
def box_answers(unit, limit: int = 5):
    """The unit's publicly answered suggestions, for its public board page:
    `{% load selfservice %}{% box_answers unit %}` (or include the partial with `answers`)."""
    return {"answers": selectors.public_answers(unit, limit=limit)}
