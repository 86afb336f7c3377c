"""`huiying screenshots`: the staff web app's main pages at 390 px, in Chinese, as PNGs.

It serves the current database (normally the demo county) with `runserver` on 127.0.0.1 in
a subprocess, signs in as the demo logins through the sign-in page, and saves full-page
pictures of what each person sees. All database reads happen before the browser starts:
Playwright's sync API runs an event loop in this thread, where Django refuses ORM calls.
"""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from huiying import access
from huiying.concerns.models import Concern, Track
from huiying.demo.network import PASSWORD
from huiying.demo.seed import existing_county
from huiying.web import png
from huiying.web.browser import PHONE, chromium_path, launch, phone_context

DEFAULT_OUT = "docs/screenshots"
USERS = ("village_clerk", "township_staff", "county_commander")
START_TIMEOUT = 60  # seconds for the server to answer
PAGE_TIMEOUT = 30_000  # milliseconds for one page
# Full pages, but a long list is cut after about three screens: the pictures show what a
# page looks like, and the repository keeps them.
MAX_HEIGHT = 2400


@dataclass
class Shot:
    name: str  # the file, without .png
    title: str  # what it shows, for the output and docs/screenshots/README.md
    path: str  # the URL path
    user: str | None = None  # who is signed in (None: nobody)
    steps: list = field(default_factory=list)  # what to do on the page before the picture


class Command(BaseCommand):
    help = (
        "Take full-page screenshots (PNG, 390 px wide, device scale 1, in Chinese) of the staff web app's main pages "
        "from the current database, normally the demo county (run `huiying seed-demo` first), signed in as the demo "
        "logins. Long pages are cut at 2,400 px; the PNGs get an 8-bit palette to stay small. Serves the app on 127.0.0.1 with runserver in a subprocess and drives the system Chromium "
        "(/usr/bin/chromium, Debian package `chromium`) with Playwright; nothing downloads a browser. Chinese needs a "
        "CJK font: check `fc-list :lang=zh`, else `apt-get install fonts-noto-cjk` (or fonts-wqy-microhei)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", default=DEFAULT_OUT, help=f"directory for the PNG files (default {DEFAULT_OUT}; created if missing)")
        parser.add_argument("--port", type=int, default=0, help="port for the app on 127.0.0.1 (default: a free one)")

    def handle(self, *args, out=DEFAULT_OUT, port=0, **options):
        chromium = chromium_path()
        if chromium is None:
            raise CommandError("Chromium is not installed: apt-get install chromium (or set HUIYING_CHROMIUM to its path)")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise CommandError("Playwright is not installed: pip install playwright (it comes with the test extra: pip install -e '.[test]')") from None
        if not has_cjk_font():
            self.stderr.write("warning: no CJK font found (fc-list :lang=zh); Chinese will show as boxes. "
                              "Install one: apt-get install fonts-noto-cjk (or fonts-wqy-microhei)")
        shots = plan()
        port = port or free_port()
        check_port_free(port)
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)

        written = []
        with serve(port) as base_url, sync_playwright() as p:
            browser = launch(p, chromium)
            try:
                for user in dict.fromkeys(s.user for s in shots):
                    context = phone_context(browser, base_url=base_url)
                    page = context.new_page()
                    page.set_default_timeout(PAGE_TIMEOUT)
                    try:
                        if user:
                            sign_in(page, user)
                        for shot in (s for s in shots if s.user == user):
                            target = out_dir / f"{shot.name}.png"
                            take(page, shot, target)
                            written.append((shot, target))
                    finally:
                        context.close()
            finally:
                browser.close()
        for shot, target in sorted(written, key=lambda w: w[0].name):
            self.stdout.write(f"{target}  {target.stat().st_size // 1024} KB  {shot.title}")
        total = sum(t.stat().st_size for _s, t in written)
        self.stdout.write(f"{len(written)} screenshots, {total // 1024} KB in all")


# --- what to photograph ------------------------------------------------------------------

def plan() -> list[Shot]:
    """The pages and who sees them, from the database (the demo county's logins)."""
    if existing_county() is None:
        raise CommandError("the database holds no county: run `huiying seed-demo` first (or point HUIYING_DATA_DIR / DATABASE_URL at a database that has one)")
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERS)}
    missing = [u for u in USERS if u not in users]
    if missing:
        raise CommandError(f"the demo logins {', '.join(missing)} are missing: the screenshots show the demo county (`huiying seed-demo`)")
    clerk = users["village_clerk"]
    units = access.units_user_acts_in(clerk)
    if not units:
        raise CommandError("village_clerk has no unit: load the demo county with `huiying seed-demo`")
    unit = units[0]
    concern = dispute_with_mediation(clerk, units)
    if concern is None:
        raise CommandError("no dispute with a mediation session is visible to village_clerk: load the demo county with `huiying seed-demo`")
    reception_steps = [
        ("click", "#block-0 input[name=c0-function][value=dispute]"),
        ("fill", "#id_c0-summary", "宅基地边界纠纷"),
        ("wait", "#block-0 input[name=c0-track][value=dispute]:checked"),
    ]
    return [
        Shot("01-sign-in", "Sign-in page", reverse("web:login")),
        Shot("02-home", "Home of a village station clerk", reverse("web:home"), "village_clerk"),
        Shot("03-reception", "Reception and registration, a dispute being typed in", reverse("web:reception"), "village_clerk", reception_steps),
        Shot("04-concern", f"A dispute with its mediation sessions ({concern.reference})", reverse("web:concern", args=[concern.reference]), "village_clerk"),
        Shot("05-queues", "Queues and search, township center", reverse("web:concerns"), "township_staff"),
        Shot("06-overdue", "The overdue queue, county commander", reverse("web:concerns") + "?queue=overdue", "county_commander"),
        Shot("07-unit", "A village station's page", reverse("web:unit", args=[unit.pk]), "village_clerk"),
        Shot("08-workflow", "The workflow chart", reverse("web:unit_workflow", args=[unit.pk]), "village_clerk"),
        Shot("09-record-book", "The work record book, this month", reverse("web:unit_records", args=[unit.pk]), "village_clerk"),
    ]


def dispute_with_mediation(user, units) -> Concern | None:
    """The latest dispute with a mediation session, handled at `user`'s own unit if any."""
    qs = access.visible_concerns(user).filter(track=Track.DISPUTE, mediation_sessions__isnull=False).distinct().order_by("-received_at", "-id")
    return qs.filter(handling_unit__in=units).first() or qs.first()


# --- the browser -------------------------------------------------------------------------

def sign_in(page, username: str) -> None:
    page.goto(reverse("web:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if page.locator("input[name=password]").count():
        raise CommandError(f"cannot sign in as {username} with the demo password: is this the demo county (`huiying seed-demo`)?")


def take(page, shot: Shot, target: Path) -> None:
    response = page.goto(shot.path)
    if response is None or not response.ok:
        raise CommandError(f"{shot.path} answered {response.status if response else 'nothing'} for {shot.user or 'nobody'}")
    for step in shot.steps:
        kind, selector, *value = step
        if kind == "click":
            page.click(selector)
        elif kind == "fill":
            page.fill(selector, *value)
        elif kind == "wait":
            page.wait_for_selector(selector, state="attached")
    page.wait_for_load_state("networkidle")
    # Pictures are of pages, not of focus; and scrolled to the end, a sticky bar (the
    # reception's save button) sits where it belongs instead of over the middle.
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, document.documentElement.scrollHeight)")
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": PHONE["width"], "height": height},
                    animations="disabled", caret="hide")
    png.shrink(target)


# --- the app, served for the browser -----------------------------------------------------

@contextlib.contextmanager
def serve(port: int):
    """runserver on 127.0.0.1:`port` in a subprocess; yields its URL and always stops it."""
    env = {**os.environ, "HUIYING_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    command = [sys.executable, "-m", "huiying", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(server, url, log)
            yield url
        finally:
            if server.poll() is None:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


def wait_until_up(server: subprocess.Popen, url: str, log) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise CommandError(f"the app did not start (exit {server.returncode}):\n{log.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url + reverse("web:login"), timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise CommandError(f"the app did not answer on {url} within {START_TIMEOUT} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_port_free(port: int) -> None:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as e:
            raise CommandError(f"port: cannot listen on 127.0.0.1:{port} ({e.strerror}); choose another with --port") from None


def has_cjk_font() -> bool:
    """Is a Chinese font installed? (Unknown, without fontconfig: assume so.)"""
    if shutil.which("fc-list") is None:
        return True
    result = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())
