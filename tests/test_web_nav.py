"""The main navigation marks the one page you are on, whichever app serves it (several apps
name a view "unit")."""
import re

import pytest


@pytest.mark.parametrize("url, current", [
    ("/", "首页"),
    ("/concerns/", "查询"),
    ("/units/{village}/", "本单位"),
    ("/dashboard/units/{township}/", "指挥看板"),
])
def test_the_nav_marks_exactly_the_page_you_are_on(login, network, url, current):
    html = login("township_staff").get(url.format(village=network.township.pk, township=network.township.pk)).content.decode()
    nav = html[html.index('<nav class="nav"'):html.index("</nav>")]
    marked = re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', nav)
    assert marked == [current]
