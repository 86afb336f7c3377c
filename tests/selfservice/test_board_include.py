"""The unit's public page (board) shows the suggestions answered publicly, scrubbed."""
from django.urls import reverse

from huiying.selfservice import services


def test_public_unit_page_shows_public_answers_only(client, network, now):
    public, _ = services.suggestion_drop(unit=network.village, text="请在村口装路灯，我电话13912345678")
    private, _ = services.suggestion_drop(unit=network.village, text="私下的意见")
    services.suggestion_answer(actor=network.village_clerk, suggestion=public, answer="下月安装", public=True)
    services.suggestion_answer(actor=network.village_clerk, suggestion=private, answer="只给你看", public=False)
    html = client.get(reverse("board:unit", args=[network.village.pk])).content.decode()
    assert 'id="box-answers"' in html and "下月安装" in html and "请在村口装路灯" in html
    assert "13912345678" not in html and "私下的意见" not in html and "只给你看" not in html
