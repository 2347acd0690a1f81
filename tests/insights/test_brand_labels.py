"""Brands in the reader's language on the insights figures: the Chinese name in the Chinese UI."""

import datetime

import pytest
from django.utils import translation

from insights import selectors
from insights.models import MarketBrand
from insights.services import sales_load
from tests.insights.factories import sales_file
from tests.sellers.factories import ApprovedSellerFactory, BrandFactory

pytestmark = pytest.mark.usefixtures("categories")
DAY = datetime.date(2025, 11, 5)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label"), [("zh-hans", "蓝月"), ("en", "Lanyue"), ("ru", "Lanyue")]
)
def test_a_registered_brand_reads_in_chinese_in_the_chinese_ui(language, label):
    rows = [
        [DAY.isoformat(), "home.cookware", "Lanyue", "CN", "2", "200000"],
        [DAY.isoformat(), "home.cookware", "Artel", "UZ", "1", "100000"],
    ]
    assert sales_load(file=sales_file(rows), filename="s.csv").status == "loaded"
    brand = BrandFactory(seller=ApprovedSellerFactory(), name="Lanyue", name_zh="蓝月")
    MarketBrand.objects.filter(name="Lanyue").update(brand=brand)
    window = selectors.window_from_dates(DAY, DAY)
    with translation.override(language):
        shares = selectors.market_share(category=None, window=window, by="brand")["shares"]
    assert [(s["key"], s["label"]) for s in shares] == [("Lanyue", label), ("Artel", "Artel")]
