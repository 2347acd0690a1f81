"""Model invariants the database enforces, and the default seasons."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from insights.models import MarketBrand, Sale, SalesLoad, Season
from insights.seasons import RAMADAN, black_friday
from insights.services import seasons_seed
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


def test_it_seeds_the_default_seasons_of_a_year_once():
    assert seasons_seed(year=2025) == 8
    assert seasons_seed(year=2025) == 0
    seasons = {s.code: s for s in Season.objects.filter(year=2025)}
    assert (seasons["womens_day"].end, seasons["navruz"].end) == (
        datetime.date(2025, 3, 8),
        datetime.date(2025, 3, 21),
    )
    assert seasons["eid_al_fitr"].start == RAMADAN[2025][1]
    assert seasons["black_friday"].start == datetime.date(2025, 11, 28)
    assert all(s.name_zh and s.name_ru and s.name_uz for s in seasons.values())


def test_it_keeps_a_season_that_staff_edited():
    seasons_seed(year=2025)
    Season.objects.filter(code="navruz", year=2025).update(end=datetime.date(2025, 3, 25))
    seasons_seed(year=2025)
    assert Season.objects.get(code="navruz", year=2025).end == datetime.date(2025, 3, 25)


def test_it_seeds_no_ramadan_for_a_year_without_dates():
    seasons_seed(year=2031)
    assert not Season.objects.filter(year=2031, code__in=["ramadan", "eid_al_fitr"]).exists()
    assert Season.objects.filter(year=2031).count() == 6


@pytest.mark.parametrize(
    ("year", "day"), [(2024, 29), (2025, 28), (2026, 27), (2027, 26), (2028, 24)]
)
def test_it_finds_black_friday(year, day):
    assert black_friday(year) == datetime.date(year, 11, day)


def test_it_names_a_season_in_the_active_language():
    from django.utils import translation

    season = SeasonFactory(name_en="11.11", name_zh="双十一")
    with translation.override("zh-hans"):
        assert season.name == "双十一"
    with translation.override("ru"):
        assert season.name == "11.11"
