"""The pure cell parsers of sales files (property-based where the input space is open)."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insights.rows import ALIASES, CellError, header_key, parse_date, parse_whole


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12500", 12500),
        ("12 500", 12500),
        ("12\u00a0500,00", 12500),
        ("12,500", 12500),
        ("12500.00", 12500),
        ("4 120 000 so'm", 4120000),
        ("31 087 000,00 сум", 31087000),
        ("100 UZS", 100),
        ("０", 0),
        ("-0", 0),
    ],
)
def test_it_parses_whole_numbers_as_spreadsheets_write_them(text, value):
    assert parse_whole(text) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "required"),
        ("-5", "negative"),
        ("1.5", "fractional"),
        ("1,5", "fractional"),
        ("1.2E+3", "scientific_notation"),
        ("abc", "invalid_number"),
        ("1 2 3x", "invalid_number"),
    ],
)
def test_it_names_what_is_wrong_with_a_number(text, code):
    with pytest.raises(CellError) as caught:
        parse_whole(text)
    assert caught.value.code == code


@settings(max_examples=200, database=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_it_reads_back_any_whole_number_with_group_spaces(number):
    assert parse_whole(f"{number:,}".replace(",", " ")) == number
    assert parse_whole(str(number)) == number


@settings(max_examples=200, database=None)
@given(st.text(max_size=12))
def test_it_never_crashes_on_odd_cells(text):
    for parse in (parse_whole, parse_date):
        try:
            parse(text)
        except CellError:
            pass


@settings(max_examples=200, database=None)
@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_it_reads_dates_in_every_accepted_form(day):
    for text in (day.isoformat(), f"{day:%d.%m.%Y}", f"{day:%Y/%m/%d}", f"{day} 00:00:00"):
        assert parse_date(text) == day


def test_it_explains_an_excel_serial_date():
    with pytest.raises(CellError) as caught:
        parse_date("45972")
    assert caught.value.code == "excel_serial_date"
    assert caught.value.params["date"] == "2025-11-11"


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Date", "date"),
        (" CATEGORY ", "category"),
        ("Бренд", "brand"),
        ("品牌产地", "brand_origin"),
        ("Выручка (сум)", "revenue_uzs"),
        ("Soni", "units"),
        ("revenue", "revenue_uzs"),
    ],
)
def test_it_maps_header_aliases(header, column):
    assert ALIASES[header_key(header)] == column
