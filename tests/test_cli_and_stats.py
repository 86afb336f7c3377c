"""The command line (`huiying …`) and the statistics core, counted a second way."""
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from huiying.concerns import services as cs
from huiying.concerns.management.commands.workflow import workflow_markdown
from huiying.concerns.models import Concern, Function, Outcome, Track, Visit
from huiying.stats.selectors import unit_stats

ROOT = Path(__file__).resolve().parent.parent


def _history(n, now):
    """A small mixed history: 3 visits (6 visitors), 5 concerns ending in every way."""
    v1 = cs.villager_create(actor=n.village_clerk, name="黄一", hamlet=n.hamlet)
    v2 = cs.villager_create(actor=n.hamlet_clerk, name="黄二", hamlet=n.hamlet)
    cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=3, villagers=[v1], concerns=[
        {"function": Function.SUGGESTION, "summary": "修路建议", "track": Track.TIME_LIMITED},
        {"function": Function.AGENCY_SERVICE, "summary": "低保咨询", "track": Track.POLICY, "answer": "当面解答"},
    ])
    cs.visit_log(actor=n.hamlet_clerk, unit=n.point, visitor_count=2, villagers=[v2], concerns=[
        {"function": Function.DISPUTE, "summary": "宅基地纠纷", "track": Track.DISPUTE, "villagers": [v2]},
    ])
    cs.visit_log(actor=n.far_clerk, unit=n.far_village, visitor_count=1)
    c = cs.concern_register(actor=n.other_village_clerk, unit=n.other_village, function=Function.SENTIMENT, channel="phone", summary="情绪疏导", track=Track.TIME_LIMITED)
    cs.concern_close_unresolved(actor=n.other_village_clerk, concern=c, version=c.version, outcome=Outcome.WITHDRAWN, reason="本人撤回")
    cs.concern_register(actor=n.far_clerk, unit=n.far_village, function=Function.SUGGESTION, channel="online", summary="网上建议", track=Track.TIME_LIMITED)


def _independent_counts(unit, today):
    """The same figures counted by walking rows in Python, not by the selector's queries."""
    def inside(u):
        while u is not None:
            if u.id == unit.id:
                return True
            u = u.parent
        return False

    concerns = [c for c in Concern.objects.select_related("received_unit__parent__parent__parent") if inside(c.received_unit)]
    visits = [v for v in Visit.objects.select_related("unit__parent__parent__parent") if inside(v.unit)]
    return {
        "visitors": sum(v.visitor_count for v in visits),
        "concerns": len(concerns),
        "resolved": sum(c.outcome == "resolved" for c in concerns),
        "pending": sum(c.outcome == "" for c in concerns),
        "other": sum(c.outcome not in ("", "resolved") for c in concerns),
        "overdue": sum(c.outcome == "" and c.due_date < today for c in concerns),
    }


def test_stats_match_an_independent_count_at_every_level(network, now):
    _history(network, now)
    later = now.date() + dt.timedelta(days=60)
    for unit in [network.county, network.township, network.other_township, network.village, network.point, network.far_village]:
        s = unit_stats(unit, today=later)
        expected = _independent_counts(unit, later)
        assert {k: s[k] for k in expected} == expected, unit.name
        assert s["concerns"] == s["resolved"] + s["pending"] + s["other"]
    county = unit_stats(network.county)
    assert (county["visitors"], county["concerns"], county["resolved"], county["pending"], county["other"]) == (6, 5, 1, 3, 1)
    assert county["units"] == {"township": 2, "village": 3, "point": 1, "hamlet": 4}
    assert county["staff"] == {"county": 1, "township": 2, "village": 4, "hamlet": 1, "department": 1}


def test_stats_period_filters_by_day_inclusive(network, now):
    _history(network, now)
    day = now.date()
    assert unit_stats(network.county, date_from=day, date_to=day)["concerns"] == 5
    assert unit_stats(network.county, date_from=day + dt.timedelta(days=1))["concerns"] == 0
    assert unit_stats(network.county, date_to=day - dt.timedelta(days=1))["visitors"] == 0


def test_stats_command_prints_one_json_object(network, now):
    _history(network, now)
    out = io.StringIO()
    call_command("stats", "--json", stdout=out)
    data = json.loads(out.getvalue())
    for key in ("visitors", "concerns", "resolved", "pending", "other", "overdue"):
        assert isinstance(data[key], int)
    assert set(data["units"]) >= {"township", "village", "hamlet", "point"}
    assert set(data["staff"]) >= {"county", "township", "village", "hamlet"}
    out = io.StringIO()
    call_command("stats", "--unit", network.village.code, "--json", stdout=out)
    # The village's subtree includes its hamlet point: 3 visitors at the station, 2 at the point.
    assert json.loads(out.getvalue())["visitors"] == 5


@pytest.mark.parametrize("args, field", [
    (["--unit", "999999999999"], "unit"),
    (["--from", "2026-13-01"], "from"),
    (["--from", "2026-03-02", "--to", "2026-03-01"], "from"),
])
def test_stats_command_names_the_bad_option(network, args, field):
    with pytest.raises(CommandError, match=f"^{field}:"):
        call_command("stats", *args)


def test_stats_command_on_an_empty_network_says_what_to_do(db):
    with pytest.raises(CommandError, match="seed-demo"):
        call_command("stats")


def test_workflow_page_is_drawn_from_the_table():
    with translation.override("en"):
        assert workflow_markdown() in (ROOT / "docs" / "workflow.md").read_text(encoding="utf-8"), \
            "docs/workflow.md is stale: regenerate it with `huiying workflow`"


def test_cli_maps_hyphenated_commands(tmp_path):
    env = {"HUIYING_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "huiying", "verify-records", "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "hash chain" in result.stdout


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2
    assert block[0].endswith("huiying demo") and "pytest" in block[1]


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
