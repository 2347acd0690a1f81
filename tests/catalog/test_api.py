"""The catalog API as a client sees it: status codes, bodies, isolation, limits, queries."""

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from rest_framework.test import APIClient

from catalog.api import ProductWriteSerializer
from catalog.importing.columns import CANONICAL_HEADER
from catalog.models import ImportJob, ImportStatus, Product
from sellers.models import SellerStatus
from tests.catalog.factories_api import (
    HEADER,
    LEAF,
    OTHER_LEAF,
    api_client_for,
    approved_seller,
    catalog_csv,
    ean13,
    product_for,
    row,
)
from tests.conftest import SAMPLES
from tests.sellers.factories import UserFactory, seller_with_owner

pytestmark = pytest.mark.django_db
API = "/api/v1"

HEADER_ONLY = ",".join(HEADER).encode() + b"\r\n"
JOB_FIELDS = {
    "id",
    "status",
    "mode",
    "filename",
    "detected",
    "total_rows",
    "processed_rows",
    "counts",
    "created_at",
    "finished_at",
}


@pytest.fixture
def owner(categories):
    seller, user = approved_seller()
    return seller, user


@pytest.fixture
def api(owner) -> APIClient:
    return api_client_for(owner[1])


@pytest.fixture
def other(categories):
    """A second approved seller with the same brand name and SKUs of its own."""
    seller, user = approved_seller(brands=("Lanyue",))
    return seller, user


def upload(client: APIClient, content: bytes, name: str = "catalog.csv", **data: str):
    return client.post(
        f"{API}/imports/",
        {"file": SimpleUploadedFile(name, content, "text/csv"), **data},
        format="multipart",
    )


def run_upload(client, captured, content: bytes, **data: str):
    """Upload, then let the queued task run (enqueued on commit, eager in tests)."""
    with captured(execute=True):
        response = upload(client, content, **data)
    return response


def valid_rows(count: int, prefix: str = "SKU") -> list[dict[str, str]]:
    return [row(f"{prefix}-{i:04d}", barcode=ean13(i)) for i in range(count)]


# ---------------------------------------------------------------------------------------------
# Authentication


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/categories/"),
        ("get", "/products/"),
        ("post", "/products/"),
        ("get", "/products/SKU-1/"),
        ("patch", "/products/SKU-1/"),
        ("delete", "/products/SKU-1/"),
        ("get", "/imports/"),
        ("post", "/imports/"),
        ("get", "/imports/1/"),
        ("post", "/imports/1/commit/"),
        ("get", "/imports/1/errors/"),
        ("get", "/imports/1/errors.csv"),
        ("get", "/imports/template/?format=csv"),
    ],
)
def test_it_answers_401_to_anonymous_clients(method, path):
    response = getattr(APIClient(), method)(API + path)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_it_answers_404_to_a_user_without_a_seller(categories):
    client = api_client_for(UserFactory())
    assert client.get(f"{API}/products/").status_code == 404
    assert client.get(f"{API}/imports/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Categories


def test_it_lists_categories_with_their_parent_codes(api):
    response = api.get(f"{API}/categories/", {"page_size": 500})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    by_code = {c["code"]: c for c in body["results"]}
    assert body["count"] == len(by_code) > 50
    assert by_code["shoes.sneakers"] == {
        "code": "shoes.sneakers",
        "parent": "shoes",
        "name_en": "Sneakers",
        "name_ru": "Кроссовки",
        "name_uz": "Krossovkalar",
        "name_zh": "运动鞋",
        "is_leaf": True,
    }
    assert by_code["shoes"]["parent"] is None
    assert by_code["shoes"]["is_leaf"] is False


def test_it_lists_categories_in_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert api.get(f"{API}/categories/", {"page_size": 500}).status_code == 200


# ---------------------------------------------------------------------------------------------
# Products


def test_it_lists_only_the_sellers_own_products(api, owner, other):
    product_for(owner[0], "SKU-1")
    product_for(other[0], "SKU-1", title_uz="Boshqa sotuvchi")
    product_for(other[0], "SKU-OTHER")
    body = api.get(f"{API}/products/").json()
    assert body["count"] == 1
    [product] = body["results"]
    assert product["sku"] == "SKU-1"
    assert product["title_uz"] == "Lanyue krossovka SKU-1"


def test_it_renders_a_product_with_codes_names_and_a_list_of_images(api, owner):
    product_for(
        owner[0], "SKU-1", image_urls=["https://a.example/1.jpg", "https://a.example/2.jpg"]
    )
    body = api.get(f"{API}/products/SKU-1/").json()
    assert body["category"] == LEAF
    assert body["brand"] == "Jinma"  # the first brand by name
    assert body["image_urls"] == ["https://a.example/1.jpg", "https://a.example/2.jpg"]
    assert body["price_uzs"] == 125_000
    for field in HEADER + ["length_mm", "width_mm", "height_mm", "created_at", "updated_at"]:
        assert field in body


def test_it_keeps_the_product_fields_in_the_order_of_the_import_columns(api, owner):
    product_for(owner[0], "SKU-1")
    body = api.get(f"{API}/products/SKU-1/").json()
    columns = [
        "sku",
        "title_uz",
        "title_ru",
        "description_uz",
        "description_ru",
        "brand",
        "category",
        "price_uzs",
        "stock",
        "barcode",
        "ikpu",
        "weight_g",
        "image_urls",
        "length_mm",
        "width_mm",
        "height_mm",
        "group",
        "features_uz",
        "features_ru",
    ]
    assert list(body) == [*columns, "attributes", "readiness", "created_at", "updated_at"]
    assert list(ProductWriteSerializer().fields) == [*columns, "attributes"]
    assert columns == CANONICAL_HEADER


def test_it_filters_products_by_category_with_descendants(api, owner):
    product_for(owner[0], "SHOE", category=LEAF)
    product_for(owner[0], "CASE", category=OTHER_LEAF)

    def skus(**params):
        return [p["sku"] for p in api.get(f"{API}/products/", params).json()["results"]]

    assert skus(category="shoes") == ["SHOE"]
    assert skus(category=LEAF) == ["SHOE"]
    assert skus(category="electronics") == ["CASE"]
    assert skus(category="no.such.category") == []


def test_it_filters_products_by_search_and_brand(api, owner):
    seller = owner[0]
    jinma = seller.brands.get(name="Jinma")
    lanyue = seller.brands.get(name="Lanyue")
    product_for(seller, "A-1", brand=jinma, title_ru="Чайник электрический")
    product_for(seller, "B-2", brand=lanyue, barcode=ean13(77))

    def skus(**params):
        return [p["sku"] for p in api.get(f"{API}/products/", params).json()["results"]]

    assert skus(q="Чайник") == ["A-1"]
    assert skus(q="b-2") == ["B-2"]
    assert skus(q=ean13(77)) == ["B-2"]
    assert skus(brand="Lanyue") == ["B-2"]
    assert skus(brand="jinma") == ["A-1"]


def test_it_paginates_products(api, owner):
    for i in range(7):
        product_for(owner[0], f"SKU-{i}")
    first = api.get(f"{API}/products/", {"page_size": 5}).json()
    assert first["count"] == 7
    assert len(first["results"]) == 5
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    assert [p["sku"] for p in second["results"]] == ["SKU-5", "SKU-6"]
    assert second["next"] is None


@pytest.mark.parametrize("count", [5, 50])
def test_it_lists_products_in_a_fixed_number_of_queries(
    api, owner, count, django_assert_num_queries
):
    for i in range(count):
        product_for(owner[0], f"SKU-{i:03d}")
    api.get(f"{API}/products/")  # warm the token's user
    with django_assert_num_queries(5):
        response = api.get(f"{API}/products/")
    assert response.json()["count"] == count


def test_it_creates_a_product_through_the_row_rules(api, owner):
    payload = {
        **row("NEW-1", barcode=ean13(5)),
        "price_uzs": 99_000,
        "stock": 3,
        "weight_g": 400,
        "image_urls": ["https://img.example.com/a.jpg"],
    }
    response = api.post(f"{API}/products/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sku"] == "NEW-1"
    assert body["category"] == LEAF
    assert body["brand"] == "Lanyue"
    assert body["image_urls"] == ["https://img.example.com/a.jpg"]
    product = Product.objects.get(seller=owner[0], sku="NEW-1")
    assert product.price_uzs == 99_000
    assert product.barcode == ean13(5)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price_uzs", "abc"),
        ("price_uzs", "-5"),
        ("category", "shoes"),
        ("category", "no.such"),
        ("brand", "NotMine"),
        ("barcode", "6970669074391"),
        ("ikpu", "123"),
        ("weight_g", "60000"),
        ("title_uz", ""),
    ],
)
def test_it_refuses_an_invalid_product_with_field_messages(api, owner, field, value):
    payload = {**row("BAD-1"), field: value}
    response = api.post(f"{API}/products/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body
    assert all(isinstance(m, str) and m for m in body[field])
    assert not Product.objects.filter(sku="BAD-1").exists()


def test_it_refuses_unknown_fields_by_name(api):
    response = api.post(f"{API}/products/", {**row("X-1"), "prise": "1"}, format="json")
    assert response.status_code == 400
    assert "prise" in response.json()


def test_row_12_it_does_not_use_another_sellers_brand(api, owner, other):
    other[0].brands.create(name="OnlyTheirs")
    response = api.post(f"{API}/products/", row("X-1", brand="OnlyTheirs"), format="json")
    assert response.status_code == 400
    assert "brand" in response.json()


def test_it_updates_some_fields_of_a_product(api, owner):
    product_for(owner[0], "SKU-1", stock=1)
    response = api.patch(f"{API}/products/SKU-1/", {"stock": 42}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stock"] == 42
    assert Product.objects.get(seller=owner[0], sku="SKU-1").stock == 42


def test_it_refuses_an_invalid_update_and_keeps_the_product(api, owner):
    product_for(owner[0], "SKU-1", stock=1)
    response = api.patch(f"{API}/products/SKU-1/", {"stock": "-3"}, format="json")
    assert response.status_code == 400
    assert "stock" in response.json()
    assert Product.objects.get(seller=owner[0], sku="SKU-1").stock == 1


def test_it_deletes_a_product(api, owner):
    product_for(owner[0], "SKU-1")
    assert api.delete(f"{API}/products/SKU-1/").status_code == 204
    assert not Product.objects.filter(seller=owner[0]).exists()
    assert api.get(f"{API}/products/SKU-1/").status_code == 404


@pytest.mark.parametrize("status", [SellerStatus.SUBMITTED, SellerStatus.SUSPENDED])
def test_it_answers_409_to_product_changes_from_a_seller_that_is_not_approved(categories, status):
    seller, user = seller_with_owner(status=status, brands=["Lanyue"])
    product_for(seller, "SKU-1", stock=1)
    client = api_client_for(user)
    assert client.get(f"{API}/products/SKU-1/").status_code == 200
    created = client.post(f"{API}/products/", row("NEW-1"), format="json")
    changed = client.patch(f"{API}/products/SKU-1/", {"stock": 5}, format="json")
    assert created.status_code == changed.status_code == 409
    assert created.json()["detail"]
    assert Product.objects.get(seller=seller, sku="SKU-1").stock == 1
    assert not Product.objects.filter(sku="NEW-1").exists()


def test_it_finds_a_sku_with_a_slash(api, owner):
    product_for(owner[0], "AB/12")
    assert api.get(f"{API}/products/AB/12/").json()["sku"] == "AB/12"


@pytest.mark.parametrize("method", ["get", "patch", "delete", "put", "post", "options"])
def test_row_23_it_answers_404_for_another_sellers_product_on_every_method(api, other, method):
    product_for(other[0], "THEIRS", stock=5)
    response = getattr(api, method)(f"{API}/products/THEIRS/", {"stock": 1}, format="json")
    assert response.status_code == 404
    assert "THEIRS" not in response.content.decode()
    assert Product.objects.get(sku="THEIRS").stock == 5


# ---------------------------------------------------------------------------------------------
# Imports


def test_it_queues_an_upload_and_answers_202_with_the_job(api, owner):
    response = upload(api, catalog_csv(valid_rows(3)), name="мой каталог.csv")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert JOB_FIELDS <= set(body)
    assert body["status"] == ImportStatus.QUEUED
    assert body["mode"] == "validate"
    assert body["filename"] == "мой каталог.csv"
    assert set(body["detected"]) == {"format", "encoding", "delimiter"}
    assert body["counts"] == {"created": 0, "updated": 0, "unchanged": 0, "invalid": 0}
    assert body["finished_at"] is None
    assert ImportJob.objects.get(pk=body["id"]).seller == owner[0]


def test_row_22_it_validates_an_upload_without_writing_products(
    api, owner, django_capture_on_commit_callbacks
):
    response = run_upload(api, django_capture_on_commit_callbacks, catalog_csv(valid_rows(4)))
    job = api.get(f"{API}/imports/{response.json()['id']}/").json()
    assert job["status"] == "validated"
    assert job["total_rows"] == 4
    assert job["processed_rows"] == 4
    assert job["counts"] == {"created": 4, "updated": 0, "unchanged": 0, "invalid": 0}
    assert job["detected"] == {
        "format": "csv",
        "encoding": job["detected"]["encoding"],
        "delimiter": ",",
    }
    assert job["detected"]["encoding"].lower().replace("_", "-").startswith("utf")
    assert job["finished_at"] is not None
    assert not Product.objects.exists()


def test_it_commits_a_validated_job(api, owner, django_capture_on_commit_callbacks):
    job_id = run_upload(api, django_capture_on_commit_callbacks, catalog_csv(valid_rows(4))).json()[
        "id"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{API}/imports/{job_id}/commit/")
    assert response.status_code == 202
    assert response.json()["id"] == job_id
    job = api.get(f"{API}/imports/{job_id}/").json()
    assert job["status"] == "completed"
    assert job["counts"]["created"] == 4
    assert Product.objects.filter(seller=owner[0]).count() == 4


def test_row_14_it_imports_right_away_in_commit_mode_and_finds_a_reupload_unchanged(
    api, owner, django_capture_on_commit_callbacks
):
    content = catalog_csv(valid_rows(5))
    first = run_upload(api, django_capture_on_commit_callbacks, content, mode="commit").json()
    assert api.get(f"{API}/imports/{first['id']}/").json()["counts"]["created"] == 5
    second = run_upload(api, django_capture_on_commit_callbacks, content, mode="commit")
    assert second.status_code == 202  # the first job finished: a new import
    assert second.json()["id"] != first["id"]
    counts = api.get(f"{API}/imports/{second.json()['id']}/").json()["counts"]
    assert counts == {"created": 0, "updated": 0, "unchanged": 5, "invalid": 0}
    assert Product.objects.filter(seller=owner[0]).count() == 5


@pytest.mark.parametrize("status", [ImportStatus.VALIDATED, ImportStatus.COMPLETED])
def test_it_answers_409_to_a_commit_of_a_job_that_is_not_validated_only(
    api, owner, django_capture_on_commit_callbacks, status
):
    mode = "commit" if status == ImportStatus.COMPLETED else "validate"
    job_id = run_upload(
        api, django_capture_on_commit_callbacks, catalog_csv(valid_rows(2)), mode=mode
    ).json()["id"]
    if status == ImportStatus.VALIDATED:
        with django_capture_on_commit_callbacks(execute=True):
            api.post(f"{API}/imports/{job_id}/commit/")
    response = api.post(f"{API}/imports/{job_id}/commit/")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_it_answers_409_to_a_commit_of_a_queued_job(api, owner):
    job_id = upload(api, catalog_csv(valid_rows(2))).json()["id"]
    response = api.post(f"{API}/imports/{job_id}/commit/")
    assert response.status_code == 409


def test_it_returns_the_same_job_for_the_same_file_while_it_is_queued(api, owner):
    content = catalog_csv(valid_rows(3))
    first = upload(api, content)
    second = upload(api, content, name="copy.csv")
    assert first.status_code == 202
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert ImportJob.objects.count() == 1


@pytest.mark.parametrize(
    "content",
    [b"", HEADER_ONLY, b"\r\n\r\n\r\n"],
    ids=["empty", "header-only", "blank-lines"],
)
def test_row_06_it_refuses_a_file_with_no_product_rows_and_creates_no_job(api, content):
    response = upload(api, content)
    assert response.status_code == 400
    assert (
        "no product rows" in str(response.json()).lower() or "empty" in str(response.json()).lower()
    )
    assert not ImportJob.objects.exists()


def test_row_06_it_refuses_a_header_only_file_saying_it_has_no_product_rows(api):
    response = upload(api, HEADER_ONLY)
    assert response.status_code == 400
    assert "the file has no product rows" in str(response.json()).lower()


@pytest.mark.parametrize(
    ("data", "field"),
    [({}, "file"), ({"mode": "upsert"}, "mode")],
)
def test_it_refuses_a_bad_upload_request_with_field_messages(api, data, field):
    if field == "mode":
        response = upload(api, catalog_csv(valid_rows(1)), **data)
    else:
        response = api.post(f"{API}/imports/", data, format="multipart")
    assert response.status_code == 400
    assert field in response.json()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "status", [SellerStatus.DRAFT, SellerStatus.SUBMITTED, SellerStatus.SUSPENDED]
)
def test_it_refuses_uploads_from_a_seller_that_is_not_approved(categories, status):
    _seller, user = seller_with_owner(status=status)
    response = upload(api_client_for(user), catalog_csv(valid_rows(1)))
    assert response.status_code == 409
    assert "approved" in response.json()["detail"].lower()
    assert not ImportJob.objects.exists()


def test_row_10_it_cuts_off_an_upload_above_the_limit_with_no_job_and_no_file(api, settings):
    settings.CATALOG_UPLOAD_MAX_BYTES = 64 * 1024
    response = upload(api, b"sku\r\n" + b"A" * (256 * 1024))
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]
    assert not ImportJob.objects.exists()
    assert not [p for p in (Path(settings.MEDIA_ROOT) / "imports").rglob("*") if p.is_file()]


class LazyMultipartBody:
    """A 200 MB multipart body generated as it is read, counting what the server reads."""

    def __init__(self, boundary: str, size: int) -> None:
        self.head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="huge.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        self.tail = f"\r\n--{boundary}--\r\n".encode()
        self.size = size
        self.length = len(self.head) + size + len(self.tail)
        self.position = 0

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.length - self.position
        n = min(n, self.length - self.position)
        out = bytearray()
        while len(out) < n:
            p = self.position + len(out)
            if p < len(self.head):
                out += self.head[p : p + n - len(out)]
            elif p < len(self.head) + self.size:
                out += b"x" * min(n - len(out), len(self.head) + self.size - p)
            else:
                q = p - len(self.head) - self.size
                out += self.tail[q : q + n - len(out)]
        self.position += len(out)
        return bytes(out)

    def readline(self, limit: int = -1) -> bytes:
        return self.read(limit if limit and limit > 0 else 65536)


def test_row_10_it_stops_reading_a_200_mb_upload_at_the_limit(owner, settings):
    """Through Django's request handler with a real WSGI environ: the body is read up to about
    the limit, not 200 MB (the test client would build the whole body in memory first)."""
    from django.test.client import ClientHandler

    from tests.sellers.factories import api_token

    settings.CATALOG_UPLOAD_MAX_BYTES = 1024 * 1024
    token = api_token(owner[1])
    boundary = "BozorBoundary7MA4YWxkTrZu0gW"
    body = LazyMultipartBody(boundary, 200 * 1024 * 1024)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"{API}/imports/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        "CONTENT_LENGTH": str(body.length),
        "HTTP_AUTHORIZATION": f"Token {token}",
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    response = ClientHandler()(environ)
    assert response.status_code == 413, response.content
    assert body.position < 3 * 1024 * 1024  # read up to the limit, then stopped
    assert not ImportJob.objects.exists()
    assert not [p for p in (Path(settings.MEDIA_ROOT) / "imports").rglob("*") if p.is_file()]


def test_it_lists_the_sellers_own_imports_newest_first(api, owner, other):
    upload(api, catalog_csv(valid_rows(1, "A")))
    upload(api, catalog_csv(valid_rows(1, "B")))
    upload(api_client_for(other[1]), catalog_csv(valid_rows(1, "C")))
    body = api.get(f"{API}/imports/").json()
    assert body["count"] == 2
    assert body["results"][0]["id"] > body["results"][1]["id"]
    assert all(JOB_FIELDS <= set(job) for job in body["results"])


@pytest.mark.parametrize("count", [2, 12])
def test_it_lists_imports_in_a_fixed_number_of_queries(
    api, owner, count, django_assert_num_queries
):
    for i in range(count):
        upload(api, catalog_csv(valid_rows(1, f"P{i}")))
    api.get(f"{API}/imports/")
    with django_assert_num_queries(5):
        assert api.get(f"{API}/imports/").json()["count"] == count


def _errors_job(api, captured) -> int:
    rows = [
        row("OK-1", barcode=ean13(1)),
        row("BAD-PRICE", price_uzs="12.5"),
        row("BAD-CAT", category="shoes"),
        row("=cmd|' /C calc'!A0", title_uz='=HYPERLINK("http://evil")', price_uzs="abc"),
    ]
    return run_upload(api, captured, catalog_csv(rows), name="bad\nname\u202e.csv").json()["id"]


def test_it_lists_row_errors_with_row_column_code_and_message(
    api, django_capture_on_commit_callbacks
):
    job_id = _errors_job(api, django_capture_on_commit_callbacks)
    job = api.get(f"{API}/imports/{job_id}/").json()
    assert job["counts"]["invalid"] == 3
    body = api.get(f"{API}/imports/{job_id}/errors/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    errors = [e for e in body["results"] if e["severity"] == "error"]
    assert {(e["row"], e["column"], e["code"]) for e in errors} >= {
        (3, "price_uzs", "fractional_som"),
        (4, "category", "not_leaf_category"),
        (5, "price_uzs", "invalid_number"),
    }
    assert all({"row", "column", "code", "message"} <= set(e) for e in body["results"])
    assert all(e["message"] for e in body["results"])


def test_it_renders_row_error_messages_in_the_request_language(
    api, django_capture_on_commit_callbacks
):
    job_id = _errors_job(api, django_capture_on_commit_callbacks)
    body = api.get(f"{API}/imports/{job_id}/errors/", HTTP_ACCEPT_LANGUAGE="ru").json()
    error = ImportJob.objects.get(pk=job_id).row_errors.get(row=4, column="category")
    with translation.override("ru"):
        expected = error.message
    assert any(e["message"] == expected for e in body["results"])


def test_it_filters_row_problems_by_severity(api, django_capture_on_commit_callbacks):
    rows = [row("OK-1", title_uz="kichik harf bilan"), row("BAD-1", price_uzs="abc")]
    job_id = run_upload(api, django_capture_on_commit_callbacks, catalog_csv(rows)).json()["id"]
    url = f"{API}/imports/{job_id}/errors/"
    errors = api.get(url, {"severity": "error"}).json()["results"]
    warnings = api.get(url, {"severity": "warning"}).json()["results"]
    assert [(e["row"], e["code"]) for e in errors] == [(3, "invalid_number")]
    assert {e["severity"] for e in warnings} == {"warning"}
    assert (2, "title_style") in {(e["row"], e["code"]) for e in warnings}


def test_row_09_it_sends_the_error_report_with_formulas_escaped(
    api, django_capture_on_commit_callbacks
):
    job_id = _errors_job(api, django_capture_on_commit_callbacks)
    response = api.get(f"{API}/imports/{job_id}/errors.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename")
    assert "\n" not in disposition and "\u202e" not in disposition
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, *data = rows
    assert "errors" in header
    assert len(data) == 3  # the rejected rows only
    cells = [cell for r in data for cell in r]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_it_serves_the_error_report_whatever_the_accept_header(
    api, django_capture_on_commit_callbacks
):
    job_id = _errors_job(api, django_capture_on_commit_callbacks)
    response = api.get(f"{API}/imports/{job_id}/errors.csv", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/imports/{id}/"),
        ("patch", "/imports/{id}/"),
        ("put", "/imports/{id}/"),
        ("delete", "/imports/{id}/"),
        ("post", "/imports/{id}/commit/"),
        ("get", "/imports/{id}/commit/"),
        ("get", "/imports/{id}/errors/"),
        ("post", "/imports/{id}/errors/"),
        ("get", "/imports/{id}/errors.csv"),
        ("delete", "/imports/{id}/errors.csv"),
        ("options", "/imports/{id}/"),
    ],
)
def test_row_23_it_answers_404_for_another_sellers_job_on_every_method_and_route(
    api, other, django_capture_on_commit_callbacks, method, path
):
    theirs = _errors_job(api_client_for(other[1]), django_capture_on_commit_callbacks)
    before = ImportJob.objects.get(pk=theirs).status
    response = getattr(api, method)(API + path.format(id=theirs))
    assert response.status_code == 404
    assert ImportJob.objects.get(pk=theirs).status == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_it_serves_the_template(api, file_format):
    response = api.get(f"{API}/imports/template/", {"format": file_format})
    assert response.status_code == 200
    assert f'filename="bozor-catalog-template.{file_format}"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    if file_format == "csv":
        assert response["Content-Type"].startswith("text/csv")
        header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        sheet = workbook.worksheets[0]
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[: len(HEADER)] == HEADER or set(HEADER) <= set(header)


def test_it_refuses_an_unknown_template_format(api):
    response = api.get(f"{API}/imports/template/", {"format": "pdf"})
    assert response.status_code == 400
    assert "format" in response.json()


# ---------------------------------------------------------------------------------------------
# Schema


def test_it_documents_every_catalog_route_in_the_schema(api):
    import yaml

    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    paths = schema["paths"]
    for route in [
        "/api/v1/categories/",
        "/api/v1/products/",
        "/api/v1/products/{sku}/",
        "/api/v1/imports/",
        "/api/v1/imports/{id}/",
        "/api/v1/imports/{id}/commit/",
        "/api/v1/imports/{id}/errors/",
        "/api/v1/imports/{id}/errors.csv",
        "/api/v1/imports/template/",
    ]:
        assert route in paths, route
    upload_responses = paths["/api/v1/imports/"]["post"]["responses"]
    assert {"200", "202", "400", "409", "413"} <= set(upload_responses)
    assert "multipart/form-data" in paths["/api/v1/imports/"]["post"]["requestBody"]["content"]
    assert "409" in paths["/api/v1/imports/{id}/commit/"]["post"]["responses"]
    assert "404" in paths["/api/v1/products/{sku}/"]["get"]["responses"]
    assert set(paths["/api/v1/products/{sku}/"]) >= {"get", "patch", "delete"}


# ---------------------------------------------------------------------------------------------
# The shared sample files, end to end through the API


def _sample_client(categories):
    from tests.catalog.factories import sample_seller
    from tests.sellers.factories import MembershipFactory

    seller = sample_seller()
    user = UserFactory()
    MembershipFactory(user=user, seller=seller)
    return api_client_for(user)


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("catalog_gbk_zh.csv", "gb", ","),
        ("catalog_cp1251_ru.csv", "1251", ";"),
        ("catalog_utf16_uz.txt", "utf", "\t"),
        ("catalog_zh.xlsx", None, None),
    ],
)
def test_row_01_it_previews_the_sample_files_with_what_it_detected(
    categories, django_capture_on_commit_callbacks, name, encoding, delimiter
):
    client = _sample_client(categories)
    expected = json.loads((SAMPLES / "expected.json").read_text())[name]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, (SAMPLES / name).read_bytes(), name=name)
    assert response.status_code == 202
    job = client.get(f"{API}/imports/{response.json()['id']}/").json()
    assert job["status"] == "validated", job
    assert job["total_rows"] == expected["rows"]
    assert job["counts"]["invalid"] == expected["invalid"]
    assert job["counts"]["created"] == expected["rows"] - expected["invalid"]
    if encoding is None:
        assert job["detected"]["format"] == "xlsx"
    else:
        assert job["detected"]["format"] == "csv"
        assert encoding in job["detected"]["encoding"].lower().replace("-", "")
        assert job["detected"]["delimiter"] == delimiter


def test_it_lists_every_error_of_the_errors_sample_by_row_and_column(
    categories, django_capture_on_commit_callbacks
):
    client = _sample_client(categories)
    expected = json.loads((SAMPLES / "expected.json").read_text())["catalog_errors.csv"]
    with django_capture_on_commit_callbacks(execute=True):
        job_id = upload(client, (SAMPLES / "catalog_errors.csv").read_bytes()).json()["id"]
    body = client.get(f"{API}/imports/{job_id}/errors/", {"page_size": 500}).json()
    found = {(e["row"], e["column"], e["code"]) for e in body["results"]}
    assert {(e["row"], e["column"], e["code"]) for e in expected["errors"]} <= found
    report = client.get(f"{API}/imports/{job_id}/errors.csv")
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + expected["invalid"]


def test_it_refuses_a_second_product_with_the_same_sku(api, owner):
    product_for(owner[0], "SKU-1")
    response = api.post(f"{API}/products/", row("SKU-1"), format="json")
    assert response.status_code == 400
    assert "sku" in response.json()
    assert Product.objects.filter(seller=owner[0], sku="SKU-1").count() == 1


def test_it_lets_two_sellers_use_the_same_sku(api, other):
    product_for(other[0], "SKU-1")
    response = api.post(f"{API}/products/", row("SKU-1", barcode=ean13(9)), format="json")
    assert response.status_code == 201
    assert Product.objects.filter(sku="SKU-1").count() == 2


@pytest.mark.parametrize(
    ("content", "code_text"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a spreadsheet"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not a spreadsheet"),
    ],
    ids=["png", "pdf"],
)
def test_it_refuses_a_file_that_is_not_a_spreadsheet_by_its_bytes(api, content, code_text):
    response = upload(api, content, name="catalog.csv")
    assert response.status_code == 400
    assert code_text in " ".join(response.json()["file"])
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("price_uzs", 10**19, "1000000000000"),
        ("price_uzs", "9" * 5000, "1000000000000"),
        ("stock", 3_000_000_000, "10000000"),
        ("weight_g", "1" * 4400, "50000"),
        ("length_mm", 10**6, "100000"),
        ("price_uzs", [1], "single value"),
        ("stock", {"value": 1}, "single value"),
        ("weight_g", True, "single value"),
    ],
    ids=lambda value: str(value)[:20],
)
def test_row_36_the_api_refuses_out_of_range_and_non_scalar_numbers_with_the_rule(
    api, owner, field, value, expected
):
    response = api.post(f"{API}/products/", {**row("BIG-1"), field: value}, format="json")
    assert response.status_code == 400, response.content[:200]
    [message] = response.json()[field]
    assert expected in message.replace(" ", "").replace(",", "") or expected in message
    assert not Product.objects.filter(sku="BIG-1").exists()
    product_for(owner[0], "SKU-1")
    response = api.patch(f"{API}/products/SKU-1/", {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_row_36_the_schema_states_the_same_bounds_as_the_row_rules():
    from catalog.importing.rows import NUMBER_BOUNDS

    fields = ProductWriteSerializer().fields
    for name, bounds in NUMBER_BOUNDS.items():
        assert (fields[name].min_value, fields[name].max_value) == (bounds.minimum, bounds.maximum)


def test_row_39_an_upload_of_a_shared_strings_bomb_answers_without_parsing_the_strings(
    api, monkeypatch
):
    import time

    from portal.tabular import xlsx_reader
    from tests.portal.tabular.conftest import BOMB_STRINGS, shared_strings_bomb

    parsed = []
    original = xlsx_reader.SharedStrings._parse_next

    def counted(self):
        parsed.append(1)
        return original(self)

    monkeypatch.setattr(xlsx_reader.SharedStrings, "_parse_next", counted)
    content = shared_strings_bomb()
    started = time.monotonic()
    response = api.post(
        f"{API}/imports/", {"file": SimpleUploadedFile("bomb.xlsx", content)}, format="multipart"
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 202, response.content[:300]
    assert response.json()["status"] == "queued"
    assert len(parsed) < BOMB_STRINGS // 10  # the worker reads them, under its time limit
    assert elapsed < 10  # a safety net only; parsing them all takes 7 s or more here


def test_row_39_a_bomb_above_the_shared_strings_cap_is_refused_from_the_zip_directory(
    api, settings
):
    from tests.portal.tabular.conftest import shared_strings_bomb

    settings.CATALOG_XLSX_MAX_SHARED_STRINGS_BYTES = 4 * 1024 * 1024
    response = api.post(
        f"{API}/imports/",
        {"file": SimpleUploadedFile("bomb.xlsx", shared_strings_bomb())},
        format="multipart",
    )
    assert response.status_code == 400
    assert "sharedStrings.xml" in response.json()["file"][0]
    assert not ImportJob.objects.exists()
