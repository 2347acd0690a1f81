"""The pure cell parsers of sales files (property-based where the input space is open)."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insights.rows import ALIASES, parse_date
from portal.tabular import TableError, header_key, parse_whole


@settings(max_examples=200, database=None)
@given(st.text(max_size=12))
def test_it_never_crashes_on_odd_cells(text):
    for parse in (parse_whole, parse_date):
        try:
            parse(text)
        except TableError:
            pass


@settings(max_examples=200, database=None)
@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_it_reads_dates_in_every_accepted_form(day):
    for text in (day.isoformat(), f"{day:%d.%m.%Y}", f"{day:%Y/%m/%d}", f"{day} 00:00:00"):
        assert parse_date(text) == day


def test_it_explains_an_excel_serial_date():
    with pytest.raises(TableError) as caught:
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
