"""Mapping a header onto the canonical columns."""

import pytest
from django.utils import translation

from catalog.importing.columns import (
    COLUMNS,
    REQUIRED,
    column_label,
    columns_map,
    header_key,
    looks_like_header,
)
from catalog.importing.messages import message_for
from portal.tabular import TableError

CANONICAL = [column.name for column in COLUMNS]


@pytest.mark.parametrize(
    "alias, name",
    [(alias, column.name) for column in COLUMNS for alias in (column.name, *column.aliases)],
)
def test_row_05_it_recognises_every_alias_of_design_md(alias, name):
    header = [alias] + [c for c in REQUIRED if c != name]
    assert columns_map(header).index[name] == 0


@pytest.mark.parametrize(
    "spelling",
    [
        "  SKU ",
        "sku",
        "Sku",
        "ARTIKUL",
        "商品名称（乌兹别克语）",
        "nomi(uz)",
        "Narx  (so'm)",
        "\ufeffsku",
    ],
)
def test_row_05_it_ignores_case_spaces_and_full_width_forms(spelling):
    assert header_key(spelling) in {header_key(a) for c in COLUMNS for a in (c.name, *c.aliases)}


@pytest.mark.parametrize(
    "header, name",
    [
        ("Narx (soʻm)", "price_uzs"),  # U+02BB, as the official Uzbek Latin writes it
        ("Narx (so‘m)", "price_uzs"),  # the quote a phone keyboard gives
        ("Narx (so`m)", "price_uzs"),
        ("Ogʻirlik (g)", "weight_g"),
        ("OG’IRLIK (G)", "weight_g"),
    ],
)
def test_row_05_uzbek_headers_match_whatever_apostrophe_they_are_typed_with(header, name):
    columns = [header] + [c for c in REQUIRED if c != name]
    assert columns_map(columns).index[name] == 0


def test_row_05_it_names_every_missing_required_column():
    with pytest.raises(TableError) as error:
        columns_map(["sku", "title_uz", "brand", "category", "price_uzs", "stock", "ikpu"])
    assert error.value.code == "missing_columns"
    assert error.value.params == {"columns": ["title_ru", "weight_g"]}
    message = message_for(error.value.code, error.value.params)  # rendered where it is shown
    assert "Title (Russian)" in message and "weight_g" in message


def test_row_05_it_names_missing_columns_in_the_active_language():
    with translation.override("ru"):
        label = column_label("title_ru")
    assert "title_ru" in label  # the code is always there, whatever the translation


def test_row_05_it_refuses_a_duplicated_column_naming_both_headers():
    with pytest.raises(TableError) as error:
        columns_map([*CANONICAL, "Артикул"])
    assert error.value.code == "duplicate_column"
    assert error.value.params["first"] == "sku" and error.value.params["second"] == "Артикул"


def test_row_05_it_lists_unknown_columns_as_a_warning_and_ignores_id_and_seller():
    mapping = columns_map(["id", "Seller", *CANONICAL, "colour", "", "Цвет"])
    assert mapping.unknown == ["colour", "Цвет"]
    assert mapping.ignored == ["id", "Seller"]
    assert mapping.index["sku"] == 2
    codes = [w["code"] for w in mapping.warnings()]
    assert codes == ["unknown_columns", "ignored_columns"]


def test_row_05_it_tells_a_header_from_a_title_line():
    assert looks_like_header(["商品编码", "品牌", "类目"])
    assert not looks_like_header(["Каталог товаров Lanyue, 2025"])
    assert not looks_like_header(["LY-1", "Lanyue", "shoes.sneakers"])
