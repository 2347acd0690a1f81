"""Uzbek in Latin, and the readiness of accepted rows in the error report (issue 13).

Uzbek in Cyrillic is written in Latin by default (ImportJob.transliterate) with a
`transliterated` warning that keeps the original; with the option off every text is stored
exactly as decoded. A card file's report lists the readiness issues of the rows it accepted,
as warnings, beside the rejected rows' errors; a flat file gets no readiness warnings.
"""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.attribute_services import attributes_load
from catalog.importing.report import error_report_write
from catalog.models import ImportJob, Product
from catalog.readiness import NEEDS_FIXES, READY, RULES
from catalog.selectors import import_job_errors
from tests.catalog import test_import_cards as cards
from tests.catalog.conftest import upload
from tests.catalog.factories_api import api_client_for, approved_seller
from tests.catalog.test_import_cards import HEADER, SHIRT, card_csv

# The card import tests' fixtures: a seller with the sample brands and the characteristics
# loaded, and an importer with the transliteration option.
seller = cards.seller
importer = cards.importer

# --- Uzbek in Latin -------------------------------------------------------------------------

CYRILLIC = {
    "title_uz": "Эркаклар учун пахта футболка",
    "description_uz": "Юмшоқ пахта футболка, ғижимланмайди.",
    "features_uz": "100% пахта|Юмшоқ мато|Машинада ювиш мумкин",
}
LATIN = {
    "title_uz": "Erkaklar uchun paxta futbolka",
    "description_uz": "Yumshoq paxta futbolka, gʻijimlanmaydi.",
    "features_uz": ["100% paxta", "Yumshoq mato", "Mashinada yuvish mumkin"],
}


@pytest.mark.django_db
def test_uzbek_in_cyrillic_is_imported_in_latin_with_a_warning_keeping_the_original(
    seller, importer
):
    job = importer(seller, card_csv([{**SHIRT, **CYRILLIC, "group": "", "sku": "A"}]))
    assert job.counts["created"] == 1
    product = Product.objects.get(sku="A")
    assert product.title_uz == LATIN["title_uz"]
    assert product.description_uz == LATIN["description_uz"]
    assert product.features_uz == LATIN["features_uz"]
    assert product.title_ru == SHIRT["title_ru"]  # Russian is Cyrillic and stays so
    assert product.readiness_state == READY, product.readiness_issues
    warnings = {
        e.column: e
        for e in import_job_errors(job=job, severity="warning")
        if e.code == "transliterated"
    }
    assert set(warnings) == {"title_uz", "description_uz", "features_uz"}
    assert warnings["title_uz"].params["original"] == CYRILLIC["title_uz"]
    assert warnings["description_uz"].params["original"] == CYRILLIC["description_uz"]
    assert CYRILLIC["title_uz"] in warnings["title_uz"].message
    # the error report keeps the original text, on the accepted row
    [line] = report(job)
    assert line["sku"] == "A" and line["errors"] == ""
    assert CYRILLIC["title_uz"] in line["warnings"]
    assert CYRILLIC["description_uz"] in line["warnings"]


@pytest.mark.django_db
def test_with_the_option_off_the_text_is_stored_exactly_as_decoded(seller, importer):
    content = card_csv([{**SHIRT, **CYRILLIC, "group": "", "sku": "A"}])
    job = importer(seller, content, transliterate=False)
    assert job.transliterate is False
    product = Product.objects.get(sku="A")
    assert product.title_uz == CYRILLIC["title_uz"]
    assert product.description_uz == CYRILLIC["description_uz"]
    assert product.features_uz == ["100% пахта", "Юмшоқ мато", "Машинада ювиш мумкин"]
    codes = {(e.column, e.code) for e in import_job_errors(job=job, severity="warning")}
    assert not any(code == "transliterated" for _column, code in codes)
    # Not ready: the readiness issue says so, and the card file's report says it too.
    assert product.readiness_state == NEEDS_FIXES
    assert {i["code"] for i in product.readiness_issues} == {"uz_cyrillic"}
    assert ("title_uz", "uz_cyrillic") in codes


@pytest.mark.django_db
def test_a_flat_file_is_transliterated_too_but_other_columns_stay_as_decoded(seller, importer):
    header = [name for name in HEADER[:18] if not name.startswith(("group", "features"))]
    row = {**SHIRT, **CYRILLIC, "sku": "A", "title_ru": "Футболка ғижим «қўшма»  "}
    job = importer(seller, card_csv([row], header))
    product = Product.objects.get(sku="A")
    assert product.title_uz == LATIN["title_uz"]
    assert product.title_ru == "Футболка ғижим «қўшма»"  # trimmed only, like every import
    assert not {e.code for e in import_job_errors(job=job, severity="warning")} & set(RULES)


# --- readiness in the error report ----------------------------------------------------------


def report(job: ImportJob) -> list[dict[str, str]]:
    stream = io.BytesIO()
    error_report_write(job=job, stream=stream)
    return list(csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))


@pytest.mark.django_db
def test_the_error_report_lists_accepted_rows_readiness_issues_as_warnings(seller, importer):
    rows = [
        {**SHIRT, "sku": "READY", "group": ""},
        {**SHIRT, "sku": "SHORT", "group": "", "features_ru": "Хлопок|Мягкая"},
        {**SHIRT, "sku": "BAD", "group": "", "Colour": "Blakc"},
    ]
    job = importer(seller, card_csv(rows))
    assert job.counts["created"] == 2 and job.counts["invalid"] == 1
    warnings = [e for e in import_job_errors(job=job, severity="warning")]
    assert [(e.row, e.column, e.code) for e in warnings] == [(3, "features_ru", "features_count")]
    assert warnings[0].params["field"] == "features_ru"
    lines = {line["sku"]: line for line in report(job)}
    # one file fixes both: the rejected row with its error, the accepted one with its issue
    assert set(lines) == {"SHORT", "BAD"}
    assert "Blakc" in lines["BAD"]["errors"] and lines["BAD"]["warnings"] == ""
    assert lines["SHORT"]["errors"] == ""
    short = lines["SHORT"]["warnings"]
    assert short.startswith("features_ru: ") and "2" in short and "3" in short
    with translation.override("zh-hans"):
        lines = {line["sku"]: line for line in report(job)}
    assert lines["SHORT"]["warnings"] != short  # in the reader's language


@pytest.mark.django_db
def test_a_flat_file_gets_no_readiness_warnings(seller, importer):
    header = [name for name in HEADER[:18] if not name.startswith(("group", "features"))]
    rows = [{**SHIRT, "sku": "A", "image_urls": ""}]  # no features, no photo, no material
    job = importer(seller, card_csv(rows, header))
    assert job.counts["created"] == 1
    assert not {e.code for e in import_job_errors(job=job)} & set(RULES)
    assert report(job) == []
    product = Product.objects.get(sku="A")
    assert product.readiness_state == NEEDS_FIXES  # stored all the same, for lists to filter
    assert {i["code"] for i in product.readiness_issues} >= {
        "features_count",
        "no_images",
        "attribute_missing",
    }


@pytest.mark.django_db
def test_the_errors_api_lists_readiness_warnings_in_the_readers_language(
    categories, django_capture_on_commit_callbacks
):
    attributes_load()
    _seller, owner = approved_seller()
    content = card_csv([{**SHIRT, "sku": "SHORT", "group": "", "features_ru": "Хлопок|Мягкая"}])
    client = api_client_for(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("catalog-api:imports"),
            {"file": upload("cards.csv", content), "mode": "commit"},
            format="multipart",
        )
    assert response.status_code in (201, 202), response.content
    url = reverse("catalog-api:import-errors", kwargs={"id": response.json()["id"]})
    response = client.get(url, {"severity": "warning"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200, response.content
    body = response.json()
    items = body["results"] if isinstance(body, dict) else body
    assert [(i["row"], i["column"], i["code"]) for i in items] == [
        (2, "features_ru", "features_count")
    ]
    assert "2" in items[0]["message"] and "3" in items[0]["message"]
    assert items[0]["severity"] == "warning"
