"""The columns of a paper register (纸质台账) as the template writes them, the aliases an
upload may use instead, and how cell texts become values (labels → codes, dates)."""
import datetime as dt
import re

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiying.concerns.models import Channel, Function, Outcome, Track

# key → (header in the template, accepted aliases, required, note for the notes sheet)
COLUMNS = {
    "date": (pgettext_lazy("register template", "Date"), ["日期", "来访日期", "受理日期", "date"], True,
             _("The day of the visit or of receiving the concern: 2025-03-18, 2025/3/18 or 2025年3月18日.")),
    "unit": (pgettext_lazy("register template", "Unit"), ["单位", "受理单位", "unit"], False,
             _("The station, center or point that received it, by name or 12-digit code; empty: the unit you import into.")),
    "hamlet": (pgettext_lazy("register template", "Hamlet"), ["屯", "所在屯", "自然屯", "hamlet"], False,
               _("The hamlet the villager lives in (needed when a villager is named).")),
    "name": (pgettext_lazy("register template", "Villager name"), ["村民姓名", "姓名", "name"], False, _("Optional.")),
    "phone": (pgettext_lazy("register template", "Villager phone"), ["村民电话", "电话", "联系电话", "phone"], False, _("Optional.")),
    "id_number": (pgettext_lazy("register template", "ID card number"), ["身份证号", "身份证号码", "id_number"], False,
                  _("Optional; a villager already registered with this number is reused.")),
    "visitor_count": (pgettext_lazy("register template", "Visitors"), ["来访人数", "人数", "visitor_count"], False,
                      _("For a visit: how many people came (default 1).")),
    "channel": (pgettext_lazy("register template", "Channel"), ["来源渠道", "渠道", "channel"], False, None),
    "function": (pgettext_lazy("register template", "Function"), ["回应功能", "功能", "function"], False, None),
    "track": (pgettext_lazy("register template", "Track"), ["处置类别", "类别", "track"], False, None),
    "summary": (pgettext_lazy("register template", "Summary"), ["事由", "摘要", "summary"], False,
                _("What the concern was about; empty: a visit without a concern.")),
    "details": (pgettext_lazy("register template", "Details"), ["详细情况", "详情", "details"], False, _("Optional.")),
    "outcome": (pgettext_lazy("register template", "Outcome"), ["办理结果", "结果", "outcome"], False, None),
    "reason": (pgettext_lazy("register template", "Outcome reason"), ["结果原因", "原因", "reason"], False,
               _("Required when the outcome is not “resolved”.")),
    "result": (pgettext_lazy("register template", "Result"), ["处理结果", "处理情况", "result"], False,
               _("What was done: required when resolved.")),
    "date_resolved": (pgettext_lazy("register template", "Date resolved"), ["解决日期", "办结日期", "date_resolved"], False,
                      _("When it was resolved or closed; empty: the same day.")),
}
# Outcomes a paper register can record (merging needs the other concern: not from paper).
OUTCOMES = [Outcome.RESOLVED, Outcome.WITHDRAWN, Outcome.TRANSFERRED_OUT, Outcome.CANNOT_RESOLVE]
PENDING_WORDS = {"", "待办", "未办结", "办理中", "pending"}


def header(key: str) -> str:
    return str(COLUMNS[key][0])


def norm(text: str) -> str:
    return re.sub(r"[\s*＊:：]", "", str(text)).lower()


def column_index(headers: list[str]) -> dict[str, int]:
    """Column key → position in the file, from its header row (template headers, aliases)."""
    names = {}
    for key, (title, aliases, _req, _note) in COLUMNS.items():
        with translation.override("zh-hans"):
            zh = str(title)
        for name in [zh, str(title), key, *aliases]:
            names[norm(name)] = key
    found = {}
    for i, h in enumerate(headers):
        key = names.get(norm(h))
        if key and key not in found:
            found[key] = i
    return found


def choice_lookup(choices, values=None) -> dict[str, str]:
    """Chinese label, English label and code → code."""
    out = {}
    for value, label in choices.choices:
        if values is not None and value not in values:
            continue
        with translation.override("zh-hans"):
            out[norm(str(label))] = value
        with translation.override("en"):
            out[norm(str(label))] = value
        out[norm(value)] = value
    return out


def labels(choices, values=None) -> list[str]:
    with translation.override("zh-hans"):
        return [str(label) for value, label in choices.choices if values is None or value in values]


LOOKUPS = {
    "channel": lambda: choice_lookup(Channel),
    "function": lambda: choice_lookup(Function),
    "track": lambda: choice_lookup(Track),
    "outcome": lambda: {**choice_lookup(Outcome, OUTCOMES), "解决": Outcome.RESOLVED, "撤回": Outcome.WITHDRAWN, "转出": Outcome.TRANSFERRED_OUT},
}
CHOICES_NOTE = {
    "channel": lambda: labels(Channel), "function": lambda: labels(Function), "track": lambda: labels(Track),
    "outcome": lambda: ["待办", *labels(Outcome, OUTCOMES)],
}

_DATE_RES = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
]


def parse_date(text: str) -> dt.date | None:
    for pattern in _DATE_RES:
        m = pattern.match(text.strip())
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None
