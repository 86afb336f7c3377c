"""The Open311 service list, built from the four response functions (四大回应功能) and the
disposition tracks: one service per function, each with a definition whose attributes are
the hamlet (where the concern comes from), the track (optional: staff decide it at
analysis otherwise) and, for easing public sentiment, the risk level.

A client cannot choose the confidential track: a confidential concern (涉密涉私) never
appears in Open311 responses, so a client could never follow it. Staff may still make a
concern confidential later; from then on Open311 answers "not found" for it.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from huiying.concerns.models import Function, RiskLevel, Track
from huiying.network.models import Hamlet, Unit


@dataclass(frozen=True)
class Service:
    function: Function
    default_track: Track
    description: str
    keywords: str

    @property
    def code(self) -> str:
        return self.function.value

    @property
    def name(self) -> str:
        return str(self.function.label)


SERVICES = {
    s.code: s
    for s in [
        Service(Function.AGENCY_SERVICE, Track.AGENCY,
                _("Staff apply for allowances, insurance or certificates on the villager's behalf (代办代理)."),
                _("agency, allowance, insurance, certificate, 代办, 低保, 医保, 证明")),
        Service(Function.DISPUTE, Track.DISPUTE,
                _("Disputes over land, water, boundaries, family or neighbours, mediated on site (矛盾纠纷)."),
                _("dispute, land, water, boundary, neighbour, 纠纷, 土地, 山林, 水利, 邻里")),
        Service(Function.SENTIMENT, Track.TIME_LIMITED,
                _("Grievances, anxiety or group discontent, answered within a time limit (疏导情绪)."),
                _("grievance, complaint, sentiment, 情绪, 诉求, 不满")),
        Service(Function.SUGGESTION, Track.TIME_LIMITED,
                _("Opinions and suggestions for the village, township or county (意见建议)."),
                _("suggestion, opinion, idea, 意见, 建议")),
    ]
}
GROUP = _("Villager concerns")
# Tracks a client may ask for: all but the confidential one.
CLIENT_TRACKS = [t for t in Track if t != Track.CONFIDENTIAL]


def hamlet_label(hamlet: Hamlet) -> str:
    village = hamlet.village
    return " ".join(n for n in (village.parent.name if village.parent_id else "", village.name, hamlet.name) if n)


def definition(service: Service, county: Unit) -> list[dict]:
    """The attributes of `service`'s definition, in the spec's terms."""
    hamlets = Hamlet.objects.filter(village__county=county).select_related("village__parent").order_by("village__township_id", "village_id", "id")
    attributes = [
        {
            "variable": True, "code": "hamlet", "datatype": "singlevaluelist", "required": False, "order": 1,
            "datatype_description": str(_("The hamlet's id (also accepted: its 12-digit division code, or as address_id).")),
            "description": str(_("Where the concern comes from. The concern goes to that hamlet's response point or village station; without a hamlet, to the county HQ, which routes it.")),
            "values": [{"key": str(h.id), "name": hamlet_label(h)} for h in hamlets],
        },
        {
            "variable": True, "code": "track", "datatype": "singlevaluelist", "required": False, "order": 2,
            "datatype_description": None,
            "description": str(_("How it should be handled, if you know (staff confirm it). Default: %(track)s.") % {"track": service.default_track.label}),
            "values": [{"key": t.value, "name": str(t.label)} for t in CLIENT_TRACKS],
        },
    ]
    if service.function == Function.SENTIMENT:
        attributes.append({
            "variable": True, "code": "risk_level", "datatype": "singlevaluelist", "required": False, "order": 3,
            "datatype_description": None,
            "description": str(_("How tense the situation is (default: low).")),
            "values": [{"key": r.value, "name": str(r.label)} for r in RiskLevel],
        })
    return attributes
