"""Benchmark of the three rates (huiying.supervision.rates) on a grown demo county.

    HUIYING_DATA_DIR=/tmp/hy-bench-rates .venv/bin/python bench/rates.py [--concerns 200000] [--reads 10]

Seeds the demo county into HUIYING_DATA_DIR if it holds none, then grows it to `--concerns`
concerns by copying the demo's own concerns (same units, states, outcomes, due dates,
spread over the year) with bulk inserts, and a villager's rating for every third resolved
copy and a supervisor's for every tenth — not through the services: this measures reads.
Then it times, after one warm-up, `rates_by_unit` for the county's villages (one row per
village, ~300 rows at a province's county scale) and townships, and `unit_rates` of the
county, over a year, printing the median and p95 in ms and the number of queries.
Figures on a shared machine are noisy: compare runs, not absolutes.
"""
import argparse
import datetime as dt
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiying.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def grow(target: int) -> None:
    from huiying.concerns.models import Concern, ConcernRating
    from huiying.supervision.models import SupervisorRating
    from django.contrib.auth import get_user_model

    have = Concern.objects.count()
    if have >= target:
        return
    base = list(Concern.objects.order_by("id"))
    rater = get_user_model().objects.get(username="supervisor")
    n, batch = have, []
    while n < target:
        for c in base:
            if n >= target:
                break
            n += 1
            shift = dt.timedelta(days=(n * 7) % 300)
            copy = Concern(**{f.attname: getattr(c, f.attname) for f in Concern._meta.concrete_fields if f.attname != "id"})
            copy.reference = f"BENCH-{n:08d}"
            copy.received_at = c.received_at - shift
            batch.append(copy)
        with transaction.atomic():
            made = Concern.objects.bulk_create(batch, batch_size=2000)
            ratings, sup = [], []
            for i, c in enumerate(made):
                if c.outcome == "resolved" and i % 3 == 0:
                    ratings.append(ConcernRating(concern=c, rating=("satisfied", "basic", "dissatisfied")[i % 3 and 1], at=c.received_at, round=0))
                if c.outcome == "resolved" and i % 10 == 0:
                    sup.append(SupervisorRating(concern=c, rater=rater, unit_id=c.received_unit_id, rating="satisfied", comment="bench", at=c.received_at, round=1 + i))
            ConcernRating.objects.bulk_create(ratings, batch_size=2000)
            SupervisorRating.objects.bulk_create(sup, batch_size=2000)
        print(f"  {n:,} concerns", flush=True)
        batch = []


def timed(label: str, fn, reads: int) -> None:
    fn()
    times = []
    for _ in range(reads):
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    size = len(result) if isinstance(result, dict) else 1
    print(f"{label:<40} median {statistics.median(times):8.1f} ms  p95 {p95:8.1f} ms  rows {size:4}  queries {len(q.captured_queries)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concerns", type=int, default=200_000)
    parser.add_argument("--reads", type=int, default=10)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from huiying.concerns.models import Concern
    from huiying.network.models import Level, Unit
    from huiying.supervision import rates

    if not Concern.objects.exists():
        print("seeding the demo county…", flush=True)
        call_command("seed_demo", verbosity=0)
    grow(args.concerns)
    county = Unit.objects.get(level=Level.COUNTY)
    end = dt.date.today()
    start = end - dt.timedelta(days=365)
    print(f"{Concern.objects.count():,} concerns; database {connection.vendor}")
    timed("rates_by_unit(county, level=village)", lambda: rates.rates_by_unit(county, start=start, end=end, level=Level.VILLAGE), args.reads)
    timed("rates_by_unit(county) (townships)", lambda: rates.rates_by_unit(county, start=start, end=end), args.reads)
    timed("unit_rates(county)", lambda: rates.unit_rates(county, start=start, end=end), args.reads)


if __name__ == "__main__":
    main()
