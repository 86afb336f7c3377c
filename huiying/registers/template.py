"""The paper-register template (台账模板): the columns with Chinese headers, an example row
(marked 示例, never imported) and a notes sheet that explains each column and lists the
allowed values."""
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiying.reports.workbook import Table, write

from .columns import CHOICES_NOTE, COLUMNS, header

EXAMPLE = {
    "date": "示例：2025-03-18", "unit": "", "hamlet": "甲一屯", "name": "张小明", "phone": "13800000001", "id_number": "",
    "visitor_count": "2", "channel": "来访", "function": "化解矛盾纠纷", "track": "矛盾纠纷现场调解",
    "summary": "宅基地边界纠纷", "details": "两户村民对宅基地边界有争议", "outcome": "已解决", "reason": "",
    "result": "现场调解，双方签订协议", "date_resolved": "2025-03-25",
}


def template_bytes() -> bytes:
    with translation.override("zh-hans"):
        keys = list(COLUMNS)
        sheet = Table(pgettext("register template", "Register"), [header(k) + (" *" if COLUMNS[k][2] else "") for k in keys], [[EXAMPLE[k] for k in keys]])
        notes = []
        for k in keys:
            title, _aliases, required, note = COLUMNS[k]
            allowed = "、".join(CHOICES_NOTE[k]()) if k in CHOICES_NOTE else ""
            notes.append([str(title), pgettext("register template", "Required") if required else pgettext("register template", "Optional"), str(note or ""), allowed])
        notes.append(["", "", _("The row starting with 示例 is an example and is not imported; delete it or leave it."), ""])
        notes.append(["", "", _("A file with any bad row imports nothing: every error is listed with its row and column."), ""])
        return write([sheet, Table(pgettext("register template", "Notes"), [pgettext("register template", "Column"), _("Required?"), _("Meaning"), _("Allowed values")], notes)])
