"""The monthly report PDF: it renders, and its text holds the month's figures."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from huiying.concerns import services as cs
from huiying.concerns.models import State
from huiying.core import clock
from huiying.core.errors import Forbidden
from huiying.reports import monthly
from huiying.reports.forms import parse_month
from huiying.stats.selectors import unit_stats

from helpers import act, drive


def text_of(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def month_world(world):
    n = world
    drive(n, n.other, State.CLOSED, actor=n.other_village_clerk)
    act(cs.concern_close_unresolved, actor=n.far_clerk, concern=n.far, outcome="withdrawn", reason="村民撤回")
    return n


def test_the_pdf_holds_the_months_figures_rankings_and_overdue_list(month_world, settings):
    n = month_world
    settings.HUIYING_DASHBOARD_RANK_MIN_CONCERNS = 1
    month = parse_month("2026-03")
    s = unit_stats(n.county, date_from=month, date_to=month.replace(day=31), today=clock.today())
    assert (s["concerns"], s["resolved"], s["other"], s["pending"]) == (4, 1, 1, 2)
    text = text_of(monthly.monthly_pdf(n.county_commander, n.county, month))
    assert "测试县" in text and "2026-03 月度报告" in text
    for label, value in (("关切", 4), ("已解决", 1), ("待解决", 2), ("其他结果", 1), ("解决率", "25.0%")):
        assert f"{label} {value}" in text or f"{label}\n{value}" in text, (label, text[:800])
    assert "城中镇" in text and "明江镇" in text and "排名" in text
    # The three rates, each with its definition; four concerns are too few to rate by default.
    for title in ("按时响应率", "办结率", "满意率"):
        assert title in text, title
    assert "样本不足" in text


def test_the_overdue_list_names_only_visible_overdue_concerns(month_world):
    n = month_world
    later = parse_month("2026-05")
    with clock.frozen(clock.now().replace(month=6)):
        text = text_of(monthly.monthly_pdf(n.township_staff, n.township, later))
        assert n.mine.reference in text  # registered in March, due long before June
        assert n.secret.reference not in text  # confidential: not the township's to see
        assert n.far.reference not in text


def test_outside_units_are_refused(month_world):
    with pytest.raises(Forbidden):
        monthly.monthly_pdf(month_world.township_staff, month_world.other_township, parse_month("2026-03"))


def test_the_page_and_the_command(month_world, login, client, tmp_path):
    n = month_world
    login("county_commander")
    r = client.get(reverse("reports:monthly"), {"unit": n.county.pk, "month": "2026-03"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and "关切" in text_of(r.content)
    assert client.get(reverse("reports:monthly"), {"unit": n.county.pk, "month": "2026-13"}).status_code == 400
    login("township_staff")
    assert client.get(reverse("reports:monthly"), {"unit": n.other_township.pk, "month": "2026-03"}).status_code == 400
    out = tmp_path / "m.pdf"
    call_command("monthly_report", unit=n.county.code, month="2026-03", output=str(out))
    assert "测试县" in text_of(out.read_bytes())
