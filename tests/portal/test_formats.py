"""Dates, numbers, brands and categories in the reader's language (portal/formats/)."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, number_format

from catalog.models import Category, Product
from portal.formats.months import MONTHS_AFTER_A_DAY
from sellers.models import SellerStatus, StatusChange
from tests.catalog.factories import ProductFactory, sample_seller
from tests.insights.factories import SeasonFactory
from tests.sellers.factories import (
    BrandFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
    seller_with_owner,
)

TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")
DAY = datetime.date(2025, 11, 5)
MOMENT = datetime.datetime(2025, 11, 5, 14, 30, tzinfo=TASHKENT)
SEPTEMBER = datetime.date(2025, 9, 5)


def in_language(language: str, function, *args):
    with translation.override(language):
        return function(*args)


@pytest.mark.parametrize(
    ("language", "value", "format_name", "expected"),
    [
        ("zh-hans", DAY, "DATE_FORMAT", "2025年11月5日"),
        ("zh-hans", DAY, "SHORT_DATE_FORMAT", "2025年11月5日"),
        ("zh-hans", MOMENT, "DATETIME_FORMAT", "2025年11月5日 14:30"),
        ("zh-hans", MOMENT, "SHORT_DATETIME_FORMAT", "2025年11月5日 14:30"),
        ("zh-hans", DAY, "YEAR_MONTH_FORMAT", "2025年11月"),
        ("zh-hans", SEPTEMBER, "MONTH_DAY_FORMAT", "9月5日"),  # Django's reads 09月5日
        ("ru", DAY, "DATE_FORMAT", "5 ноября 2025"),  # Django's adds "г."
        ("ru", DAY, "SHORT_DATE_FORMAT", "5 ноября 2025"),
        ("ru", MOMENT, "DATETIME_FORMAT", "5 ноября 2025, 14:30"),
        ("ru", DAY, "MONTH_DAY_FORMAT", "5 ноября"),  # Django's reads 5 Ноябрь
        ("ru", DAY, "YEAR_MONTH_FORMAT", "Ноябрь 2025"),
        ("ru", SEPTEMBER, "DATE_FORMAT", "5 сентября 2025"),
        ("en", DAY, "DATE_FORMAT", "Nov. 5, 2025"),
        ("en", MOMENT, "DATETIME_FORMAT", "Nov. 5, 2025, 2:30 p.m."),
        ("en", DAY, "MONTH_DAY_FORMAT", "November 5"),
    ],
)
def test_it_formats_dates_in_the_languages_own_form(language, value, format_name, expected):
    assert in_language(language, date_format, value, format_name) == expected


@pytest.mark.parametrize(
    ("value", "format_name", "expected"),
    [
        (DAY, "DATE_FORMAT", "5-noyabr 2025"),  # Django's reads 5-Noyabr, 2025-yil
        (DAY, "SHORT_DATE_FORMAT", "5-noyabr 2025"),
        (MOMENT, "DATETIME_FORMAT", "5-noyabr 2025, 14:30"),
        (DAY, "MONTH_DAY_FORMAT", "5-noyabr"),
        (datetime.date(2025, 3, 21), "DATE_FORMAT", "21-mart 2025"),
    ],
)
def test_it_formats_uzbek_dates_with_the_day_before_the_month(value, format_name, expected):
    # The lower-case month comes from the "alt. month" entries of locale/uz (see
    # portal/formats/months.py) once makemessages and compilemessages have run; Django's own
    # catalog capitalises it, so the case is not compared here.
    assert in_language("uz", date_format, value, format_name).casefold() == expected


def test_it_marks_every_month_name_for_the_project_catalogs():
    assert len(MONTHS_AFTER_A_DAY) == 12
    with translation.override("ru"):
        assert [str(month) for month in MONTHS_AFTER_A_DAY][10] == "ноября"


@pytest.mark.parametrize(
    ("language", "value", "decimals", "expected"),
    [
        ("zh-hans", 25_174_451_000, 0, "25,174,451,000"),  # Django's: 25174451000
        ("zh-hans", 7.1, 1, "7.1"),
        ("en", 25_174_451_000, 0, "25,174,451,000"),
        ("en", 1234.5, 1, "1,234.5"),
        ("ru", 25_174_451_000, 0, "25\xa0174\xa0451\xa0000"),
        ("ru", 1234.5, 1, "1\xa0234,5"),
        ("uz", 25_174_451_000, 0, "25\xa0174\xa0451\xa0000"),
        ("uz", 7.1, 1, "7,1"),
        ("ru", 999, 0, "999"),
        ("zh-hans", -1_500_000, 0, "-1,500,000"),
    ],
)
def test_it_groups_numbers_in_every_language(language, value, decimals, expected):
    grouped = in_language(language, number_format, value, decimals, None, True)
    assert grouped == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "125,000"), ("en", "125,000"), ("ru", "125\xa0000"), ("uz", "125\xa0000")],
)
def test_templates_group_money_with_floatformat(language, expected):
    template = Template('{{ price|floatformat:"0g" }}')
    assert in_language(language, template.render, Context({"price": 125_000})) == expected


@pytest.mark.parametrize("language", ["en", "zh-hans", "ru", "uz"])
def test_it_never_groups_a_bare_number_such_as_an_id_in_a_link(language):
    template = Template("/imports/{{ id }}/")
    assert in_language(language, template.render, Context({"id": 123456})) == "/imports/123456/"


# Pages


def page(client: Client, language: str, url: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "2025年11月5日 14:30"),
        ("ru", "5 ноября 2025, 14:30"),
        ("en", "Nov. 5, 2025, 2:30 p.m."),
    ],
)
def test_the_dashboard_shows_dates_in_the_languages_own_form(client, language, expected):
    seller, user = seller_with_owner(status=SellerStatus.SUBMITTED)
    StatusChange.objects.create(
        seller=seller, from_status=SellerStatus.DRAFT, to_status=SellerStatus.SUBMITTED, at=MOMENT
    )
    client.force_login(user)
    html = page(client, language, reverse("sellers:dashboard"))
    assert expected in html
    assert "5 十一月 2025" not in html


@pytest.fixture
def product_client(client, categories):
    seller = sample_seller()  # brands Lanyue 蓝月, Jinma 金马, Tianxin 天心
    MembershipFactory(seller=seller, user=(user := UserFactory()))
    client.force_login(user)
    lanyue = seller.brands.get(name="Lanyue")
    ProductFactory(seller=seller, brand=lanyue, price_uzs=25_174_451_000, stock=12_500)
    return client


@pytest.mark.parametrize(
    ("language", "brand", "price"),
    [
        ("zh-hans", "蓝月", "25,174,451,000"),
        ("en", "Lanyue", "25,174,451,000"),
        ("ru", "Lanyue", "25\xa0174\xa0451\xa0000"),
        ("uz", "Lanyue", "25\xa0174\xa0451\xa0000"),
    ],
)
def test_the_product_list_shows_the_brand_and_grouped_price_in_the_language(
    product_client, language, brand, price
):
    html = page(product_client, language, reverse("catalog:product-list"))
    assert f">{brand}<" in html
    assert price in html
    assert "25174451000" not in html.replace('value="25174451000"', "")


# Names


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name_zh", "expected"),
    [
        ("zh-hans", "蓝月", "蓝月"),
        ("zh-hans", "", "Lanyue"),  # no Chinese name: the registered one
        ("en", "蓝月", "Lanyue"),
        ("ru", "蓝月", "Lanyue"),
        ("uz", "蓝月", "Lanyue"),
    ],
)
def test_a_brand_shows_its_chinese_name_in_the_chinese_ui(language, name_zh, expected):
    brand = BrandFactory(name="Lanyue", name_zh=name_zh)
    with translation.override(language):
        assert brand.localized_name == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Sneakers"), ("zh-hans", "运动鞋"), ("ru", "Кроссовки"), ("uz", "Krossovkalar")],
)
def test_a_category_is_named_in_the_ui_language(categories, language, expected):
    category = Category.objects.get(code="shoes.sneakers")
    with translation.override(language):
        assert category.name == expected
        assert str(category) == f"shoes.sneakers ({expected})"


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("ru", "Ботинки и сапоги", "Boots"),
        ("zh-hans", "靴子", "Boots"),
        ("uz", "Botinkalar va etiklar", "Boots"),
        ("en", "Boots", "Ботинки и сапоги"),
    ],
)
def test_the_category_admin_lists_names_in_the_ui_language(categories, language, shown, hidden):
    staff = Client()
    staff.force_login(StaffFactory())
    html = page(staff, language, reverse("admin:catalog_category_changelist") + "?q=shoes.boots")
    assert shown in html
    assert hidden not in html


@pytest.mark.parametrize(
    ("language", "price", "stock"),
    [("ru", "25\xa0174\xa0451\xa0000", "12\xa0500"), ("zh-hans", "25,174,451,000", "12,500")],
)
def test_the_product_admin_groups_price_and_stock(product_client, language, price, stock):
    staff = Client()
    staff.force_login(StaffFactory())
    html = page(staff, language, reverse("admin:catalog_product_changelist"))
    assert f'<td class="field-price">{price}</td>' in html
    assert f'<td class="field-stock_grouped">{stock}</td>' in html


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "双十一"), ("ru", "Распродажа 11.11")]
)
def test_the_season_admin_lists_names_in_the_ui_language(db, language, expected):
    SeasonFactory(name_en="Singles' Day", name_ru="Распродажа 11.11", name_zh="双十一")
    staff = Client()
    staff.force_login(StaffFactory())
    html = page(staff, language, reverse("admin:insights_season_changelist"))
    assert expected in html
    assert "Singles" not in html


def test_the_product_list_groups_the_product_count(product_client):
    product = Product.objects.get()
    more = ProductFactory.build_batch(
        1_000, seller=product.seller, brand=product.brand, category=product.category
    )
    Product.objects.bulk_create(more)
    html = page(product_client, "ru", reverse("catalog:product-list"))
    assert "1\xa0001 " in html  # "1 001 товар" once the catalog has the new msgid
