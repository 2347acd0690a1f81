"""Catalog import benchmark: our pipeline against bare SQL and django-import-export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bozor_bench .venv/bin/python bench/import/run.py

Measures in one run, on a fresh `bozor_bench` database (created and migrated if missing, the
catalog emptied at start): (a) bare SQL, COPY into a temporary table plus one INSERT ... ON
CONFLICT; (b) our task body end to end (read, validate, COPY, upsert) on the same 100,000-row
file; (c) re-importing it unchanged; (d) django-import-export with a plain ModelResource on a
10,000-row subset, extrapolated; (e) peak RSS of a process importing 1,000,000 rows (and
100,000, to show it is flat). Prints the ratios against the targets.

Issue 13: the same (a)-(c) and (e) on a grouped file (grouped.py: 20,000 cards of 5 variants,
5 characteristic columns) against bare SQL writing the same stored values (attributes, features,
readiness pre-computed); both files by default (`--only`), `--rounds` alternating rounds, and a
check that both sides stored identical rows.
"""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from grouped import VARIANTS, generate_grouped, run_bare_grouped, stored_checksum

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "bench"
BRANDS = (("Lanyue", "蓝月"), ("Jinma", "金马"), ("Tianxin", "天心"))
HEADER = [
    "sku",
    "title_uz",
    "title_ru",
    "description_uz",
    "description_ru",
    "brand",
    "category",
    "price_uzs",
    "stock",
    "barcode",
    "ikpu",
    "weight_g",
    "image_urls",
]
USCC = {"bare": "91440300BENCH0001A", "ours": "91440300BENCH0002B", "dje": "91440300BENCH0003C"}


def ean13(number: int) -> str:
    body = f"69{number:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def generate(path: Path, rows: int, leaves: list[str]) -> None:
    """A realistic catalog file: every row valid, plain numbers (bare SQL can COPY it as is)."""
    if path.exists() and path.stat().st_size > 0 and path.name.endswith(f"_{rows}.csv"):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(1, rows + 1):
            brand = BRANDS[n % 3][0]
            writer.writerow(
                [
                    f"BN-{n:07d}",
                    f"{brand} Elektr choynak model {n}, qora",
                    f"Электрочайник {brand} модель {n}, чёрный",
                    f"Elektr choynak {n}. Kafolat 12 oy.",
                    f"Электрочайник {n}. Гарантия 12 месяцев.",
                    brand,
                    leaves[n % len(leaves)],
                    100_000 + (n * 7919) % 50_000_000,
                    n % 500,
                    ean13(n),
                    f"{(n * 104729) % 10**17:017d}",
                    100 + n % 20_000,
                    f"https://img.example.com/{n}/0.jpg|https://img.example.com/{n}/1.jpg",
                ]
            )


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("CATALOG_UPLOAD_MAX_BYTES", str(2**40))
    os.environ["CELERY_BROKER_URL"] = ""
    import django

    django.setup()


def seller_for(key: str):
    from sellers.models import Brand, Seller, SellerStatus

    seller, _created = Seller.objects.get_or_create(
        uscc=USCC[key],
        defaults={"status": SellerStatus.APPROVED, "legal_name": f"Bench {key}"},
    )
    for name, name_zh in BRANDS:
        Brand.objects.get_or_create(
            seller=seller, name=name, defaults={"name_zh": name_zh, "state": "approved"}
        )
    return seller


def job_for(seller, path: Path, mode: str = "commit"):
    """A queued job on an existing file (the upload step is not what is measured)."""
    import hashlib

    from django.core.files import File

    from catalog.models import ImportJob

    digest = hashlib.sha256(str(time.time_ns()).encode()).hexdigest()
    job = ImportJob(
        seller=seller, mode=mode, filename=path.name, sha256=digest, size=path.stat().st_size
    )
    job.detected = {"format": "csv"}
    with path.open("rb") as handle:
        job.file.save("bench", File(handle), save=False)
    job.save()
    return job


def empty_catalog() -> None:
    """Start a first import from an empty, vacuumed table (deleted rows would bloat it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE catalog_product, catalog_rowerror")
        cursor.execute("VACUUM ANALYZE catalog_product")


def run_ours(seller, path: Path) -> tuple[float, dict]:
    from catalog.importing.jobs import new_lease_owner
    from catalog.importing.pipeline import import_job_execute

    job = job_for(seller, path)
    start = time.perf_counter()
    outcome = import_job_execute(job_id=job.pk, owner=new_lease_owner("bench"))
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    assert outcome == "done" and job.status == "completed", (outcome, job.status, job.error_message)
    return elapsed, job.counts


BARE_SQL = """
CREATE TEMP TABLE bare_rows (
    sku text, title_uz text, title_ru text, description_uz text, description_ru text,
    brand text, category text, price_uzs bigint, stock integer, barcode text, ikpu text,
    weight_g integer, image_urls text
) ON COMMIT DROP
"""
BARE_UPSERT = """
INSERT INTO catalog_product (seller_id, sku, title_uz, title_ru, description_uz, description_ru,
    brand_id, category_id, price_uzs, stock, barcode, ikpu, weight_g, image_urls,
    length_mm, width_mm, height_mm, "group", features_uz, features_ru, attributes,
    readiness_state, readiness_issues, created_at, updated_at)
SELECT %(seller)s, r.sku, r.title_uz, r.title_ru, r.description_uz, r.description_ru, b.id, c.id,
    r.price_uzs, r.stock, r.barcode, r.ikpu, r.weight_g,
    to_jsonb(string_to_array(r.image_urls, '|')), NULL, NULL, NULL, '', '[]', '[]', '{}',
    x.readiness->>0, x.readiness->1, now(), now()
FROM bare_rows r
JOIN jsonb_each(%(readiness)s::jsonb) x(category, readiness) ON x.category = r.category
JOIN sellers_brand b ON b.seller_id = %(seller)s AND b.name = r.brand
JOIN catalog_category c ON c.code = r.category
ON CONFLICT (seller_id, sku) DO UPDATE SET title_uz = EXCLUDED.title_uz,
    title_ru = EXCLUDED.title_ru, description_uz = EXCLUDED.description_uz,
    description_ru = EXCLUDED.description_ru, brand_id = EXCLUDED.brand_id,
    category_id = EXCLUDED.category_id, price_uzs = EXCLUDED.price_uzs, stock = EXCLUDED.stock,
    barcode = EXCLUDED.barcode, ikpu = EXCLUDED.ikpu, weight_g = EXCLUDED.weight_g,
    image_urls = EXCLUDED.image_urls, readiness_state = EXCLUDED.readiness_state,
    readiness_issues = EXCLUDED.readiness_issues, updated_at = EXCLUDED.updated_at
WHERE (catalog_product.title_uz, catalog_product.title_ru, catalog_product.description_uz,
       catalog_product.description_ru, catalog_product.brand_id, catalog_product.category_id,
       catalog_product.price_uzs, catalog_product.stock, catalog_product.barcode,
       catalog_product.ikpu, catalog_product.weight_g, catalog_product.image_urls,
       catalog_product.readiness_state, catalog_product.readiness_issues)
    IS DISTINCT FROM (EXCLUDED.title_uz, EXCLUDED.title_ru, EXCLUDED.description_uz,
       EXCLUDED.description_ru, EXCLUDED.brand_id, EXCLUDED.category_id, EXCLUDED.price_uzs,
       EXCLUDED.stock, EXCLUDED.barcode, EXCLUDED.ikpu, EXCLUDED.weight_g, EXCLUDED.image_urls,
       EXCLUDED.readiness_state, EXCLUDED.readiness_issues)
"""


def flat_readiness() -> str:
    """{category code: [state, issues]}: the readiness the import stores for a row of the flat
    file, the same for every row of a category (no features, no sides, the category's required
    characteristics missing), pre-computed with the import's own function for bare SQL."""
    from catalog.cards import card_rules_load, product_readiness, readiness_fields
    from catalog.models import Category

    rules = card_rules_load()
    values = {
        "title_uz": "Lanyue Elektr choynak model 1, qora",
        "title_ru": "Электрочайник Lanyue модель 1, чёрный",
        "description_uz": "Elektr choynak 1. Kafolat 12 oy.",
        "description_ru": "Электрочайник 1. Гарантия 12 месяцев.",
        "features_uz": [],
        "features_ru": [],
        "image_urls": ["https://img.example.com/1/0.jpg", "https://img.example.com/1/1.jpg"],
        "attributes": {},
        "price_uzs": 107_919,
        "weight_g": 101,
    }
    found = {}
    for pk, code in Category.objects.filter(is_leaf=True).values_list("pk", "code"):
        stored = readiness_fields(product_readiness({**values, "category_id": pk}, rules))
        found[code] = [stored["readiness_state"], stored["readiness_issues"]]
    return json.dumps(found, ensure_ascii=False)


def run_bare(seller, path: Path, readiness: str) -> float:
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(BARE_SQL)
        with (
            path.open("rb") as handle,
            cursor.copy("COPY bare_rows FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        cursor.execute(BARE_UPSERT, {"seller": seller.pk, "readiness": readiness})
    return time.perf_counter() - start


def run_dje(seller, path: Path, rows: int) -> float:
    """django-import-export 4.4 with a plain ModelResource (no bulk mode), on `rows` rows."""
    import tablib
    from import_export import fields, resources, widgets

    from catalog.models import Category, Product
    from sellers.models import Brand

    class SellerBrandWidget(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return Brand.objects.filter(seller=seller)

    class UrlsWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return [u for u in (value or "").split("|") if u]

    class ProductResource(resources.ModelResource):
        brand = fields.Field("brand", "brand", SellerBrandWidget(Brand, "name"))
        category = fields.Field("category", "category", widgets.ForeignKeyWidget(Category, "code"))
        image_urls = fields.Field("image_urls", "image_urls", UrlsWidget())

        class Meta:
            model = Product
            import_id_fields = ("sku",)
            fields = tuple(HEADER)

        def get_queryset(self):
            return Product.objects.filter(seller=seller)

        def before_save_instance(self, instance, row, **kwargs):
            instance.seller = seller

    with path.open(encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(rows + 1)]
    dataset = tablib.Dataset().load("".join(lines), format="csv")
    start = time.perf_counter()
    result = ProductResource().import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - start
    assert not result.has_errors() and not result.has_validation_errors()
    return elapsed


def peak_rss(path: Path) -> dict:
    """{peak_mb, seconds, counts} of a fresh process running the task body on `path`."""
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ},
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def child(path: Path) -> None:
    setup_django()
    seller = seller_for("ours")
    empty_catalog()
    elapsed, counts = run_ours(seller, path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    empty_catalog()
    print(json.dumps({"peak_mb": peak, "seconds": elapsed, "counts": counts}))


def profile(path: Path, top: int = 30) -> None:
    """Where the main thread's time goes in one import of `path` (the helper thread running
    the chunks' SQL is not profiled): the Python side of the pipeline."""
    import cProfile
    import pstats

    setup_django()
    seller = seller_for("ours")
    empty_catalog()
    cpu = time.process_time()
    profiler = cProfile.Profile()
    profiler.enable()
    elapsed, counts = run_ours(seller, path)
    profiler.disable()
    print(f"{elapsed:.2f} s wall, {time.process_time() - cpu:.2f} s CPU (both threads), {counts}")
    empty_catalog()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def load_average() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def compare(kind: str, rounds: int, n: int, bare_run, ours_run, check=None) -> dict[str, list]:
    """`rounds` rounds of bare SQL and our task body on the same rows, alternating which goes
    first, each from an empty catalog; each also re-imports its file unchanged."""
    found: dict[str, list] = {"bare": [], "bare_again": [], "ours": [], "again": [], "ratio": []}
    for number in range(1, rounds + 1):
        order = ("bare", "ours") if number % 2 else ("ours", "bare")
        print(f"  round {number} ({kind}, {order[0]} first, load {load_average()})")
        for side in order:
            empty_catalog()
            if side == "bare":
                bare = bare_run()
                again = bare_run()
                found["bare"].append(bare)
                found["bare_again"].append(again)
                print(
                    f"(a) bare SQL COPY + upsert:          {bare:7.2f} s  {n / bare:9,.0f} rows/s"
                )
                print(
                    f"    bare SQL re-import unchanged:    {again:7.2f} s  {n / again:9,.0f} rows/s"
                )
            else:
                ours, counts = ours_run()
                assert counts == {"created": n, "updated": 0, "unchanged": 0, "invalid": 0}, counts
                print(
                    f"(b) our task body, validate+commit:  {ours:7.2f} s  {n / ours:9,.0f} rows/s  {counts}"
                )
                again, counts = ours_run()
                assert counts == {"created": 0, "updated": 0, "unchanged": n, "invalid": 0}, counts
                found["ours"].append(ours)
                found["again"].append(again)
                print(
                    f"(c) our re-import, unchanged:        {again:7.2f} s  {n / again:9,.0f} rows/s  {counts}"
                )
                if check is not None:
                    check()
        found["ratio"].append(found["bare"][-1] / found["ours"][-1])
        print(f"    ours / bare SQL, round {number}:      {found['ratio'][-1]:.2f}")
    if rounds > 1:
        ratios = ", ".join(f"{r:.2f}" for r in found["ratio"])
        print(f"  {kind}: ours / bare SQL per round {ratios}; median {median(found['ratio']):.2f}")
    empty_catalog()
    return found


def memory_line(label: str, rows: int, path: Path) -> dict:
    measured = peak_rss(path)
    assert measured["counts"]["created"] == rows, measured["counts"]
    print(
        f"(e) peak RSS importing {rows:>9,} rows {label}: {measured['peak_mb']:6.1f} MB "
        f"({measured['seconds']:.1f} s, {rows / measured['seconds']:,.0f} rows/s)"
    )
    return measured


def same_as_bare(bare_run):
    """A check that our stored rows equal bare SQL's, run once (it costs a scan and a load)."""
    checked: list[tuple[int, str]] = []

    def check() -> None:
        if checked:
            return
        ours = stored_checksum(seller_for("ours"))
        empty_catalog()
        bare_run()
        bare = stored_checksum(seller_for("bare"))
        assert ours == bare, (ours, bare)
        checked.append(ours)
        print(f"    stored rows identical to bare SQL's: {ours[0]:,} rows, md5 {ours[1]}")

    return check


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dje-rows", type=int, default=10_000)
    parser.add_argument("--memory-rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1, help="alternating bare/ours rounds")
    parser.add_argument(
        "--only", choices=("flat", "grouped"), help="measure one file kind (default: both)"
    )
    parser.add_argument("--child")
    parser.add_argument("--profile", help="cProfile one import of this file, print the top")
    args = parser.parse_args()
    if args.child:
        child(Path(args.child))
        return
    if args.profile:
        profile(Path(args.profile))
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/bozor_bench"
        )
    ensure_database(url)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from catalog.attribute_services import attributes_load
    from catalog.models import Category, ImportJob
    from catalog.services import categories_load

    categories_load()
    attributes_load()
    leaves = list(Category.objects.filter(is_leaf=True).values_list("code", flat=True))
    ImportJob.objects.all().delete()
    empty_catalog()
    sellers = {key: seller_for(key) for key in USCC}
    n = args.rows
    targets: list[tuple[str, float, str, bool]] = []
    print(f"start: load average {load_average()}")

    if args.only != "grouped":
        main_file = WORK / f"catalog_{n}.csv"
        generate(main_file, n, leaves)
        print(f"\nflat file: {main_file} ({main_file.stat().st_size / 2**20:.1f} MB, {n:,} rows)")
        readiness = flat_readiness()
        flat = compare(
            "flat",
            args.rounds,
            n,
            lambda: run_bare(sellers["bare"], main_file, readiness),
            lambda: run_ours(sellers["ours"], main_file),
            same_as_bare(lambda: run_bare(sellers["bare"], main_file, readiness)),
        )
        ratio = median(flat["ratio"])
        again = median(flat["ours"]) / median(flat["again"])
        targets += [
            ("flat: ours / bare SQL", ratio, ">= 0.8", ratio >= 0.8),
            ("flat: re-import / first import", again, ">= 1.0", again >= 1.0),
        ]
        if args.dje_rows:
            dje = run_dje(sellers["dje"], main_file, args.dje_rows)
            empty_catalog()
            print(
                f"(d) django-import-export, {args.dje_rows:,} rows: {dje:7.2f} s  "
                f"{args.dje_rows / dje:9,.0f} rows/s (extrapolated to {n:,} rows: {n / (args.dje_rows / dje):,.0f} s)"
            )
            ratio_dje = (n / median(flat["ours"])) / (args.dje_rows / dje)
            targets.append(("ours / django-import-export", ratio_dje, ">= 25", ratio_dje >= 25))
        for rows in dict.fromkeys((n, args.memory_rows)):
            if rows:
                path = WORK / f"catalog_{rows}.csv"
                generate(path, rows, leaves)
                peak = memory_line("(flat)", rows, path)["peak_mb"]
        if args.memory_rows:
            targets.append(
                (f"flat: peak RSS at {args.memory_rows:,} rows (MB)", peak, "< 300", peak < 300)
            )

    if args.only != "flat":
        cards_file = WORK / f"cards_{n}.csv"
        bare_file = WORK / f"cards_{n}_bare.csv"
        generate_grouped(cards_file, n)
        generate_grouped(bare_file, n, bare=True)
        print(
            f"\ngrouped file: {cards_file} ({cards_file.stat().st_size / 2**20:.1f} MB, {n:,} rows "
            f"in {n // VARIANTS:,} cards of {VARIANTS}, 5 characteristics; bare SQL's file "
            f"{bare_file.stat().st_size / 2**20:.1f} MB)"
        )
        grouped = compare(
            "grouped",
            args.rounds,
            n,
            lambda: run_bare_grouped(sellers["bare"], bare_file),
            lambda: run_ours(sellers["ours"], cards_file),
            same_as_bare(lambda: run_bare_grouped(sellers["bare"], bare_file)),
        )
        ratio = median(grouped["ratio"])
        again = median(grouped["ours"]) / median(grouped["again"])
        targets += [
            ("grouped: ours / bare SQL", ratio, ">= 0.8", ratio >= 0.8),
            ("grouped: re-import / first import", again, ">= 1.0", again >= 1.0),
        ]
        for rows in dict.fromkeys((n, args.memory_rows)):
            if rows:
                path = WORK / f"cards_{rows}.csv"
                generate_grouped(path, rows)
                peak = memory_line("(grouped)", rows, path)["peak_mb"]
        if args.memory_rows:
            targets.append(
                (f"grouped: peak RSS at {args.memory_rows:,} rows (MB)", peak, "< 300", peak < 300)
            )

    print(
        f"\nratios against the targets (medians of {args.rounds} round(s); end load {load_average()})"
    )
    for label, value, target, ok in targets:
        print(f"  {label:<40} {value:8.2f}  target {target:<7} {'OK' if ok else 'MISSED'}")
    empty_catalog()


if __name__ == "__main__":
    main()
