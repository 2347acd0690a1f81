"""The catalog pages and their HTMX partials: products, imports, progress, preview, downloads."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from catalog import views
from catalog.models import ImportJob, ImportStatus, Product
from portal.downloads import download_name
from sellers.models import SellerStatus
from tests.catalog.factories_api import (
    LEAF,
    OTHER_LEAF,
    approved_seller,
    catalog_csv,
    ean13,
    product_for,
    row,
)
from tests.sellers.factories import seller_with_owner

pytestmark = pytest.mark.django_db
XSS = "<img src=x onerror=alert(1)>"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def owner(categories):
    return approved_seller()


@pytest.fixture
def web(owner) -> Client:
    client = Client()
    client.force_login(owner[1])
    return client


@pytest.fixture
def other(categories):
    return approved_seller(brands=("Lanyue",))


def upload(client: Client, content: bytes, name: str = "catalog.csv", mode: str = "validate"):
    return client.post(
        reverse("catalog:import-list"),
        {"file": SimpleUploadedFile(name, content, "text/csv"), "mode": mode},
    )


def finished_job(client, captured, rows, name="catalog.csv", mode="validate") -> ImportJob:
    with captured(execute=True):
        response = upload(client, catalog_csv(rows), name=name, mode=mode)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


def rows(count: int, prefix: str = "SKU") -> list[dict[str, str]]:
    return [row(f"{prefix}-{i:04d}", barcode=ean13(i)) for i in range(count)]


# ---------------------------------------------------------------------------------------------
# Product list


def test_it_shows_the_product_list_page_with_filters(web, owner):
    product_for(owner[0], "SKU-1")
    response = web.get(reverse("catalog:product-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'id="product-results"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-push-url="true"' in html
    assert "SKU-1" in html
    assert 'value="shoes.sneakers"' in html  # category select
    assert 'value="Lanyue"' in html  # brand select
    assert "HX-Request" in response["Vary"]


def test_it_sends_only_the_results_partial_to_htmx(web, owner):
    product_for(owner[0], "SKU-1")
    response = web.get(reverse("catalog:product-list"), {"q": "SKU"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<form" not in html
    assert html.strip().startswith('<div id="product-results"')
    assert "SKU-1" in html
    assert "HX-Request" in response["Vary"]


def test_it_sends_the_whole_page_when_htmx_restores_history(web, owner):
    response = web.get(
        reverse("catalog:product-list"),
        {"q": "x"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_it_filters_products_by_search_category_and_brand(web, owner):
    seller = owner[0]
    product_for(seller, "SHOE-1", category=LEAF, brand=seller.brands.get(name="Lanyue"))
    product_for(seller, "CASE-1", category=OTHER_LEAF, brand=seller.brands.get(name="Jinma"))
    url = reverse("catalog:product-list")

    def listed(**params):
        html = web.get(url, params, **HTMX).content.decode()
        return {sku for sku in ("SHOE-1", "CASE-1") if sku in html}

    assert listed() == {"SHOE-1", "CASE-1"}
    assert listed(q="case") == {"CASE-1"}
    assert listed(category="shoes") == {"SHOE-1"}
    assert listed(category="electronics") == {"CASE-1"}
    assert listed(brand="Jinma") == {"CASE-1"}
    assert listed(brand="NotABrand") == {"SHOE-1", "CASE-1"}  # an unknown value is ignored


def test_it_paginates_with_the_filters_kept_in_the_links(web, owner):
    for i in range(55):
        product_for(owner[0], f"SKU-{i:03d}")
    html = web.get(reverse("catalog:product-list"), {"q": "SKU"}, **HTMX).content.decode()
    assert "SKU-049" in html and "SKU-050" not in html
    assert 'href="?q=SKU&amp;page=2"' in html
    assert 'hx-get="?q=SKU&amp;page=2"' in html
    page2 = web.get(reverse("catalog:product-list"), {"q": "SKU", "page": 2}, **HTMX)
    assert "SKU-054" in page2.content.decode()


def test_row_29_it_escapes_a_hostile_title_on_the_product_list(web, owner):
    product_for(owner[0], "SKU-X", title_uz=XSS, title_ru=XSS)
    for extra in ({}, HTMX):
        html = web.get(reverse("catalog:product-list"), **extra).content.decode()
        assert XSS not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_it_shows_only_the_sellers_own_products(web, owner, other):
    product_for(other[0], "THEIRS-1")
    html = web.get(reverse("catalog:product-list")).content.decode()
    assert "THEIRS-1" not in html


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("partial", [False, True])
def test_it_renders_the_product_list_in_a_fixed_number_of_queries(
    web, owner, count, partial, django_assert_num_queries
):
    for i in range(count):
        product_for(owner[0], f"SKU-{i:03d}")
    headers = HTMX if partial else {}
    # session, user, membership+seller, count, page of cards, their variants, plus the filter
    # choices
    with django_assert_num_queries(9 if not partial else 7):
        response = web.get(reverse("catalog:product-list"), **headers)
    assert response.status_code == 200


def test_it_redirects_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("catalog:product-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sellers:login"))


# ---------------------------------------------------------------------------------------------
# Import page


def test_row_10_it_shows_the_upload_form_with_formats_limits_and_header_aliases(web, settings):
    settings.CATALOG_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    html = web.get(reverse("catalog:import-list")).content.decode()
    assert 'type="file"' in html
    assert 'enctype="multipart/form-data"' in html
    assert f'data-max-bytes="{50 * 1024 * 1024}"' in html
    assert "50.0\xa0MB" in html or "50.0 MB" in html
    for text in ("UTF-8", "UTF-16", "GBK", "1251", ".xlsx"):
        assert text in html
    for alias in ("商品编码", "Артикул", "Artikul", "价格(苏姆)", "Цена (сум)", "Narx (so&#x27;m)"):
        assert alias in html, alias
    assert reverse("catalog:template") + "?format=csv" in html
    assert reverse("catalog:template") + "?format=xlsx" in html
    assert "js/catalog.js" in html


@pytest.mark.parametrize(
    "status", [SellerStatus.DRAFT, SellerStatus.SUBMITTED, SellerStatus.SUSPENDED]
)
def test_it_explains_why_a_seller_that_is_not_approved_cannot_upload(categories, status):
    _seller, user = seller_with_owner(status=status)
    client = Client()
    client.force_login(user)
    html = client.get(reverse("catalog:import-list")).content.decode()
    assert 'type="file"' not in html
    assert "Only approved sellers can import catalogs." in html
    assert reverse("catalog:template") in html


def test_it_uploads_a_file_and_lands_on_the_jobs_page(web, owner):
    response = upload(web, catalog_csv(rows(3)))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:import-detail", args=[job.pk])
    assert job.seller == owner[0]
    assert job.mode == "validate"


def test_row_14_it_lands_a_duplicate_upload_on_the_existing_job(web, owner):
    content = catalog_csv(rows(3))
    first = upload(web, content)
    second = upload(web, content, name="again.csv")
    assert ImportJob.objects.count() == 1
    assert second["Location"] == first["Location"]
    page = web.get(second["Location"]).content.decode()
    assert "already being imported" in page


def test_it_refuses_an_upload_without_a_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner[1])
    response = upload(client, catalog_csv(rows(1)))
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_row_10_it_refuses_an_upload_above_the_limit_on_the_page(web, settings):
    settings.CATALOG_UPLOAD_MAX_BYTES = 32 * 1024
    response = upload(web, b"sku\r\n" + b"x" * (128 * 1024))
    assert response.status_code == 413
    assert "larger than the limit" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not [p for p in (Path(settings.MEDIA_ROOT) / "imports").rglob("*") if p.is_file()]


def test_row_06_it_refuses_a_file_with_no_product_rows_on_the_page(web):
    response = upload(web, b"sku,title_uz\r\n")
    assert response.status_code == 400
    assert "no product rows" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_refuses_an_upload_from_a_seller_that_is_not_approved(categories):
    _seller, user = seller_with_owner(status=SellerStatus.SUBMITTED)
    client = Client()
    client.force_login(user)
    response = upload(client, catalog_csv(rows(1)))
    assert response.status_code == 409
    assert not ImportJob.objects.exists()


def test_it_lists_the_history_as_a_partial_for_htmx(web, owner):
    upload(web, catalog_csv(rows(1, "A")), name=f"{XSS}.csv")
    html = web.get(reverse("catalog:import-list"), **HTMX).content.decode()
    assert html.strip().startswith('<div id="import-history"')
    assert "<form" not in html
    assert XSS not in html and "&lt;img" in html


@pytest.mark.parametrize("count", [2, 12])
def test_it_renders_the_import_page_in_a_fixed_number_of_queries(
    web, owner, count, django_assert_num_queries
):
    for i in range(count):
        upload(web, catalog_csv(rows(1, f"P{i}")))
    with django_assert_num_queries(7):  # 7th: the leaf categories of the category template
        assert web.get(reverse("catalog:import-list")).status_code == 200


# ---------------------------------------------------------------------------------------------
# Import detail: progress, preview, commit


def test_it_polls_the_progress_while_the_job_is_queued(web, owner):
    upload(web, catalog_csv(rows(2)))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    progress_url = reverse("catalog:import-progress", args=[job.pk])
    assert f'hx-get="{progress_url}"' in html
    assert 'hx-trigger="every 1s"' in html
    partial = web.get(progress_url, **HTMX).content.decode()
    assert partial.strip().startswith('<section id="job-status"')
    assert "<progress" in partial
    assert 'hx-trigger="every 1s"' in partial


def test_it_stops_polling_and_shows_the_preview_when_validated(
    web, owner, django_capture_on_commit_callbacks
):
    data = rows(3) + [row("BAD-1", price_uzs="abc"), row("BAD-2", category="shoes")]
    job = finished_job(web, django_capture_on_commit_callbacks, data)
    assert job.status == ImportStatus.VALIDATED
    partial = web.get(reverse("catalog:import-progress", args=[job.pk]), **HTMX).content.decode()
    assert "hx-trigger" not in partial
    assert 'value="100"' in partial
    assert "Would be created" in partial
    assert "CSV" in partial and "comma (,)" in partial
    assert reverse("catalog:import-commit", args=[job.pk]) in partial
    assert "data-confirm=" in partial
    assert reverse("catalog:import-errors-csv", args=[job.pk]) in partial
    # first errors by row and column
    assert ">5<" in partial and ">6<" in partial
    assert "price_uzs" in partial and "category" in partial


def test_it_commits_from_the_page_with_htmx(web, owner, django_capture_on_commit_callbacks):
    job = finished_job(web, django_capture_on_commit_callbacks, rows(3))
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(reverse("catalog:import-commit", args=[job.pk]), **HTMX)
    assert response.status_code == 200
    assert response.content.decode().strip().startswith('<section id="job-status"')
    job.refresh_from_db()
    assert job.status == ImportStatus.COMPLETED
    assert Product.objects.filter(seller=owner[0]).count() == 3


def test_it_commits_from_the_page_without_javascript(
    web, owner, django_capture_on_commit_callbacks
):
    job = finished_job(web, django_capture_on_commit_callbacks, rows(2))
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(reverse("catalog:import-commit", args=[job.pk]))
    assert response.status_code == 302
    assert Product.objects.filter(seller=owner[0]).count() == 2


def test_it_explains_a_commit_of_a_job_that_is_not_validated(
    web, owner, django_capture_on_commit_callbacks
):
    job = finished_job(web, django_capture_on_commit_callbacks, rows(2), mode="commit")
    response = web.post(reverse("catalog:import-commit", args=[job.pk]), **HTMX)
    assert response.status_code == 200
    assert "alert-error" in response.content.decode()
    assert Product.objects.filter(seller=owner[0]).count() == 2


def test_row_25_it_refuses_an_htmx_commit_without_a_csrf_token(
    owner, django_capture_on_commit_callbacks
):
    web = Client()
    web.force_login(owner[1])
    job = finished_job(web, django_capture_on_commit_callbacks, rows(2))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner[1])
    response = strict.post(reverse("catalog:import-commit", args=[job.pk]), **HTMX)
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


def test_row_26_it_redirects_an_expired_session_polling_the_progress_with_hx_redirect(web, owner):
    upload(web, catalog_csv(rows(1)))
    job = ImportJob.objects.get()
    web.logout()
    response = web.get(reverse("catalog:import-progress", args=[job.pk]), **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("sellers:login"))
    assert b"<progress" not in response.content


def test_row_29_it_escapes_hostile_text_on_the_import_detail(
    web, owner, django_capture_on_commit_callbacks
):
    data = [row("X-1", price_uzs=XSS, title_uz=XSS)]
    job = finished_job(web, django_capture_on_commit_callbacks, data, name=f"{XSS}.csv")
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    assert XSS not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_it_downloads_the_error_report_and_the_templates(
    web, owner, django_capture_on_commit_callbacks
):
    job = finished_job(web, django_capture_on_commit_callbacks, [row("B", price_uzs="abc")])
    response = web.get(reverse("catalog:import-errors-csv", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="catalog-errors.csv"'
    for file_format in ("csv", "xlsx"):
        response = web.get(reverse("catalog:template"), {"format": file_format})
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'.{file_format}"')


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "catalog:import-detail"),
        ("get", "catalog:import-progress"),
        ("post", "catalog:import-commit"),
        ("get", "catalog:import-errors-csv"),
    ],
)
def test_it_answers_404_for_another_sellers_job_page(
    web, other, django_capture_on_commit_callbacks, method, name
):
    theirs = Client()
    theirs.force_login(other[1])
    job = finished_job(theirs, django_capture_on_commit_callbacks, rows(1))
    response = getattr(web, method)(reverse(name, args=[job.pk]))
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


@pytest.mark.parametrize("errors", [5, 50])
def test_it_renders_the_import_detail_in_a_fixed_number_of_queries(
    web, owner, errors, django_capture_on_commit_callbacks, django_assert_num_queries
):
    data = [row(f"B-{i}", price_uzs="abc") for i in range(errors)]
    job = finished_job(web, django_capture_on_commit_callbacks, data)
    # session, user, membership, seller, job, errors, warnings
    with django_assert_num_queries(7):
        assert web.get(reverse("catalog:import-detail", args=[job.pk])).status_code == 200


def test_row_29_it_renders_pages_with_no_inline_script_or_style(
    web, owner, django_capture_on_commit_callbacks
):
    """The Content-Security-Policy forbids inline script and style: pages must not need them."""
    import re

    product_for(owner[0], "SKU-1")
    job = finished_job(web, django_capture_on_commit_callbacks, rows(2))
    for url in (
        reverse("catalog:product-list"),
        reverse("catalog:import-list"),
        reverse("catalog:import-detail", args=[job.pk]),
    ):
        html = web.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag and "nonce=" in tag, tag
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"\son[a-z]+=", html)


def test_row_04_it_shows_rows_read_against_lines_in_the_file(
    web, owner, django_capture_on_commit_callbacks
):
    job = finished_job(web, django_capture_on_commit_callbacks, rows(3))
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    assert f"{job.total_rows} product rows ({job.total_lines} lines in the file)" in html
    assert job.total_rows == 3


@given(st.text(max_size=400))
def test_row_13_it_builds_a_safe_download_name_from_any_file_name(filename):
    from django.utils.http import content_disposition_header

    name = download_name(filename, "-errors.csv", "import-1")
    assert name.endswith("-errors.csv")
    assert len(name) <= 100 + len("-errors.csv")
    assert "/" not in name and "\\" not in name
    assert not any(ch in name for ch in "\r\n\x00\u202e\u2066")
    header = content_disposition_header(True, name)
    assert "\n" not in header and "\r" not in header


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("catalog.csv", PNG, "not a spreadsheet"),
        (
            "catalog.csv",
            b"sku,title_uz,brand,category,price_uzs,stock,ikpu,weight_g\r\nA,B,C,D,1,1,1,1\r\n",
            "Title (Russian)",
        ),
    ],
    ids=["png-named-csv", "missing-column"],
)
def test_it_explains_a_file_it_cannot_import_on_the_page(web, name, content, expected):
    response = upload(web, content, name=name)
    assert response.status_code == 400
    html = response.content.decode()
    assert expected in html
    assert 'class="field-error"' in html
    assert not ImportJob.objects.exists()


def test_it_shows_a_failed_job_without_polling(web, owner):
    from tests.catalog.factories import ImportJobFactory

    job = ImportJobFactory(
        seller=owner[0],
        status=ImportStatus.FAILED,
        error_code="empty_file",
        filename="catalog.csv",
    )
    html = web.get(reverse("catalog:import-progress", args=[job.pk]), **HTMX).content.decode()
    assert "hx-trigger" not in html
    assert "The import failed; your catalog was not changed." in html
    assert "The file is empty." in html
    assert "badge-failed" in html


def test_it_shows_file_and_row_warnings_in_the_preview(
    web, owner, django_capture_on_commit_callbacks
):
    from tests.catalog.factories_api import HEADER

    data = [
        {**row("A-1", barcode=ean13(1)), "Color": "red"},
        row("A-2", barcode=ean13(2), title_uz="kichik harf"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        upload(web, catalog_csv(data, header=[*HEADER, "Color"]))
    job = ImportJob.objects.get()
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    assert "Warnings" in html
    assert "Color" in html  # the unknown column is named
    assert ">warning<" in html  # the title style warning of row 3
    assert job.created_count == 2  # warnings do not reject rows


def test_it_lists_rejected_rows_before_warnings_in_the_preview(
    web, owner, django_capture_on_commit_callbacks, settings
):
    data = [row(f"W-{i:03d}", barcode=ean13(i), title_uz="kichik") for i in range(60)]
    data.append(row("BAD-LAST", price_uzs="abc"))
    job = finished_job(web, django_capture_on_commit_callbacks, data)
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    assert "“abc” is not a number." in html  # row 62, after 60 rows of warnings
    assert f"Only the first {views.FIRST_ERRORS} problems are shown" in html
