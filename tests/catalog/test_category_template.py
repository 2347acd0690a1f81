"""GET imports/template/?category=<leaf>: a leaf's characteristics as columns, drop-downs in the
reader's language, a definitions sheet, text-formatted codes and an example card of two variants."""

import csv
import io
import re

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl.utils import get_column_letter

from catalog.attribute_selectors import category_attributes_list
from catalog.attribute_services import attributes_load
from catalog.attribute_values import BOOLEAN_ALLOWED, parse_attribute_value
from catalog.importing.columns import CANONICAL_HEADER, COLUMNS
from catalog.importing.template import (
    DEFINITIONS_SHEET,
    LISTS_SHEET,
    category_example_rows,
    category_header,
    category_template_get,
)
from catalog.models import Category, Product
from sellers.models import Brand
from tests.catalog.factories_api import api_client_for, approved_seller

pytestmark = pytest.mark.django_db
URL = "/api/v1/imports/template/"
PHONES = "electronics.phones.smartphones"
DRESSES = "clothing.women.dresses"
LANGUAGES = {"en": "en", "ru": "ru", "uz": "uz", "zh-hans": "zh"}
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@pytest.fixture
def owner(categories):
    attributes_load()
    seller, user = approved_seller(brands=("Lanyue", "Jinma"))
    Brand.objects.filter(seller=seller).update(state="approved")
    return seller, user


@pytest.fixture
def api(owner):
    return api_client_for(owner[1])


def download(api, category: str, file_format: str = "xlsx", language: str = "en") -> bytes:
    response = api.get(
        URL, {"format": file_format, "category": category}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def workbook_for(api, category: str = PHONES, language: str = "en") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(download(api, category, language=language)))


def rows_of(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(values_only=True) if any(c is not None for c in row)]


def validations(sheet) -> dict[str, str]:
    """Column letter -> the list a drop-down offers (its formula)."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in str(validation.sqref).split():
            found[re.sub(r"\d", "", cell_range.split(":")[0])] = validation.formula1
    return found


def list_values(workbook: openpyxl.Workbook, formula: str) -> list[str]:
    """The values a drop-down offers: a literal list or a range of the hidden lists sheet."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    match = re.fullmatch(r"='?([^'!]+)'?!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", formula)
    assert match, formula
    sheet = workbook[match[1]]
    column = match[2]
    return [sheet[f"{column}{row}"].value for row in range(int(match[3]), int(match[4]) + 1)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_is_the_canonical_columns_then_the_characteristics_in_the_language(
    api, language
):
    code = LANGUAGES[language]
    workbook = workbook_for(api, language=language)
    with translation.override(language):
        assert workbook.sheetnames[0] == gettext("Products")  # the request's language
    assert workbook.sheetnames[1] == DEFINITIONS_SHEET
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    header = [cell.value for cell in workbook.worksheets[0][1]]
    links = category_attributes_list(code=PHONES)
    assert header[: len(COLUMNS)] == CANONICAL_HEADER
    assert {"group", "features_uz", "features_ru"} <= set(header)
    assert header[len(COLUMNS) :] == [getattr(link.attribute, f"name_{code}") for link in links]


@pytest.mark.parametrize("language", LANGUAGES)
def test_lists_and_yes_no_get_drop_downs_in_the_language(api, language):
    code = LANGUAGES[language]
    workbook = workbook_for(api, language=language)
    products = workbook.worksheets[0]
    header = [cell.value for cell in products[1]]
    found = validations(products)
    checked = set()
    for link in category_attributes_list(code=PHONES):
        attribute = link.attribute
        letter = get_column_letter(header.index(getattr(attribute, f"name_{code}")) + 1)
        if attribute.type == "enum":
            expected = [getattr(option, f"name_{code}") for option in attribute.options.all()]
            assert list_values(workbook, found[letter]) == expected
            checked.add("enum")
        elif attribute.type == "boolean":
            assert list_values(workbook, found[letter]) == BOOLEAN_ALLOWED[code].split(", ")
            checked.add("boolean")
        else:
            assert letter not in found
    assert checked == {"enum", "boolean"}
    brand = get_column_letter(header.index("brand") + 1)
    assert list_values(workbook, found[brand]) == ["Jinma", "Lanyue"]
    category = get_column_letter(header.index("category") + 1)
    assert list_values(workbook, found[category]) == [PHONES]


def test_a_long_list_comes_from_the_hidden_sheet(api):
    """Excel keeps a literal list under 255 characters: colours come from the lists sheet."""
    products = workbook_for(api, DRESSES).worksheets[0]
    header = [cell.value for cell in products[1]]
    letter = get_column_letter(header.index("Colour") + 1)
    assert validations(products)[letter].startswith(f"='{LISTS_SHEET}'!")


def test_sku_barcode_ikpu_and_group_are_text_formatted(api):
    products = workbook_for(api).worksheets[0]
    header = [cell.value for cell in products[1]]
    for name in ("sku", "barcode", "ikpu", "group"):
        column = header.index(name) + 1
        for row in (2, 3, 500, 1000):
            assert products.cell(row=row, column=column).number_format == "@", (name, row)
        assert isinstance(products.cell(row=2, column=column).value, str)


def test_the_definitions_sheet_describes_every_column(api):
    workbook = workbook_for(api)
    header = [cell.value for cell in workbook.worksheets[0][1]]
    rows = rows_of(workbook[DEFINITIONS_SHEET])
    assert rows[0] == ("Header", "Code", "Meaning", "Type", "Required", "Valid values")
    described = {row[0]: row for row in rows[1 : len(header) + 1]}
    assert list(described) == header
    assert described["sku"][4] == "yes" and described["barcode"][4] == "no"
    assert described["ikpu"][5] == "17 digits"
    assert described["category"][5] == PHONES
    links = {link.attribute.code: link for link in category_attributes_list(code=PHONES)}
    by_code = {row[1]: row for row in described.values()}
    colour, memory, nfc = by_code["colour"], by_code["memory"], by_code["nfc"]
    assert colour[0] == "Colour" and colour[3] == "List of values" and colour[4] == "yes"
    assert "variant axis" in colour[2]
    assert "Black" in colour[5] and "White" in colour[5]
    assert memory[4] == "yes"  # an axis is required
    assert nfc[3] == "Yes or no" and nfc[4] == "no" and nfc[5] == "yes, no"
    battery = by_code["battery_capacity"]
    assert battery[3] == "Number (mAh)" and "mAh" in battery[5]
    laptops = rows_of(workbook_for(api, "electronics.computers.laptops")[DEFINITIONS_SHEET])
    assert {row[1]: row for row in laptops}["processor"][3] == "Text"
    for code, link in links.items():
        assert by_code[code][4] == ("yes" if link.required or link.variant_axis else "no")


def test_the_definitions_sheet_names_the_values_in_the_language(api):
    workbook = workbook_for(api, language="ru")
    by_code = {row[1]: row for row in rows_of(workbook[DEFINITIONS_SHEET])[1:] if row[1]}
    assert by_code["colour"][0] == "Цвет"
    assert "Чёрный" in by_code["colour"][5]
    assert by_code["nfc"][5] == "да, нет"


@pytest.mark.parametrize("category", [PHONES, DRESSES, "shoes.sneakers", "electronics.tv"])
def test_the_example_is_one_card_with_two_variants(api, category):
    workbook = workbook_for(api, category)
    rows = rows_of(workbook.worksheets[0])
    assert len(rows) == 3
    header = rows[0]
    first, second = (dict(zip(header, row, strict=True)) for row in rows[1:])
    assert first["group"] == second["group"] != ""
    assert first["sku"] != second["sku"]
    for name in ("title_uz", "title_ru", "description_uz", "description_ru", "brand"):
        assert first[name] == second[name]
    for name in ("features_uz", "features_ru", "image_urls", "category"):
        assert first[name] == second[name]
    assert first["category"] == category
    assert first["brand"] == "Jinma"  # the seller's first approved brand
    for title in (first["title_uz"], first["title_ru"]):
        assert len(title.split()) >= 3 and title[0].isupper()
    for name in ("title_uz", "description_uz", "features_uz"):
        assert not CYRILLIC.search(first[name])
    assert len(first["features_uz"].split("|")) >= 3
    assert len(first["features_ru"].split("|")) >= 3
    assert len(first["image_urls"].split("|")) >= 3
    for row in (first, second):
        assert re.fullmatch(r"\d{17}", row["ikpu"])
        assert _gtin_valid(row["barcode"])
    assert first["barcode"] != second["barcode"]
    links = category_attributes_list(code=category)
    axes = [link.attribute for link in links if link.variant_axis]
    assert axes
    values = []
    for row in (first, second):
        values.append(
            tuple(
                parse_attribute_value(axis, str(row[axis.name_en]), axis.options.all())
                for axis in axes
            )
        )
    assert values[0] != values[1] and None not in values[0] + values[1]
    for link in links:
        if not link.variant_axis:
            assert first[link.attribute.name_en] == second[link.attribute.name_en]


def _gtin_valid(code: str) -> bool:
    digits = [int(d) for d in code]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(reversed(digits[:-1]), start=1))
    return len(code) in (8, 12, 13) and (10 - total % 10) % 10 == digits[-1]


def test_every_leaf_has_a_template_whose_example_values_parse(owner):
    for category in Category.objects.filter(is_leaf=True).order_by("code"):
        template = category_template_get(code=category.code)
        links = template.links
        assert len(category_header(template)) == len(COLUMNS) + len(links)
        first, second = category_example_rows(template, "Lanyue")
        axes = [i for i, link in enumerate(links) if link.variant_axis]
        if axes:  # a card of a leaf without axes (fridges) has variants by SKU alone
            assert [first[len(COLUMNS) + i] for i in axes] != [
                second[len(COLUMNS) + i] for i in axes
            ]
        for row in (first, second):
            for link, value in zip(links, row[len(COLUMNS) :], strict=True):
                attribute = link.attribute
                parsed = parse_attribute_value(attribute, str(value), attribute.options.all())
                assert parsed is not None, (category.code, attribute.code)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_csv_form_has_the_same_header_and_example_rows(api, language):
    content = download(api, PHONES, "csv", language)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    workbook = workbook_for(api, language=language)
    xlsx_rows = rows_of(workbook.worksheets[0])
    assert rows[0] == list(xlsx_rows[0])
    assert len(rows) == 3
    assert rows[1] == ["" if cell is None else str(cell) for cell in xlsx_rows[1]]


def test_an_unknown_category_is_a_clear_400(api):
    response = api.get(URL, {"format": "xlsx", "category": "no.such.thing"})
    assert response.status_code == 400
    assert "no.such.thing" in response.json()["category"][0]


def test_a_parent_category_asks_for_a_leaf_and_lists_them(api):
    response = api.get(URL, {"format": "xlsx", "category": "electronics.phones"})
    assert response.status_code == 400
    message = response.json()["category"][0]
    assert "leaf" in message and PHONES in message and "electronics.phones.cases" in message


def test_an_unknown_format_is_still_a_400(api):
    response = api.get(URL, {"format": "pdf", "category": PHONES})
    assert response.status_code == 400
    assert "format" in response.json()


def test_without_a_category_the_template_is_the_general_one(api):
    response = api.get(URL, {"format": "csv"})
    content = b"".join(response.streaming_content)
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header == CANONICAL_HEADER


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_example_card_imports_ready(owner, api, run_import, language):
    content = download(api, PHONES, language=language)
    job = run_import(owner[0], "template.xlsx", content)
    assert job.status == "completed", (job.status, job.error_code)
    assert job.created_count == 2 and job.invalid_count == 0
    products = list(Product.objects.filter(seller=owner[0]).order_by("sku"))
    assert [p.group for p in products] == ["LY-000123", "LY-000123"]
    assert products[0].attributes["colour"] != products[1].attributes["colour"]
    assert products[0].attributes["memory"] != products[1].attributes["memory"]
    assert products[0].attributes["nfc"] is True
    assert len(products[0].features_uz) == 3
    assert [p.readiness_state for p in products] == ["ready", "ready"], [
        p.readiness_issues for p in products
    ]


# "Size" names size, shoe_size, kids_size and kids_shoe_size, "Product type" many more: the
# import takes the one the row's category has.
@pytest.mark.parametrize(
    "category",
    [
        "electronics.tv",
        "appliances.kitchen.kettles",
        DRESSES,
        "shoes.sneakers",
        "beauty.perfume",
        "beauty.skincare",
        "home.textiles",
    ],
)
def test_the_example_card_of_other_leaves_imports_ready(owner, api, run_import, category):
    job = run_import(owner[0], "template.xlsx", download(api, category, language="ru"))
    assert job.created_count == 2 and job.invalid_count == 0, list(
        job.row_errors.values_list("code", "column", "params")
    )
    states = set(Product.objects.filter(seller=owner[0]).values_list("readiness_state", flat=True))
    assert states == {"ready"}
