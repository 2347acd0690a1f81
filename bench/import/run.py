"""Catalog import benchmark: our pipeline against bare SQL and django-import-export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bozor_bench .venv/bin/python bench/import/run.py

Measures in one run, on a fresh `bozor_bench` database (created and migrated if missing, the
catalog emptied at start): (a) bare SQL, COPY into a temporary table plus one INSERT ... ON
CONFLICT; (b) our task body end to end (read, validate, COPY, upsert) on the same 100,000-row
file; (c) re-importing it unchanged; (d) django-import-export with a plain ModelResource on a
10,000-row subset, extrapolated; (e) peak RSS of a process importing 1,000,000 rows (and
100,000, to show it is flat). Prints the ratios against the targets.
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
    length_mm, width_mm, height_mm, created_at, updated_at)
SELECT %(seller)s, r.sku, r.title_uz, r.title_ru, r.description_uz, r.description_ru, b.id, c.id,
    r.price_uzs, r.stock, r.barcode, r.ikpu, r.weight_g,
    to_jsonb(string_to_array(r.image_urls, '|')), NULL, NULL, NULL, now(), now()
FROM bare_rows r
JOIN sellers_brand b ON b.seller_id = %(seller)s AND b.name = r.brand
JOIN catalog_category c ON c.code = r.category
ON CONFLICT (seller_id, sku) DO UPDATE SET title_uz = EXCLUDED.title_uz,
    title_ru = EXCLUDED.title_ru, description_uz = EXCLUDED.description_uz,
    description_ru = EXCLUDED.description_ru, brand_id = EXCLUDED.brand_id,
    category_id = EXCLUDED.category_id, price_uzs = EXCLUDED.price_uzs, stock = EXCLUDED.stock,
    barcode = EXCLUDED.barcode, ikpu = EXCLUDED.ikpu, weight_g = EXCLUDED.weight_g,
    image_urls = EXCLUDED.image_urls, updated_at = EXCLUDED.updated_at
WHERE (catalog_product.title_uz, catalog_product.title_ru, catalog_product.description_uz,
       catalog_product.description_ru, catalog_product.brand_id, catalog_product.category_id,
       catalog_product.price_uzs, catalog_product.stock, catalog_product.barcode,
       catalog_product.ikpu, catalog_product.weight_g, catalog_product.image_urls)
    IS DISTINCT FROM (EXCLUDED.title_uz, EXCLUDED.title_ru, EXCLUDED.description_uz,
       EXCLUDED.description_ru, EXCLUDED.brand_id, EXCLUDED.category_id, EXCLUDED.price_uzs,
       EXCLUDED.stock, EXCLUDED.barcode, EXCLUDED.ikpu, EXCLUDED.weight_g, EXCLUDED.image_urls)
"""


def run_bare(seller, path: Path) -> float:
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
        cursor.execute(BARE_UPSERT, {"seller": seller.pk})
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


def peak_rss(path: Path) -> float:
    """Peak RSS (MB) of a fresh process running the task body on `path`."""
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dje-rows", type=int, default=10_000)
    parser.add_argument("--memory-rows", type=int, default=1_000_000)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(Path(args.child))
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
    from catalog.models import Category, ImportJob
    from catalog.services import categories_load

    categories_load()
    leaves = list(Category.objects.filter(is_leaf=True).values_list("code", flat=True))
    ImportJob.objects.all().delete()
    empty_catalog()
    sellers = {key: seller_for(key) for key in USCC}

    main_file = WORK / f"catalog_{args.rows}.csv"
    generate(main_file, args.rows, leaves)
    n = args.rows
    results: dict[str, float] = {}

    print(f"file: {main_file} ({main_file.stat().st_size / 2**20:.1f} MB, {n:,} rows)")
    bare = run_bare(sellers["bare"], main_file)
    results["bare_rows_s"] = n / bare
    print(f"(a) bare SQL COPY + upsert:          {bare:7.2f} s  {n / bare:9,.0f} rows/s")
    bare_again = run_bare(sellers["bare"], main_file)
    print(
        f"    bare SQL re-import unchanged:    {bare_again:7.2f} s  {n / bare_again:9,.0f} rows/s"
    )

    empty_catalog()
    ours, counts = run_ours(sellers["ours"], main_file)
    assert counts == {"created": n, "updated": 0, "unchanged": 0, "invalid": 0}, counts
    results["ours_rows_s"] = n / ours
    print(f"(b) our task body, validate+commit:  {ours:7.2f} s  {n / ours:9,.0f} rows/s  {counts}")

    again, counts = run_ours(sellers["ours"], main_file)
    assert counts == {"created": 0, "updated": 0, "unchanged": n, "invalid": 0}, counts
    results["reimport_rows_s"] = n / again
    print(
        f"(c) our re-import, unchanged:        {again:7.2f} s  {n / again:9,.0f} rows/s  {counts}"
    )

    empty_catalog()
    dje = run_dje(sellers["dje"], main_file, args.dje_rows)
    results["dje_rows_s"] = args.dje_rows / dje
    print(
        f"(d) django-import-export, {args.dje_rows:,} rows: {dje:7.2f} s  "
        f"{args.dje_rows / dje:9,.0f} rows/s (extrapolated to {n:,} rows: {n / (args.dje_rows / dje):,.0f} s)"
    )

    memory = {}
    for rows in (args.rows, args.memory_rows):
        path = WORK / f"catalog_{rows}.csv"
        generate(path, rows, leaves)
        memory[rows] = peak_rss(path)
        print(
            f"(e) peak RSS importing {rows:>9,} rows: {memory[rows]['peak_mb']:6.1f} MB "
            f"({memory[rows]['seconds']:.1f} s, {rows / memory[rows]['seconds']:,.0f} rows/s)"
        )

    print("\nratios against the targets")
    ratio_bare = results["ours_rows_s"] / results["bare_rows_s"]
    ratio_dje = results["ours_rows_s"] / results["dje_rows_s"]
    ratio_again = results["reimport_rows_s"] / results["ours_rows_s"]
    peak = memory[args.memory_rows]["peak_mb"]
    for label, value, target, ok in (
        ("ours / bare SQL", ratio_bare, ">= 0.8", ratio_bare >= 0.8),
        ("ours / django-import-export", ratio_dje, ">= 25", ratio_dje >= 25),
        ("re-import / first import", ratio_again, ">= 1.0", ratio_again >= 1.0),
        (f"peak RSS at {args.memory_rows:,} rows (MB)", peak, "< 300", peak < 300),
    ):
        print(f"  {label:<36} {value:8.2f}  target {target:<7} {'OK' if ok else 'MISSED'}")
    empty_catalog()


if __name__ == "__main__":
    main()
