"""Chinese is the default language: every message id has a reviewed Chinese translation."""
from pathlib import Path

import polib
from django.utils import translation

from huiying.core.errors import ServiceError

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "huiying"
# The project's catalogue, and one per part of the domain that keeps its own messages.
CATALOGUES = sorted(PACKAGE.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def test_the_project_catalogue_is_found():
    assert PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_message_is_translated_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == [], "run makemessages, translate, compilemessages"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    # Keyed by context too: "Pending" of a webhook delivery is not "Pending" of a concern.
    assert {(e.msgctxt, e.msgid): e.msgstr for e in mo} == {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}, \
        "the .mo is stale: run `huiying compilemessages`"


def test_errors_speak_chinese_by_default():
    from django.utils.translation import gettext_lazy as _

    err = ServiceError("summary", _("This field is required."))
    assert err.text == "此项必填。"
    with translation.override("en"):
        assert err.text == "This field is required."
