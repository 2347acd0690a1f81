"""Demo data for the catalog app (called by manage.py seed_demo): the category tree, then a
catalog for each approved demo seller, imported through the real pipeline. Repeatable: a second
run finds every row unchanged and duplicates nothing."""

import csv
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.attribute_services import attributes_load
from catalog.importing.columns import CANONICAL_HEADER
from catalog.importing.jobs import new_lease_owner
from catalog.importing.pipeline import import_job_execute
from catalog.models import Category, ImportMode
from catalog.services import categories_load, import_job_create
from sellers.models import Seller, SellerStatus

DEMO_OWNERS = ("demo1@bozor.localhost", "demo2@bozor.localhost")
PRODUCTS_PER_SELLER = 300
HEADER = tuple(column for column in CANONICAL_HEADER if not column.endswith("_mm"))
COLOURS = (
    ("qora", "чёрный"),
    ("oq", "белый"),
    ("ko'k", "синий"),
    ("qizil", "красный"),
    ("kulrang", "серый"),
    ("yashil", "зелёный"),
)


def ean13(body12: str) -> str:
    """An EAN-13 with its GS1 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def demo_catalog_csv(*, seller: Seller, count: int = PRODUCTS_PER_SELLER) -> bytes:
    """The same CSV for the same seller every time (seeded by its id), so re-imports are no-ops."""
    brands = list(seller.brands.order_by("name").values_list("name", flat=True))
    leaves = list(
        Category.objects.filter(is_leaf=True)
        .order_by("code")
        .values_list("code", "name_uz", "name_ru")
    )
    if not brands or not leaves:
        return b""
    rng = random.Random(f"bozor-demo-{seller.pk}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    prefix = "".join(ch for ch in brands[0].upper() if ch.isalnum())[:3] or "DM"
    for number in range(1, count + 1):
        brand = brands[number % len(brands)]
        code, name_uz, name_ru = leaves[rng.randrange(len(leaves))]
        colour_uz, colour_ru = COLOURS[rng.randrange(len(COLOURS))]
        model = f"{rng.choice('ACKMTX')}{rng.randrange(100, 1000)}"
        sku = f"{prefix}-{seller.pk:03d}-{number:05d}"
        writer.writerow(
            [
                sku,
                f"{brand} {name_uz} {model}, {colour_uz}",
                f"{name_ru} {brand} {model}, {colour_ru}",
                f"{name_uz} {model}. Kafolat 12 oy.",
                f"{name_ru} {model}. Гарантия 12 месяцев.",
                brand,
                code,
                rng.randrange(20, 5000) * 1000,
                rng.randrange(0, 500),
                ean13(f"69{seller.pk % 100:02d}{number:08d}"),
                f"{rng.randrange(10**16, 10**17)}",
                rng.randrange(50, 20_000),
                f"https://img.bozor.localhost/demo/{sku}/1.jpg",
            ]
        )
    return out.getvalue().encode("utf-8")


def demo_sellers() -> list[Seller]:
    return list(
        Seller.objects.filter(
            memberships__user__email__in=DEMO_OWNERS, status=SellerStatus.APPROVED
        )
        .distinct()
        .order_by("pk")
    )


def catalog_seed(*, seller: Seller) -> dict[str, Any]:
    """Import the seller's demo catalog synchronously through the upload pipeline."""
    content = demo_catalog_csv(seller=seller)
    if not content:
        return {"status": "skipped", "reason": "no brands or categories"}
    job, _created = import_job_create(
        seller=seller,
        user=None,
        file=SimpleUploadedFile("demo-catalog.csv", content, "text/csv"),
        mode=ImportMode.COMMIT,
        enqueue=False,
    )
    import_job_execute(job_id=job.pk, owner=new_lease_owner("demo"))
    job.refresh_from_db()
    return {"status": job.status, "job": job.pk, **job.counts}


def seed(*, stdout: Any, options: dict[str, Any]) -> None:
    count = categories_load()
    stdout.write(f"categories: {count}")
    loaded = attributes_load()
    stdout.write(
        f"attributes: {loaded['attributes']}, options {loaded['options']}, "
        f"category attributes {loaded['category_attributes']}"
    )
    sellers = demo_sellers()
    if not sellers:
        stdout.write("catalog: no approved demo sellers, no demo products")
        return
    for seller in sellers:
        result = catalog_seed(seller=seller)
        stdout.write(
            f"catalog of {seller}: "
            + ", ".join(f"{key} {value}" for key, value in result.items() if key != "job")
        )
