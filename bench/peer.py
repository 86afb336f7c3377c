"""Same-run comparison with the peer (django-helpdesk, ../shared/bench/peer_helpdesk).

Both sides are measured the same way: each app behind gunicorn with 2 sync workers on
127.0.0.1, one sequential client, wall time per request (for the peer's list and search
pages: the HTML page plus the DataTables JSON it loads, as its README defines them).
The peer is seeded with as many tickets as we have concerns, so sizes match.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

PEER_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench" / "peer_helpdesk"
PEER_VENV = Path(os.environ.get("PEER_VENV", "/tmp/peer_helpdesk_venv"))
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_peer(n_tickets: int, reads: int) -> dict:
    """Set up (once), seed `n_tickets` and run the peer's own benchmark; its JSON figures."""
    # The peer is its own Django project: don't hand it our settings.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE" and not k.startswith("HUIYING_")}
    if not (PEER_VENV / "bin" / "python").exists():
        subprocess.run(["bash", str(PEER_DIR / "setup.sh")], check=True, stdout=subprocess.DEVNULL, env=env)
    subprocess.run([str(PEER_VENV / "bin" / "python"), str(PEER_DIR / "seed.py"), str(n_tickets)], check=True, cwd=PEER_DIR, stdout=subprocess.DEVNULL, env=env)
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    subprocess.run(
        ["bash", str(PEER_DIR / "run_bench.sh"), "--reads", str(reads), "--create-n", "20", "--threads", "2", "--basic-n", "0",
         "--api-list-reads", "1", "--api-detail-reads", "0", "--phase-budget-s", "120", "--out", str(out)],
        check=True, cwd=PEER_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900, env=env,
    )
    return json.loads(out.read_text())


class OurServer:
    """huiying behind gunicorn, 2 sync workers, on a free port of 127.0.0.1."""

    # How long one start-up probe may wait for an answer, and between probes: a busy machine
    # (a million concerns, other work) answers its first request slowly.
    probe_timeout = 2
    probe_pause = 0.25

    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        env = {**os.environ, "HUIYING_ALLOWED_HOSTS": "127.0.0.1"}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [str(gunicorn), "huiying.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        for _ in range(120):
            try:
                requests.get(self.base + "/login/", timeout=self.probe_timeout)
                return self
            # A read timeout too: otherwise it escapes and leaves gunicorn running.
            except requests.RequestException:
                time.sleep(self.probe_pause)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)

    def session(self, username: str, password: str) -> requests.Session:
        s = requests.Session()
        s.trust_env = False  # loopback only: never a proxy
        s.get(self.base + "/login/", timeout=10)
        r = s.post(self.base + "/login/", data={"username": username, "password": password, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
                   headers={"Referer": self.base + "/login/"}, timeout=10)
        r.raise_for_status()
        return s

    def measure(self, session: requests.Session, path: str, reads: int) -> list[float]:
        session.get(self.base + path, timeout=30)  # warm-up
        times = []
        for _ in range(reads):
            t0 = time.perf_counter()
            r = session.get(self.base + path, timeout=30)
            times.append((time.perf_counter() - t0) * 1000)
            r.raise_for_status()
        return times
