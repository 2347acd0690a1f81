"""Helpers for the API, page and admin tests: sellers with owners, products, catalog files."""

import csv
import io
from typing import Any

from rest_framework.test import APIClient

from catalog.importing.columns import CANONICAL_HEADER, CARD_COLUMNS
from catalog.models import Category, Product
from sellers.models import Seller, SellerStatus, User
from tests.sellers.factories import api_token, seller_with_owner

# A flat file, as every file before cards (issue 13): no dimensions, no card columns.
HEADER = [
    column
    for column in CANONICAL_HEADER
    if not column.endswith("_mm") and column not in CARD_COLUMNS
]
LEAF = "shoes.sneakers"
OTHER_LEAF = "electronics.phones.cases"
BARCODE = "6970669074398"  # a valid EAN-13
IKPU = "60008063608377835"


def ean13(number: int) -> str:
    """A valid EAN-13 for each number (the last digit is the GS1 check digit)."""
    body = f"69{number:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def approved_seller(brands: tuple[str, ...] = ("Lanyue", "Jinma")) -> tuple[Seller, User]:
    return seller_with_owner(status=SellerStatus.APPROVED, brands=list(brands))


def api_client_for(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


def product_for(seller: Seller, sku: str, category: str = LEAF, **fields: Any) -> Product:
    """A product written straight to the table (what an earlier import left)."""
    brand = fields.pop("brand", None) or seller.brands.order_by("name").first()
    values: dict[str, Any] = {
        "title_uz": f"Lanyue krossovka {sku}",
        "title_ru": f"Кроссовки Lanyue {sku}",
        "price_uzs": 125_000,
        "stock": 10,
        "barcode": BARCODE,
        "ikpu": IKPU,
        "weight_g": 800,
        "image_urls": ["https://img.example.com/1.jpg"],
    }
    values.update(fields)
    return Product.objects.create(
        seller=seller,
        sku=sku,
        brand=brand,
        category=Category.objects.get(code=category),
        **values,
    )


def row(sku: str, **overrides: str) -> dict[str, str]:
    values = {
        "sku": sku,
        "title_uz": f"Lanyue krossovka {sku} oq",
        "title_ru": f"Кроссовки Lanyue {sku} белые",
        "description_uz": "",
        "description_ru": "",
        "brand": "Lanyue",
        "category": LEAF,
        "price_uzs": "125000",
        "stock": "10",
        "barcode": BARCODE,
        "ikpu": IKPU,
        "weight_g": "800",
        "image_urls": "",
    }
    values.update(overrides)
    return values


def catalog_csv(rows: list[dict[str, str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
