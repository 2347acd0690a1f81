"""Reading sales reports: formats, headers, row errors, and a bad file storing nothing."""

import io

import pytest
from openpyxl import Workbook

from insights.models import MarketBrand, RollupCategoryDay, Sale
from insights.services import sales_load
from tests.insights.factories import GOOD_ROWS, HEADER, sales_csv, sales_file, snapshot

pytestmark = pytest.mark.usefixtures("categories")


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        (
            ["2025-11-05", "electronics.nope", "Lanyue", "CN", "1", "100"],
            "category",
            "unknown_category",
        ),
        (
            ["2025-11-05", "electronics.phones", "Lanyue", "CN", "1", "100"],
            "category",
            "not_leaf_category",
        ),
        (
            ["2025-11-05", "home.cookware", "Lanyue", "XX", "1", "100"],
            "brand_origin",
            "unknown_origin",
        ),
        (
            ["2025-11-05", "home.cookware", "Lanyue", "China", "1", "100"],
            "brand_origin",
            "unknown_origin",
        ),
        (["2025-11-05", "home.cookware", "Lanyue", "CN", "-1", "100"], "units", "negative"),
        (["2025-11-05", "home.cookware", "Lanyue", "CN", "1", "-100"], "revenue_uzs", "negative"),
        (["2025-11-05", "home.cookware", "Lanyue", "CN", "1.5", "100"], "units", "fractional"),
        (["2025-11-05", "home.cookware", "Lanyue", "CN", "one", "100"], "units", "invalid_number"),
        (
            ["2025-11-05", "home.cookware", "Lanyue", "CN", "1", "1.2E+3"],
            "revenue_uzs",
            "scientific_notation",
        ),
        (["2025-13-05", "home.cookware", "Lanyue", "CN", "1", "100"], "date", "invalid_date"),
        (["5 Nov", "home.cookware", "Lanyue", "CN", "1", "100"], "date", "invalid_date"),
        (["45966", "home.cookware", "Lanyue", "CN", "1", "100"], "date", "excel_serial_date"),
        (["", "home.cookware", "Lanyue", "CN", "1", "100"], "date", "required"),
        (["2025-11-05", "home.cookware", "", "CN", "1", "100"], "brand", "required"),
        (["2025-11-05", "home.cookware", "Lanyue", "CN", "", "100"], "units", "required"),
        (
            ["2025-11-05", "home.cookware", "Lanyue", "KR", "1", "100"],
            "brand_origin",
            "origin_conflict",
        ),
    ],
)
def test_it_rejects_a_bad_row_and_stores_nothing(row, column, code):
    assert sales_load(file=sales_file(GOOD_ROWS), filename="first.csv").status == "loaded"
    before = snapshot()

    result = sales_load(file=sales_file([*GOOD_ROWS, row]), filename="second.csv")

    assert result.status == "rejected"
    assert [(e.row, e.column, e.code) for e in result.errors] == [(6, column, code)]
    assert result.errors[0].message  # a sentence, not a code
    assert snapshot() == before


def test_row_03_it_tells_what_date_an_excel_serial_number_means():
    row = ["45966", "home.cookware", "Lanyue", "CN", "1", "100"]
    result = sales_load(file=sales_file([row]), filename="serial.csv")
    assert "2025-11-05" in result.errors[0].message


def test_it_lists_every_bad_row_with_its_number():
    rows = [
        GOOD_ROWS[0],
        ["2025-11-05", "nope", "A", "CN", "1", "1"],
        GOOD_ROWS[1],
        ["2025-11-05", "home.cookware", "B", "ZZ", "-1", "1"],
    ]
    result = sales_load(file=sales_file(rows), filename="bad.csv")
    assert [(e.row, e.code) for e in result.errors] == [
        (3, "unknown_category"),
        (5, "unknown_origin"),
        (5, "negative"),
    ]
    assert result.error_count == 3
    assert Sale.objects.count() == 0 and MarketBrand.objects.count() == 0


def test_it_rejects_a_brand_with_two_origins_in_one_file():
    rows = [
        ["2025-11-05", "home.cookware", "Nova", "CN", "1", "100"],
        ["2025-11-06", "home.cookware", "NOVA", "TR", "1", "100"],
    ]
    result = sales_load(file=sales_file(rows), filename="two.csv")
    assert [(e.row, e.code) for e in result.errors] == [(3, "origin_conflict")]


def test_it_names_missing_columns():
    data = sales_csv([["2025-11-05", "home.cookware", "1"]], header=["date", "category", "units"])
    result = sales_load(file=io.BytesIO(data), filename="short.csv")
    assert result.status == "rejected"
    assert result.errors[0].code == "missing_columns"
    assert "brand_origin" in result.errors[0].message


def test_row_07_it_refuses_a_file_that_is_not_a_table():
    result = sales_load(file=io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 64), filename="x.csv")
    assert result.status == "rejected"
    assert result.errors[0].code == "unsupported_format"
    assert result.errors[0].message


def test_it_reports_a_file_with_only_a_header():
    result = sales_load(file=io.BytesIO(sales_csv([])), filename="empty.csv")
    assert result.status == "rejected"
    assert result.errors[0].code == "no_rows"


def test_it_reads_russian_headers_semicolons_and_cp1251():
    header = ["Дата", "Категория", "Бренд", "Страна бренда", "Количество", "Выручка (сум)"]
    rows = [["05.11.2025", "home.cookware", "Чайка", "RU", "2", "12 500,00 сум"]]
    data = sales_csv(rows, header=header, delimiter=";").decode("utf-8").encode("cp1251")

    result = sales_load(file=io.BytesIO(data), filename="ru.csv")

    assert result.status == "loaded", result.as_dict()["errors"]
    sale = Sale.objects.select_related("market_brand").get()
    assert (sale.date.isoformat(), sale.market_brand.name, sale.revenue_uzs) == (
        "2025-11-05",
        "Чайка",
        12500,
    )
    assert result.detected["delimiter"] == ";"


def test_it_reads_an_xlsx_report_with_date_cells():
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["日期", "类目", "品牌", "品牌产地", "数量", "销售额"])
    sheet.append([datetime.datetime(2025, 11, 11), "home.cookware", "Lanyue", "CN", 3, 4500000])
    stream = io.BytesIO()
    workbook.save(stream)

    result = sales_load(file=stream, filename="zh.xlsx")

    assert result.status == "loaded", result.as_dict()["errors"]
    sale = Sale.objects.get()
    assert (sale.date, sale.units, sale.revenue_uzs) == (datetime.date(2025, 11, 11), 3, 4500000)


def test_it_links_market_brands_to_registered_seller_brands():
    from tests.sellers.factories import BrandFactory, SellerFactory

    brand = BrandFactory(seller=SellerFactory(), name="Lanyue", name_zh="蓝月")
    rows = [GOOD_ROWS[0], ["2025-11-05", "home.cookware", "蓝月", "CN", "1", "100"]]
    # the Chinese name is a different market brand, linked to the same registered brand
    assert sales_load(file=sales_file(rows), filename="b.csv").status == "loaded"
    assert MarketBrand.objects.get(name="Lanyue").brand == brand
    assert MarketBrand.objects.get(name="蓝月").brand == brand


def test_it_accepts_zero_units_and_revenue():
    rows = [["2025-11-05", "home.cookware", "Lanyue", "CN", "0", "0"]]
    assert sales_load(file=sales_file(rows), filename="zero.csv").status == "loaded"
    assert RollupCategoryDay.objects.get().facts == 1


def test_it_ignores_unknown_columns_and_says_so():
    header = [*HEADER, "comment"]
    rows = [[*GOOD_ROWS[0], "=HYPERLINK()"]]
    result = sales_load(file=sales_file(rows, header=header), filename="extra.csv")
    assert result.status == "loaded"
    assert result.ignored_columns == ["comment"]
