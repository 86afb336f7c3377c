"""Page benchmark for the staff web app, on the demo county.

    HUIYING_DATA_DIR=/tmp/hy-bench .venv/bin/python bench/pages.py [--reads 30] [--json out.jsonl]

Seeds the demo county into HUIYING_DATA_DIR if it holds none, then, for each main page and
the role that uses it, measures server time (the request handled in-process through the
whole middleware stack, no network: what the server spends) over N sequential reads after
one warm-up, and the bytes a phone transfers on a first load: the page and every
stylesheet and script it links, as the server sends them (gzip accepted).

Budgets (issue "staff web app"): p95 <= 50 ms server time, <= 150 KB transferred compressed.
Figures on a shared 2-core machine are noisy: read medians and p95 over several runs.
"""
import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiying.settings")
os.environ.setdefault("HUIYING_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

BUDGET_MS, BUDGET_KB = 50.0, 150.0


def percentile(values, q):
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def pages():
    from huiying.concerns.models import Concern
    from huiying.network.models import Membership

    def unit_of(username):
        return Membership.objects.filter(user__username=username).values_list("unit_id", flat=True).first()

    village_unit = unit_of("village_clerk")
    concern = Concern.objects.filter(received_village=village_unit, confidential=False).order_by("-received_at").first()
    return [
        ("home", "village_clerk", reverse("web:home")),
        ("home", "township_staff", reverse("web:home")),
        ("home", "county_commander", reverse("web:home")),
        ("reception", "village_clerk", reverse("web:reception")),
        ("concern", "village_clerk", reverse("web:concern", args=[concern.reference])),
        ("queues", "township_staff", reverse("web:concerns")),
        ("queues overdue", "county_commander", reverse("web:concerns") + "?queue=overdue"),
        ("search 土地", "county_commander", reverse("web:concerns") + "?q=%E5%9C%9F%E5%9C%B0"),
        ("unit", "village_clerk", reverse("web:unit", args=[village_unit])),
        ("record book", "township_staff", reverse("web:unit_records", args=[unit_of("township_staff")])),
        ("workflow chart", "village_clerk", reverse("web:unit_workflow", args=[village_unit])),
    ]


def _sent(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def first_load_bytes(client, url: str) -> int:
    """Bytes on the wire for a phone's first load (gzip accepted, nothing cached): the page
    and each stylesheet and script it links, as the server actually sends them."""
    page = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    total = len(_sent(page))
    html = gzip.decompress(_sent(page)).decode() if page.get("Content-Encoding") == "gzip" else _sent(page).decode()
    for asset in sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html))):
        total += len(_sent(client.get(asset, HTTP_ACCEPT_ENCODING="gzip")))
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=30)
    parser.add_argument("--json", help="append one JSON line per page here")
    parser.add_argument("--peer", action="store_true", help="also run django-helpdesk at the same size and print ratios (needs gunicorn: pip install -e '.[bench]')")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from huiying.demo.seed import existing_county, seed_demo

    if existing_county() is None:
        print("loading the demo county …", file=sys.stderr)
        seed_demo()
    from django.contrib.auth import get_user_model

    results, clients = [], {}
    for name, username, url in pages():
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(get_user_model().objects.get(username=username))
        warm = client.get(url)
        if warm.status_code != 200:
            print(f"{name} {url}: HTTP {warm.status_code}", file=sys.stderr)
            continue
        times = []
        for _ in range(args.reads):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        kb = first_load_bytes(client, url) / 1024
        row = {"page": name, "role": username, "url": url, "reads": args.reads,
               "p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1),
               "first_load_kb_gzip": round(kb, 1), "html_kb": round(len(warm.content) / 1024, 1)}
        row["within_budget"] = row["p95_ms"] <= BUDGET_MS and kb <= BUDGET_KB
        results.append(row)
    print(f"{'page':16} {'role':17} {'p50 ms':>7} {'p95 ms':>7} {'KB gz':>6}  budget(p95<={BUDGET_MS:.0f}ms, <={BUDGET_KB:.0f}KB)")
    for r in results:
        print(f"{r['page']:16} {r['role']:17} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {r['first_load_kb_gzip']:6.1f}  {'ok' if r['within_budget'] else 'OVER'}")
    if args.peer:
        compare_with_peer(args.reads, results)
    if args.json:
        with open(args.json, "a", encoding="utf-8") as f:
            for r in results:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")


# Our page and the peer figure that does the same job for the same user.
PEER_PAIRS = [
    ("home", "county_commander", "staff dashboard", lambda p: p["c_dashboard"]),
    ("queues", "township_staff", "ticket list by status (page + JSON)", lambda p: p["b_list_status_ui"]["page_plus_data"]),
    ("search 土地", "county_commander", "keyword search (page + JSON)", lambda p: next(iter(p["d_search_ui"].values()))["page_plus_data"]),
]


def compare_with_peer(reads: int, results: list[dict]) -> None:
    from huiying.concerns.models import Concern

    from peer import OurServer, run_peer

    n = Concern.objects.count()
    print(f"\npeer: django-helpdesk seeded with {n} tickets (= our concerns); both behind gunicorn, 2 workers, HTTP from one client")
    peer = run_peer(n, reads)
    urls = {(r["page"], r["role"]): r["url"] for r in results}
    with OurServer() as server:
        print(f"{'ours':16} {'p50':>7} {'p95':>7} | {'peer':38} {'p50':>7} {'p95':>7} | {'ratio p50':>9}")
        for page, role, peer_name, pick in PEER_PAIRS:
            session = server.session(role, "huiying-demo")
            ours = server.measure(session, urls[(page, role)], reads)
            theirs = pick(peer)
            o50, o95 = statistics.median(ours), percentile(ours, 0.95)
            print(f"{page:16} {o50:7.1f} {o95:7.1f} | {peer_name:38} {theirs['p50_ms']:7.1f} {theirs['p95_ms']:7.1f} | {theirs['p50_ms'] / o50:8.1f}x")


if __name__ == "__main__":
    main()
