"""The staff web app's frame: sign-in, the home page for each role, language, CSRF."""
import pytest
from django.urls import reverse

from huiying.concerns import services as cs
from huiying.concerns.models import Function, Track
from huiying.network import services as net


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_sign_in_page_is_chinese_and_mobile_ready(client, db):
    page = client.get(reverse("web:login")).content.decode()
    assert 'lang="zh-hans"' in page and "工作人员登录" in page and 'name="viewport"' in page
    assert "/static/django_htmx/htmx-2.min.js" in page and "https://" not in page


def test_wrong_password_is_refused_in_chinese_and_keeps_the_username(client, network):
    response = client.post(reverse("web:login"), {"username": "village_clerk", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200 and "village_clerk" in page and "请输入一个正确的" in page


@pytest.mark.parametrize("username", ["village_clerk", "hamlet_clerk", "township_staff", "county_commander", "dept_liaison", "supervisor"])
def test_home_for_each_role(login, network, now, username):
    n = network
    net.duty_shift_add(unit=n.village, user=n.village_clerk2, day=now.date())
    cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=2, concerns=[
        {"function": Function.DISPUTE, "summary": "宅基地边界纠纷", "track": Track.DISPUTE, "handler": n.village_clerk},
    ])
    page = login(username, password=True).get(reverse("web:home")).content.decode()
    if username == "village_clerk":
        assert "甲村" in page and "赵值班" in page  # on duty today
        assert "宅基地边界纠纷" in page  # my concerns
        assert "2 位来访群众" in page or "2" in page
    if username == "township_staff":
        assert "上报给本级" in page  # the township sees escalations to it


def test_township_sees_overdue_items_from_below(login, network, now):
    import datetime as dt

    from huiying.core import clock

    n = network
    cs.concern_register(actor=n.village_clerk, unit=n.village, function=Function.DISPUTE, channel="phone", summary="水渠纠纷拖了很久", track=Track.DISPUTE)
    with clock.frozen(now + dt.timedelta(days=40)):
        page = login("township_staff", password=True).get(reverse("web:home")).content.decode()
        assert "已超期" in page and "水渠纠纷拖了很久" in page
        other = login("other_township_staff", password=True).get(reverse("web:home")).content.decode()
        assert "水渠纠纷拖了很久" not in other


def test_english_is_selectable(login, network):
    client = login("village_clerk", password=True)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("web:home")).content.decode()
    assert 'lang="en"' in page and "On duty today" in page


def test_csrf_is_enforced(network):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("web:login"), {"username": "x", "password": "y"}).status_code == 403


def test_pages_and_assets_go_out_compressed(login, network):
    """Clerks are on weak mobile data: HTML, CSS and the htmx script are sent gzip-compressed."""
    client = login("village_clerk", password=True)
    page = client.get(reverse("web:home"), HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    script = client.get("/static/django_htmx/htmx-2.min.js", HTTP_ACCEPT_ENCODING="gzip")
    body = b"".join(script.streaming_content) if script.streaming else script.content
    assert script.status_code == 200 and script["Content-Encoding"] == "gzip" and len(body) < 25_000
