"""Factories and builders for insights tests: seasons, market brands, sales files, snapshots."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

import factory

from insights.models import ROLLUP_MODELS, MarketBrand, Sale, SalesLoad, Season

HEADER = ["date", "category", "brand", "brand_origin", "units", "revenue_uzs"]


class SeasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Season
        django_get_or_create = ("code", "year")

    code = "singles_day"
    name_en = "11.11"
    name_ru = "11.11"
    name_uz = "11.11"
    name_zh = "双十一"
    year = 2025
    start = factory.LazyAttribute(lambda o: datetime.date(o.year, 11, 5))
    end = factory.LazyAttribute(lambda o: datetime.date(o.year, 11, 11))


class MarketBrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketBrand

    name = factory.Sequence(lambda n: f"Brand {n}")
    origin_country = "CN"


def sales_csv(
    rows: Iterable[Sequence[Any]], *, header: Sequence[str] = HEADER, delimiter: str = ","
) -> bytes:
    """A sales report as bytes (UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def sales_file(rows: Iterable[Sequence[Any]], **options: Any) -> io.BytesIO:
    return io.BytesIO(sales_csv(rows, **options))


GOOD_ROWS = [
    ["2025-11-05", "electronics.phones.smartphones", "Lanyue", "CN", "2", "3000000"],
    ["2025-11-06", "electronics.phones.smartphones", "Hanil", "KR", "1", "2500000"],
    ["2025-11-06", "electronics.audio.headphones", "Lanyue", "CN", "3", "900000"],
    ["2025-11-07", "home.cookware", "Artel", "UZ", "4", "400000"],
]


def snapshot() -> dict:
    """Everything a load may change, to prove a failed load changed nothing."""
    return {
        "sales": sorted(
            Sale.objects.values_list(
                "date", "category_id", "market_brand_id", "units", "revenue_uzs"
            )
        ),
        "loads": list(SalesLoad.objects.values_list("pk", "sha256")),
        "brands": sorted(MarketBrand.objects.values_list("name", "origin_country")),
        "rollups": [sorted(model.objects.values_list()) for model in ROLLUP_MODELS],
    }
