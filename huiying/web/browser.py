"""Headless Chromium for the browser tests and `huiying screenshots`.

Playwright comes from PyPI, the browser from the system (Debian's `chromium` package):
nothing here downloads a browser. Both the test fixture and the screenshots command launch
it through `launch()`, with the same flags and the same phone-sized, Chinese page.
"""
import os
import shutil
from pathlib import Path

# A phone: what most clerks use.
PHONE = {"width": 390, "height": 844}
LOCALE = "zh-CN"
# Headless, no sandbox (containers, CI), and no traffic of its own: no updates, no sync,
# no background requests that would make a test wait or a screenshot differ.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The system Chromium: $HUIYING_CHROMIUM, else `chromium` / `chromium-browser` on the
    PATH, else Debian's /usr/bin/chromium. None when there is none."""
    explicit = os.environ.get("HUIYING_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def launch(playwright, executable_path: str | None = None):
    """Start headless Chromium through a running `sync_playwright()`."""
    path = executable_path or chromium_path()
    if path is None:
        raise FileNotFoundError("Chromium is not installed: apt-get install chromium")
    return playwright.chromium.launch(executable_path=path, headless=True, args=ARGS)


def phone_context(browser, **kwargs):
    """A 390-px-wide context in Chinese at device scale 1 (small, sharp enough screenshots)."""
    options = {"viewport": PHONE, "locale": LOCALE, "device_scale_factor": 1, **kwargs}
    return browser.new_context(**options)
