"""The import preview a seller can act on: errors grouped by cause, what was understood, phases."""

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.importing.preview import encoding_label, import_job_error_summary, phase_steps
from catalog.models import ImportJob, ImportPhase, ImportStatus, RowError
from tests.catalog.factories_api import (
    HEADER,
    api_client_for,
    approved_seller,
    catalog_csv,
    ean13,
    row,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(categories):
    return approved_seller(brands=("Lanyue",))


def three_causes() -> list[dict[str, str]]:
    """300 bad rows of three causes: two unknown brands, scientific barcodes, bad prices."""
    data = [
        row(f"B-{i:03d}", brand="蓝月" if i % 2 else "金马", barcode=ean13(i)) for i in range(120)
    ]
    data += [row(f"S-{i:03d}", barcode="4.60123E+12") for i in range(100)]
    data += [row(f"P-{i:03d}", price_uzs="abc", barcode=ean13(500 + i)) for i in range(80)]
    data += [row(f"OK-{i}", barcode=ean13(900 + i)) for i in range(7)]
    return data


def test_it_groups_300_row_errors_into_their_3_causes_with_examples(owner, run_import):
    job = run_import(owner[0], "three.csv", catalog_csv(three_causes()), mode="validate")
    groups = import_job_error_summary(job=job)
    errors = [g for g in groups if g["severity"] == "error"]
    assert [(g["code"], g["column"], g["count"]) for g in errors] == [
        ("unknown_brand", "brand", 120),
        ("scientific_notation", "barcode", 100),
        ("invalid_number", "price_uzs", 80),
    ]
    brands = errors[0]
    assert brands["distinct"] == 2
    assert brands["examples"] == [{"value": "蓝月", "count": 60}, {"value": "金马", "count": 60}]
    assert errors[1]["examples"] == [{"value": "4.60123E+12", "count": 100}]
    assert errors[1]["message"] == (
        "100 rows · Barcode (barcode): in scientific notation: format the column as text."
    )


def test_it_computes_the_summary_in_one_query(owner, run_import, django_assert_num_queries):
    job = run_import(owner[0], "three.csv", catalog_csv(three_causes()), mode="validate")
    with django_assert_num_queries(1):
        import_job_error_summary(job=job)


def test_it_keeps_only_the_five_most_frequent_examples_of_a_cause(owner, run_import):
    data = [row(f"C-{i}", category=f"nope.{i % 9}", barcode=ean13(i)) for i in range(45)]
    job = run_import(owner[0], "cats.csv", catalog_csv(data), mode="validate")
    (group,) = import_job_error_summary(job=job)
    assert group["code"] == "unknown_category" and group["count"] == 45
    assert group["distinct"] == 9
    assert len(group["examples"]) == 5
    assert all(example["count"] == 5 for example in group["examples"])


def test_it_answers_an_empty_summary_for_a_clean_import(owner, run_import):
    data = [row(f"OK-{i}", barcode=ean13(i)) for i in range(3)]
    job = run_import(owner[0], "ok.csv", catalog_csv(data), mode="validate")
    assert import_job_error_summary(job=job) == []


def test_the_summary_api_answers_the_groups(owner, run_import):
    job = run_import(owner[0], "three.csv", catalog_csv(three_causes()), mode="validate")
    client = api_client_for(owner[1])
    response = client.get(reverse("catalog-api:import-errors-summary", args=[job.pk]))
    assert response.status_code == 200
    body = response.json()
    assert [g["code"] for g in body][:3] == [
        "unknown_brand",
        "scientific_notation",
        "invalid_number",
    ]
    assert set(body[0]) >= {"code", "column", "count", "examples"}
    assert body[0]["examples"][0] == {"value": "蓝月", "count": 60}


def test_the_summary_api_speaks_the_request_language(owner, run_import):
    job = run_import(owner[0], "three.csv", catalog_csv(three_causes()), mode="validate")
    client = api_client_for(owner[1])
    url = reverse("catalog-api:import-errors-summary", args=[job.pk])
    english = client.get(url).json()[0]["message"]
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()[0]["message"]
    assert english.startswith("120 rows")
    assert russian.startswith("120") and russian != english


def test_the_summary_api_hides_another_sellers_job(owner, run_import, categories):
    other = approved_seller(brands=("Jinma",))
    job = run_import(other[0], "x.csv", catalog_csv([row("A", brand="Jinma")]), mode="validate")
    client = api_client_for(owner[1])
    response = client.get(reverse("catalog-api:import-errors-summary", args=[job.pk]))
    assert response.status_code == 404


def test_the_schema_documents_the_summary(owner):
    client = api_client_for(owner[1])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    path = schema["paths"]["/api/v1/imports/{id}/errors/summary/"]["get"]
    ref = path["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
    group = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"code", "column", "count", "examples"} <= set(group["properties"])


# --- what was understood --------------------------------------------------------------------


def test_it_stores_the_header_as_mapped_and_the_first_five_rows_as_stored(owner, run_import):
    data = [
        {**row(f"R-{i}", barcode=ean13(i), price_uzs="12 500"), "Color": "red"} for i in range(8)
    ]
    job = run_import(
        owner[0], "u.csv", catalog_csv(data, header=[*HEADER, "Color"]), mode="validate"
    )
    assert {"column": "price_uzs", "field": "price_uzs"} in job.columns["mapped"]
    assert job.columns["unmapped"] == ["Color"]
    assert len(job.sample_rows) == 5
    first = job.sample_rows[0]
    assert first["row"] == 2 and first["sku"] == "R-0"
    assert first["price_uzs"] == 12500
    assert first["brand"] == "Lanyue"
    assert first["category"] == "shoes.sneakers"


@pytest.mark.parametrize(
    ("codec", "english", "chinese"),
    [
        ("gb18030", "GB18030 (Simplified Chinese)", "GB18030"),
        ("utf-8-sig", "UTF-8 with BOM", "UTF-8"),
        ("utf-8", "UTF-8", "UTF-8"),
        ("cp1251", "Windows-1251 (Cyrillic)", "1251"),
        (None, "", ""),
    ],
)
def test_it_names_the_encoding_for_people(codec, english, chinese):
    assert encoding_label(codec) == english
    with translation.override("zh-hans"):
        assert chinese in encoding_label(codec)


# --- phases ---------------------------------------------------------------------------------


def test_a_preview_goes_through_reading_and_checking(owner, run_import):
    job = run_import(owner[0], "ok.csv", catalog_csv([row("A", barcode=ean13(1))]), mode="validate")
    assert job.phase == ImportPhase.CHECKING
    assert [s["state"] for s in phase_steps(job)] == ["done", "done"]


def test_a_commit_of_a_preview_moves_on_to_writing_and_never_back(owner, run_import):
    from catalog.importing.jobs import new_lease_owner
    from catalog.importing.pipeline import import_job_execute
    from catalog.services import import_job_commit

    job = run_import(owner[0], "ok.csv", catalog_csv([row("A", barcode=ean13(1))]), mode="validate")
    job = import_job_commit(job=job, user=None)  # queued, not run yet
    assert job.phase == ImportPhase.WRITING
    assert [s["state"] for s in phase_steps(job)] == ["done", "done", "current"]
    import_job_execute(job_id=job.pk, owner=new_lease_owner())
    job.refresh_from_db()
    assert job.status == ImportStatus.COMPLETED
    assert job.phase == ImportPhase.WRITING


def test_the_row_errors_stay_tied_to_the_job(owner, run_import):
    job = run_import(owner[0], "three.csv", catalog_csv(three_causes()), mode="validate")
    assert RowError.objects.filter(job=job).count() >= 300
    assert ImportJob.objects.get(pk=job.pk).invalid_count == 300
