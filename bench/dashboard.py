"""Benchmark of the county dashboard (指挥看板) at 10,000 and 1,000,000 concerns, on SQLite and
PostgreSQL, with the peer (django-helpdesk's staff dashboard) measured in the same run.

    .venv/bin/python bench/dashboard.py                      # SQLite, 10k and 1M, + peer
    .venv/bin/python bench/dashboard.py --db postgres        # PostgreSQL (hy_dashboard, hy_dashboard_10k)
    .venv/bin/python bench/dashboard.py --db sqlite,postgres --sizes 10000,1000000

What it builds (once per database and size; later runs reuse it):
- a large county: 25 townships × 20 village stations, 40% of villages with two hamlet points
  (about 1,000 units, 1,400 hamlets), a clerk per station, staff per township, a commander;
- N concerns over 2024-01-01 .. today, realistic in distribution: received at points 30%,
  stations 55%, township centers 12%, the HQ 3%; function and track correlated as in the
  seed (disputes mediated, agency matters proxied …); channel mostly visits, each with its
  visit (1–3 visitors) and 5% visits with no concern; outcomes by age (a concern older than a
  month is almost always finished; 94% resolved, ~1.5% ended otherwise); due dates from the
  track's limit; state consistent with outcome; 40% of resolved concerns rated by the villager
  (70% satisfied, 22% basically, 8% not) and 4% also by a supervisor (the satisfaction rate's
  rows). Rows satisfy every constraint of the models. No record-book entries or villagers are
  written: the dashboard reads neither.
Bulk inserts (executemany / COPY) with the tally triggers dropped, then `tally_rebuild()` and
the triggers re-installed, so the load takes minutes, not hours; the rebuild time is printed.

What it measures: huiying behind gunicorn (2 sync workers, 127.0.0.1), one sequential client,
wall time per request, after a warm-up — the same way bench/peer.py measures the peer.
Targets: county dashboard p95 ≤ 100 ms; 1M no more than 2× the 10k time.
"""
import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = Path("/tmp/hy-dashboard-bench")
PG = "postgres://postgres@127.0.0.1:5432/"
PG_DB = {1_000_000: "hy_dashboard"}
PASSWORD = "bench-dashboard-pw"
T0 = dt.date(2024, 1, 1)


def percentile(values, q):
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def env_for(db: str, size: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["HUIYING_DATA_DIR"] = str(DATA_ROOT / f"{db}-{size}")
    env["DJANGO_SETTINGS_MODULE"] = "huiying.settings"
    if db == "postgres":
        env["DATABASE_URL"] = PG + PG_DB.get(size, f"hy_dashboard_{size}")
    return env


# --- generation (runs inside a worker process, with Django set up) -----------------------

TRACK_OF_FUNCTION = {  # function → [(track, weight)]
    "agency_service": [("agency", 70), ("policy", 25), ("time_limited", 5)],
    "dispute": [("dispute", 75), ("beyond_authority", 15), ("time_limited", 10)],
    "sentiment": [("time_limited", 50), ("policy", 30), ("confidential", 15), ("beyond_authority", 5)],
    "suggestion": [("policy", 60), ("time_limited", 40)],
}
FUNCTIONS = [("agency_service", 35), ("dispute", 30), ("sentiment", 15), ("suggestion", 20)]
CHANNELS = [("visit", 60), ("phone", 20), ("online", 10), ("box", 4), ("point", 6)]
LIMIT_DAYS = {"policy": 0, "dispute": 14, "time_limited": 21, "agency": 28, "beyond_authority": 21, "confidential": 21}
SUMMARIES = ["宅基地边界纠纷", "低保申请代办", "灌溉水渠维修", "村道硬化建议", "医保报销咨询", "邻里噪音矛盾", "危房改造申请", "土地流转合同", "养老保险补缴", "山林权属争议"]
OTHER = ["withdrawn", "merged", "transferred_out", "cannot_resolve"]


def pick(rng, choices):
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def build_network():
    from huiying.network import services as net
    from huiying.network.models import Level, Role

    county = net.unit_create(level=Level.COUNTY, parent=None, name="基准县村民关切回应指挥部", code="459900000000", ref_prefix="BN")
    net.staff_create(username="bench_commander", full_name="基准指挥长", unit=county, role=Role.COMMANDER, password=PASSWORD)
    receivers = [(county, None)]  # (unit, hamlet or None)
    staff = {county.id: None}
    for t in range(25):
        town = net.unit_create(level=Level.TOWNSHIP, parent=county, name=f"第{t + 1}镇")
        staff[town.id] = net.staff_create(username=f"b_t{t}", full_name=f"镇{t}中心", unit=town, role=Role.CENTER_STAFF).id
        receivers.append((town, None))
        for v in range(20):
            village = net.unit_create(level=Level.VILLAGE, parent=town, name=f"第{t + 1}镇{v + 1}村")
            staff[village.id] = net.staff_create(username=f"b_v{t}_{v}", full_name=f"村{t}-{v}值班", unit=village, role=Role.CLERK).id
            hamlet = net.hamlet_create(village=village, name="中屯")
            receivers.append((village, hamlet))
            if (t * 20 + v) % 5 < 2:
                for p in range(2):
                    point = net.unit_create(level=Level.HAMLET, parent=village, name=f"第{t + 1}镇{v + 1}村{p + 1}屯回应点")
                    staff[point.id] = staff[village.id]
                    receivers.append((point, net.hamlet_create(village=village, name=f"{p + 1}屯", point=point)))
    return county, receivers, staff


def generate(size: int, today: dt.date) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from huiying.concerns.models import Concern, Visit
    from huiying.dashboard import services as ds
    from huiying.network.models import Level

    timings = {}
    t = time.perf_counter()
    county, receivers, staff = build_network()
    commander = get_user_model().objects.get(username="bench_commander").id
    timings["network_s"] = round(time.perf_counter() - t, 1)
    rng = random.Random(size)
    weights = {Level.COUNTY: 3, Level.TOWNSHIP: 12, Level.VILLAGE: 55, Level.HAMLET: 30}
    per_level = {}
    for unit, hamlet in receivers:
        per_level.setdefault(unit.level, []).append((unit, hamlet))
    levels = list(weights)
    span = (today - T0).days + 1
    tz = timezone.get_current_timezone()
    c_cols = [f.column for f in Concern._meta.concrete_fields if f.column != "id"]
    v_cols = [f.column for f in Visit._meta.concrete_fields if f.column != "id"]
    concerns, visits, ratings, sup_ratings = [], [], [], []
    verdicts = [("satisfied", 70), ("basic", 22), ("dissatisfied", 8)]
    t = time.perf_counter()
    seq = {}
    for i in range(size):
        level = rng.choices(levels, weights=[weights[x] for x in levels])[0]
        unit, hamlet = rng.choice(per_level[level])
        # More concerns lately (the network grows), none in the future.
        day = T0 + dt.timedelta(days=min(span - 1, int(span * (rng.random() ** 0.8))))
        at = dt.datetime.combine(day, dt.time(8 + rng.randrange(10), rng.randrange(60)), tz)
        function = pick(rng, FUNCTIONS)
        track = pick(rng, TRACK_OF_FUNCTION[function])
        channel = pick(rng, CHANNELS) if level != Level.COUNTY else rng.choice(["phone", "online"])
        if channel == "point" and level != Level.HAMLET:
            channel = "visit"
        age = (today - day).days
        p_pending = 0.45 if age < 30 else 0.08 if age < 90 else 0.004
        r = rng.random()
        outcome = "" if r < p_pending else "resolved" if r < 0.985 else rng.choice(OTHER)
        due = day + dt.timedelta(days=LIMIT_DAYS[track])
        handler = staff.get(unit.id) or commander
        handling = unit
        state = rng.choice(["registered", "analysis", "on_site"]) if not outcome else "closed"
        if not outcome and track == "beyond_authority" and unit.parent_id is not None:
            handling, state = unit.parent, "escalated"
        if outcome == "resolved" and age < 20:
            state = rng.choice(["supervision", "posted", "closed"])
        finished = at + dt.timedelta(days=rng.randint(0, max(LIMIT_DAYS[track], 1)), hours=2)
        year = day.year
        seq[year] = seq.get(year, 0) + 1
        visit_id = None
        if channel == "visit":
            visits.append((unit, at, handler, rng.choice([1, 1, 1, 2, 3])))
            visit_id = len(visits)  # ids are assigned in insertion order on a fresh table
        row = {
            "reference": f"BN-{year}-{seq[year]:07d}", "function": function, "channel": channel, "summary": rng.choice(SUMMARIES),
            "details": "", "hamlet_id": hamlet.id if hamlet else None, "visit_id": visit_id, "confidential": track == "confidential",
            "risk_level": "low", "track": track, "state": state, "outcome": outcome,
            "outcome_reason": "村民撤回" if outcome in OTHER else "", "result": "已办结" if outcome == "resolved" else "",
            "merged_into_id": None, "received_unit_id": unit.id, "received_at": at, "registered_by_id": handler,
            "handling_unit_id": handling.id, "handler_id": handler, "due_date": due,
            "overdue": not outcome and due < today, "overdue_since": due + dt.timedelta(days=1) if not outcome and due < today else None,
            "alert_unit_id": (handling.parent_id if not outcome and due < today else None),
            "extension_count": 0, "transfer_count": 0, "reopen_count": 0,
            "resolved_at": finished if outcome == "resolved" else None, "closed_at": finished if state == "closed" else None, "version": 3,
            "received_county_id": unit.county_id, "received_township_id": unit.township_id,
            "received_village_id": unit.village_id, "received_point_id": unit.point_id,
        }
        concerns.append(tuple(row[c] for c in c_cols))
        if outcome == "resolved" and rng.random() < 0.4:
            ratings.append((i + 1, pick(rng, verdicts), "", finished + dt.timedelta(days=1), handler, 0))
            if rng.random() < 0.1:
                sup_ratings.append((i + 1, commander, county.id, pick(rng, verdicts), "复核满意", finished + dt.timedelta(days=2), 0))
    for _ in range(size // 20):  # visits that brought no concern
        unit, _h = rng.choice(receivers)
        day = T0 + dt.timedelta(days=rng.randrange(span))
        visits.append((unit, dt.datetime.combine(day, dt.time(9), tz), staff.get(unit.id) or commander, 1))
    v_rows = []
    for unit, at, handler, n in visits:
        row = {"unit_id": unit.id, "visited_at": at, "staff_id": handler, "visitor_count": n, "note": "",
               "county_id": unit.county_id, "township_id": unit.township_id, "village_id": unit.village_id, "point_id": unit.point_id}
        v_rows.append(tuple(row[c] for c in v_cols))
    timings["rows_built_s"] = round(time.perf_counter() - t, 1)

    t = time.perf_counter()
    ds.tally_triggers_drop()
    with transaction.atomic():
        _load(connection, "concerns_visit", v_cols, v_rows)
        _check_ids_from_one(Visit)
        _load(connection, "concerns_concern", c_cols, concerns)
        _check_ids_from_one(Concern)  # the ratings name their concern by its place in the load
        _load(connection, "concerns_concernrating", ["concern_id", "rating", "comment", "at", "recorded_by_id", "round"], ratings)
        _load(connection, "supervision_supervisorrating", ["concern_id", "rater_id", "unit_id", "rating", "comment", "at", "round"], sup_ratings)
    timings["load_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    ds.tally_rebuild()
    ds.tally_triggers_install()
    timings["tally_rebuild_s"] = round(time.perf_counter() - t, 1)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    return timings


def _check_ids_from_one(model) -> None:
    # Rows refer to visits and concerns by their place in the load: a fresh table counts from 1,
    # PostgreSQL's sequence too; check rather than hope.
    first = model.objects.order_by("id").values_list("id", flat=True).first()
    assert first == 1, (model.__name__, first)


def _sqlite_value(v):
    # What Django's SQLite backend stores: naive UTC datetimes, ISO dates.
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _load(connection, table: str, cols: list[str], rows: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        raw = connection.cursor().cursor  # psycopg 3: COPY is the fast path
        with raw.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
    with connection.cursor() as c:
        for i in range(0, len(rows), 50_000):
            c.executemany(sql, [tuple(_sqlite_value(v) for v in row) for row in rows[i:i + 50_000]])


# --- measurement -----------------------------------------------------------------------

def patient_server():
    """bench/peer.py's OurServer, waiting out a slow first request on a busy machine, and
    signing in without following the redirect."""
    import requests
    from peer import OurServer

    class Patient(OurServer):
        probe_timeout = 30
        probe_pause = 0.5

        def session(self, username, password):
            # Not following the sign-in's redirect: the home page is not what is measured,
            # and at a million concerns its lists take longer than the dashboard.
            s = requests.Session()
            s.trust_env = False
            s.get(self.base + "/login/", timeout=60)
            r = s.post(self.base + "/login/", data={"username": username, "password": password, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
                       headers={"Referer": self.base + "/login/"}, timeout=60, allow_redirects=False)
            assert r.status_code == 302, r.status_code
            return s

    return Patient


def worker(size: int, reads: int, generate_only: bool = False) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from huiying.concerns.models import Concern
    from huiying.core import clock
    from huiying.network.models import Level, Unit

    call_command("migrate", verbosity=0)
    today = clock.today()
    info = {"size": size}
    if not Unit.objects.filter(code="459900000000").exists():
        if Concern.objects.exists():
            raise SystemExit(f"{os.environ['HUIYING_DATA_DIR']} holds other data: use an empty database")
        info["generate"] = generate(size, today)
    info["concerns"] = Concern.objects.count()
    # What the deadline tick does daily: fold the pending rows due before today.
    from huiying.dashboard import services as ds

    t = time.perf_counter()
    ds.tally_fold(today)
    info["tally_fold_s"] = round(time.perf_counter() - t, 2)
    if generate_only:
        return info
    county = Unit.objects.get(code="459900000000")
    township = Unit.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("id").first()
    village = Unit.objects.filter(parent=township, level=Level.VILLAGE).order_by("id").first()
    from huiying.dashboard.models import ConcernTally

    info["tally_rows"] = ConcernTally.objects.count()
    info["tally_rows_county"] = ConcernTally.objects.filter(scope=county).count()
    info["tally_rows_county_this_year"] = ConcernTally.objects.filter(scope=county, month__gte=today.replace(month=1, day=1)).count()
    sys.path.insert(0, str(ROOT / "bench"))
    server_class = patient_server()

    pages = [
        ("county dashboard (this year)", f"/dashboard/units/{county.id}/"),
        ("county workload (part)", f"/dashboard/units/{county.id}/workload/"),
        ("county dashboard (past 12 months)", f"/dashboard/units/{county.id}/?period=12m"),
        ("county dashboard API", f"/api/v1/units/{county.id}/dashboard"),
        ("county rankings", f"/dashboard/units/{county.id}/rankings/"),
        ("township dashboard", f"/dashboard/units/{township.id}/"),
        ("village dashboard", f"/dashboard/units/{village.id}/"),
        # The machine's own pace: a page that reads no concern-wide figures.
        ("reference: unit profile page", f"/units/{county.id}/"),
    ]
    with server_class() as server:
        session = server.session("bench_commander", PASSWORD)
        info["pages"] = []
        for name, path in pages:
            r = session.get(server.base + path, timeout=60)
            if r.status_code != 200:
                info["pages"].append({"page": name, "status": r.status_code})
                continue
            times = server.measure(session, path, reads)
            info["pages"].append({"page": name, "path": path, "p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1)})
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite", help="sqlite, postgres or both (comma-separated)")
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--reads", type=int, default=40)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--generate-only", action="store_true", help="build the data sets, measure nothing")
    parser.add_argument("--peer-tickets", type=int, default=100_000, help="the peer's README measures 100,000 tickets")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print("RESULT " + json.dumps(worker(args.worker, args.reads, args.generate_only), default=str))
        return

    results = []
    for db in args.db.split(","):
        for size in [int(s) for s in args.sizes.split(",")]:
            env = env_for(db, size)
            Path(env["HUIYING_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
            if db == "postgres":
                name = env["DATABASE_URL"].rsplit("/", 1)[1]
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], capture_output=True)
            print(f"[{db} {size:,}] …", file=sys.stderr, flush=True)
            cmd = [sys.executable, __file__, "--worker", str(size), "--reads", str(args.reads)]
            out = subprocess.run(cmd + (["--generate-only"] if args.generate_only else []), env=env, cwd=ROOT, capture_output=True, text=True)
            line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
            if line is None:
                print(out.stdout[-2000:], out.stderr[-4000:], file=sys.stderr)
                raise SystemExit(f"{db} {size}: worker failed")
            info = json.loads(line[7:])
            info["db"] = db
            results.append(info)
            print(json.dumps(info, ensure_ascii=False), file=sys.stderr, flush=True)
    if args.generate_only:
        return

    print(f"\n{'db':9} {'concerns':>10} {'tally rows':>10}  {'page':34} {'p50 ms':>7} {'p95 ms':>7}")
    for r in results:
        for p in r["pages"]:
            print(f"{r['db']:9} {r['concerns']:>10,} {r['tally_rows']:>10,}  {p['page']:34} {p.get('p50_ms', '-'):>7} {p.get('p95_ms', p.get('status')):>7}")
    print("\ntargets: county dashboard p95 <= 100 ms; largest / smallest size <= 2x")
    for db in args.db.split(","):
        rs = sorted((r for r in results if r["db"] == db), key=lambda r: r["concerns"])
        if len(rs) < 2:
            continue
        small, large = rs[0], rs[-1]
        for i, p in enumerate(large["pages"]):
            s = small["pages"][i]
            if "p95_ms" in p and "p95_ms" in s:
                ok = "ok" if p["p95_ms"] <= 100 and p["p95_ms"] <= 2 * s["p95_ms"] else "OVER"
                print(f"{db:9} {p['page']:34} p95 {s['p95_ms']:6.1f} -> {p['p95_ms']:6.1f} ms  ({p['p95_ms'] / s['p95_ms']:.2f}x)  {ok}")
    if not args.no_peer:
        sys.path.insert(0, str(ROOT / "bench"))
        import peer
        from peer import run_peer

        # peer.py finds the harness two levels above the checkout, which from a worktree
        # (/work/wt/<name>) is /work/wt/shared; the shared harness lives in /work/shared.
        if not peer.PEER_DIR.exists() and Path("/work/shared/bench/peer_helpdesk").exists():
            peer.PEER_DIR = Path("/work/shared/bench/peer_helpdesk")

        print(f"\npeer: django-helpdesk, {args.peer_tickets:,} tickets, staff dashboard, gunicorn 2 workers, one client", flush=True)
        peer = run_peer(args.peer_tickets, min(args.reads, 10))["c_dashboard"]
        print(f"peer staff dashboard p50 {peer['p50_ms']:.1f} ms, p95 {peer['p95_ms']:.1f} ms")
        for r in results:
            p = r["pages"][0]
            if "p50_ms" in p:
                print(f"{r['db']:9} {r['concerns']:>10,} concerns: county dashboard p50 {p['p50_ms']:.1f} ms — peer / ours = {peer['p50_ms'] / p['p50_ms']:.1f}x")


if __name__ == "__main__":
    main()
