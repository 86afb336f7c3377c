"""The frame in a real browser at phone width: sign in, home page, no horizontal scroll."""
import pytest


@pytest.mark.django_db(transaction=True)
def test_a_clerk_signs_in_on_a_phone_and_sees_home_in_chinese(phone, sign_in, network):
    sign_in(phone, "village_clerk")
    assert phone.locator("h2", has_text="甲村").count() == 1
    assert "今日值班" in phone.content()
    # Nothing wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
