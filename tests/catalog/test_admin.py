"""The catalog admin: safe exports, editable categories, read-only import jobs."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog import services
from catalog.models import Category, ImportJob, Product
from catalog.resources import ProductResource
from tests.catalog.factories_api import approved_seller, catalog_csv, ean13, product_for, row
from tests.sellers.factories import StaffFactory

pytestmark = pytest.mark.django_db
FORMULA = "=cmd|' /C calc'!A0"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def owner(categories):
    return approved_seller()


@pytest.fixture
def hostile_products(owner):
    seller = owner[0]
    product_for(seller, FORMULA, title_uz="+SUM(A1:A9)", title_ru="@SUM(1)")
    product_for(seller, "SAFE-1", description_ru="-2+3", description_uz="\tTab")
    return seller


def _export(staff: Client, file_format: int) -> bytes:
    fields = {f"productresource_{name}": "on" for name in ProductResource().get_export_order()}
    response = staff.post(
        reverse("admin:catalog_product_export"),
        {"format": str(file_format), "resource": "0", **fields},
    )
    assert response.status_code == 200, response.content[:500]
    return response.content


def test_row_09_it_exports_products_to_csv_with_every_formula_escaped(staff, hostile_products):
    text = _export(staff, 0).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert "sku" in header and "title_uz" in header and "brand" in header
    assert len(rows) == 2
    cells = [cell for r in rows for cell in r]
    assert "'" + FORMULA in cells
    assert "'+SUM(A1:A9)" in cells
    assert "'@SUM(1)" in cells
    assert "'-2+3" in cells
    assert "'\tTab" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    # numbers are numbers, not escaped text
    assert "125000" in cells


def test_row_09_it_exports_products_to_xlsx_with_every_formula_escaped(staff, hostile_products):
    workbook = openpyxl.load_workbook(io.BytesIO(_export(staff, 1)))
    sheet = workbook.active
    values = [cell for r in sheet.iter_rows(min_row=2) for cell in r]
    assert not any(cell.data_type == "f" for cell in values)
    texts = [cell.value for cell in values if isinstance(cell.value, str)]
    assert "'" + FORMULA in texts
    assert "'+SUM(A1:A9)" in texts
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)


def test_row_09_it_exports_categories_with_formulas_escaped(staff, categories):
    Category.objects.filter(code="shoes.boots").update(name_en="=1+1")
    response = staff.post(
        reverse("admin:catalog_category_export"),
        {
            "format": "0",
            "resource": "0",
            **{
                f"categoryresource_{n}": "on"
                for n in ("code", "parent", "name_en", "name_ru", "name_uz", "name_zh", "is_leaf")
            },
        },
    )
    assert response.status_code == 200
    assert "'=1+1" in response.content.decode("utf-8-sig")


def test_it_lists_searches_and_filters_products(staff, owner):
    seller = owner[0]
    product_for(seller, "FIND-ME", barcode=ean13(42))
    product_for(seller, "OTHER", title_uz=XSS)
    url = reverse("admin:catalog_product_changelist")
    html = staff.get(url).content.decode()
    assert "FIND-ME" in html and "OTHER" in html
    assert XSS not in html
    assert "FIND-ME" not in staff.get(url, {"q": "OTHER"}).content.decode()
    assert "OTHER" not in staff.get(url, {"q": ean13(42)}).content.decode().split("<tbody")[1]
    category = Category.objects.get(code="shoes.sneakers")
    filtered = staff.get(url, {"category__id__exact": category.pk})
    assert filtered.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_products_in_a_fixed_number_of_queries(
    staff, owner, count, django_assert_num_queries
):
    for i in range(count):
        product_for(owner[0], f"SKU-{i:03d}")
    url = reverse("admin:catalog_product_changelist")
    staff.get(url)
    with django_assert_num_queries(8):
        assert staff.get(url).status_code == 200


def test_it_lets_staff_look_at_but_not_edit_products(staff, owner):
    product = product_for(owner[0], "SKU-1", stock=3)
    url = reverse("admin:catalog_product_change", args=[product.pk])
    assert staff.get(url).status_code == 200
    staff.post(url, {"stock": "999"})
    product.refresh_from_db()
    assert product.stock == 3
    assert staff.get(reverse("admin:catalog_product_add")).status_code == 403


def test_it_deletes_a_product_through_the_service(staff, owner):
    product = product_for(owner[0], "SKU-1")
    response = staff.post(
        reverse("admin:catalog_product_delete", args=[product.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Product.objects.filter(pk=product.pk).exists()


@pytest.mark.parametrize("status", ["suspended", "rejected"])
def test_it_lets_staff_remove_a_product_of_a_closed_seller(staff, owner, status):
    seller = owner[0]
    product = product_for(seller, "SKU-1")
    seller.status = status
    seller.save(update_fields=["status"])
    one = staff.post(reverse("admin:catalog_product_delete", args=[product.pk]), {"post": "yes"})
    other = product_for(seller, "SKU-2")
    many = staff.post(
        reverse("admin:catalog_product_changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert (one.status_code, many.status_code) == (302, 302)
    assert not Product.objects.filter(seller=seller).exists()


def test_it_lets_staff_edit_the_category_tree(staff, categories):
    parent = Category.objects.get(code="shoes")
    response = staff.post(
        reverse("admin:catalog_category_add"),
        {
            "code": "shoes.sandals",
            "parent": parent.pk,
            "is_leaf": "on",
            "name_en": "Sandals",
            "name_ru": "Сандалии",
            "name_uz": "Sandallar",
            "name_zh": "凉鞋",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Category.objects.get(code="shoes.sandals").parent == parent


@pytest.fixture
def job_with_errors(owner, django_capture_on_commit_callbacks) -> ImportJob:
    content = catalog_csv(
        [row("OK-1", barcode=ean13(1)), row(FORMULA, price_uzs="abc", title_uz=XSS)]
    )
    with django_capture_on_commit_callbacks(execute=True):
        job, _created = services.import_job_create(
            seller=owner[0],
            user=owner[1],
            file=SimpleUploadedFile("bad.csv", content, "text/csv"),
            mode="validate",
        )
    job.refresh_from_db()
    assert job.invalid_count == 1
    return job


def test_it_shows_an_import_job_read_only_with_its_errors(staff, job_with_errors):
    job = job_with_errors
    url = reverse("admin:catalog_importjob_change", args=[job.pk])
    response = staff.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "invalid_number" in html
    assert XSS not in html
    assert reverse("admin:catalog_importjob_errors_csv", args=[job.pk]) in html
    assert 'name="_save"' not in html
    before = (job.status, job.invalid_count)
    staff.post(url, {"status": "completed", "invalid_count": "0"})
    job.refresh_from_db()
    assert (job.status, job.invalid_count) == before


def test_it_has_no_add_or_delete_for_import_jobs(staff, job_with_errors):
    assert staff.get(reverse("admin:catalog_importjob_add")).status_code == 403
    response = staff.post(
        reverse("admin:catalog_importjob_delete", args=[job_with_errors.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ImportJob.objects.filter(pk=job_with_errors.pk).exists()


def test_it_downloads_the_error_report_from_the_admin(staff, job_with_errors):
    response = staff.get(reverse("admin:catalog_importjob_errors_csv", args=[job_with_errors.pk]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'" + FORMULA in text
    assert "\n=" not in text and ",=" not in text


def test_it_refuses_the_admin_to_non_staff(owner, job_with_errors):
    client = Client()
    client.force_login(owner[1])
    response = client.get(reverse("admin:catalog_importjob_errors_csv", args=[job_with_errors.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
