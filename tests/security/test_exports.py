"""RELIABILITY row 9: text that starts like a formula is stored as typed, and every export
(admin product export in CSV and XLSX, the error report on the page and the API) writes it so
that no spreadsheet evaluates it."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.forms import page_forms
from tests.security.routes import read

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed start",
    "\rCarriage start",
]
# Imported cells may lose surrounding white space on the way in; these keep their first letter.
IMPORTED = FORMULAS[:4]


def is_safe(cell: str) -> bool:
    return not cell or cell[0] not in "=+-@\t\r"


@pytest.fixture
def seller_with_formulas(categories):
    from catalog.models import Category, Product
    from sellers.models import SellerStatus
    from tests.sellers.factories import seller_with_owner

    seller, user = seller_with_owner(status=SellerStatus.APPROVED, brands=["Lanyue"])
    leaf = Category.objects.get(code="appliances.kitchen.kettles")
    for number, text in enumerate(FORMULAS):
        Product.objects.create(
            seller=seller,
            sku=f"F-{number}",
            title_uz=text,
            title_ru=text,
            description_ru=text,
            brand=seller.brands.first(),
            category=leaf,
            price_uzs=1000,
            stock=1,
            ikpu="10711001000000000",
            weight_g=10,
        )
    return seller, user


def _admin_export(admin_client, file_format: str) -> bytes:
    page = admin_client.get("/admin/catalog/product/export/").content.decode()
    form = next(
        f for f in page_forms(page, "/admin/catalog/product/export/") if "format" in f.fields
    )
    options = dict(
        (label.strip().lower(), value)
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]+)</option>', page)
    )
    data = dict(form.fields)
    data["format"] = options[file_format]
    response = admin_client.post("/admin/catalog/product/export/", data)
    assert response.status_code == 200, response.content[:500]
    return read(response)


def test_row_09_it_stores_formula_text_exactly_as_typed(seller_with_formulas):
    seller, _ = seller_with_formulas
    assert sorted(seller.products.values_list("title_uz", flat=True)) == sorted(FORMULAS)


def test_row_09_it_escapes_formulas_in_the_admin_csv_export(seller_with_formulas, admin_client):
    body = _admin_export(admin_client, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    cells = [cell for row in rows[1:] for cell in row]
    assert any("HYPERLINK" in c for c in cells)
    unsafe = [c for c in cells if not is_safe(c)]
    assert not unsafe, unsafe


def test_row_09_it_escapes_formulas_in_the_admin_xlsx_export(seller_with_formulas, admin_client):
    workbook = openpyxl.load_workbook(io.BytesIO(_admin_export(admin_client, "xlsx")))
    cells = [c for row in workbook.active.iter_rows(min_row=2) for c in row]
    assert any("HYPERLINK" in str(c.value) for c in cells)
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, formulas
    unsafe = [c.value for c in cells if isinstance(c.value, str) and not is_safe(c.value)]
    assert not unsafe, unsafe


@pytest.fixture
def rejected_formula_job(seller_with_formulas, django_capture_on_commit_callbacks):
    from catalog.services import import_job_create

    seller, user = seller_with_formulas
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow("sku title_uz title_ru brand category price_uzs stock ikpu weight_g".split())
    for n, text in enumerate(IMPORTED):
        # The price is not a number, so every row is rejected and lands in the error report.
        kettles = "appliances.kitchen.kettles"
        writer.writerow([f"R-{n}", text, "Чайник", "Lanyue", kettles, "x", 1, "1" * 17, 900])
    content = buffer.getvalue()
    upload = SimpleUploadedFile("formulas.csv", content.encode())
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = import_job_create(seller=seller, user=user, file=upload, mode="validate")
    job.refresh_from_db()
    assert job.invalid_count == len(IMPORTED), (job.status, job.error_code, job.invalid_count)
    return job, user


@pytest.mark.parametrize(
    "route", ["/catalog/imports/{id}/errors.csv", "/api/v1/imports/{id}/errors.csv"]
)
def test_row_09_it_escapes_formulas_in_the_error_report(rejected_formula_job, client, route):
    job, user = rejected_formula_job
    client.force_login(user)
    response = client.get(route.format(id=job.pk))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = read(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    title_column = rows[0].index("title_uz")
    titles = [row[title_column] for row in rows[1:]]
    assert len(titles) == len(IMPORTED)
    assert all(is_safe(t) for t in titles), titles
    # What was escaped is still the text the user typed, behind one apostrophe.
    assert sorted(t.removeprefix("'") for t in titles) == sorted(IMPORTED)
