import os
import signal
import socket
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from huiying.demo.seed import demo_logins, existing_county, login_lines, seed_demo


class Command(BaseCommand):
    help = (
        "Try huiying on one machine: migrate, load the Ningming demo county if the database holds no county yet, "
        "start the background worker, print the demo logins and serve the site (runserver, no reload)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; others need HUIYING_ALLOWED_HOSTS)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")

    def handle(self, *args, host="127.0.0.1", port=8000, **options):
        _check_port_free(host, port)
        self.prepare()
        worker = subprocess.Popen([sys.executable, "-m", "huiying", "worker"], env=os.environ.copy())
        self.stdout.write(f"后台任务已启动 background worker started (pid {worker.pid})")
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}/"
        self.stdout.write(f"\n网址 Open {url}  （Ctrl-C 停止 / to stop）\n")
        # Ctrl-C and `kill` (SIGTERM) both end runserver cleanly, so the `finally` below always
        # stops the worker too — also when started in the background, where SIGINT is ignored.
        previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            _stop(worker)
            self.stdout.write("已停止 stopped (server and worker)")

    def prepare(self) -> None:
        """Migrate, load the demo county into an empty network, print the logins."""
        call_command("migrate", interactive=False, verbosity=0)
        county = existing_county()
        if county is None:
            self.stdout.write("正在生成宁明县演示数据 loading the Ningming demo county (about half a minute) …")
            result = seed_demo()
            self.stdout.write(f"已生成 loaded: {result.steps} workflow steps in {result.seconds:.0f} s")
        else:
            self.stdout.write(f"数据库已有县 the database already holds {county.name}; serving it as it is")
        for line in login_lines(demo_logins()):
            self.stdout.write(line)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _check_port_free(host: str, port: int) -> None:
    # runserver ends the process with os._exit on a busy port, which would orphan the worker:
    # find out before starting anything.
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            raise CommandError(f"port: cannot listen on {host}:{port} ({e.strerror}); choose another with --port") from None


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()  # the worker finishes its current task and exits
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
