"""Model invariants the database enforces, and seasons named in the active language."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from insights.models import MarketBrand, Sale, SalesLoad, Season
from tests.insights.factories import MarketBrandFactory, SeasonFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_a_season_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        SeasonFactory(start=datetime.date(2025, 11, 11), end=datetime.date(2025, 11, 5))


def test_it_refuses_the_same_season_twice_in_a_year():
    Season.objects.create(
        code="navruz",
        name_en="N",
        name_ru="N",
        name_uz="N",
        name_zh="N",
        year=2025,
        start=datetime.date(2025, 3, 14),
        end=datetime.date(2025, 3, 21),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Season.objects.create(
            code="navruz",
            name_en="N",
            name_ru="N",
            name_uz="N",
            name_zh="N",
            year=2025,
            start=datetime.date(2025, 3, 14),
            end=datetime.date(2025, 3, 21),
        )


def test_it_refuses_two_market_brands_whose_names_differ_only_in_case():
    MarketBrandFactory(name="Lanyue")
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketBrandFactory(name="LANYUE")


@pytest.mark.parametrize(("units", "revenue"), [(-1, 0), (0, -1)])
def test_it_refuses_negative_facts(categories, units, revenue):
    from catalog.models import Category

    load = SalesLoad.objects.create(sha256="0" * 64, filename="x.csv")
    with pytest.raises(IntegrityError), transaction.atomic():
        Sale.objects.create(
            load=load,
            date=datetime.date(2025, 1, 1),
            category=Category.objects.get(code="home.cookware"),
            market_brand=MarketBrand.objects.create(name="X", origin_country="CN"),
            units=units,
            revenue_uzs=revenue,
        )


def test_it_names_a_season_in_the_active_language():
    from django.utils import translation

    season = SeasonFactory(name_en="11.11", name_zh="双十一")
    with translation.override("zh-hans"):
        assert season.name == "双十一"
    with translation.override("ru"):
        assert season.name == "11.11"
