"""The poster, the roster, the record book and the workflow chart: contents, access, bad input."""
import datetime as dt

from django.urls import reverse

from huiying.board.services import board_batch_post
from huiying.concerns import services as cs
from huiying.concerns.models import State, Track
from huiying.concerns.workflow import Step
from huiying.network import services as net
from huiying.records.models import RecordEntry

from helpers import drive, register

from .conftest import flat, fonts


def get(client, name, *args, **params):
    return client.get(reverse(f"printing:{name}", args=args), params)


# --- poster ----------------------------------------------------------------------------

def test_poster_shows_posted_results_anonymised_and_never_confidential_ones(client, network, now):
    n = network
    villager = cs.villager_create(actor=n.village_clerk, name="王大山", hamlet=n.hamlet)
    posted = register(n, actor=n.village_clerk, villagers=[villager], summary="甲一屯水渠堵塞，联系人王大山 13812345678")
    posted = drive(n, posted, State.SUPERVISION, actor=n.village_clerk)
    secret = register(n, actor=n.village_clerk, track="confidential", confidential=True, handler=n.village_clerk, summary="机密举报内容")
    today = now.date()
    board_batch_post(actor=n.village_clerk, unit=n.village, concerns=[posted], period_start=today, period_end=today + dt.timedelta(days=6), objection_until=today + dt.timedelta(days=6))
    response = get(client, "poster", n.village.pk)  # public: no sign-in
    assert response.status_code == 200
    text = flat(response.content)
    assert "甲村·公示牌" in text and posted.reference in text and "已办结" in text
    assert "甲一屯水渠堵塞" in text
    assert "13812345678" not in text and "王大山" not in text  # scrubbed by the board
    assert secret.reference not in text and "机密举报内容" not in text
    assert (today + dt.timedelta(days=6)).isoformat() in text  # the objection deadline
    # A period before anything was posted has nothing on it.
    empty = flat(get(client, "poster", n.village.pk, **{"from": "2026-01-01", "to": "2026-01-31"}).content)
    assert posted.reference not in empty and "本期没有公示内容。" in empty


def test_bad_period_is_a_400_naming_the_field(client, network):
    response = get(client, "poster", network.village.pk, **{"from": "2026-13-01"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "from" in body and "日期请写成 YYYY-MM-DD" in body and "%PDF" not in body
    response = get(client, "poster", network.village.pk, **{"from": "2026-03-10", "to": "2026-03-01"})
    assert response.status_code == 400 and "结束日期早于开始日期" in response.content.decode()


# --- duty roster -----------------------------------------------------------------------

def test_roster_is_a_day_by_staff_grid_for_the_month(login, network, now):
    n = network
    for day in (2, 3, 9):
        net.duty_shift_add(unit=n.village, user=n.village_clerk, day=dt.date(2026, 3, day))
    net.duty_shift_add(unit=n.village, user=n.village_clerk2, day=dt.date(2026, 3, 4))
    net.duty_shift_add(unit=n.village, user=n.village_clerk2, day=dt.date(2026, 4, 1))  # another month
    response = get(login("village_clerk"), "roster", n.village.pk, month="2026-03")
    assert response.status_code == 200
    text = flat(response.content)
    assert "甲村·2026年3月轮值表" in text and "张值班" in text and "赵值班" in text
    assert "03-31" in text and "04-01" not in text
    assert text.count("●") == 4 + 1  # four shifts, and the legend
    assert "值班天数31" in text  # totals: 3 and 1
    # The row of 3 March: Tuesday, 张值班 on duty.
    assert "03-03周二●" in text


def test_bad_month_is_a_400_naming_the_field(login, network):
    client = login("village_clerk")
    for bad in ("2026-13", "March", "2026/03"):
        response = get(client, "roster", network.village.pk, month=bad)
        assert response.status_code == 400, bad
        body = response.content.decode()
        assert "month" in body and "月份请写成 YYYY-MM" in body


def test_roster_is_for_signed_in_staff_of_the_county(client, network, stranger):
    assert get(client, "roster", network.village.pk).status_code == 302
    client.force_login(stranger)
    assert get(client, "roster", network.village.pk).status_code == 404


# --- record book -----------------------------------------------------------------------

def test_record_book_prints_the_entries_with_their_hashes(login, network, now):
    n = network
    concern = register(n, actor=n.village_clerk, summary="村道破损")
    response = get(login("village_clerk"), "records", n.village.pk)
    assert response.status_code == 200
    text = flat(response.content)
    entry = RecordEntry.objects.filter(concern=concern).order_by("seq").first()
    assert concern.reference in text and "甲村·工作记录" in text and "已受理登记" in text and "张值班" in text
    assert entry.hash[:10] in text and entry.hash[:11] not in text
    assert "2026-03-01至2026-03-11" in text  # this month by default


def test_record_book_leaves_out_confidential_entries_for_those_who_may_not_see_them(login, network, now):
    n = network
    secret = register(n, actor=n.village_clerk, track="confidential", confidential=True, handler=n.village_clerk)
    ordinary = register(n, actor=n.village_clerk)
    handler_text = flat(get(login("village_clerk"), "records", n.village.pk).content)
    assert secret.reference in handler_text
    for username in ("supervisor", "village_clerk2"):
        text = flat(get(login(username), "records", n.village.pk).content)
        assert ordinary.reference in text and secret.reference not in text, username


def test_record_book_access(client, login, network, now):
    n = network
    assert get(client, "records", n.village.pk).status_code == 302
    assert get(login("other_village_clerk"), "records", n.village.pk).status_code == 404  # not their book
    assert get(login("township_staff"), "records", n.village.pk).status_code == 200  # the unit above
    assert get(login("village_clerk"), "records", n.village.pk, date_from="2026-02-30").status_code == 400


# --- workflow chart --------------------------------------------------------------------

def test_workflow_chart_is_public_and_drawn_from_the_table(client, network):
    response = get(client, "workflow", network.village.pk)
    assert response.status_code == 200
    text = flat(response.content)
    assert "甲村·工作流程图" in text
    for label in [*Step.LABELS.values(), *(t.label for t in Track), *(s.label for s in State)]:
        assert "".join(str(label).split()) in text, label
    assert all("/FontFile2" in f["descriptor"] for f in fonts(response.content))


def test_print_links_on_the_staff_pages(login, network):
    client = login("village_clerk")
    unit_page = client.get(reverse("web:unit", args=[network.village.pk])).content.decode()
    for name in ("unit_card", "staff_cards", "roster", "poster", "workflow", "records"):
        assert reverse(f"printing:{name}", args=[network.village.pk]) in unit_page, name
    assert reverse("printing:staff_card", args=[network.village.pk, "village_clerk"]) in unit_page
    book = client.get(reverse("web:unit_records", args=[network.village.pk])).content.decode()
    assert reverse("printing:records", args=[network.village.pk]) in book
    chart = client.get(reverse("web:unit_workflow", args=[network.village.pk])).content.decode()
    assert reverse("printing:workflow", args=[network.village.pk]) in chart
