"""Chinese is the default language: every message id has a reviewed Chinese translation."""
from pathlib import Path

import polib
from django.utils import translation

from huiying.core.errors import ServiceError

PO = Path(__file__).resolve().parent.parent / "huiying" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_compiled():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == [], "run makemessages, translate, compilemessages"
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    assert {e.msgid: e.msgstr for e in mo} == {e.msgid: e.msgstr for e in po.translated_entries()}, "the .mo is stale: run `huiying compilemessages`"


def test_errors_speak_chinese_by_default():
    from django.utils.translation import gettext_lazy as _

    err = ServiceError("summary", _("This field is required."))
    assert err.text == "此项必填。"
    with translation.override("en"):
        assert err.text == "This field is required."
