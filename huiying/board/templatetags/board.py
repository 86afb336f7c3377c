"""Links from the staff pages to the board: `{% board_post_count user unit as n %}` is the
number of results `user` may post on `unit`'s board now, or None if they may not post there."""
from django import template

from huiying import access
from huiying.concerns.workflow import TRANSITIONS
from huiying.core.errors import ServiceError

from .. import selectors

register = template.Library()


@register.simple_tag
def board_post_count(user, unit):
    try:
        access.check_unit_access(user, unit, roles=TRANSITIONS["post"].roles)
    except ServiceError:
        return None
    return selectors.post_candidates(unit).filter(access.concern_visibility_q(user)).count()
