"""Workload spread timing on the demo county (or any seeded data dir).

    HUIYING_DATA_DIR=/tmp/hy-bench .venv/bin/python bench/workload.py [--reads 20]

Seeds the demo county into HUIYING_DATA_DIR if it holds none, then times
`huiying.stats.workload.workload_spread` from the county HQ over the last year, for each
level (townships, villages, hamlet points, departments), and `unit_workload` of one busy
village; prints the number of queries, median and p95, and the query plan of the grouped
record-book query. Figures on a shared machine are noisy: read them over several runs.
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
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round((len(values) - 1) * q))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from huiying.network.models import Level, Unit
    from huiying.records.models import RecordEntry
    from huiying.stats import workload

    if not Unit.objects.filter(level=Level.COUNTY).exists():
        call_command("seed_demo")
    county = Unit.objects.filter(level=Level.COUNTY).first()
    end = dt.date.today()
    start = end - dt.timedelta(days=364)
    print(f"{connection.vendor}: {Unit.objects.count()} units, {RecordEntry.objects.count()} record entries; period {start} – {end}")
    for level in (Level.TOWNSHIP, Level.VILLAGE, Level.HAMLET, Level.DEPARTMENT):
        with CaptureQueriesContext(connection) as queries:
            rows = workload.workload_spread(county, start=start, end=end, level=level)
        times = []
        for _ in range(args.reads):
            t = time.perf_counter()
            workload.workload_spread(county, start=start, end=end, level=level)
            times.append((time.perf_counter() - t) * 1000)
        handled = sum(r.workload.handled_total for r in rows)
        print(f"  spread {level:<10} {len(rows):>4} units {handled:>6} handled  {len(queries)} queries  "
              f"median {statistics.median(times):6.1f} ms  p95 {percentile(times, 0.95):6.1f} ms")
    ids = Unit.objects.filter(county=county, level=Level.VILLAGE).values("id")
    sql, params = (RecordEntry.objects.filter(unit_id__in=ids, at__gte=dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone.utc),
                                              action__startswith="concern.", actor__isnull=False)
                   .values_list("unit_id", "actor_id").order_by().query.sql_with_params())
    with connection.cursor() as cur:
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cur.execute(explain + sql, params)
        print("  plan of the record-book query (villages):")
        for row in cur.fetchall():
            print("    ", row[-1])


if __name__ == "__main__":
    main()
