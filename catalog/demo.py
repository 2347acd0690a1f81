"""Demo data for the catalog app (called by manage.py seed_demo): the category tree, then a
catalog for each approved demo seller, imported through the real pipeline. Repeatable: a second
run finds every row unchanged and duplicates nothing.

The catalog looks like a Chinese brand's: cards of variants (colour × size, colour × memory)
under model codes, characteristics, features in both languages, sizes and photos. About a fifth
of the cards carry the mistakes real files have (two features, no photos, no sizes, a required
characteristic left out, a title in lower case), so the readiness dashboard has work to show."""

import csv
import io
import json
import random
from functools import cache
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.attribute_services import attributes_load
from catalog.demo_kinds import KINDS, Kind
from catalog.importing.columns import CANONICAL_HEADER
from catalog.importing.jobs import new_lease_owner
from catalog.importing.pipeline import import_job_execute
from catalog.models import Category, ImportMode
from catalog.services import categories_load, import_job_create
from sellers.models import Seller, SellerStatus

DEMO_OWNERS = ("demo1@bozor.localhost", "demo2@bozor.localhost")
PRODUCTS_PER_SELLER = 300
ATTRIBUTES_JSON = Path(__file__).resolve().parent / "data" / "attributes.json"
IKPU_BY_ROOT = {  # 17-digit MXIK codes of the kind each category uses
    "electronics": "08517001001000000",
    "appliances": "08516001001000000",
    "clothing": "06109001001000000",
    "shoes": "06404001001000000",
    "beauty": "03304001001000000",
    "kids": "04202001001000000",
    "home": "09405001001000000",
}
# Share of cards with each deliberate readiness issue (the rest should be ready).
FLAWS = (
    ("few_features", 0.05),
    ("no_images", 0.05),
    ("no_dimensions", 0.04),
    ("no_required", 0.03),
    ("lowercase_title", 0.03),
)


ATTRIBUTE_COLUMNS = tuple(
    dict.fromkeys(
        code for kind in KINDS for code in (*(axis for axis, _ in kind.axes), *kind.fixed)
    )
)
HEADER = (*CANONICAL_HEADER, *ATTRIBUTE_COLUMNS)


@cache
def colour_names() -> dict[str, str]:
    """Colours as a Russian-speaking manager types them (the import stores the option code)."""
    data = json.loads(ATTRIBUTES_JSON.read_text(encoding="utf-8"))
    colour = next(a for a in data["attributes"] if a["code"] == "colour")
    return {option["code"]: option["name_ru"] for option in colour["options"]}


def ean13(body12: str) -> str:
    """An EAN-13 with its GS1 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def _flaw(rng: random.Random, *, kind: Kind) -> str:
    """The readiness issue this card gets on purpose ("" for a clean card)."""
    draw = rng.random()
    for flaw, share in FLAWS:
        if draw < share:
            return (
                "lowercase_title" if flaw == "no_required" and not kind.optional_required else flaw
            )
        draw -= share
    return ""


def _variants(rng: random.Random, *, kind: Kind) -> list[dict[str, str]]:
    """The axis values of a card's variants: 2-6 for clothing, colour × memory for phones."""
    if not kind.axes:
        return [{}]
    if len(kind.axes) == 1:
        ((axis, choices),) = kind.axes
        picked = rng.sample(choices, rng.randint(1, min(3, len(choices))))
        return [{axis: value} for value in picked]
    (first, firsts), (second, seconds) = kind.axes
    total = rng.randint(2, 6)
    a = rng.randint(1, min(len(firsts), total))
    b = max(1, min(len(seconds), -(-total // a)))
    pick_a = rng.sample(firsts, a)
    start = rng.randrange(len(seconds) - b + 1)
    pick_b = seconds[start : start + b]  # sizes in a row, as a range is sold
    combos = [{first: x, second: y} for x in pick_a for y in pick_b]
    return combos[: max(2, total)]


def _card_rows(rng: random.Random, *, kind: Kind, brand: str, group: str) -> list[list[Any]]:
    """The rows of one card, in HEADER order: card-level fields repeat on every variant (the
    import checks that they agree), each variant has its own SKU, price, stock and size."""
    flaw = _flaw(rng, kind=kind)
    model = group.split("-", 1)[1]
    title_uz = f"{kind.type_uz} {brand} {model}"
    title_ru = f"{kind.type_ru} {brand} {model}"
    if flaw == "lowercase_title":
        title_uz, title_ru = title_uz[0].lower() + title_uz[1:], title_ru[0].lower() + title_ru[1:]
    picked = rng.sample(
        kind.features, 2 if flaw == "few_features" else rng.randint(3, min(5, len(kind.features)))
    )
    features_uz = " | ".join(uz for uz, _ru in picked)
    features_ru = " | ".join(ru for _uz, ru in picked)
    description_uz = " ".join(
        [f"{kind.type_uz} {brand} {model}.", *(f"{uz}." for uz, _ru in picked[:2])]
        + ["Ishlab chiqaruvchining rasmiy kafolati."]
    )
    description_ru = " ".join(
        [f"{kind.type_ru} {brand} {model}.", *(f"{ru}." for _uz, ru in picked[:2])]
        + ["Официальная гарантия производителя."]
    )
    images = (
        ""
        if flaw == "no_images"
        else "|".join(
            f"https://img.bozor.localhost/demo/{group}/{n}.jpg"
            for n in range(1, rng.randint(2, 5) + 1)
        )
    )
    fixed = {code: rng.choice(choices) for code, choices in kind.fixed.items()}
    if flaw == "no_required":
        fixed.pop(kind.optional_required, None)
    base_price = rng.randrange(*kind.price) // 10 * 10_000  # round tens of thousands
    length, width, height = (round(side * rng.uniform(0.9, 1.1)) for side in kind.size_mm)
    ikpu = IKPU_BY_ROOT[kind.category.split(".", 1)[0]]
    colours = colour_names()
    rows = []
    variants = _variants(rng, kind=kind)
    last_axis = kind.axes[-1] if kind.axes else ("", ())
    for axis_values in variants:
        suffix = "-".join(value.upper().replace("_", "") for value in axis_values.values())
        sku = f"{group}-{suffix}" if suffix else group
        attributes = {**fixed, **axis_values}
        if "colour" in attributes:
            attributes["colour"] = colours.get(attributes["colour"], attributes["colour"])
        step = kind.step * last_axis[1].index(axis_values[last_axis[0]]) if kind.step else 0
        price = base_price + step * 1000
        row: dict[str, Any] = {
            "sku": sku,
            "title_uz": title_uz,
            "title_ru": title_ru,
            "description_uz": description_uz,
            "description_ru": description_ru,
            "brand": brand,
            "category": kind.category,
            "price_uzs": price,
            "stock": rng.randrange(0, 250),
            "barcode": "",  # filled in by the caller, numbered across the catalog
            "ikpu": ikpu,
            "weight_g": round(kind.weight_g * rng.uniform(0.95, 1.05)),
            "image_urls": images,
            "length_mm": "" if flaw == "no_dimensions" else length,
            "width_mm": "" if flaw == "no_dimensions" else width,
            "height_mm": "" if flaw == "no_dimensions" else height,
            "group": group if len(variants) > 1 else "",
            "features_uz": features_uz,
            "features_ru": features_ru,
            **attributes,
        }
        rows.append([row.get(column, "") for column in HEADER])
    return rows


def demo_catalog_csv(*, seller: Seller, count: int = PRODUCTS_PER_SELLER) -> bytes:
    """The same CSV for the same seller every time (seeded by its id), so re-imports are no-ops.

    Exactly `count` rows: the last card is cut short if it would run over."""
    brands = list(seller.brands.order_by("name").values_list("name", flat=True))
    leaves = set(Category.objects.filter(is_leaf=True).values_list("code", flat=True))
    kinds = [kind for kind in KINDS if kind.category in leaves]
    if not brands or not kinds:
        return b""
    rng = random.Random(f"bozor-demo-{seller.pk}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    barcode_at = HEADER.index("barcode")
    written = 0
    card = 0
    while written < count:
        card += 1
        kind = kinds[rng.randrange(len(kinds))]
        brand = brands[card % len(brands)]
        prefix = "".join(ch for ch in brand.upper() if ch.isalpha())[:2] or "DM"
        group = f"{prefix}-{kind.letter}{seller.pk % 10}{card:03d}"
        rows = _card_rows(rng, kind=kind, brand=brand, group=group)
        for row in rows[: count - written]:
            written += 1
            row[barcode_at] = ean13(f"69{seller.pk % 100:02d}{written:08d}")
            writer.writerow(row)
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
