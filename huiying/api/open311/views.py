"""Open311 GeoReport v2 under /open311/v2/: discovery, services, service definitions,
requests (GET, and POST with an api_key), one request, and tokens — each in .json and .xml.

Plain Django views: the spec's wire format (form-encoded POST, list-shaped responses, its
own error body) is not the REST API's. Errors follow the spec: 404 for what does not exist,
403 for a missing or wrong api_key, 400 for anything else.
"""
from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max, Q
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from huiying.board.anonymise import Scrubber
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Level, Unit

from . import catalogue, listing, render
from .intake import open311_request_create, service_notice
from .keys import key_authenticate

SPEC = "http://wiki.open311.org/GeoReport_v2"


class Refusal(Exception):
    def __init__(self, status: int, description):
        super().__init__(description)
        self.status, self.description = status, description


def _params(request):
    params = request.POST if request.method == "POST" else request.GET
    if any("\x00" in name or any("\x00" in v for v in values) for name, values in params.lists()):
        raise Refusal(400, _("The request holds a character that is not allowed."))
    return params


def jurisdiction(params) -> Unit:
    """The county a request is about: `jurisdiction_id` is a county's reference prefix (NM) or
    division code; it may be left out where the server holds a single county."""
    value = (params.get("jurisdiction_id") or "").strip()
    counties = Unit.objects.filter(level=Level.COUNTY)
    if not value:
        found = list(counties[:2])
        if len(found) != 1:
            raise Refusal(400, _("jurisdiction_id was not provided."))
        return found[0]
    county = counties.filter(Q(ref_prefix__iexact=value) | Q(code=value)).first()
    if county is None:
        raise Refusal(404, _("jurisdiction_id %(value)s was not found.") % {"value": value[:50]})
    return county


def open311_view(methods=("GET",)):
    """Answer only `methods`, turn refusals into the spec's error body in the asked format."""

    def decorate(view):
        def wrapper(request, fmt: str, **kwargs) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise Refusal(400, _("Method %(method)s is not supported here.") % {"method": request.method})
                if any("\x00" in v for v in kwargs.values()):
                    raise Refusal(404, _("The URL request is invalid: see %(url)s.") % {"url": request.build_absolute_uri("/open311/v2/discovery.xml")})
                return view(request, fmt, _params(request), **kwargs)
            except Refusal as r:
                return render.errors(fmt, r.status, r.description)
            except NotFound as e:
                return render.errors(fmt, 404, e.text)
            except ServiceError as e:
                return render.errors(fmt, 400, *(f"{field}: {m}" for field, msgs in e.message_dict.items() for m in msgs))

        return csrf_exempt(wrapper)

    return decorate


def _changeset() -> str:
    # Service definitions change when the code does (a migration) — and the hamlet list with
    # an import; clients are told to refresh on either through this date.
    applied = MigrationRecorder.Migration.objects.aggregate(at=Max("applied"))["at"]
    return render.w3_datetime(applied)


@open311_view()
def discovery(request, fmt, params):
    changeset = _changeset()
    data = {
        "changeset": changeset,
        "contact": settings.HUIYING_OPEN311_CONTACT or str(_("The county's command HQ (村民关切回应指挥部).")),
        "key_service": str(_("api_key: ask the county's administrator, who issues one per client application (huiying open311-key create NAME).")),
        "endpoints": [{
            "specification": SPEC,
            "url": request.build_absolute_uri("/open311/v2"),
            "changeset": changeset,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }
    return render.respond(fmt, data, root="discovery", item=None)


@open311_view()
def services(request, fmt, params):
    jurisdiction(params)
    data = [
        {"service_code": s.code, "service_name": s.name, "description": str(s.description), "metadata": True,
         "type": "realtime", "keywords": str(s.keywords), "group": str(catalogue.GROUP)}
        for s in catalogue.SERVICES.values()
    ]
    return render.respond(fmt, data, root="services", item="service")


@open311_view()
def service_definition(request, fmt, params, service_code: str):
    county = jurisdiction(params)
    service = catalogue.SERVICES.get(service_code)
    if service is None:
        raise Refusal(404, _("service_code %(code)s was not found.") % {"code": service_code[:50]})
    data = {"service_code": service.code, "attributes": catalogue.definition(service, county)}
    return render.respond(fmt, data, root="service_definition", item=None)


def _attributes(params) -> dict:
    """attribute[code]=value (and attribute[code][]=v for lists, which we do not define)."""
    out = {}
    for name, values in params.lists():
        if name.startswith("attribute[") and name.endswith("]"):
            code = name[len("attribute["):-1].removesuffix("][").strip()
            out[code] = values[-1].strip()
    return out


@open311_view(methods=("GET", "POST"))
def requests(request, fmt, params):
    if request.method == "POST":
        key = key_authenticate(params.get("api_key", ""))
        if key is None:
            raise Refusal(403, _("api_key was not provided or is not valid."))
        county = jurisdiction(params)
        concern = open311_request_create(
            key=key, county=county, service_code=(params.get("service_code") or "").strip(), attributes=_attributes(params),
            **{name: params.get(name, "") for name in ("lat", "long", "address_id", "description", "address_string", "email", "device_id",
                                                      "account_id", "first_name", "last_name", "phone", "media_url")},
        )
        data = [{"service_request_id": concern.reference, "service_notice": service_notice(concern), "account_id": params.get("account_id") or None}]
        return render.respond(fmt, data, root="service_requests", item="request", status=201)
    county = jurisdiction(params)
    scrubber = Scrubber()
    data = [listing.as_request(c, scrubber=scrubber) for c in listing.search(county, params)]
    return render.respond(fmt, data, root="service_requests", item="request")


@open311_view()
def request_detail(request, fmt, params, service_request_id: str):
    concern = listing.find(jurisdiction(params), service_request_id)
    if concern is None:
        raise Refusal(404, _("service_request_id %(id)s was not found.") % {"id": service_request_id[:50]})
    return render.respond(fmt, [listing.as_request(concern)], root="service_requests", item="request")


@open311_view()
def token(request, fmt, params, token_id: str):
    """We create requests in real time, so the POST answer carries the service_request_id and
    never a token. A client built for batch servers may still ask here with what it has: the
    service_request_id is its own token."""
    concern = listing.find(jurisdiction(params), token_id)
    if concern is None:
        raise Refusal(404, _("Token %(id)s was not found.") % {"id": token_id[:50]})
    return render.respond(fmt, [{"service_request_id": concern.reference, "token": token_id}], root="service_requests", item="request")


def not_found(request, rest: str = ""):
    fmt = "json" if request.path.endswith(".json") else "xml"
    return render.errors(fmt, 404, _("The URL request is invalid: see %(url)s.") % {"url": request.build_absolute_uri("/open311/v2/discovery.xml")})
