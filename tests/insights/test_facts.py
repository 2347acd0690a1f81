"""Writing the sales facts: COPY on PostgreSQL (paused for a new brand), batches elsewhere."""

import pytest
from django.db import connection

from catalog.models import Category
from insights.facts import facts_delete, facts_write
from insights.loading import BrandResolver
from insights.models import MarketBrand, RollupBrandDay, RollupCategoryDay, Sale, SalesLoad
from insights.services import sales_load
from tests.insights.factories import sales_file

pytestmark = pytest.mark.usefixtures("categories")


@pytest.mark.postgres
def test_it_loads_through_copy_on_postgresql():
    assert connection.vendor == "postgresql"
    rows = [
        ["2025-11-05", "home.cookware", f"B{i % 7}", "CN", str(i % 5), str(i * 1000)]
        for i in range(3000)
    ]
    result = sales_load(file=sales_file(rows), filename="many.csv")
    assert result.status == "loaded"
    assert RollupBrandDay.objects.count() == 7
    assert sum(RollupCategoryDay.objects.values_list("revenue_uzs", flat=True)) == sum(
        i * 1000 for i in range(3000)
    )


def test_it_creates_brands_met_for_the_first_time_between_other_rows():
    known = MarketBrand.objects.create(name="Artel", origin_country="UZ")
    load = SalesLoad.objects.create(sha256="0" * 64, filename="x.csv")
    cookware = Category.objects.get(code="home.cookware").pk
    brands = BrandResolver()
    artel, nova = brands.entry("Artel", "UZ"), brands.entry("Nova", "CN")
    rows = [
        ("2025-11-05", cookware, artel, 1, 100),
        ("2025-11-06", cookware, nova, 2, 200),
        ("2025-11-07", cookware, nova, 3, 300),
        ("2025-11-08", cookware, artel, 4, 400),
    ]

    facts_write(load_id=load.pk, rows=iter(rows), brands=brands)

    assert brands.created == 1
    created = MarketBrand.objects.get(name="Nova")
    assert created.origin_country == "CN"
    assert sorted(Sale.objects.values_list("market_brand_id", "units", "revenue_uzs")) == sorted(
        [(known.pk, 1, 100), (created.pk, 2, 200), (created.pk, 3, 300), (known.pk, 4, 400)]
    )
    assert facts_delete(load_id=load.pk) == 4
    assert not Sale.objects.exists()
