"""The insights services: seeding seasons, loading and deleting sales loads, brand origins."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError

from insights.models import (
    MarketBrand,
    RollupBrandDay,
    RollupOriginDay,
    RollupOriginMonth,
    Sale,
    SalesLoad,
    Season,
)
from insights.seasons import RAMADAN
from insights.services import market_brand_update, sales_load, sales_load_delete, seasons_seed
from tests.insights.factories import GOOD_ROWS, sales_file, snapshot

pytestmark = pytest.mark.usefixtures("categories")


def test_it_loads_the_sample_report(sample_sales_path):
    result = sales_load(file=sample_sales_path)

    assert result.status == "loaded", result.as_dict()["errors"]
    assert result.rows == 4301
    assert Sale.objects.count() == 4301
    load = SalesLoad.objects.get()
    assert (load.first_date.isoformat(), load.last_date.isoformat()) == ("2025-01-01", "2025-12-31")
    assert load.detected["format"] == "csv"
    assert MarketBrand.objects.count() == 9
    assert Season.objects.filter(year=2025, code="singles_day").exists()


def test_it_recognises_the_same_file_and_adds_nothing(sample_sales_path):
    first = sales_load(file=sample_sales_path)
    before = snapshot()

    again = sales_load(file=io.BytesIO(sample_sales_path.read_bytes()), filename="copy.csv")

    assert again.status == "already_loaded"
    assert again.load == first.load
    assert snapshot() == before


def test_it_deletes_a_load_with_its_rollup_contribution_so_a_corrected_file_can_replace_it():
    sales_load(file=sales_file(GOOD_ROWS[:2]), filename="base.csv")
    before = snapshot()
    wrong = sales_load(file=sales_file(GOOD_ROWS[1:]), filename="wrong.csv")

    deleted = sales_load_delete(load=wrong.load)

    assert deleted == 3
    after = snapshot()
    assert after["sales"] == before["sales"]
    assert after["rollups"] == before["rollups"]
    corrected = sales_load(file=sales_file(GOOD_ROWS[2:]), filename="fixed.csv")
    assert corrected.status == "loaded"


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


def test_it_moves_a_brands_figures_to_its_corrected_origin():
    sales_load(file=sales_file(GOOD_ROWS), filename="good.csv")
    hanil = MarketBrand.objects.get(name="Hanil")

    market_brand_update(market_brand=hanil, origin_country=" jp ")

    assert MarketBrand.objects.get(pk=hanil.pk).origin_country == "JP"
    for model in (RollupOriginDay, RollupOriginMonth):
        assert not model.objects.filter(origin_country="KR").exists()
        assert model.objects.get(origin_country="JP").revenue_uzs == 2500000
    assert RollupBrandDay.objects.get(market_brand=hanil).revenue_uzs == 2500000


def test_it_refuses_an_origin_that_is_not_a_country_code():
    brand = MarketBrand.objects.create(name="Hanil", origin_country="KR")

    with pytest.raises(ValidationError) as raised:
        market_brand_update(market_brand=brand, origin_country="Korea")

    assert "origin_country" in raised.value.message_dict
    assert MarketBrand.objects.get(pk=brand.pk).origin_country == "KR"
