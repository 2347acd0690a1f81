"""The import template: text-formatted code columns, an example row, drop-downs, instructions."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from catalog.importing.template import TEXT_COLUMNS
from sellers.models import Brand
from tests.catalog.factories_api import HEADER, approved_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(categories):
    seller, user = approved_seller(brands=("Lanyue", "Jinma"))
    Brand.objects.filter(seller=seller).update(state="approved")
    Brand.objects.create(seller=seller, name="Waiting", state="pending")
    return seller, user


def workbook_of(client: Client) -> openpyxl.Workbook:
    response = client.get(reverse("catalog:template"), {"format": "xlsx"})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def web(owner) -> Client:
    client = Client()
    client.force_login(owner[1])
    return client


def test_it_formats_sku_barcode_and_ikpu_as_text(web):
    products = workbook_of(web).worksheets[0]
    header = [cell.value for cell in products[1]]
    for name in TEXT_COLUMNS:
        column = header.index(name) + 1
        assert products.cell(row=2, column=column).number_format == "@"
        assert products.cell(row=500, column=column).number_format == "@"
        assert isinstance(products.cell(row=2, column=column).value, str)


def test_it_has_the_header_and_one_example_row(web):
    products = workbook_of(web).worksheets[0]
    rows = [row for row in products.iter_rows(values_only=True) if any(row)]
    assert list(rows[0][: len(HEADER)]) == HEADER or set(HEADER) <= set(rows[0])
    assert len(rows) == 2
    example = dict(zip(rows[0], rows[1], strict=False))
    assert example["ikpu"] == "08517120001000000" and len(example["ikpu"]) == 17
    assert example["brand"] in ("Jinma", "Lanyue")


def test_it_offers_the_approved_brands_and_the_leaf_categories_as_drop_downs(web):
    from catalog.models import Category

    workbook = workbook_of(web)
    products = workbook.worksheets[0]
    header = [cell.value for cell in products[1]]
    validations = {
        str(v.sqref).split(":")[0][:-1]: v.formula1
        for v in products.data_validations.dataValidation
    }
    brand_letter = openpyxl.utils.get_column_letter(header.index("brand") + 1)
    category_letter = openpyxl.utils.get_column_letter(header.index("category") + 1)
    assert "Brands" in validations[brand_letter]
    assert "Categories" in validations[category_letter]
    brands = [row[0] for row in workbook["Brands"].iter_rows(min_row=2, values_only=True)]
    assert brands == ["Jinma", "Lanyue"]  # approved only, never the pending one
    codes = [row[0] for row in workbook["Categories"].iter_rows(min_row=2, values_only=True)]
    assert codes == list(
        Category.objects.filter(is_leaf=True).order_by("code").values_list("code", flat=True)
    )
    names = [row[1] for row in workbook["Categories"].iter_rows(min_row=2, values_only=True)]
    assert all(names)


def test_it_carries_the_rules_on_an_instructions_sheet(web):
    workbook = workbook_of(web)
    assert workbook.sheetnames[:2] == ["Products", "Instructions"]
    text = " ".join(
        str(cell)
        for row in workbook["Instructions"].iter_rows(values_only=True)
        for cell in row
        if cell
    )
    assert "as text" in text and "50,000" in text and "example" in text


def test_the_csv_template_is_utf8_with_a_bom(web):
    response = web.get(reverse("catalog:template"), {"format": "csv"})
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbfsku,")


def test_the_api_template_has_the_drop_downs_too(owner):
    from tests.catalog.factories_api import api_client_for

    response = api_client_for(owner[1]).get("/api/v1/imports/template/", {"format": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "Brands" in workbook.sheetnames and "Categories" in workbook.sheetnames


def test_the_template_imports_cleanly_once_the_example_is_filled_in(owner, run_import):
    client = Client()
    client.force_login(owner[1])
    response = client.get(reverse("catalog:template"), {"format": "xlsx"})
    job = run_import(
        owner[0], "template.xlsx", b"".join(response.streaming_content), mode="validate"
    )
    assert job.status == "validated", job.error_code
    assert job.created_count == 1 and job.invalid_count == 0


def test_the_general_template_has_the_card_columns(web):
    products = workbook_of(web).worksheets[0]
    header = [cell.value for cell in products[1]]
    assert {"group", "features_uz", "features_ru"} <= set(header)
    response = web.get(reverse("catalog:template"), {"format": "csv"})
    first_line = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert first_line.split(",") == header


def test_the_api_template_takes_a_leaf_category(owner):
    from catalog.attribute_services import attributes_load
    from tests.catalog.factories_api import api_client_for

    attributes_load()
    response = api_client_for(owner[1]).get(
        "/api/v1/imports/template/", {"format": "xlsx", "category": "shoes.sneakers"}
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "definitions" in workbook.sheetnames
    assert "Size" in [cell.value for cell in workbook.worksheets[0][1]]
