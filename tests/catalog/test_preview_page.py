"""The import pages: grouped errors before the paged row list, what was understood, commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog import import_pages
from catalog.attribute_services import attributes_load
from catalog.models import ImportJob, ImportStatus
from tests.catalog.factories_api import approved_seller, catalog_csv, ean13, product_for, row
from tests.catalog.test_import_cards import SHIRT, card_csv
from tests.catalog.test_preview import three_causes

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def owner(categories):
    return approved_seller(brands=("Lanyue",))


@pytest.fixture
def web(owner) -> Client:
    client = Client()
    client.force_login(owner[1])
    return client


def finished(web, captured, content: bytes, mode: str = "validate", name: str = "c.csv"):
    with captured(execute=True):
        response = web.post(
            reverse("catalog:import-list"),
            {"file": SimpleUploadedFile(name, content, "text/csv"), "mode": mode},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


def test_the_groups_come_before_the_row_list_with_counts_examples_and_fixes(
    web, django_capture_on_commit_callbacks
):
    job = finished(web, django_capture_on_commit_callbacks, catalog_csv(three_causes()))
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    groups, rows = html.index('id="error-groups"'), html.index('id="problem-rows"')
    assert groups < rows
    assert "120 rows · Brand (brand)" in html
    assert "蓝月</a> ×60" in html and "金马</a> ×60" in html
    assert (
        "100 rows · Barcode (barcode): in scientific notation: format the column as text." in html
    )
    assert "80 rows · Price (so&#x27;m) (price_uzs)" in html


def test_an_unknown_brand_links_to_request_it_pre_filled(web, django_capture_on_commit_callbacks):
    job = finished(web, django_capture_on_commit_callbacks, catalog_csv(three_causes()))
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    url = import_pages.brand_request_url()
    assert url, "the brand request page is installed"
    assert f'href="{url}?name=%E8%93%9D%E6%9C%88"' in html


def test_the_row_list_is_paged(web, django_capture_on_commit_callbacks):
    job = finished(web, django_capture_on_commit_callbacks, catalog_csv(three_causes()))
    url = reverse("catalog:import-detail", args=[job.pk])
    first = web.get(url).content.decode()
    assert "Page 1 of 6" in first and "?page=2" in first
    last = web.get(url, {"page": 6}).content.decode()
    assert "Page 6 of 6" in last and "?page=5" in last
    assert ">301<" in last  # the last bad row (rows 2..301)
    assert "Page 1 of 6" in web.get(url, {"page": "x"}).content.decode()


def test_it_shows_what_was_understood(web, django_capture_on_commit_callbacks):
    from tests.catalog.factories_api import HEADER

    data = [{**row(f"U-{i}", barcode=ean13(i)), "Color": "red"} for i in range(7)]
    content = catalog_csv(data, header=[*HEADER, "Color"])
    content = content if content.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + content
    job = finished(web, django_capture_on_commit_callbacks, content)
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    assert 'id="understood"' in html
    assert "not imported (unknown column)" in html and "Color" in html
    assert "The first rows as they will be stored" in html
    assert html.count(">U-") == 5  # five sample rows, not seven
    assert job.detected["encoding"] == "utf-8-sig"
    assert "<dd>UTF-8 with BOM</dd>" in html and "utf-8-sig" not in html


def test_commit_is_disabled_when_nothing_would_change(
    web, owner, django_capture_on_commit_callbacks
):
    product_for(owner[0], "SAME")  # the row below would leave it as it is
    job = finished(
        web, django_capture_on_commit_callbacks, catalog_csv([row("BAD", price_uzs="x")])
    )
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    assert "nothing to commit" in html
    assert "disabled>" in html


def test_a_commit_that_changes_nothing_reads_nothing_imported(
    web, django_capture_on_commit_callbacks
):
    job = finished(
        web,
        django_capture_on_commit_callbacks,
        catalog_csv([row("BAD", price_uzs="x")]),
        mode="commit",
    )
    assert job.status == ImportStatus.COMPLETED
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    assert "Nothing imported" in html and "badge-completed" not in html
    history = web.get(reverse("catalog:import-list")).content.decode()
    assert "Nothing imported" in history


def test_the_page_updates_every_part_after_a_commit(web, django_capture_on_commit_callbacks):
    job = finished(
        web, django_capture_on_commit_callbacks, catalog_csv([row("A", barcode=ean13(1))])
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(reverse("catalog:import-commit", args=[job.pk]), **HTMX)
    partial = response.content.decode()
    assert partial.strip().startswith('<section id="job-status"')
    assert 'data-job-mode="commit"' in partial
    assert "Validate (preview)" not in partial


def test_the_progress_names_its_phase(web, owner, django_capture_on_commit_callbacks):
    job = finished(
        web, django_capture_on_commit_callbacks, catalog_csv([row("A", barcode=ean13(1))])
    )
    with django_capture_on_commit_callbacks(execute=False):
        web.post(reverse("catalog:import-commit", args=[job.pk]), **HTMX)
    html = web.get(reverse("catalog:import-progress", args=[job.pk]), **HTMX).content.decode()
    assert 'data-phase="writing"' in html and 'aria-current="step"' in html
    assert 'data-phase="checking"' in html


def test_history_shows_previews_as_would_create_and_comes_before_the_column_reference(
    web, django_capture_on_commit_callbacks
):
    finished(
        web,
        django_capture_on_commit_callbacks,
        catalog_csv([row(f"P-{i}", barcode=ean13(i)) for i in range(45)]),
    )
    html = web.get(reverse("catalog:import-list")).content.decode()
    assert "would create 45" in html
    assert html.index('id="import-history"') < html.index('<details id="column-reference"')


def test_a_job_that_failed_on_missing_columns_offers_the_mapping_and_runs_again(
    web, owner, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from tests.catalog.test_mapping import erp_csv

    job = ImportJob(
        seller=owner[0],
        status=ImportStatus.FAILED,
        error_code="missing_columns",
        error_params={"columns": ["sku", "price_uzs"]},
        filename="erp.csv",
        sha256="f" * 64,
    )
    job.file.save("upload", ContentFile(erp_csv()), save=True)
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    assert 'name="map-sku"' in html and reverse("catalog:import-remap", args=[job.pk]) in html
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            reverse("catalog:import-remap", args=[job.pk]),
            {"map-sku": "Код товара", "map-price_uzs": "Стоимость"},
        )
    rerun = ImportJob.objects.latest("id")
    assert rerun.pk != job.pk and response["Location"].endswith(f"/{rerun.pk}/")
    assert rerun.status == ImportStatus.VALIDATED and rerun.created_count == 3


def test_a_bad_remap_changes_nothing(web, owner):
    from django.core.files.base import ContentFile

    from tests.catalog.test_mapping import erp_csv

    job = ImportJob(
        seller=owner[0],
        status=ImportStatus.FAILED,
        error_code="missing_columns",
        filename="erp.csv",
        sha256="e" * 64,
    )
    job.file.save("upload", ContentFile(erp_csv()), save=True)
    response = web.post(reverse("catalog:import-remap", args=[job.pk]), {"map-sku": "Нет"})
    assert response.status_code == 302
    assert ImportJob.objects.count() == 1


def test_the_detail_page_keeps_a_fixed_number_of_queries(
    web, django_capture_on_commit_callbacks, django_assert_num_queries
):
    job = finished(web, django_capture_on_commit_callbacks, catalog_csv(three_causes()))
    # session, user, membership, seller, job, the grouped summary, one page of rows
    with django_assert_num_queries(7):
        assert web.get(reverse("catalog:import-detail", args=[job.pk])).status_code == 200


def test_a_card_files_readiness_issues_are_grouped_apart_from_the_rejected_rows(
    web, django_capture_on_commit_callbacks
):
    """An accepted row's readiness issues never crowd out a rejected row: they have their own
    block, and the row list keeps to rejected rows (the error report has both)."""
    attributes_load()
    content = card_csv(
        [
            {**SHIRT, "group": "", "sku": "NO-MATERIAL", "Material": ""},
            {**SHIRT, "group": "", "sku": "NO-PRICE", "price_uzs": ""},
        ]
    )
    job = finished(web, django_capture_on_commit_callbacks, content, mode="commit")
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    errors = html[html.index('id="error-groups"') : html.index('id="readiness-groups"')]
    assert 'data-code="required"' in errors and "attribute_missing" not in errors
    readiness = html[html.index('id="readiness-groups"') :]
    assert 'data-code="attribute_missing"' in readiness
    assert "1 row · Material (material): Required characteristic missing" in readiness
    assert "/catalog/products/?readiness=attribute_missing" in readiness
    rows = html[html.index('id="problem-rows"') :]
    assert rows.count("<tr>") == 2  # the header and the rejected row
    assert "NO-MATERIAL" not in rows


def test_a_flat_files_page_has_no_readiness_block(web, django_capture_on_commit_callbacks):
    job = finished(web, django_capture_on_commit_callbacks, catalog_csv([row("FLAT-1")]))
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    assert 'id="readiness-groups"' not in html and 'id="error-groups"' not in html


def test_a_characteristics_problem_names_it_in_the_readers_language(
    web, django_capture_on_commit_callbacks
):
    attributes_load()
    content = card_csv([{**SHIRT, "group": "", "sku": "BAD-COLOUR", "Colour": "Plaid"}])
    job = finished(web, django_capture_on_commit_callbacks, content)
    web.cookies["django_language"] = "ru"
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    groups = html[html.index('id="error-groups"') : html.index('id="problem-rows"')]
    rows = html[html.index('id="problem-rows"') :]
    assert "1 строка · Цвет (colour)" in groups
    assert "<td>Цвет (colour)</td>" in rows
