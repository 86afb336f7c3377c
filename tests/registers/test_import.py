"""Paper registers: a bad row imports nothing and names the row and field; a good file
imports through the services (the figures change by exactly its rows) and the record book
marks every imported row and still verifies."""
import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from huiying.concerns.models import Concern, Outcome, State, Villager, Visit
from huiying.core.errors import Forbidden
from huiying.core.tables import ImportFailed
from huiying.records import book
from huiying.records.models import RecordEntry
from huiying.registers import services
from huiying.stats.selectors import unit_stats

from helpers import snapshot
from .conftest import GOOD, xlsx

YEAR = dict(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row_and_field(network, now, tmp_path):
    rows = [dict(r) for r in GOOD]
    rows[1]["处置类别"] = "不存在的类别"  # spreadsheet row 3
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(rows))
    before = snapshot()
    with pytest.raises(ImportFailed) as e:
        services.register_import(actor=network.county_commander, unit=network.township, path=path)
    assert [(err.row, err.column) for err in e.value.errors] == [(3, "处置类别")]
    assert "不存在的类别" in e.value.errors[0].message
    assert str(e.value.errors[0]).startswith("第 3 行") or "3" in str(e.value.errors[0])
    assert snapshot() == before


def test_every_bad_row_is_reported_including_the_services_refusals(network, now, tmp_path):
    rows = [dict(r) for r in GOOD]
    rows[0]["解决日期"] = "2025-03-01"  # before it was received
    rows[2]["日期"] = "2099-01-01"  # in the future
    rows[3]["办理结果"] = "已撤回"
    rows[3]["结果原因"] = ""
    rows.append({"日期": "2025-06-01", "单位": "甲村", "回应功能": "化解矛盾纠纷", "处置类别": "矛盾纠纷现场调解", "事由": "x" * 201})
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(rows))
    with pytest.raises(ImportFailed) as e:
        services.register_import(actor=network.county_commander, unit=network.township, path=path)
    assert [(err.row, err.column) for err in e.value.errors] == [(2, "解决日期"), (4, "日期"), (5, "结果原因"), (6, "事由")]
    assert not Concern.objects.exists() and not Visit.objects.exists()


def test_a_good_file_imports_and_the_figures_change_by_exactly_its_rows(network, now, good_file):
    n = network
    before = unit_stats(n.township, **YEAR)
    entries = RecordEntry.objects.count()
    result = services.register_import(actor=n.county_commander, unit=n.township, path=good_file)
    assert (result.rows, result.visits, result.concerns, result.villagers) == (4, 3, 3, 1)
    after = unit_stats(n.township, **YEAR)
    assert after["concerns"] - before["concerns"] == 3
    assert after["resolved"] - before["resolved"] == 1
    assert after["other"] - before["other"] == 1
    assert after["pending"] - before["pending"] == 1
    assert after["visitors"] - before["visitors"] == 2 + 1 + 3
    resolved = Concern.objects.get(summary="宅基地边界纠纷")
    assert resolved.state == State.CLOSED and resolved.outcome == Outcome.RESOLVED
    assert resolved.received_at.date() == dt.date(2025, 3, 18) and resolved.resolved_at.astimezone().date() == dt.date(2025, 3, 25)
    assert resolved.villagers.get().name == "张大山" and Villager.objects.get(name="张大山").phone == "13800000009"
    assert Concern.objects.get(summary="代办低保").outcome == Outcome.WITHDRAWN
    marks = RecordEntry.objects.filter(action="register.import").order_by("seq")
    assert [m.payload for m in marks] == [{"imported": True, "source": "城中镇2025台账.xlsx", "row": r} for r in (2, 3, 4, 5)]
    assert marks[0].concern_id == resolved.pk and marks[0].visit_id == resolved.visit_id
    assert RecordEntry.objects.count() > entries + 4  # the services' own entries too
    assert book.verify()[1] == []
    out = []
    call_command("verify_records", stdout=type("W", (), {"write": lambda self, s: out.append(s), "flush": lambda self: None})())
    assert "OK" in "".join(out) or "ok" in "".join(out).lower()


def test_a_dry_run_checks_and_writes_nothing(network, now, good_file):
    before = snapshot()
    result = services.register_import(actor=network.county_commander, unit=network.township, path=good_file, dry_run=True)
    assert result.concerns == 3 and result.dry_run
    assert snapshot() == before


def test_only_staff_with_access_to_the_unit_may_import(network, now, good_file):
    with pytest.raises(Forbidden):
        services.register_import(actor=network.other_township_staff, unit=network.township, path=good_file)
    with pytest.raises(Forbidden):
        services.register_import(actor=network.supervisor, unit=network.village, path=good_file)
    # A village clerk imports into their own station: the neighbour's row is not theirs.
    with pytest.raises(ImportFailed) as e:
        services.register_import(actor=network.village_clerk, unit=network.village, path=good_file)
    assert [(err.row, err.column) for err in e.value.errors] == [(5, "单位")]
    # The township center may log its villages' visits and concerns, but the steps to an
    # outcome at a village station are the station's (or the commander's) to take.
    with pytest.raises(ImportFailed) as e:
        services.register_import(actor=network.township_staff, unit=network.township, path=good_file)
    assert [(err.row, err.column) for err in e.value.errors] == [(2, "办理结果"), (5, "办理结果")]
    assert "甲村" in e.value.errors[0].message


def test_the_command(network, now, good_file, capsys):
    call_command("import_register", str(good_file), unit=network.township.code, user="county_commander")
    assert Concern.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("import_register", str(good_file), unit=network.township.code, user="other_township_staff")


def test_an_imported_register_texts_nobody(network, now, good_file, django_capture_on_commit_callbacks):
    from huiying.notify.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        services.register_import(actor=network.county_commander, unit=network.township, path=good_file)
    assert Villager.objects.exclude(phone="").exists()  # a villager with a phone was imported…
    assert not Notification.objects.exists()  # …and told nothing about the past
