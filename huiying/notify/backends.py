"""Where a text message goes: a backend chosen by `settings.HUIYING_NOTIFY_BACKEND`.

- `console`: written to the `huiying.notify` log (the demo, a developer's terminal);
- `file`: appended as one JSON line to `HUIYING_NOTIFY_FILE` (default: `notifications.jsonl`
  in the data directory), so a demo user or a test can read what would have been sent;
- `http`: an HTTP SMS gateway: a JSON POST `{"to", "text", "id"}` to `HUIYING_SMS_URL` with
  `Authorization: Bearer HUIYING_SMS_TOKEN`; any 2xx is success, anything else a failure;
- `memory`: kept in `backends.outbox` (tests);
- or the dotted path of a class with the same `send` method.

A backend raises `SendError` when the message did not go out; the caller retries it.
"""
import json
import logging
import urllib.error
import urllib.request
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("huiying.notify")
USER_AGENT = "huiying-notify/1"


class SendError(Exception):
    pass


class Backend:
    name = "base"

    def send(self, *, to: str, text: str, message_id: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(Backend):
    name = "console"

    def send(self, *, to, text, message_id):
        log.info("SMS %s to %s: %s", message_id, to, text)


class FileBackend(Backend):
    name = "file"

    def send(self, *, to, text, message_id):
        line = json.dumps({"id": message_id, "to": to, "text": text}, ensure_ascii=False)
        try:
            with open(settings.HUIYING_NOTIFY_FILE, "a", encoding="utf-8") as f:
                f.write(line + "\n")
        except OSError as e:
            raise SendError(str(e)) from e


outbox: list[dict] = []


class MemoryBackend(Backend):
    name = "memory"

    def send(self, *, to, text, message_id):
        outbox.append({"id": message_id, "to": to, "text": text})


class HttpSmsBackend(Backend):
    """An adapter for an HTTP SMS gateway. Gateways differ in their field names; this one
    speaks a plain JSON shape that a small relay (or the gateway's own JSON API) accepts."""

    name = "http"

    def send(self, *, to, text, message_id):
        url = settings.HUIYING_SMS_URL
        if not url:
            raise SendError("HUIYING_SMS_URL is not set")
        body = json.dumps({"to": to, "text": text, "id": message_id}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
        if settings.HUIYING_SMS_TOKEN:
            headers["Authorization"] = f"Bearer {settings.HUIYING_SMS_TOKEN}"
        req = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=settings.HUIYING_SMS_TIMEOUT) as resp:
                if not 200 <= resp.status < 300:
                    raise SendError(f"HTTP {resp.status}")
        except urllib.error.HTTPError as e:
            raise SendError(f"HTTP {e.code}") from e
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise SendError(str(getattr(e, "reason", e))[:500]) from e


BACKENDS = {b.name: b for b in (ConsoleBackend, FileBackend, MemoryBackend, HttpSmsBackend)}


@lru_cache(maxsize=8)
def _backend_class(name: str) -> type[Backend]:
    return BACKENDS.get(name) or import_string(name)


def backend() -> Backend:
    return _backend_class(settings.HUIYING_NOTIFY_BACKEND)()
