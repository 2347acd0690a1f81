"""Insights benchmark: 10M facts on PostgreSQL, rollup vs raw-fact query times, load speed.

Usage (from the repository root; drops and recreates the database `bozor_bench_insights`):

    .venv/bin/python bench/insights/run.py [--facts 10000000] [--load-rows 1000000]

Prints a JSON report and writes it to bench/insights/results.json.
"""

import argparse
import csv
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DB_NAME = "bozor_bench_insights"
BASE_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
FIRST_DAY = datetime.date(2024, 1, 1)
DAYS = 731  # 2024 and 2025
BRANDS = 400
BRANDS_PER_CATEGORY = 25
ORIGINS = ["CN", "CN", "CN", "UZ", "UZ", "RU", "KR", "TR", "US", "DE", "JP", "KZ"]


def database_recreate() -> str:
    import psycopg

    with psycopg.connect(f"{BASE_URL}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")
    url = f"{BASE_URL}/{DB_NAME}"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--skip-checks", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return url


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples), 2)


def facts_generate(count: int) -> dict:
    """Market brands, one load, and `count` facts made by generate_series in batches; then
    the rollups rebuilt from them."""
    from django.db import connection

    from catalog.models import Category
    from insights.models import MarketBrand, SalesLoad
    from insights.services import rollups_rebuild, seasons_seed

    rng = random.Random(7)
    MarketBrand.objects.bulk_create(
        MarketBrand(name=f"Brand {i:03d}", origin_country=rng.choice(ORIGINS))
        for i in range(BRANDS)
    )
    brand_ids = list(MarketBrand.objects.order_by("pk").values_list("pk", flat=True))
    leaf_ids = list(
        Category.objects.filter(is_leaf=True).order_by("pk").values_list("pk", flat=True)
    )
    load = SalesLoad.objects.create(sha256="bench" + "0" * 59, filename="generated")
    for year in (2024, 2025):
        seasons_seed(year=year)
    timings = {}
    batch = 1_000_000
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")  # generated data only
        done = 0
        while done < count:
            size = min(batch, count - done)
            # Each category sells a window of 25 brands; a fact is one (category, brand, day)
            # order line, so a rollup row sums about count / (leaves * 25 * days) facts.
            cursor.execute(
                """
                INSERT INTO insights_sale (load_id, date, category_id, market_brand_id, units,
                                           revenue_uzs)
                SELECT %(load)s,
                       %(first)s::date + floor(random() * %(days)s)::int,
                       (%(leaf_ids)s::bigint[])[1 + n],
                       (%(brands)s::bigint[])[1 + (n * 7 + floor(random() * %(per)s)::int)
                                              %% %(brand_count)s],
                       units,
                       units * (50000 + floor(random() * 3000)::int * 1000)
                FROM (SELECT floor(random() * %(leaves)s)::int AS n,
                             1 + floor(random() * 9)::int AS units
                      FROM generate_series(1, %(size)s)) pick
                """,
                {
                    "load": load.pk,
                    "first": FIRST_DAY,
                    "days": DAYS,
                    "brands": brand_ids,
                    "per": BRANDS_PER_CATEGORY,
                    "brand_count": len(brand_ids),
                    "leaves": len(leaf_ids),
                    "leaf_ids": leaf_ids,
                    "size": size,
                },
            )
            done += size
            print(f"  facts: {done:,}", flush=True)
    timings["generate_facts_s"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    counts = rollups_rebuild()
    timings["rebuild_rollups_s"] = round(time.perf_counter() - start, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["rollup_rows"] = counts
    return timings


def sales_file_write(path: Path, rows: int) -> None:
    from catalog.models import Category

    rng = random.Random(11)
    leaves = list(Category.objects.filter(is_leaf=True).values_list("code", flat=True))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "category", "brand", "brand_origin", "units", "revenue_uzs"])
        for i in range(rows):
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 300)
            brand = rng.randrange(60)
            units = 1 + rng.randrange(9)
            writer.writerow(
                [
                    day.isoformat(),
                    leaves[rng.randrange(len(leaves))],
                    f"Load brand {brand}",
                    ORIGINS[brand % len(ORIGINS)],
                    units,
                    units * rng.randrange(50_000, 3_000_000, 1000),
                ]
            )


def windows(rng: random.Random, count: int) -> list[tuple[datetime.date, datetime.date]]:
    out = []
    for _ in range(count):
        length = rng.choice([1, 7, 14, 31, 61, 92])
        start = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS - length))
        out.append((start, start + datetime.timedelta(days=length - 1)))
    return out


def raw_market_share(category, start, end, by):
    """The same answer computed from the raw facts (the ratio the rollups buy)."""
    from django.db.models import Q, Sum

    from catalog.models import Category
    from insights.models import Sale

    in_category = Q()  # the whole market
    if category is not None:
        codes = Q(code=category.code) | Q(code__startswith=f"{category.code}.")
        in_category = Q(category_id__in=Category.objects.filter(codes).values("pk"))
    key = "market_brand__name" if by == "brand" else "market_brand__origin_country"
    rows = list(
        Sale.objects.filter(in_category, date__gte=start, date__lte=end)
        .values(key)
        .annotate(revenue=Sum("revenue_uzs"), units_sum=Sum("units"))
    )
    total = sum(r["revenue"] for r in rows)
    return sorted((r["revenue"] / total if total else 0.0 for r in rows), reverse=True)


def raw_hotspots(origin, threshold, start, end):
    from django.db.models import Q, Sum

    from insights.models import Sale

    rows = (
        Sale.objects.filter(date__gte=start, date__lte=end)
        .values("category_id")
        .annotate(
            total=Sum("revenue_uzs"),
            mine=Sum("revenue_uzs", filter=Q(market_brand__origin_country=origin)),
        )
    )
    return sorted(
        (r["mine"] or 0) / r["total"]
        for r in rows
        if r["total"] and (r["mine"] or 0) / r["total"] > threshold
    )


def queries_measure(repeats: int) -> dict:
    from django.test import Client

    from catalog.models import Category
    from insights import selectors
    from insights.models import Season
    from sellers.models import User

    rng = random.Random(3)
    categories = list(Category.objects.all())
    report: dict = {}

    def share_timings(cases, pick_category):
        """Rollup and raw timings of market share over the windows, answers asserted equal."""
        ms_list, raw_list = [], []
        for start, end in cases:
            category = pick_category()
            by = rng.choice(["brand", "origin"])
            window = selectors.window_from_dates(start, end)
            ms, answer = timed(selectors.market_share, category=category, window=window, by=by)
            ms_list.append(ms)
            ms_raw, raw = timed(raw_market_share, category, start, end, by)
            raw_list.append(ms_raw)
            assert sorted((s["revenue_share"] for s in answer["shares"]), reverse=True) == raw
        return ms_list, raw_list

    share_ms, share_raw_ms = share_timings(windows(rng, repeats), lambda: rng.choice(categories))
    report["market_share_ms"] = median_ms(share_ms)
    report["market_share_raw_ms"] = median_ms(share_raw_ms)
    report["market_share_p90_ms"] = round(statistics.quantiles(share_ms, n=10)[-1], 2)
    report["market_share_raw_p90_ms"] = round(statistics.quantiles(share_raw_ms, n=10)[-1], 2)
    report["market_share_max_ms"] = round(max(share_ms), 2)
    report["market_share_raw_max_ms"] = round(max(share_raw_ms), 2)

    # The whole market (no category): every leaf's rows, the heaviest case.
    whole_ms, whole_raw_ms = share_timings(windows(rng, max(10, repeats // 2)), lambda: None)
    report["whole_market_share_ms"] = median_ms(whole_ms)
    report["whole_market_share_raw_ms"] = median_ms(whole_raw_ms)
    report["whole_market_share_max_ms"] = round(max(whole_ms), 2)
    report["whole_market_share_raw_max_ms"] = round(max(whole_raw_ms), 2)

    seasons = list(Season.objects.all())
    hot_ms, hot_raw_ms = [], []
    for _ in range(repeats):
        season = rng.choice(seasons)
        window = selectors.window_resolve(season=season.code, year=season.year)
        ms, answer = timed(selectors.hotspots, origin="CN", threshold=0.3, window=window)
        hot_ms.append(ms)
        ms_raw, raw = timed(raw_hotspots, "CN", 0.3, season.start, season.end)
        hot_raw_ms.append(ms_raw)
        assert sorted(r["revenue_share"] for r in answer) == raw
    report["hotspots_ms"] = median_ms(hot_ms)
    report["hotspots_raw_ms"] = median_ms(hot_raw_ms)
    report["hotspots_p90_ms"] = round(statistics.quantiles(hot_ms, n=10)[-1], 2)

    user, _created = User.objects.get_or_create(email="bench@example.com")
    client = Client()
    client.force_login(user)
    page_ms = []
    for _ in range(max(10, repeats // 2)):
        season = rng.choice(seasons)
        category = rng.choice(["", *[c.code for c in categories]])
        params = {"year": season.year, "season": season.code, "category": category}
        ms, response = timed(client.get, "/insights/", params)
        assert response.status_code == 200
        page_ms.append(ms)
    report["page_ms"] = median_ms(page_ms)
    report["page_p90_ms"] = round(statistics.quantiles(page_ms, n=10)[-1], 2)
    report["market_share_ratio"] = round(
        report["market_share_raw_ms"] / report["market_share_ms"], 1
    )
    report["hotspots_ratio"] = round(report["hotspots_raw_ms"] / report["hotspots_ms"], 1)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000_000)
    parser.add_argument("--load-rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the queries again on the database a previous run left (no generation)",
    )
    args = parser.parse_args()

    if args.reuse:
        url = f"{BASE_URL}/{DB_NAME}"
    else:
        print(f"database {DB_NAME}: recreating and migrating", flush=True)
        url = database_recreate()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from catalog.services import categories_load
    from insights.services import sales_load

    results = Path(__file__).parent / "results.json"
    if args.reuse:
        report = json.loads(results.read_text()) if results.exists() else {}
        print("measuring queries", flush=True)
        report |= queries_measure(args.repeats)
        report["queries_measured"] = datetime.datetime.now(datetime.UTC).isoformat(
            timespec="seconds"
        )
        text = json.dumps(report, indent=2, default=str)
        print(text)
        results.write_text(text + "\n")
        return
    categories_load()
    report: dict = {
        "facts": args.facts,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "postgres": connection.cursor().connection.info.server_version,
    }
    print(f"generating {args.facts:,} facts", flush=True)
    report |= facts_generate(args.facts)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sales.csv"
        sales_file_write(path, args.load_rows)
        print(f"loading a {args.load_rows:,}-row file through sales_load", flush=True)
        ms, result = timed(sales_load, file=path, filename="bench.csv")
        assert result.status == "loaded", result.as_dict()["errors"][:3]
        report["load_rows"] = args.load_rows
        report["load_s"] = round(ms / 1000, 1)
        report["load_rows_per_s"] = round(args.load_rows / (ms / 1000))
    # The raw-fact baseline gets the best index for its queries (the app never reads facts, so
    # it does not keep this index: it would only slow loading down).
    print("indexing the facts for the raw baseline", flush=True)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX bench_sale_category_date ON insights_sale (category_id, date) "
            "INCLUDE (market_brand_id, units, revenue_uzs)"
        )
        cursor.execute("VACUUM ANALYZE insights_sale")
        cursor.execute("ANALYZE")
    report["raw_index_s"] = round(time.perf_counter() - start, 1)

    print("measuring queries", flush=True)
    (Path(__file__).parent / "results.json").write_text(json.dumps(report, default=str))
    report |= queries_measure(args.repeats)
    text = json.dumps(report, indent=2, default=str)
    print(text)
    results.write_text(text + "\n")


if __name__ == "__main__":
    main()
