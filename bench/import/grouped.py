"""The grouped file of issue 13: cards of 5 variants with 5 characteristic columns.

`generate_grouped` writes two files from the same rows:

- the import file, as a seller sends it: the flat columns plus `group`, `features_uz`,
  `features_ru`, the three sides, and 5 characteristic columns of `electronics.phones.smartphones`
  (colour and built-in memory are its variant axes) with Russian headers and values ("Цвет:
  Чёрный", "Встроенная память: 128 ГБ", "Диагональ экрана: 6,7");
- the baseline's file (`bare=True`), the same rows as the database stores them: the 5
  characteristic cells as one JSON object of option codes, and the readiness the import would
  store (state and issues, computed here with `catalog.cards.product_readiness`, the import's own
  function). Bare SQL does no validation, so it gets every derived value pre-computed.

Every row is valid; about 10 % of the cards have two Russian features (`features_count`) and
1 in 20 variants has no sides (`dimensions_missing`), so some rows store readiness issues.
"""

import csv
import json
from pathlib import Path
from typing import Any

CATEGORY = "electronics.phones.smartphones"
VARIANTS = 5
BRANDS = ("Lanyue", "Jinma", "Tianxin")
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
    "length_mm",
    "width_mm",
    "height_mm",
    "group",
    "features_uz",
    "features_ru",
]
# (header, attribute code): the Russian names a seller's template has.
ATTRIBUTE_COLUMNS = (
    ("Цвет", "colour"),
    ("Встроенная память", "memory"),
    ("Оперативная память", "ram"),
    ("Операционная система", "os"),
    ("Диагональ экрана", "screen_size"),
)
BARE_HEADER = [*HEADER, "attributes", "readiness_state", "readiness_issues"]

COLOURS = ("black", "white", "blue", "green", "purple", "silver", "gold", "grey")
MEMORIES = ("64gb", "128gb", "256gb", "512gb", "1tb")
RAMS = ("4gb", "6gb", "8gb", "12gb")
SYSTEMS = ("android", "android", "android", "harmonyos")
SCREENS = ("6,1", "6,4", "6,67", "6,8")
MODELS = ("Nova", "Pulse", "Orbit", "Vega", "Luna", "Astra", "Terra")
FEATURES_UZ = (
    "AMOLED ekran, 120 Gts",
    "5000 mA·soat batareya",
    "Tez quvvatlash 67 Vt",
    "Ikki SIM-karta",
    "NFC orqali toʻlov",
)
FEATURES_RU = (
    "AMOLED-экран, 120 Гц",
    "Аккумулятор 5000 мА·ч",
    "Быстрая зарядка 67 Вт",
    "Две SIM-карты",
    "Оплата по NFC",
)


def ean13(number: int) -> str:
    body = f"47{number:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _labels() -> dict[str, dict[str, str]]:
    """attribute code -> option code -> Russian name, from the seed data."""
    data = json.loads(
        (Path(__file__).resolve().parents[2] / "catalog/data/attributes.json").read_text("utf-8")
    )
    return {
        attribute["code"]: {o["code"]: o["name_ru"] for o in attribute.get("options", [])}
        for attribute in data["attributes"]
    }


def _rows(rows: int):
    """(import cells, attribute cells, stored attributes) per row, in file order."""
    labels = _labels()
    for n in range(rows):
        g, v = divmod(n, VARIANTS)
        brand = BRANDS[g % 3]
        model = f"{MODELS[g % len(MODELS)]} {g:06d}"
        # Five distinct (colour, memory) pairs per card: two colours, memories in a row.
        colour = COLOURS[(g + v // 3) % len(COLOURS)]
        memory = MEMORIES[(g + v) % len(MEMORIES)]
        screen = SCREENS[g % len(SCREENS)]
        attributes: dict[str, Any] = {
            "colour": colour,
            "memory": memory,
            "ram": RAMS[g % len(RAMS)],
            "os": SYSTEMS[g % len(SYSTEMS)],
            "screen_size": float(screen.replace(",", ".")),
        }
        texts = [labels[code][str(attributes[code])] for _h, code in ATTRIBUTE_COLUMNS[:4]]
        texts.append(screen)
        features_ru = FEATURES_RU[: 2 if g % 10 == 0 else 3 + g % 3]
        features_uz = FEATURES_UZ[: 3 + g % 3]
        sides = ("", "", "") if n % 20 == 7 else (172, 92, 58)
        group = f"PH-{g:06d}"
        cells = [
            f"{group}-{colour}-{memory}",
            f"Smartfon {brand} {model}",
            f"Смартфон {brand} {model}",
            f"Smartfon {brand} {model}: katta ekran va kuchli batareya.",
            f"Смартфон {brand} {model}: большой экран и ёмкий аккумулятор.",
            brand,
            CATEGORY,
            1_900_000 + (g % 40) * 50_000 + ((g + v) % len(MEMORIES)) * 400_000,
            (n * 37) % 300,
            ean13(n + 1),
            "08517130001000000",
            380 + v * 5,
            "|".join(f"https://img.example.com/p/{g}/{i}.jpg" for i in range(3)),
            *sides,
            group,
            "|".join(features_uz),
            "|".join(features_ru),
        ]
        yield cells, texts, attributes


def generate_grouped(path: Path, rows: int, *, bare: bool = False) -> None:
    """Write the import file (or, `bare`, the baseline's file) of `rows` rows, once."""
    if path.exists() and path.stat().st_size > 0:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    readiness = _Readiness() if bare else None
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(BARE_HEADER if bare else HEADER + [h for h, _c in ATTRIBUTE_COLUMNS])
        for cells, texts, attributes in _rows(rows):
            if readiness is None:
                writer.writerow(cells + texts)
            else:
                writer.writerow(cells + readiness.columns(cells, attributes))
    tmp.rename(path)


class _Readiness:
    """The readiness the import stores for a row, by the import's own function."""

    def __init__(self) -> None:
        from catalog.cards import card_rules_load, product_readiness, readiness_fields
        from catalog.models import Category

        self.rules = card_rules_load()
        self.check = product_readiness
        self.fields = readiness_fields
        self.category_id = Category.objects.get(code=CATEGORY).pk

    def columns(self, cells: list[Any], attributes: dict[str, Any]) -> list[str]:
        row = dict(zip(HEADER, cells, strict=True))
        values = {
            **{k: row[k] for k in ("title_uz", "title_ru", "description_uz", "description_ru")},
            "features_uz": row["features_uz"].split("|"),
            "features_ru": row["features_ru"].split("|"),
            "image_urls": row["image_urls"].split("|"),
            "attributes": attributes,
            "category_id": self.category_id,
            "price_uzs": row["price_uzs"],
            "weight_g": row["weight_g"],
            **{k: row[k] or None for k in ("length_mm", "width_mm", "height_mm")},
        }
        stored = self.fields(self.check(values, self.rules))
        return [
            json.dumps(attributes),
            stored["readiness_state"],
            json.dumps(stored["readiness_issues"], ensure_ascii=False),
        ]


BARE_TABLE = """
CREATE TEMP TABLE bare_cards (
    sku text, title_uz text, title_ru text, description_uz text, description_ru text,
    brand text, category text, price_uzs bigint, stock integer, barcode text, ikpu text,
    weight_g integer, image_urls text, length_mm integer, width_mm integer, height_mm integer,
    "group" text, features_uz text, features_ru text, attributes jsonb, readiness_state text,
    readiness_issues jsonb
) ON COMMIT DROP
"""
_COLUMNS = (
    "title_uz",
    "title_ru",
    "description_uz",
    "description_ru",
    "brand_id",
    "category_id",
    "price_uzs",
    "stock",
    "barcode",
    "ikpu",
    "weight_g",
    "image_urls",
    "length_mm",
    "width_mm",
    "height_mm",
    '"group"',
    "features_uz",
    "features_ru",
    "attributes",
    "readiness_state",
    "readiness_issues",
)
BARE_UPSERT = f"""
INSERT INTO catalog_product (seller_id, sku, {", ".join(_COLUMNS)}, created_at, updated_at)
SELECT %(seller)s, r.sku, r.title_uz, r.title_ru, r.description_uz, r.description_ru, b.id, c.id,
    r.price_uzs, r.stock, r.barcode, r.ikpu, r.weight_g,
    to_jsonb(string_to_array(r.image_urls, '|')), r.length_mm, r.width_mm, r.height_mm,
    r."group", to_jsonb(string_to_array(r.features_uz, '|')),
    to_jsonb(string_to_array(r.features_ru, '|')), r.attributes, r.readiness_state,
    r.readiness_issues, now(), now()
FROM bare_cards r
JOIN sellers_brand b ON b.seller_id = %(seller)s AND b.name = r.brand
JOIN catalog_category c ON c.code = r.category
ON CONFLICT (seller_id, sku) DO UPDATE SET
    {", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS)}, updated_at = EXCLUDED.updated_at
WHERE ({", ".join(f"catalog_product.{c}" for c in _COLUMNS)})
    IS DISTINCT FROM ({", ".join(f"EXCLUDED.{c}" for c in _COLUMNS)})
"""
# What both writers must have stored alike (compared after each run, per seller).
STORED_CHECKSUM = f"""
SELECT count(*), md5(string_agg(
    concat_ws(chr(31), p.sku, {", ".join(f"p.{c}" for c in _COLUMNS if c != "brand_id")},
              b.name), chr(30) ORDER BY p.sku))
FROM catalog_product p JOIN sellers_brand b ON b.id = p.brand_id
WHERE p.seller_id = %s
"""


def run_bare_grouped(seller, path: Path) -> float:
    """COPY the baseline's file into a temporary table, then one upsert; one transaction."""
    import time

    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(BARE_TABLE)
        with (
            path.open("rb") as handle,
            cursor.copy("COPY bare_cards FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        cursor.execute(BARE_UPSERT, {"seller": seller.pk})
    return time.perf_counter() - start


def stored_checksum(seller) -> tuple[int, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(STORED_CHECKSUM, [seller.pk])
        return cursor.fetchone()
