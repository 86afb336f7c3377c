"""Browser tests: Playwright (from PyPI) driving Debian's Chromium — nothing downloads a
browser. Where Chromium is not installed they are reported as skipped (CI installs it).
The launch flags and the phone page are shared with `huiying screenshots`
(huiying/web/browser.py)."""
import os

import pytest

from huiying.web.browser import chromium_path, launch, phone_context

CHROMIUM = chromium_path()
PASSWORD = "a-long-test-password"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason="needs Chromium: apt-get install chromium (CI does)")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # synchronous and safe, so let Django allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p, CHROMIUM)
        yield b
        b.close()


@pytest.fixture
def phone(browser, live_server):
    """A 390-px-wide page in Chinese, against the live test server."""
    context = phone_context(browser, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def sign_in(network):
    def _sign_in(page, username):
        user = network.users[username]
        user.set_password(PASSWORD)
        user.save()
        page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        return page
    return _sign_in
