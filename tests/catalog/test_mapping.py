"""Column mapping: a seller maps unknown columns to missing fields, remembered per header."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from catalog.importing.columns import columns_map, header_signature
from catalog.importing.mapping import mapping_check, mapping_parse
from catalog.models import ColumnMapping, ImportJob, ImportStatus
from catalog.services import import_job_create
from tests.catalog.conftest import upload
from tests.catalog.factories_api import (
    HEADER,
    api_client_for,
    approved_seller,
    catalog_csv,
    ean13,
    row,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
# The ERP's own names for two required columns.
RENAMED = {"sku": "Код товара", "price_uzs": "Стоимость"}
MAPPING = {"Код товара": "sku", "Стоимость": "price_uzs"}


def erp_csv(count: int = 3, prefix: str = "E") -> bytes:
    header = [RENAMED.get(name, name) for name in HEADER]
    data = [
        {RENAMED.get(k, k): v for k, v in row(f"{prefix}-{i}", barcode=ean13(i)).items()}
        for i in range(count)
    ]
    return catalog_csv(data, header=header)


@pytest.fixture
def owner(categories):
    return approved_seller(brands=("Lanyue",))


@pytest.fixture
def web(owner) -> Client:
    client = Client()
    client.force_login(owner[1])
    return client


# --- rules ----------------------------------------------------------------------------------


def test_the_header_signature_ignores_case_and_spaces():
    assert header_signature(["SKU", " Цена (сум) "]) == header_signature(["sku", "цена(сум)"])
    assert header_signature(["sku", "price"]) != header_signature(["price", "sku"])


def test_a_mapping_fills_the_missing_columns():
    header = [RENAMED.get(name, name) for name in HEADER]
    mapped = columns_map(header, MAPPING)
    assert mapped.index["sku"] == 0 and mapped.index["price_uzs"] == HEADER.index("price_uzs")
    assert mapped.unknown == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("{not json", "JSON object"),
        ('["sku"]', "JSON object"),
        ('{"a": 1}', "JSON object"),
    ],
)
def test_it_refuses_a_mapping_that_is_not_a_json_object(raw, expected):
    with pytest.raises(ValidationError) as error:
        mapping_parse(raw)
    assert expected in error.value.message_dict["mapping"][0]


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ({"Код товара": "article"}, "“article” is not a catalog field"),
        ({"Нет такого": "sku"}, "The file has no column “Нет такого”"),
        ({"Код товара": "sku", "Стоимость": "sku"}, "SKU (sku) is mapped more than once"),
        ({"Код товара": "brand"}, "Brand (brand) is mapped more than once"),
    ],
    ids=["unknown-field", "column-not-in-file", "field-twice", "field-already-in-file"],
)
def test_it_refuses_a_bad_mapping_with_a_clear_message(mapping, expected):
    header = [RENAMED.get(name, name) for name in HEADER]
    with pytest.raises(ValidationError) as error:
        mapping_check(header=header, mapping=mapping)
    assert any(expected in message for message in error.value.message_dict["mapping"])


# --- service --------------------------------------------------------------------------------


def test_a_file_with_missing_columns_still_fails_as_before(owner):
    with pytest.raises(ValidationError) as error:
        import_job_create(seller=owner[0], user=None, file=upload("erp.csv", erp_csv()))
    assert "Required columns are missing" in error.value.message_dict["file"][0]
    assert not ImportJob.objects.exists()


def test_a_mapping_imports_the_file_and_is_remembered_for_the_next_upload(owner, run_import):
    with_mapping = import_job_create(
        seller=owner[0], user=None, file=upload("erp.csv", erp_csv()), mapping=json.dumps(MAPPING)
    )[0]
    assert with_mapping.mapping == MAPPING and not with_mapping.mapping_applied
    remembered = ColumnMapping.objects.get(seller=owner[0])
    assert remembered.mapping == MAPPING
    job = run_import(owner[0], "erp-2.csv", erp_csv(4, "F"), mode="commit")
    assert job.status == ImportStatus.COMPLETED, job.error_code
    assert job.mapping_applied and job.mapping == MAPPING
    assert job.created_count == 4


def test_a_remembered_mapping_belongs_to_its_seller_only(owner, categories):
    import_job_create(
        seller=owner[0], user=None, file=upload("erp.csv", erp_csv()), mapping=MAPPING
    )
    other = approved_seller(brands=("Lanyue",))
    with pytest.raises(ValidationError):
        import_job_create(seller=other[0], user=None, file=upload("erp.csv", erp_csv(2, "O")))


def test_a_bad_mapping_changes_nothing(owner):
    ColumnMapping.objects.create(seller=owner[0], header_signature="x" * 64, mapping={"a": "sku"})
    with pytest.raises(ValidationError):
        import_job_create(
            seller=owner[0],
            user=None,
            file=upload("erp.csv", erp_csv()),
            mapping={"Код товара": "sku", "Стоимость": "sku"},
        )
    assert not ImportJob.objects.exists()
    assert list(ColumnMapping.objects.values_list("mapping", flat=True)) == [{"a": "sku"}]


# --- API ------------------------------------------------------------------------------------


def post_file(client, content: bytes, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{API}/imports/",
        {"file": SimpleUploadedFile("erp.csv", content, "text/csv"), **fields},
        format="multipart",
    )


def test_the_api_takes_a_mapping_field(owner):
    client = api_client_for(owner[1])
    response = post_file(client, erp_csv(), mapping=json.dumps(MAPPING))
    assert response.status_code == 202, response.content
    assert response.json()["mapping_applied"] is False
    again = post_file(client, erp_csv(2, "G"))
    assert again.status_code == 202, again.content
    assert again.json()["mapping_applied"] is True


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ("{oops", "JSON object"),
        (json.dumps({"Код товара": "sku", "Стоимость": "sku"}), "mapped more than once"),
        (json.dumps({"Колонка": "sku"}), "has no column"),
        (json.dumps({"Код товара": "skuu"}), "not a catalog field"),
    ],
)
def test_the_api_refuses_a_bad_mapping_with_400(owner, mapping, expected):
    client = api_client_for(owner[1])
    response = post_file(client, erp_csv(), mapping=mapping)
    assert response.status_code == 400
    assert any(expected in message for message in response.json()["mapping"])
    assert not ImportJob.objects.exists() and not ColumnMapping.objects.exists()


def test_the_api_still_answers_400_for_missing_columns_without_a_mapping(owner):
    response = post_file(api_client_for(owner[1]), erp_csv())
    assert response.status_code == 400
    assert "Required columns are missing" in response.json()["file"][0]


def test_the_schema_documents_the_mapping_field(owner):
    schema = api_client_for(owner[1]).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    body = schema["paths"]["/api/v1/imports/"]["post"]["requestBody"]["content"]
    ref = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "mapping" in schema["components"]["schemas"][ref]["properties"]


# --- page -----------------------------------------------------------------------------------


def page_upload(client, content: bytes, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("catalog:import-list"),
        {"file": SimpleUploadedFile("erp.csv", content, "text/csv"), "mode": "validate", **fields},
    )


def test_the_page_offers_a_select_per_missing_field_listing_the_files_columns(web):
    response = page_upload(web, erp_csv())
    assert response.status_code == 400
    html = response.content.decode()
    assert "Required columns are missing" in html
    assert 'name="map-sku"' in html and 'name="map-price_uzs"' in html
    assert '<option value="Код товара">' in html and '<option value="Стоимость">' in html
    assert not ImportJob.objects.exists()


def test_the_page_maps_the_columns_and_the_next_upload_applies_the_mapping(
    web, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = page_upload(
            web, erp_csv(), **{"map-sku": "Код товара", "map-price_uzs": "Стоимость"}
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    first = ImportJob.objects.get()
    assert first.status == ImportStatus.VALIDATED and first.created_count == 3
    with django_capture_on_commit_callbacks(execute=True):
        response = page_upload(web, erp_csv(5, "H"))
    assert response.status_code == 302
    second = ImportJob.objects.latest("id")
    assert second.mapping_applied and second.created_count == 5
    html = web.get(response["Location"]).content.decode()
    assert "mapping applied" in html
    assert "Код товара" in html


def test_the_page_refuses_one_column_chosen_for_two_fields(web):
    response = page_upload(
        web, erp_csv(), **{"map-sku": "Код товара", "map-price_uzs": "Код товара"}
    )
    assert response.status_code == 400
    assert "is chosen for both" in response.content.decode()
    assert not ColumnMapping.objects.exists()


def test_the_page_offers_no_mapping_when_the_file_has_no_unknown_column(web):
    content = b"sku,title_uz,brand,category,price_uzs,stock,ikpu,weight_g\r\nA,B,C,D,1,1,1,1\r\n"
    response = page_upload(web, content)
    assert response.status_code == 400
    assert 'name="map-' not in response.content.decode()
