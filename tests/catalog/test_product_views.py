"""The product pages: the list with thumbnails and selection, one product's page, and the
selected products' removal and export."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.models import ImportJob, Product
from sellers.models import SellerStatus
from tests.catalog.factories_api import approved_seller, catalog_csv, product_for, row

pytestmark = pytest.mark.django_db
LIST = "/catalog/products/"
ROOT = Path(__file__).resolve().parents[2]


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


def detail_url(sku: str) -> str:
    return reverse("catalog:product-detail", kwargs={"sku": sku})


def commit_import(client: Client, captured, rows) -> ImportJob:
    with captured(execute=True):
        response = client.post(
            reverse("catalog:import-list"),
            {
                "file": SimpleUploadedFile("catalog.csv", catalog_csv(rows), "text/csv"),
                "mode": "commit",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


# --- the list -------------------------------------------------------------------------------


def test_it_shows_lazy_thumbnails_without_referrer_and_a_placeholder_without_photos(web, owner):
    seller = owner[0]
    product_for(seller, "A-1", image_urls=["https://img.bozor.localhost/demo/A-1/1.jpg"])
    product_for(seller, "B-2", image_urls=[])
    html = web.get(LIST).content.decode()
    assert 'src="https://img.bozor.localhost/demo/A-1/1.jpg"' in html
    thumb = html[html.index('src="https://img.bozor.localhost') - 200 :][:700]
    for attribute in (
        'loading="lazy"',
        'referrerpolicy="no-referrer"',
        'width="56"',
        'height="56"',
        "alt=",
        "data-placeholder=",
    ):
        assert attribute in thumb
    assert "product-placeholder.svg" in html
    assert "js/products.js" in html and "onerror" not in html


def test_it_allows_the_configured_image_hosts_in_the_csp_and_no_wildcard(web, owner):
    product_for(owner[0], "A-1")
    policy = web.get(LIST)["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert "https://img.bozor.localhost" in img_src
    assert "*" not in img_src


@pytest.mark.parametrize("hosts", ["*", "https://*.example.com", "img.example.com"])
def test_it_refuses_a_wildcard_or_a_bare_name_as_an_image_host(hosts):
    env = {**os.environ, "CATALOG_IMAGE_HOSTS": hosts, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "CATALOG_IMAGE_HOSTS" in result.stderr


def test_it_keeps_skus_and_dates_on_one_line_and_links_each_product(web, owner):
    product_for(owner[0], "LONG-SKU-0001")
    html = web.get(LIST).content.decode()
    assert 'class="sku" href="/catalog/products/LONG-SKU-0001/"' in html
    assert '<time class="nowrap"' in html
    assert "css/catalog.css" in html


def test_it_lists_a_page_in_a_fixed_number_of_queries(web, owner, django_assert_max_num_queries):
    for number in range(30):
        product_for(owner[0], f"SKU-{number:03d}")
    web.get(LIST)  # warm the session and the category choices' caches
    with django_assert_max_num_queries(12):
        response = web.get(LIST)
    assert response.content.decode().count('name="sku"') == 30


def test_it_offers_no_delete_to_a_suspended_seller(web, owner):
    product_for(owner[0], "A-1")
    owner[0].status = SellerStatus.SUSPENDED
    owner[0].save(update_fields=["status"])
    html = web.get(LIST).content.decode()
    assert 'value="delete"' not in html
    assert 'value="export_csv"' in html


# --- one product ----------------------------------------------------------------------------


def test_it_shows_every_field_of_a_product(web, owner):
    product = product_for(
        owner[0],
        "SHOE-42",
        description_uz="Yengil krossovka",
        description_ru="Лёгкие кроссовки",
        price_uzs=25_174_451,
        stock=1200,
        length_mm=300,
        width_mm=200,
        height_mm=120,
        image_urls=["https://img.bozor.localhost/a.jpg", "https://img.bozor.localhost/b.jpg"],
    )
    response = web.get(detail_url("SHOE-42"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        product.title_uz,
        product.title_ru,
        "Yengil krossovka",
        "Лёгкие кроссовки",
        "Lanyue",
        product.category.name_en,
        product.category.code,
        "25,174,451",
        "1,200",
        product.barcode,
        product.ikpu,
        "300 × 200 × 120",
        "800",
        "https://img.bozor.localhost/b.jpg",
    ):
        assert text in html, text
    assert html.count('referrerpolicy="no-referrer"') == 2
    assert "Not written by an import" in html


def test_it_names_the_category_in_the_ui_language(web, owner):
    product = product_for(owner[0], "SHOE-42")
    web.cookies["django_language"] = "ru"
    html = web.get(detail_url("SHOE-42")).content.decode()
    assert product.category.name_ru in html


@pytest.mark.parametrize(
    "sku", ["A/B/C", "with space", "50%", "q?x=1", "hash#1", "..", ".", "货号-1", "/lead"]
)
def test_it_opens_a_product_whatever_characters_its_sku_has(web, owner, sku):
    product_for(owner[0], sku)
    response = web.get(detail_url(sku))
    assert response.status_code == 200
    assert response.context["product"].sku == sku


def test_it_hides_another_sellers_product(web, other):
    product_for(other[0], "THEIRS-1")
    assert web.get(detail_url("THEIRS-1")).status_code == 404
    assert web.get(detail_url("missing")).status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login(client, owner):
    product_for(owner[0], "A-1")
    response = client.get(detail_url("A-1"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_it_links_the_import_that_last_wrote_the_product(
    web, owner, django_capture_on_commit_callbacks
):
    first = commit_import(web, django_capture_on_commit_callbacks, [row("S-1"), row("S-2")])
    assert first.status == "completed", first.error_code
    assert set(Product.objects.values_list("last_import", flat=True)) == {first.pk}
    second = commit_import(
        web, django_capture_on_commit_callbacks, [row("S-1", price_uzs="99000"), row("S-2")]
    )
    assert second.status == "completed", second.error_code
    # The changed product names the second import; the unchanged one keeps the first.
    assert Product.objects.get(sku="S-1").last_import_id == second.pk
    assert Product.objects.get(sku="S-2").last_import_id == first.pk
    html = web.get(detail_url("S-1")).content.decode()
    assert f'href="/catalog/imports/{second.pk}/"' in html


# --- selected products ----------------------------------------------------------------------


def test_it_asks_before_deleting_the_selected_products(web, owner):
    product_for(owner[0], "A-1")
    product_for(owner[0], "B-2")
    response = web.post(LIST, {"action": "delete", "sku": ["A-1", "B-2"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "These 2 products will be removed" in html
    assert 'name="confirm" value="yes"' in html
    assert Product.objects.count() == 2


def test_it_deletes_only_the_sellers_own_selected_products(web, owner, other):
    product_for(owner[0], "A-1")
    product_for(owner[0], "B-2")
    product_for(owner[0], "KEEP")
    product_for(other[0], "A-1")
    response = web.post(
        LIST,
        {"action": "delete", "confirm": "yes", "sku": ["A-1", "B-2"], "list_query": "q=A&page=2"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/catalog/products/?q=A&page=2"
    assert "2 products deleted." in response.content.decode()
    assert set(Product.objects.filter(seller=owner[0]).values_list("sku", flat=True)) == {"KEEP"}
    assert Product.objects.filter(seller=other[0], sku="A-1").exists()


@pytest.mark.parametrize("status", [SellerStatus.SUSPENDED, SellerStatus.REJECTED])
def test_it_deletes_nothing_for_a_closed_seller(web, owner, status):
    product_for(owner[0], "A-1")
    owner[0].status = status
    owner[0].save(update_fields=["status"])
    response = web.post(LIST, {"action": "delete", "confirm": "yes", "sku": ["A-1"]}, follow=True)
    assert "Only approved sellers can change their catalog." in response.content.decode()
    assert Product.objects.filter(sku="A-1").exists()


def test_it_refuses_a_delete_without_the_csrf_token(owner):
    product_for(owner[0], "A-1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner[1])
    response = client.post(LIST, {"action": "delete", "confirm": "yes", "sku": ["A-1"]})
    assert response.status_code == 403
    assert Product.objects.filter(sku="A-1").exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "delete"}, "Select at least one product first."),
        ({"action": "export_csv", "sku": [""]}, "Select at least one product first."),
        ({"action": "drop_table", "sku": ["A-1"]}, "Choose what to do with the selected products."),
        ({"sku": ["A-1"]}, "Choose what to do with the selected products."),
    ],
)
def test_it_explains_a_bulk_request_it_cannot_act_on(web, owner, data, message):
    product_for(owner[0], "A-1")
    response = web.post(LIST, data, follow=True)
    assert message in response.content.decode()
    assert Product.objects.filter(sku="A-1").exists()


@pytest.mark.parametrize("query", ["next=https://evil.example/", "//evil.example", "q=x\r\nSet"])
def test_it_goes_back_to_the_product_list_only(web, owner, query):
    response = web.post(LIST, {"action": "delete", "list_query": query})
    assert response.status_code == 302
    assert response["Location"].startswith("/catalog/products/")
    assert "evil" not in response["Location"] and "\n" not in response["Location"]


def test_it_confirms_nothing_when_every_selected_product_is_gone(web, owner, other):
    product_for(other[0], "THEIRS")
    response = web.post(LIST, {"action": "delete", "sku": ["THEIRS"]}, follow=True)
    assert "None of the selected products exists any more." in response.content.decode()


def test_it_exports_the_selected_products_as_csv_with_formulas_escaped(web, owner, other):
    product_for(owner[0], "A-1", title_ru='=HYPERLINK("http://x")')
    product_for(owner[0], "B-2")
    product_for(owner[0], "NOT-PICKED")
    product_for(other[0], "C-3")
    response = web.post(LIST, {"action": "export_csv", "sku": ["A-1", "B-2", "C-3"]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert sorted(r["sku"] for r in rows) == ["A-1", "B-2"]
    title = next(r["title_ru"] for r in rows if r["sku"] == "A-1")
    assert title.startswith("'=")
    assert {"seller_uscc", "image_urls", "ikpu", "weight_g"} <= set(rows[0])


def test_it_exports_the_selected_products_as_xlsx(web, owner):
    product_for(owner[0], "A-1", title_uz="+998 raqam")
    response = web.post(LIST, {"action": "export_xlsx", "sku": ["A-1"]})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('bozor-products.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values["sku"] == "A-1"
    assert values["title_uz"] == "'+998 raqam"


def test_a_suspended_seller_may_still_export(web, owner):
    product_for(owner[0], "A-1")
    owner[0].status = SellerStatus.SUSPENDED
    owner[0].save(update_fields=["status"])
    response = web.post(LIST, {"action": "export_csv", "sku": ["A-1"]})
    assert response.status_code == 200
