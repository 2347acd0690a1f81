"""Variant files in each header language import as the right cards (issue 13).

The files are tests/fixtures/catalog/cards/ (written by its make.py): the same catalog with
headers and enum values in English, Russian, Uzbek and Chinese, and as an XLSX. The GBK and
XLSX samples, which have no card columns, still import exactly as before.
"""

import json

import pytest

from catalog.attribute_services import attributes_load
from catalog.models import ImportStatus, Product
from catalog.readiness import NEEDS_FIXES, READY, RULES
from catalog.selectors import import_job_errors
from tests.catalog.conftest import FIXTURES
from tests.catalog.factories import sample_seller
from tests.conftest import SAMPLES

CARDS = FIXTURES / "cards"
EXPECTED_SAMPLES = json.loads((SAMPLES / "expected.json").read_text())

TS_FEATURES_UZ = ["100% paxta", "Yumshoq va nafas oladigan mato", "Mashinada yuvish mumkin"]
TS_FEATURES_RU = ["100% хлопок", "Мягкая дышащая ткань", "Можно стирать в машине"]
# sku -> (group, attributes as option codes, numbers and booleans)
EXPECTED = {
    "TS-CLASSIC-BLK-M": (
        "TS-CLASSIC",
        {"colour": "black", "size": "m", "material": "cotton"},
    ),
    "TS-CLASSIC-BLK-L": (
        "TS-CLASSIC",
        {"colour": "black", "size": "l", "material": "cotton"},
    ),
    "TS-CLASSIC-WHT-M": (
        "TS-CLASSIC",
        {"colour": "white", "size": "m", "material": "cotton"},
    ),
    "PH-X5-128": (
        "PH-X5",
        {
            "colour": "blue",
            "memory": "128gb",
            "ram": "8gb",
            "nfc": True,
            "battery_capacity": 5000,
        },
    ),
    "PH-X5-256": (
        "PH-X5",
        {
            "colour": "blue",
            "memory": "256gb",
            "ram": "8gb",
            "nfc": True,
            "battery_capacity": 5000,
        },
    ),
    "PH-SOLO": (
        "",
        {"colour": "black", "memory": "64gb", "nfc": False, "battery_capacity": 4500},
    ),
}
# sku -> (state, {(code, field)})
READINESS = {
    "TS-CLASSIC-BLK-M": (READY, set()),
    "TS-CLASSIC-BLK-L": (READY, set()),
    "TS-CLASSIC-WHT-M": (READY, set()),
    "PH-X5-128": (NEEDS_FIXES, {("features_count", "features_ru")}),
    "PH-X5-256": (NEEDS_FIXES, {("features_count", "features_ru")}),
    "PH-SOLO": (NEEDS_FIXES, {("no_images", "image_urls"), ("attribute_missing", "ram")}),
}
FILES = ["cards_en.csv", "cards_ru.csv", "cards_uz.csv", "cards_zh.csv", "cards_zh.xlsx"]


@pytest.fixture
def seller(categories):
    attributes_load()
    return sample_seller()


def issues(product: Product) -> set[tuple[str, str]]:
    return {(issue["code"], issue["field"]) for issue in product.readiness_issues}


@pytest.mark.django_db
@pytest.mark.parametrize("name", FILES)
def test_a_variant_file_in_each_header_language_imports_as_its_cards(name, seller, run_import):
    job = run_import(seller, name, (CARDS / name).read_bytes())
    assert job.status == ImportStatus.COMPLETED, job.error_message
    errors = [(e.row, e.column, e.code, e.params) for e in import_job_errors(job=job)]
    assert not [
        e for e in errors if e[2] not in {"features_count", "no_images", "attribute_missing"}
    ], errors
    assert job.counts == {"created": 6, "updated": 0, "unchanged": 0, "invalid": 0}
    assert not job.warnings, job.warnings  # every column recognised
    products = {p.sku: p for p in Product.objects.filter(seller=seller)}
    assert set(products) == set(EXPECTED)
    for sku, (group, attributes) in EXPECTED.items():
        product = products[sku]
        assert product.group == group, sku
        assert product.card_key == (group or sku)
        assert product.attributes == attributes, sku
        state, found = READINESS[sku]
        assert (product.readiness_state, issues(product)) == (state, found), sku
    shirt = products["TS-CLASSIC-BLK-M"]
    assert shirt.features_uz == TS_FEATURES_UZ
    assert shirt.features_ru == TS_FEATURES_RU
    assert shirt.category.code == "clothing.men.tshirts"
    assert len(shirt.image_urls) == 2
    phone = products["PH-X5-256"]
    assert phone.features_ru == ["AMOLED-экран 6,7 дюйма", "Аккумулятор 5000 мАч"]
    assert phone.price_uzs == 4_490_000
    # 3 cards: two of several variants and one single-variant card
    assert {p.card_key for p in products.values()} == {"TS-CLASSIC", "PH-X5", "PH-SOLO"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", FILES)
def test_a_variant_file_reports_its_accepted_rows_readiness_as_warnings(name, seller, run_import):
    job = run_import(seller, name, (CARDS / name).read_bytes())
    warnings = {(e.row, e.column, e.code) for e in import_job_errors(job=job, severity="warning")}
    # rows 2-4 are the ready T-shirt; 5-6 the phone card; 7 the single phone
    assert warnings == {
        (5, "features_ru", "features_count"),
        (6, "features_ru", "features_count"),
        (7, "image_urls", "no_images"),
        (7, "ram", "attribute_missing"),
    }
    warning = import_job_errors(job=job, severity="warning").get(row=5)
    assert warning.params["field"] == "features_ru"
    assert warning.params["count"] == 2 and warning.params["min"] == 3
    assert "features_ru" in warning.message or "Russian" in warning.message


@pytest.mark.django_db
def test_a_variant_file_imported_again_is_unchanged(seller, run_import):
    content = (CARDS / "cards_ru.csv").read_bytes()
    run_import(seller, "cards_ru.csv", content)
    stamps = dict(Product.objects.values_list("sku", "updated_at"))
    job = run_import(seller, "cards_ru_again.csv", content)
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 6, "invalid": 0}
    assert dict(Product.objects.values_list("sku", "updated_at")) == stamps


@pytest.mark.django_db
def test_the_corrected_file_makes_the_card_ready(seller, run_import):
    run_import(seller, "cards_zh.csv", (CARDS / "cards_zh.csv").read_bytes())
    assert set(Product.objects.filter(group="PH-X5").values_list("readiness_state", flat=True)) == {
        NEEDS_FIXES
    }
    job = run_import(seller, "cards_zh_fixed.csv", (CARDS / "cards_zh_fixed.csv").read_bytes())
    assert job.counts == {"created": 0, "updated": 2, "unchanged": 4, "invalid": 0}
    phones = Product.objects.filter(group="PH-X5")
    assert {(p.readiness_state, len(p.features_ru)) for p in phones} == {(READY, 3)}
    assert all(p.readiness_issues == [] for p in phones)


@pytest.mark.django_db
def test_a_variant_file_preview_changes_nothing(seller, run_import):
    job = run_import(
        seller, "cards_zh.xlsx", (CARDS / "cards_zh.xlsx").read_bytes(), mode="validate"
    )
    assert job.status == ImportStatus.VALIDATED
    assert job.counts == {"created": 6, "updated": 0, "unchanged": 0, "invalid": 0}
    assert not Product.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["catalog_gbk_zh.csv", "catalog_zh.xlsx"])
def test_the_gbk_and_xlsx_samples_import_as_before_with_characteristics_loaded(
    name, seller, run_import
):
    """With the characteristics loaded, a file without card columns imports as it did: same
    counts, same errors, no readiness warnings, products with empty cards' fields."""
    expected = EXPECTED_SAMPLES[name]
    job = run_import(seller, name)
    assert job.status == ImportStatus.COMPLETED, job.error_message
    assert job.counts == {
        "created": expected["rows"] - expected["invalid"],
        "updated": 0,
        "unchanged": 0,
        "invalid": expected["invalid"],
    }
    assert {(e.row, e.column, e.code) for e in import_job_errors(job=job, severity="error")} == {
        (e["row"], e["column"], e["code"]) for e in expected.get("errors", [])
    }
    warnings = {(e.column, e.code) for e in import_job_errors(job=job, severity="warning")}
    # No readiness warnings in a file without card columns; the Uzbek in Cyrillic of some
    # rows ("Мультиварка") is written in Latin, as the option (on by default) says.
    assert not {code for _column, code in warnings} & set(RULES), warnings
    assert {(c, code) for c, code in warnings if code != "title_style"} <= {
        ("title_uz", "transliterated"),
        ("description_uz", "transliterated"),
    }
    products = Product.objects.filter(seller=seller)
    assert products.count() == expected["rows"] - expected["invalid"]
    assert not products.exclude(group="").exists()
    assert not products.exclude(attributes={}).exists()
