"""Open311 responses in both formats. JSON follows the spec's mapping of its XML (the
"Spark convention"): a list of objects where the XML has a list of elements. UTF-8
everywhere, and the XML declaration names it, as the spec requires."""
import datetime as dt
import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def w3_datetime(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the zone (the w3 note's profile): 2026-03-11T10:00:00+08:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, value) -> ET.Element:
    el = ET.Element(tag)
    if isinstance(value, dict):
        for k, v in value.items():
            el.append(_element(k, v))
    elif isinstance(value, list):
        # <values><value>…</value></values>, <formats><format>…</format></formats>
        child_tag = tag[:-1] if tag.endswith("s") else "item"
        for item in value:
            el.append(_element(child_tag, item))
    else:
        el.text = _text(value)
    return el


def to_xml(root: str, item: str | None, data) -> str:
    """`data` as XML: a list of `item` elements under `root`, or a single object as `root`."""
    if item is None:
        el = _element(root, data)
    else:
        el = ET.Element(root)
        for entry in data:
            el.append(_element(item, entry))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(el, encoding="unicode")


def respond(fmt: str, data, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(root, item, data)
    else:
        body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error body: [{"code", "description"}] / <errors><error>…; HTTP 404 for what
    does not exist, 403 for a missing or wrong api_key, 400 for anything else."""
    data = [{"code": status, "description": str(d)} for d in descriptions]
    return respond(fmt, data, root="errors", item="error", status=status)
